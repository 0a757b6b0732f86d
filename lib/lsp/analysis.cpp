#include "lsp/analysis.h"

#include "checks/lint.h"
#include "checks/suppressions.h"
#include "schema/knowledge.h"
#include "settings/project_config.h"

namespace pmtalint::lsp {

std::unique_ptr<Analysis> analyze(const TextDocument& doc) {
  auto a = std::make_unique<Analysis>();
  const std::string path = uri_to_path(doc.uri());
  a->loaded = std::make_unique<LoadResult>(load({{path, doc.text()}}, LoadOptions{"", ParseOptions{is_top_level_only_block}}));
  std::vector<Diagnostic> found = lint(*a->loaded);
  // .pmtalint.toml next to the document (or above it) applies as it does on the command line.
  ConfigResolver resolver;
  if (auto configured = apply_project_config(resolver, a->loaded->workspace, std::move(found)))
    found = std::move(configured->kept);
  a->diagnostics = apply_suppressions(a->loaded->workspace, std::move(found)).kept;
  return a;
}

NodeAt node_at(const Analysis& a, size_t offset) {
  NodeAt at;
  if (a.loaded->workspace.size() == 0) return at;
  const Tree& tree = a.loaded->workspace.tree(a.document);
  at.tree = &tree;
  const auto within = [&](Span s) { return s.begin <= offset && offset <= s.end; };
  // Walk down from the root: each level holds at most one node whose span covers the offset.
  NodeId current = tree.root();
  for (bool descended = true; descended;) {
    descended = false;
    for (NodeId c = tree.node(current).first_child; c != kNoNode; c = tree.node(c).next_sibling) {
      const Node& n = tree.node(c);
      if (!within(n.span)) continue;
      if (n.kind == NodeKind::Block) {
        at.block = c;
        if (within(n.head) || (!n.close.empty() && within(n.close))) {
          at.node = c;
          return at;
        }
        current = c;
        descended = true;
      } else {
        at.node = c;
        return at;
      }
      break;
    }
  }
  return at;
}

}  // namespace pmtalint::lsp
