#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kIncludeError{
    .code = "PMT0006",
    .slug = slug::kIncludeError,
    .severity = Severity::Error,
    .origin = RuleOrigin::Parser,
    .summary = "An include that cannot be read: missing file, cycle, directory, special file or too deep",
    .why = "PMTA reads included files in place of the `include` line; when one is missing or unreadable "
           "PMTA does not start. A file that includes itself, directly or through others, never ends. "
           "Wildcards are expanded in sorted order and may match nothing, which is legal but usually a "
           "wrong path (a warning). Use `--root DIR` to lint a copy of `/etc/pmta` whose absolute "
           "include paths point into the real `/etc/pmta`. Notes show the chain of includes.",
    .bad = "include /etc/pmta/conf.d/*.conf\ninclude /etc/pmta/isp-rules.conf   # file was renamed\n",
    .good = "include /etc/pmta/conf.d/*.conf\ninclude /etc/pmta/isp.conf\n",
};

}  // namespace pmtalint
