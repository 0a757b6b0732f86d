#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kMismatchedCloseTag{
    .code = "PMT0003",
    .slug = slug::kMismatchedCloseTag,
    .severity = Severity::Error,
    .origin = RuleOrigin::Parser,
    .summary = "A closing tag that does not match the block it closes",
    .why = "A closing tag must repeat the name of the innermost open block. A misspelt closing tag "
           "(`</domian>`) or one naming a different argument than the opening tag makes PMTA reject "
           "the file. The finding points at the closing tag and a note at the opening one; pmtalint "
           "assumes the innermost block was meant and goes on checking.",
    .bad = "<domain yahoo.com>\n    max-smtp-out 8\n</domian>\n",
    .good = "<domain yahoo.com>\n    max-smtp-out 8\n</domain>\n",
};

}  // namespace pmtalint
