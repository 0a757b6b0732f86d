#pragma once
// The documentation page of a rule, in Markdown. `pmtalint explain SLUG` prints it and
// `pmtalint rules --write-docs docs/rules` writes one file per rule, so the two cannot drift.
#include <string>

#include "checks/rule.h"

namespace pmtalint {

std::string rule_markdown(const Rule& rule);

}  // namespace pmtalint
