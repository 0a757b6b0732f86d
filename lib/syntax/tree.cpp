#include "syntax/tree.h"

#include <algorithm>

namespace pmtalint {

std::string_view Tree::value(NodeId id) const {
  const Node& n = nodes_[id];
  if (!n.continued) return text(n.argument);
  const auto it = std::lower_bound(joined_values_.begin(), joined_values_.end(), id,
                                   [](const auto& joined, NodeId node) { return joined.first < node; });
  return it->second;
}

std::span<const Word> Tree::words(NodeId id) const {
  const Node& n = nodes_[id];
  return std::span<const Word>(words_).subspan(n.first_word, n.word_count);
}

NodeId Tree::add(NodeId parent, Node node) {
  const auto id = static_cast<NodeId>(nodes_.size());
  node.parent = parent;
  nodes_.push_back(node);
  // The path node after `parent` is its last child so far; none means it has no children yet.
  NodeId previous = kNoNode;
  while (open_path_.back() != parent) {
    previous = open_path_.back();
    open_path_.pop_back();
  }
  if (previous == kNoNode) nodes_[parent].first_child = id;
  else nodes_[previous].next_sibling = id;
  open_path_.push_back(id);
  return id;
}

void Tree::add_words(NodeId id, std::span<const Word> words) {
  Node& n = nodes_[id];
  if (n.word_count == 0) n.first_word = static_cast<uint32_t>(words_.size());
  // Words of one directive are appended contiguously (continuation lines follow at once).
  words_.insert(words_.end(), words.begin(), words.end());
  n.word_count += static_cast<uint32_t>(words.size());
}

// Appending in place keeps a value written over many thousands of lines linear to build.
void Tree::continue_value(NodeId id, Span added) {
  Node& n = nodes_[id];
  if (!n.continued) {
    n.continued = true;
    joined_values_.emplace_back(id, text(n.argument));
  }
  joined_values_.back().second += text(added);
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
