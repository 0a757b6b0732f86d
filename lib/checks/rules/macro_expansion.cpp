#include <fmt/format.h>
#include <fmt/ranges.h>

#include <utility>

#include "checks/rule.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, Findings& out) {
  bool said_too_deep = false;  // a chain of thousands of definitions would say it at each
  for (const MacroProblem& p : ctx.model.macro_problems()) {
    if (p.kind == MacroProblem::Kind::Loop)
      out.add(Severity::Error, p.where,
                     fmt::format("domain-macro {} refers back to itself ({}); PMTA refuses to start with a macro loop",
                                 p.name, fmt::format("${}", fmt::join(p.chain, " → $"))));
    else if (p.kind == MacroProblem::Kind::TooLarge)
      out.add(Severity::Error, p.where,
                     fmt::format("expanding ${} here gives more than {} domain names (or {} MiB of them); pmtalint "
                                 "stops there, and PMTA would build that many queues — use fewer macros or a wildcard",
                                 p.name, Model::kMaxExpansion, Model::kMaxExpansionBytes >> 20));
    else if (p.kind == MacroProblem::Kind::TooDeep && !std::exchange(said_too_deep, true))
      out.add(Severity::Warning, p.where,
              fmt::format("expanding ${} here goes through more than {} macros defined by one another; pmtalint "
                          "expands no further there, so the domains of the deeper macros are not checked",
                          p.name, Model::kMaxMacroDepth));
    else if (p.kind == MacroProblem::Kind::OverBudget)
      out.add(Severity::Error, p.where,
                     fmt::format("the domain macros of this configuration expand to more than {} <domain> blocks "
                                 "(or {} MiB of names) in all; pmtalint expands no further from here on, so settings "
                                 "from the remaining macro blocks are not checked",
                                 Model::kMaxDomainEntries, Model::kMaxExpandedBytes >> 20));
  }
}

}  // namespace

extern const Rule kMacroExpansion{
    .code = "PMT0205",
    .slug = "macro-expansion",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A domain macro that refers back to itself, or expands to an unreasonable number of domains",
    .why = "A domain-macro may use other macros (`domain-macro big $small, example.org`), and a <domain> "
           "argument that uses several macros expands to every combination of their values. A macro that "
           "reaches itself through such references can never be expanded and stops PMTA at start-up. A "
           "combination of large macros can also multiply into tens of thousands of <domain> blocks, each a "
           "queue set-up PMTA has to hold; pmtalint stops at 10 000 names and reports it.",
    .bad = "domain-macro a $b, example.com\ndomain-macro b $a\n",
    .good = "domain-macro b example.net\ndomain-macro a $b, example.com\n",
    .run = run,
};

}  // namespace pmtalint
