#include <fmt/format.h>
#include <iostream>

#include "base/text.h"
#include "checks/registry.h"
#include "commands.h"

namespace pmtalint::cli {

int run_rules() {
  for (const Rule* rule : all_rules())
    std::cout << fmt::format("{:<8} {:<22} {:<8} {}\n", rule->code, rule->slug, severity_name(rule->severity),
                             rule->summary);
  return kExitClean;
}

namespace {

void indented(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::cout << "    " << text.substr(start, end - start) << '\n';
    start = end + 1;
  }
}

}  // namespace

int run_explain(const std::string& topic) {
  const Rule* rule = find_rule(topic);
  if (!rule) {
    std::cerr << fmt::format("pmtalint: no rule named '{}' (see 'pmtalint rules')\n", topic);
    return kExitFailure;
  }
  std::cout << fmt::format("{} ({}), default severity {}\n\n{}.\n\n{}\n\nExample that triggers it:\n\n", rule->slug,
                           rule->code, severity_name(rule->severity), rule->summary, rule->why);
  indented(rule->bad);
  std::cout << "\nWritten correctly:\n\n";
  indented(rule->good);
  return kExitClean;
}

}  // namespace pmtalint::cli
