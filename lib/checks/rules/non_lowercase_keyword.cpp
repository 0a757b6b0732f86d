#include <fmt/format.h>

#include "checks/rule.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    const std::string_view name = v.name();
    if (!has_upper(name) || is_rule_line(v)) return;
    const bool known = v.node.kind == NodeKind::Block ? kb.block(name) != nullptr : kb.directive(name) != nullptr;
    if (!known) return;
    const std::string lower = to_lower(name);
    Diagnostic d{"non-lowercase-keyword", Severity::Info, v.at(v.node.name),
                 fmt::format("'{}' works (keywords ignore case) but is written '{}' everywhere else", name, lower),
                 {}, {}};
    d.fix = Fix{fmt::format("write '{}'", lower), {TextEdit{v.at(v.node.name), lower}}};
    if (v.node.kind == NodeKind::Block && !v.node.close.empty()) {
      const std::string_view close = v.tree.text(v.node.close);
      const size_t at = close.find(name.size() ? name.front() : '\0', 2);
      if (at != std::string_view::npos && iequals(close.substr(at, name.size()), name))
        d.fix->edits.push_back({v.at({v.node.close.begin + static_cast<uint32_t>(at),
                                      v.node.close.begin + static_cast<uint32_t>(at + name.size())}), lower});
    }
    out.push_back(std::move(d));
  });
}

}  // namespace

extern const Rule kNonLowercaseKeyword{
    .code = "PMT0107",
    .slug = "non-lowercase-keyword",
    .severity = Severity::Info,
    .origin = RuleOrigin::Check,
    .summary = "A keyword or tag written with capitals",
    .why = "PMTA matches keywords without regard to case, so `Pickup` and `<Domain *>` work. Every "
           "document and example writes them in lower case, though, and mixed spellings make a "
           "configuration hard to search (`grep max-smtp-out` misses `Max-SMTP-Out`). The fix lower-cases "
           "the keyword, and both tags of a block.",
    .bad = "<Domain *>\n    Max-SMTP-Out 20\n</Domain>\n",
    .good = "<domain *>\n    max-smtp-out 20\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
