#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kSyntaxError{
    .code = "PMT0001",
    .slug = slug::kSyntaxError,
    .severity = Severity::Error,
    .origin = RuleOrigin::Parser,
    .summary = "A line PMTA cannot read: malformed tag, unterminated quote, or bytes that are not text",
    .why = "PMTA refuses to start, or `pmta reload` keeps the old configuration, when a line cannot be "
           "read at all. Typical causes are a tag missing its `>`, a quoted value without its closing "
           "quote (note that `#` starts a comment even inside quotes, so a password or template "
           "containing `#` is cut short), control characters or invalid UTF-8 pasted from another "
           "program, and a tag followed by more text on the same line. The parser reports the problem "
           "and carries on, so every later problem in the file is still found.",
    .bad = "<domain gmail.com\n    max-smtp-out 10\n</domain>\n",
    .good = "<domain gmail.com>\n    max-smtp-out 10\n</domain>\n",
};

}  // namespace pmtalint
