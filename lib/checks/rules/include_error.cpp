#include <fmt/format.h>

#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {
namespace {

// Unreadable includes are the loader's findings; the model adds the includes it read once only.
void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  for (const RepeatedInclude& r : model.repeated_includes()) {
    Diagnostic& d = out.add(Severity::Warning, r.where,
                            fmt::format("'{}' is already included into this block; including it again repeats every "
                                        "line it holds there (each definition twice), so it is read once",
                                        r.path));
    d.notes.push_back({r.first, "first included here"});
  }
}

}  // namespace

extern const Rule kIncludeError{
    .code = "PMT0006",
    .slug = slug::kIncludeError,
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "An include that cannot be read (missing, a cycle, a directory, special file, key material, too deep) or repeats a file",
    .why = "PMTA reads included files in place of the `include` line; when one is missing or unreadable "
           "PMTA does not start. A file that includes itself, directly or through others, never ends. "
           "Wildcards are expanded in sorted order and may match nothing, which is legal but usually a "
           "wrong path (a warning). A file included twice into the same block repeats everything it "
           "holds there (a warning; it is read once). A key or certificate is never configuration and is "
           "not read. Use `--root DIR` to lint a copy of `/etc/pmta` whose absolute include paths point "
           "into the real `/etc/pmta`. Notes show the chain of includes, and the other lines that include "
           "a file that cannot be read.",
    .bad = "include /etc/pmta/conf.d/*.conf\ninclude /etc/pmta/isp-rules.conf   # file was renamed\n",
    .good = "include /etc/pmta/conf.d/*.conf\ninclude /etc/pmta/isp.conf\n",
    .run = run,
};

}  // namespace pmtalint
