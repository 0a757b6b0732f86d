#pragma once
// Inline suppressions, written as comments:
//   max-conn 80   # pmtalint: disable=unknown-directive -- kept for the old relay, ticket 42
//   # pmtalint: disable=wrong-context -- …        (alone: the next directive or whole block)
//   # pmtalint: disable-file=deprecated -- …      (anywhere: the whole file)
// A suppression without a reason, naming an unknown rule, or matching nothing is reported,
// so suppressions cannot silently rot (like ruff's RUF100).
#include <vector>

#include "base/diagnostic.h"
#include "syntax/workspace.h"

namespace pmtalint {

struct SuppressionResult {
  std::vector<Diagnostic> kept;  // findings not suppressed, plus findings about suppressions
  size_t suppressed = 0;
};

// `withheld`: findings not made because part of the configuration was not read; suppressions
// that cover them count as used.
SuppressionResult apply_suppressions(const Workspace& workspace, std::vector<Diagnostic> diagnostics,
                                     const std::vector<Diagnostic>& withheld = {});

}  // namespace pmtalint
