#pragma once
// Says, once per gap and file, which claims of absence were withheld because part of the
// configuration was not read (a fragment linted without its main file, an include that could
// not be read, includes past the model's budget).
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kIncompleteConfiguration;

void report_incomplete(const CheckContext& ctx, const WithheldClaims& withheld, Findings& out);

}  // namespace pmtalint
