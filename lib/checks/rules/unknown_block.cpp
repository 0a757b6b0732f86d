#include <fmt/format.h>

#include "checks/rule.h"
#include "checks/suggest.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  std::vector<std::string_view> names;
  for (const auto& b : kb.blocks()) names.push_back(b.name);
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    if (v.node.kind != NodeKind::Block) return;
    const std::string_view name = v.name();
    const Location where = v.at(v.node.head);
    if (const BlockInfo* known = kb.block(name)) {
      if (known->since && ctx.pmta_version < *known->since)
        out.push_back({"unknown-block", Severity::Error, where,
                       fmt::format("'<{}>' was introduced in PowerMTA {}; it is not available in {}", known->name,
                                   known->since->str(), ctx.pmta_version.str()), {}, {}});
      else if (known->removed && !(ctx.pmta_version < *known->removed))
        out.push_back({"unknown-block", Severity::Error, where,
                       fmt::format("'<{}>' was removed in PowerMTA {}", known->name, known->removed->str()), {}, {}});
      return;
    }
    Diagnostic d{"unknown-block", Severity::Error, where, {}, {}, {}};
    if (const InventedLine* line = kb.invented(name, v.context, true)) {
      d.message = fmt::format("'<{}>' is not a PowerMTA block; use {} ({})", name, line->real, line->reason);
    } else if (auto guess = closest(name, names)) {
      d.message = fmt::format("'<{}>' is not a PowerMTA block; did you mean '<{}>'?", name, *guess);
    } else {
      d.message = fmt::format("'<{}>' is not a PowerMTA block", name);
    }
    out.push_back(std::move(d));
  });
}

}  // namespace

extern const Rule kUnknownBlock{
    .code = "PMT0102",
    .slug = "unknown-block",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A block tag PowerMTA does not have",
    .why = "PMTA knows a fixed set of blocks (`<domain>`, `<virtual-mta>`, `<source>`, …). Tags such as "
           "`<sender>`, `<limits>` or `<vmta>` come from articles that never ran PMTA, and the whole file "
           "is rejected. The finding names what the invented block was trying to do in PMTA terms. "
           "Directives inside an unknown block are still checked for unknown keywords.",
    .bad = "<sender news@example.com>\n    max-msg-rate 100/h\n</sender>\n",
    .good = "<pattern-list by-sender>\n    mail-from /^news@example\\.com$/ virtual-mta=news\n</pattern-list>\n",
    .run = run,
};

}  // namespace pmtalint
