#include <fmt/format.h>

#include <unordered_map>

#include "checks/rule.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  struct First {
    Location where;
  };
  std::unordered_map<std::string, First> seen;  // key: scope + canonical name
  walk(ctx.workspace, [&](const Visit& v) {
    if (v.node.kind != NodeKind::Directive || v.node.foreign != Foreign::None) return;
    const DirectiveInfo* d = kb.directive(v.name());
    if (!d || d->repeatable || !d->valid_in(v.context)) return;
    if (const BlockInfo* block = kb.block(v.context); block && block->line_syntax) return;
    std::string key = fmt::format("{}:{}", v.scope, d->name);
    auto [it, inserted] = seen.try_emplace(std::move(key), First{v.at(v.node.head)});
    if (inserted) return;
    Diagnostic diag{"duplicate-directive", Severity::Warning, v.at(v.node.head),
                    fmt::format("'{}' is already set in this block; only one of the values takes effect", d->name),
                    {}, {}};
    diag.notes.push_back({it->second.where, "first set here"});
    out.push_back(std::move(diag));
  });
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
