#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/suggest.h"
#include "checks/rule_lines.h"

namespace pmtalint {
namespace {

std::string with_equivalent(std::string_view keyword, const InventedLine& line, std::string_view value) {
  if (line.real.starts_with('('))
    return fmt::format("'{}' is not a PowerMTA directive {}: {}", keyword, line.real, line.reason);
  return fmt::format("'{}' is not a PowerMTA directive; use {} ({})", keyword,
                     with_user_value(line.line, line.real, value), line.reason);
}

// Versions decide first: a real directive of another release is not a typo.
std::optional<std::string> version_message(const DirectiveInfo& d, PmtaVersion target) {
  if (d.since && target < *d.since)
    return fmt::format("'{}' was introduced in PowerMTA {}; it is not available in {}", d.name, d.since->str(), target.str());
  if (d.removed && !(target < *d.removed))
    return fmt::format("'{}' was removed in PowerMTA {}{}", d.name, d.removed->str(),
                       d.replacement ? fmt::format("; use {}", *d.replacement) : std::string());
  return std::nullopt;
}

const std::vector<std::string_view>& directive_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& d : KnowledgeBase::get().directives()) out.push_back(d.name);
    return out;
  }();
  return names;
}

void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  if (is_rule_line(ctx.model, md)) return;
  const Location at = ctx.model.keyword(md);
  if (md.info) {
    if (auto message = version_message(*md.info, ctx.pmta_version)) out.add(at, *message);
    return;
  }
  const auto& kb = KnowledgeBase::get();
  const std::string_view keyword = ctx.model.written_name(md);
  const std::string_view context = ctx.model.context(md);
  if (const InventedLine* line = kb.invented(keyword, context, false)) {
    out.add(at, with_equivalent(keyword, *line, ctx.model.value(md)));
    return;
  }
  std::vector<std::string_view> here;
  for (const auto& info : kb.directives())
    if (info.valid_in(context)) here.push_back(info.name);
  auto guess = closest(keyword, here);
  const bool in_context = guess.has_value();
  if (!guess) guess = closest(keyword, directive_names());
  Diagnostic& d = out.add(at, fmt::format("'{}' is not a PowerMTA directive", keyword));
  if (!guess) return;
  const DirectiveInfo* g = kb.directive(*guess);
  d.message += in_context ? fmt::format("; did you mean '{}'?", *guess)
                          : fmt::format("; did you mean '{}' (accepted {})?", *guess, describe_contexts(g->contexts));
  if (in_context) d.fix = Fix{fmt::format("replace with '{}'", *guess), {TextEdit{at, *guess}}, /*safe=*/false};
}

}  // namespace

extern const Rule kUnknownDirective{
    .code = "PMT0101",
    .slug = "unknown-directive",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A keyword PowerMTA does not have, or does not have in the selected version",
    .why = "PMTA refuses to start when it meets a keyword it does not know, and `pmta reload` keeps the "
           "old configuration. Web articles and generated configs are full of plausible inventions "
           "(`max-conn`, `smtp-auth`, `dkim-selector`). pmtalint names the real directive when the "
           "invention is a known one, otherwise the closest directive accepted in the same block. "
           "With `--pmta-version`, directives from later releases and removed ones are reported too.",
    .bad = "<domain *>\n    max-conn 80\n    max-smtp-outt 20\n</domain>\n",
    .good = "<domain *>\n    max-smtp-out 80\n</domain>\n",
    .each_directive = each_directive,
};

}  // namespace pmtalint
