#include "checks/lint.h"

#include <algorithm>

#include "checks/registry.h"

namespace pmtalint {

std::vector<Diagnostic> lint(const LoadResult& loaded, const LintOptions& options) {
  std::vector<Diagnostic> out = loaded.diagnostics;
  const CheckContext context{loaded.workspace, options.pmta_version};
  for (const Rule* rule : all_rules())
    if (rule->run) rule->run(context, out);
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.file != b.where.file) return a.where.file < b.where.file;
    return a.where.span.begin < b.where.span.begin;
  });
  return out;
}

}  // namespace pmtalint
