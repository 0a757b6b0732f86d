#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kUnusedSuppression{
    .code = "PMT0901",
    .slug = slug::kUnusedSuppression,
    .severity = Severity::Warning,
    .origin = RuleOrigin::Suppressions,
    .summary = "A suppression comment that silences nothing, names no rule, or names one that cannot be silenced",
    .why = "A `# pmtalint: disable=…` comment that no longer matches a finding hides the next real problem "
           "on that line, and one naming a misspelt rule never worked. Security rules cannot be silenced "
           "inline at all; lowering them belongs in the project configuration where it is visible. Remove "
           "or correct the comment.",
    .bad = "max-smtp-out 20   # pmtalint: disable=unknown-directive -- legacy\n",
    .good = "max-smtp-out 20\n",
};

}  // namespace pmtalint
