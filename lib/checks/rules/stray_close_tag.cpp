#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kStrayCloseTag{
    .code = "PMT0004",
    .slug = slug::kStrayCloseTag,
    .severity = Severity::Error,
    .origin = RuleOrigin::Parser,
    .summary = "A closing tag with no open block of that name",
    .why = "A `</name>` that closes nothing is usually left over from a block that was deleted or "
           "commented out only in part (`#<domain x>` without `#</domain>`). PMTA rejects it. The "
           "tag is ignored for the rest of the analysis, so the blocks around it keep their shape.",
    .bad = "#<domain hotmail.com>\n#    max-smtp-out 5\n</domain>\n",
    .good = "#<domain hotmail.com>\n#    max-smtp-out 5\n#</domain>\n",
};

}  // namespace pmtalint
