#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace pmtalint {

struct Summary {
  size_t files = 0;
  size_t errors = 0;
  size_t warnings = 0;
  size_t infos = 0;
  size_t suppressed = 0;  // silenced inline or by a baseline
  std::vector<std::string> notices;  // e.g. security rules the project configuration lowered
};

Summary summarize(const std::vector<Diagnostic>& diagnostics, size_t files);

}  // namespace pmtalint
