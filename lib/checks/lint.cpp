#include "checks/lint.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "checks/registry.h"

namespace pmtalint {

std::vector<Diagnostic> lint(const LoadResult& loaded, const LintOptions& options) {
  std::vector<Diagnostic> out = loaded.diagnostics;
  const std::vector<Model> configurations = pmtalint::configurations(loaded.workspace);
  // A file shared by several configurations (a common include) is reported once.
  using Key = std::tuple<std::string_view, FileId, uint32_t, uint32_t, std::string>;
  std::set<Key> seen;
  for (const Model& model : configurations) {
    const CheckContext context{loaded.workspace, model, options.pmta_version, options.root, options.resolver};
    std::vector<Diagnostic> found;
    for (const Rule* rule : all_rules())
      if (rule->run) rule->run(context, found);
    for (Diagnostic& d : found)
      if (configurations.size() == 1 || seen.emplace(d.rule, d.where.file, d.where.span.begin, d.where.span.end, d.message).second)
        out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.file != b.where.file) return a.where.file < b.where.file;
    return a.where.span.begin < b.where.span.begin;
  });
  return out;
}

}  // namespace pmtalint
