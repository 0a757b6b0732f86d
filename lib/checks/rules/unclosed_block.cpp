#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kUnclosedBlock{
    .code = "PMT0002",
    .slug = slug::kUnclosedBlock,
    .severity = Severity::Error,
    .origin = RuleOrigin::Parser,
    .summary = "A block tag without its closing tag",
    .why = "Every `<name …>` needs a matching `</name>`. Without it PMTA rejects the file, or, when "
           "an outer block is closed first, the settings you meant for one block end up in another. "
           "The finding points at the opening tag and a note shows where the file or the enclosing "
           "block ended.",
    .bad = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n    <domain *>\n"
           "        max-smtp-out 5\n</virtual-mta>\n",
    .good = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n    <domain *>\n"
            "        max-smtp-out 5\n    </domain>\n</virtual-mta>\n",
};

}  // namespace pmtalint
