#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kSuppressionWithoutReason{
    .code = "PMT0902",
    .slug = slug::kSuppressionWithoutReason,
    .severity = Severity::Warning,
    .origin = RuleOrigin::Suppressions,
    .summary = "A suppression comment without '-- reason'",
    .why = "Whoever reads the configuration next needs to know why a finding was accepted, or the "
           "suppression outlives its reason. Write the reason after two dashes; the suppression still "
           "takes effect, and this warning goes away.",
    .bad = "<domain *>\n    max-conn 80   # pmtalint: disable=unknown-directive\n</domain>\n",
    .good = "<domain *>\n    max-conn 80   # pmtalint: disable=unknown-directive -- read by our wrapper, removed before deploy\n</domain>\n",
};

}  // namespace pmtalint
