#include "report/rule_docs.h"

#include <fmt/format.h>

namespace pmtalint {
namespace {

std::string fenced(std::string_view text) { return fmt::format("```\n{}{}```\n", text, text.ends_with('\n') ? "" : "\n"); }

}  // namespace

std::string rule_markdown(const Rule& rule) {
  std::string page = fmt::format("# {} ({})\n\n{}.\n\nDefault severity: **{}**.\n\n## Why this matters\n\n{}\n\n",
                                 rule.slug, rule.code, rule.summary, severity_name(rule.severity), rule.why);
  page += "## Example that triggers it\n\n" + fenced(rule.bad) + "\n## Written correctly\n\n" + fenced(rule.good) + "\n";
  page += "## Suppressing it\n\n";
  if (!rule.suppressible)
    page += "This rule cannot be suppressed inline. Lower it only in `.pmtalint.toml`; the summary then says so.\n";
  else if (rule.origin == RuleOrigin::Suppressions)
    page += "Fix or remove the suppression comment it points at.\n";
  else
    page += fmt::format("On the line, or alone on the line before a directive or block:\n\n"
                        "```\n# pmtalint: disable={} -- the reason this is fine here\n```\n\n"
                        "For a whole file use `disable-file={}`, and to turn the rule off for a project use "
                        "`.pmtalint.toml`.\n",
                        rule.slug, rule.slug);
  return page;
}

}  // namespace pmtalint
