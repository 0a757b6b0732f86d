#include <fmt/format.h>

#include <unordered_map>

#include "base/text.h"
#include "checks/rule.h"

namespace pmtalint {
namespace {

// Per block: the block's own directives (from every file it spans) are all in the model.
void each_block_or_top(const Model& model, uint32_t index, Findings& out) {
  const ModelBlock& b = model.block(index);
  if (!b.known) return;
  if (const BlockInfo* block = KnowledgeBase::get().block(b.kind); block && block->line_syntax) return;
  std::unordered_map<const DirectiveInfo*, const ModelDirective*> first;
  for (const uint32_t i : b.directives) {
    const ModelDirective& md = model.directives()[i];
    const DirectiveInfo* d = md.info;
    if (!d || d->repeatable || !d->valid_in(b.kind) || model.node(md).foreign != Foreign::None) continue;
    auto [it, inserted] = first.try_emplace(d, &md);
    if (inserted) continue;
    Diagnostic& diag = out.add(model.where(md),
                               fmt::format("'{}' is already set in this block; only one of the values takes effect", d->name));
    diag.notes.push_back({model.where(*it->second), "first set here"});
  }
}

void run(const CheckContext& ctx, Findings& out) {
  for (uint32_t b = 0; b < ctx.model.blocks().size(); ++b) each_block_or_top(ctx.model, b, out);
}

}  // namespace

extern const Rule kDuplicateDirective{
    .code = "PMT0106",
    .slug = "duplicate-directive",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A single-valued directive given twice in the same block",
    .why = "Most directives hold one value per block; when one is written twice, only one of the values "
           "is used, and which one is not what the reader of the file expects. The usual cause is a "
           "block edited by several people or assembled from snippets. Directives that add to a list "
           "(`smtp-source-host`, `domain-key`, `include`, `postmaster`, …) may repeat.",
    .bad = "<domain gmail.com>\n    max-smtp-out 10\n    max-msg-rate 100/h\n    max-smtp-out 20\n</domain>\n",
    .good = "<domain gmail.com>\n    max-smtp-out 20\n    max-msg-rate 100/h\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
