#pragma once
// Visits every node of a workspace in PMTA's reading order: included files are spliced in at
// their include line, in the block that contains it. Each visit knows its block context
// ("global" or the enclosing tag's kind) and the block instance it belongs to.
#include <string>
#include <vector>

#include "base/text.h"
#include "schema/knowledge.h"
#include "syntax/workspace.h"

namespace pmtalint {

struct Visit {
  const Tree& tree;
  FileId file;
  NodeId id;
  const Node& node;
  std::string_view context;  // "global", or the lower-case kind of the enclosing block
  bool context_known;        // false inside a block PMTA does not have
  uint64_t scope;            // the enclosing block instance (file << 32 | node)

  std::string_view name() const { return tree.name(id); }
  Location at(Span span) const { return {file, span}; }
};

template <class F>
void walk(const Workspace& workspace, const std::vector<FileId>& roots, F&& visit) {
  struct Frame {
    FileId file;
    NodeId next;
    std::string context;
    bool known;
    uint64_t scope;
  };
  const auto& kb = KnowledgeBase::get();
  std::vector<Frame> stack;
  for (auto root = roots.rbegin(); root != roots.rend(); ++root) {
    const Tree& tree = workspace.tree(*root);
    stack.push_back({*root, tree.node(tree.root()).first_child, "global", true, uint64_t{*root} << 32});
  }
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == kNoNode) {
      stack.pop_back();
      continue;
    }
    const Tree& tree = workspace.tree(top.file);
    const NodeId id = top.next;
    const Node& node = tree.node(id);
    top.next = node.next_sibling;
    const Frame here = top;  // `top` dangles once the stack grows
    visit(Visit{tree, here.file, id, node, here.context, here.known, here.scope});
    if (node.kind == NodeKind::Block) {
      std::string kind = to_lower(tree.name(id));
      const bool known = here.known && kb.block(kind) != nullptr;
      stack.push_back({here.file, node.first_child, std::move(kind), known, (uint64_t{here.file} << 32) | id});
    } else if (node.kind == NodeKind::Directive) {
      const auto& targets = workspace.included_by(here.file, id);
      for (auto t = targets.rbegin(); t != targets.rend(); ++t) {
        const Tree& included = workspace.tree(*t);
        stack.push_back({*t, included.node(included.root()).first_child, here.context, here.known, here.scope});
      }
    }
  }
}

// Lines inside rule blocks that are not keyword lines: `/regex/ category`, `* RESULT`.
inline bool is_rule_line(const Visit& v) {
  const std::string_view name = v.name();
  return (v.context == "bounce-category-patterns" && name.starts_with('/')) ||
         (v.context == "pattern-list" && name == "*");
}

}  // namespace pmtalint
