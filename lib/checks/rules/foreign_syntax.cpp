#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kForeignSyntax{
    .code = "PMT0005",
    .slug = slug::kForeignSyntax,
    .severity = Severity::Error,
    .origin = RuleOrigin::Parser,
    .summary = "Syntax from another format: key = value, key: value, { } blocks, trailing ';', XML elements",
    .why = "Many configurations copied from the web are written as if PMTA read INI, YAML, nginx or "
           "XML files. PMTA has one form only: a keyword, blanks, and the value on one line, and blocks "
           "opened by `<name argument>` and closed by `</name>` on lines of their own. Such lines make "
           "PMTA refuse the whole file. pmtalint reads them as the PMTA line they resemble, so the "
           "keyword itself is still checked.",
    .bad = "max-smtp-out = 20;\nsmtp-listener {\n    port: 25\n}\n<max-cpu-usage>90</max-cpu-usage>\n",
    .good = "<domain *>\n    max-smtp-out 20\n</domain>\nsmtp-listener 0/0:25\n",
};

}  // namespace pmtalint
