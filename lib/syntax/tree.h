#pragma once
// The syntax tree of one file. Nodes live in one flat vector and point at each other by index
// (first child / next sibling), so a deeply nested or huge file costs no recursion and one
// allocation per growth step. Every node keeps byte spans into the file; the tree never copies
// text except for values continued over several lines.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/span.h"
#include "syntax/source_file.h"
#include "syntax/token.h"

namespace pmtalint {

using NodeId = uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

enum class NodeKind : uint8_t { Root, Block, Directive };

// How a node was written when it is not plain PMTA syntax. The parser still builds the node so
// that later stages can tell the user what the line would mean in PMTA terms.
enum class Foreign : uint8_t { None, BraceBlock, Assignment, XmlElement };

struct Word {
  Span span;  // quotes included for quoted words
  bool quoted = false;
};

// A comment, kept apart from the tokens: suppression comments are read after parsing, when the
// lossless token vector (about three times the file's size) is usually gone.
struct Comment {
  Span span;        // from '#'
  bool after_code;  // something other than whitespace comes before it on its line
};

struct Node {
  NodeKind kind = NodeKind::Root;
  Foreign foreign = Foreign::None;
  bool continued = false;  // directive value runs over lines ending in ','
  NodeId parent = kNoNode;
  NodeId first_child = kNoNode;
  NodeId next_sibling = kNoNode;
  Span span;       // the whole construct: a directive's line(s); a block from '<' to its close tag
  Span name;       // directive keyword, or block tag name
  Span head;       // block: the opening tag; directive: keyword through last value
  Span argument;   // block: tag argument; directive: first line's value (may be empty)
  Span close;      // block: the closing tag, empty when missing
  uint32_t first_word = 0;  // directive values in Tree::words
  uint32_t word_count = 0;
};

class Tree {
 public:
  explicit Tree(const SourceFile& file) : file_(&file), open_path_{0} { nodes_.push_back(Node{}); }

  const SourceFile& file() const { return *file_; }
  NodeId root() const { return 0; }
  const Node& node(NodeId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }
  // Empty unless the parse kept them (ParseOptions::keep_tokens).
  const std::vector<Token>& tokens() const { return tokens_; }
  const std::vector<Comment>& comments() const { return comments_; }

  std::string_view text(Span span) const { return file_->slice(span); }
  std::string_view name(NodeId id) const { return text(nodes_[id].name); }
  std::string_view argument(NodeId id) const { return text(nodes_[id].argument); }
  // A directive's value as PMTA reads it: the text after the keyword, without the comment,
  // continuation lines joined.
  std::string_view value(NodeId id) const;
  // A view into the tree: the rules read every directive's words, so nothing is copied.
  std::span<const Word> words(NodeId id) const;
  // Children in file order; cheap to iterate without recursion.
  template <class F>
  void for_each_child(NodeId id, F&& f) const {
    for (NodeId c = nodes_[id].first_child; c != kNoNode; c = nodes_[c].next_sibling) f(c);
  }

  // Building (used by the parser). Reserving from the line count avoids regrowing (and briefly
  // doubling) the big vectors on large files; untouched capacity costs no memory.
  void reserve(size_t lines) {
    nodes_.reserve(lines + 1);
    words_.reserve(lines * 3);
  }
  // Nodes come in file order: `parent` is the last node added or one of its ancestors.
  NodeId add(NodeId parent, Node node);
  Node& mutable_node(NodeId id) { return nodes_[id]; }
  void add_words(NodeId id, std::span<const Word> words);
  // Appends a continuation line's text to the value of the last directive added.
  void continue_value(NodeId id, Span added);
  void set_tokens(std::vector<Token> tokens) { tokens_ = std::move(tokens); }
  void drop_tokens() { std::vector<Token>().swap(tokens_); }
  void add_comment(Comment comment) { comments_.push_back(comment); }

 private:
  const SourceFile* file_;
  std::vector<Node> nodes_;
  std::vector<Word> words_;
  // The last node added and its ancestors, root first: where the next node can be added.
  std::vector<NodeId> open_path_;
  // Values of continued directives, by node in ascending order: few, so kept out of Node.
  std::vector<std::pair<NodeId, std::string>> joined_values_;
  std::vector<Token> tokens_;
  std::vector<Comment> comments_;
};

// Unescape a quoted word ("a \"b\"" -> a "b"); unquoted words come back unchanged.
std::string unquote(std::string_view word);

}  // namespace pmtalint
