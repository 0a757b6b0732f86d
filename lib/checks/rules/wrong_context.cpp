#include <fmt/format.h>

#include <algorithm>

#include "checks/rule.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

// Whether the block around this directive has a nested <domain> (then the author already
// separates the VMTA-wide cap from per-queue limits).
bool has_domain_block(const Visit& v) {
  bool found = false;
  if (v.node.parent == kNoNode) return false;
  v.tree.for_each_child(v.node.parent, [&](NodeId child) {
    found |= v.tree.node(child).kind == NodeKind::Block && iequals(v.tree.name(child), "domain");
  });
  return found;
}

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    if (!v.context_known) return;
    const std::string_view name = v.name();
    if (v.node.kind == NodeKind::Block) {
      const BlockInfo* block = kb.block(name);
      if (!block || std::find(block->parents.begin(), block->parents.end(), v.context) != block->parents.end()) return;
      out.push_back({"wrong-context", Severity::Error, v.at(v.node.head),
                     fmt::format("'<{}>' is not accepted {}; it belongs {}", block->name, describe_context(v.context),
                                 describe_contexts(block->parents)), {}, {}});
      return;
    }
    if (v.node.kind != NodeKind::Directive || is_rule_line(v)) return;
    const DirectiveInfo* d = kb.directive(name);
    if (!d) return;
    if (d->valid_in(v.context)) {
      if (d->name == "max-smtp-out" && v.context == "virtual-mta" && !has_domain_block(v))
        out.push_back({"wrong-context", Severity::Info, v.at(v.node.name),
                       "inside <virtual-mta>, max-smtp-out caps the connections of all the VMTA's queues together; "
                       "a per-destination limit belongs in a nested <domain> block",
                       {}, {}});
      return;
    }
    std::string message = fmt::format("'{}' is not accepted {}; it belongs {}", d->name, describe_context(v.context),
                                      describe_contexts(d->contexts));
    if (const InventedLine* line = kb.invented(name, v.context, false); line && line->context == v.context)
      message += fmt::format(" (use {})", line->real);
    out.push_back({"wrong-context", Severity::Error, v.at(v.node.name), std::move(message), {}, {}});
  });
}

}  // namespace

extern const Rule kWrongContext{
    .code = "PMT0103",
    .slug = "wrong-context",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A real directive or block in a place where PowerMTA does not accept it",
    .why = "Each PMTA directive belongs to particular blocks: queue limits such as `max-msg-rate` live in "
           "`<domain>`, relaying rules in `<source>`, passwords in `<smtp-user>`. Written elsewhere, PMTA "
           "rejects the line instead of applying it where the author hoped. The message says where the "
           "directive is accepted.",
    .bad = "use-starttls yes\nmax-msg-rate 500/h\n",
    .good = "<domain *>\n    use-starttls yes\n    max-msg-rate 500/h\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
