#include "report/summary.h"

namespace pmtalint {

Summary summarize(const std::vector<Diagnostic>& diagnostics, size_t files) {
  Summary s;
  s.files = files;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::Error) ++s.errors;
    else if (d.severity == Severity::Warning) ++s.warnings;
    else ++s.infos;
  }
  return s;
}

}  // namespace pmtalint
