#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/suggest.h"

namespace pmtalint {
namespace {

const std::vector<std::string_view>& block_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& b : KnowledgeBase::get().blocks()) out.push_back(b.name);
    return out;
  }();
  return names;
}

void each_block(const CheckContext& ctx, uint32_t index, Findings& out) {
  const auto& kb = KnowledgeBase::get();
  const ModelBlock& b = ctx.model.block(index);
  const std::string_view name = ctx.model.written_name(b);
  const Location where = ctx.model.head(b);
  if (const BlockInfo* known = kb.block(name)) {
    if (known->since && ctx.pmta_version < *known->since)
      out.add(where, fmt::format("'<{}>' was introduced in PowerMTA {}; it is not available in {}", known->name,
                                 known->since->str(), ctx.pmta_version.str()));
    else if (known->removed && !(ctx.pmta_version < *known->removed))
      out.add(where, fmt::format("'<{}>' was removed in PowerMTA {}", known->name, known->removed->str()));
    return;
  }
  std::string message;
  if (const InventedLine* line = kb.invented(name, ctx.model.block(b.parent).kind, true)) {
    message = fmt::format("'<{}>' is not a PowerMTA block; use {} ({})", name, line->real, line->reason);
  } else if (auto guess = closest(name, block_names())) {
    message = fmt::format("'<{}>' is not a PowerMTA block; did you mean '<{}>'?", name, *guess);
  } else {
    message = fmt::format("'<{}>' is not a PowerMTA block", name);
  }
  out.add(where, std::move(message));
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
    .each_block = each_block,
};

}  // namespace pmtalint
