#pragma once
#include <span>
#include <string_view>

#include "checks/rule.h"

namespace pmtalint {

// Every rule, in code order. Adding a rule = its file, its test, and one line in registry.cpp.
std::span<const Rule* const> all_rules();
const Rule* find_rule(std::string_view slug_or_code);

}  // namespace pmtalint
