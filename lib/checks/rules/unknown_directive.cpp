#include <fmt/format.h>

#include "checks/rule.h"
#include "checks/suggest.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

std::string with_equivalent(std::string_view keyword, const InventedLine& line) {
  if (line.real.starts_with('('))
    return fmt::format("'{}' is not a PowerMTA directive {}: {}", keyword, line.real, line.reason);
  return fmt::format("'{}' is not a PowerMTA directive; use {} ({})", keyword, line.real, line.reason);
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

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  std::vector<std::string_view> all;
  for (const auto& d : kb.directives()) all.push_back(d.name);
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    if (v.node.kind != NodeKind::Directive || is_rule_line(v)) return;
    const std::string_view keyword = v.name();
    if (const DirectiveInfo* known = kb.directive(keyword)) {
      if (auto message = version_message(*known, ctx.pmta_version))
        out.push_back({"unknown-directive", Severity::Error, v.at(v.node.name), *message, {}, {}});
      return;
    }
    Diagnostic d{"unknown-directive", Severity::Error, v.at(v.node.name), {}, {}, {}};
    if (const InventedLine* line = kb.invented(keyword, v.context, false)) {
      d.message = with_equivalent(keyword, *line);
    } else {
      std::vector<std::string_view> here;
      for (const auto& info : kb.directives())
        if (info.valid_in(v.context)) here.push_back(info.name);
      auto guess = closest(keyword, here);
      const bool in_context = guess.has_value();
      if (!guess) guess = closest(keyword, all);
      d.message = fmt::format("'{}' is not a PowerMTA directive", keyword);
      if (guess) {
        const DirectiveInfo* g = kb.directive(*guess);
        d.message += in_context ? fmt::format("; did you mean '{}'?", *guess)
                                : fmt::format("; did you mean '{}' (accepted {})?", *guess, describe_contexts(g->contexts));
        if (in_context) d.fix = Fix{fmt::format("replace with '{}'", *guess), {TextEdit{v.at(v.node.name), *guess}}};
      }
    }
    out.push_back(std::move(d));
  });
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
    .run = run,
};

}  // namespace pmtalint
