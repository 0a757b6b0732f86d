#include <fmt/format.h>

#include <unordered_map>

#include "checks/rule.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  struct Key {
    uint64_t scope;
    const DirectiveInfo* directive;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return std::hash<uint64_t>{}(k.scope) ^ std::hash<const void*>{}(k.directive); }
  };
  std::unordered_map<Key, Location, KeyHash> seen;  // first occurrence per block and directive
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    if (v.node.kind != NodeKind::Directive || v.node.foreign != Foreign::None) return;
    const DirectiveInfo* d = kb.directive(v.name());
    if (!d || d->repeatable || !d->valid_in(v.context)) return;
    if (const BlockInfo* block = kb.block(v.context); block && block->line_syntax) return;
    auto [it, inserted] = seen.try_emplace(Key{v.scope, d}, v.at(v.node.head));
    if (inserted) return;
    Diagnostic diag{"duplicate-directive", Severity::Warning, v.at(v.node.head),
                    fmt::format("'{}' is already set in this block; only one of the values takes effect", d->name),
                    {}, {}};
    diag.notes.push_back({it->second, "first set here"});
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
