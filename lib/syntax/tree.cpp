#include "syntax/tree.h"

namespace pmtalint {

std::string_view Tree::value(NodeId id) const {
  const Node& n = nodes_[id];
  if (n.joined_value != std::numeric_limits<uint32_t>::max()) return joined_values_[n.joined_value];
  return text(n.argument);
}

std::span<const Word> Tree::words(NodeId id) const {
  const Node& n = nodes_[id];
  return std::span<const Word>(words_).subspan(n.first_word, n.word_count);
}

NodeId Tree::add(NodeId parent, Node node) {
  const auto id = static_cast<NodeId>(nodes_.size());
  node.parent = parent;
  nodes_.push_back(node);
  Node& p = nodes_[parent];
  if (p.last_child == kNoNode) p.first_child = id;
  else nodes_[p.last_child].next_sibling = id;
  p.last_child = id;
  return id;
}

void Tree::add_words(NodeId id, std::span<const Word> words) {
  Node& n = nodes_[id];
  if (n.word_count == 0) n.first_word = static_cast<uint32_t>(words_.size());
  // Words of one directive are appended contiguously (continuation lines follow at once).
  words_.insert(words_.end(), words.begin(), words.end());
  n.word_count += static_cast<uint32_t>(words.size());
}

void Tree::set_joined_value(NodeId id, std::string value) {
  Node& n = nodes_[id];
  if (n.joined_value == std::numeric_limits<uint32_t>::max()) {
    n.joined_value = static_cast<uint32_t>(joined_values_.size());
    joined_values_.push_back(std::move(value));
  } else {
    joined_values_[n.joined_value] = std::move(value);
  }
}

std::string unquote(std::string_view word) {
  if (word.size() < 1 || word.front() != '"') return std::string(word);
  std::string out;
  const size_t end = (word.size() >= 2 && word.back() == '"') ? word.size() - 1 : word.size();
  for (size_t i = 1; i < end; ++i) {
    if (word[i] == '\\' && i + 1 < end) ++i;
    out.push_back(word[i]);
  }
  return out;
}

}  // namespace pmtalint
