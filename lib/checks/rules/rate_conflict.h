#pragma once
// rate-conflict has two halves: limits across <domain> blocks (rate_conflict.cpp) and reply or
// pattern rules shadowed by an earlier, broader rule (rate_conflict_patterns.cpp).
#include <vector>

#include "checks/rule.h"
#include "model/model.h"

namespace pmtalint {

void find_shadowed_patterns(const Model& model, Findings& out);

}  // namespace pmtalint
