#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/rule_lines.h"
#include "checks/suggest.h"

namespace pmtalint {
namespace {

// Whether the block has a nested <domain>, in any file (then the author already separates the
// VMTA-wide cap from per-queue limits).
bool has_domain_block(const Model& model, uint32_t block) {
  for (const uint32_t child : model.block(block).children)
    if (model.block(child).kind == "domain") return true;
  return false;
}

void each_block(const CheckContext& ctx, uint32_t index, Findings& out) {
  const Model& model = ctx.model;
  const ModelBlock& b = model.block(index);
  const ModelBlock& parent = model.block(b.parent);
  if (!parent.known) return;
  const BlockInfo* block = KnowledgeBase::get().block(b.kind);
  if (!block || std::find(block->parents.begin(), block->parents.end(), parent.kind) != block->parents.end()) return;
  out.add(model.head(b), fmt::format("'<{}>' is not accepted {}; it belongs {}", block->name, describe_context(parent.kind),
                                     describe_contexts(block->parents)));
}

void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  const Model& model = ctx.model;
  const DirectiveInfo* d = md.info;
  if (!d || !model.context_known(md) || is_rule_line(model, md)) return;
  const std::string_view context = model.context(md);
  if (d->valid_in(context)) {
    if (d->name == "max-smtp-out" && context == "virtual-mta" && !has_domain_block(model, md.block))
      out.add(Severity::Info, model.keyword(md),
              "inside <virtual-mta>, max-smtp-out caps the connections of all the VMTA's queues together; "
              "a per-destination limit belongs in a nested <domain> block");
    return;
  }
  std::string message = fmt::format("'{}' is not accepted {}; it belongs {}", d->name, describe_context(context),
                                    describe_contexts(d->contexts));
  if (const InventedLine* line = KnowledgeBase::get().invented(model.written_name(md), context, false);
      line && line->context == context)
    message += fmt::format(" (use {})", with_user_value(line->line, line->real, model.value(md)));
  out.add(model.keyword(md), std::move(message));
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
    .each_directive = each_directive,
    .each_block = each_block,
};

}  // namespace pmtalint
