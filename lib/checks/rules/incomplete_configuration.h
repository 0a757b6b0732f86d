#pragma once
// Says, once per gap, which claims of absence were not made because part of the configuration
// was not read (a fragment linted without its main file, an include that could not be read).
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kIncompleteConfiguration;

void report_incomplete(const Model& model, const SkippedClaims& skipped, Findings& out);

}  // namespace pmtalint
