#include "checks/lint.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "checks/registry.h"
#include "checks/rules/incomplete_configuration.h"

namespace pmtalint {
namespace {

// Every rule over one configuration: whole-model checks first, then one pass over the blocks
// and one over the directives that feeds every per-node check.
std::vector<Diagnostic> check(const CheckContext& context, WithheldClaims& withheld, const std::function<bool()>& interrupted,
                              bool& stopped) {
  const Model& model = context.model;
  const auto stop = [&] { return stopped || (interrupted && (stopped = interrupted())); };
  std::vector<Diagnostic> found;
  const auto rules = all_rules();
  std::vector<Findings> sinks;
  sinks.reserve(rules.size());
  for (const Rule* rule : rules) sinks.emplace_back(*rule, model, found, withheld);
  for (size_t r = 0; r < rules.size(); ++r)
    if (rules[r]->run && !stop()) rules[r]->run(context, sinks[r]);
  if (stop()) return found;
  for (uint32_t b = 1; b < model.blocks().size(); ++b)
    for (size_t r = 0; r < rules.size(); ++r)
      if (rules[r]->each_block) rules[r]->each_block(context, b, sinks[r]);
  if (stop()) return found;
  for (const ModelDirective& d : model.directives())
    for (size_t r = 0; r < rules.size(); ++r)
      if (rules[r]->each_directive) rules[r]->each_directive(context, d, sinks[r]);
  if (stop()) return found;
  Findings incomplete(kIncompleteConfiguration, model, found, withheld);
  report_incomplete(context, withheld, incomplete);
  return found;
}

// Files in PMTA's reading order, configuration by configuration (taken by the path of their
// main file), so that the report does not depend on the order the files were named in.
std::vector<uint32_t> reading_rank(const Workspace& ws, const std::vector<Model>& configurations) {
  std::vector<const Model*> by_path;
  for (const Model& m : configurations) by_path.push_back(&m);
  std::sort(by_path.begin(), by_path.end(), [&](const Model* a, const Model* b) {
    return ws.file(a->roots().front()).path() < ws.file(b->roots().front()).path();
  });
  std::vector<uint32_t> rank(ws.size(), UINT32_MAX);
  uint32_t next = 0;
  for (const Model* m : by_path)
    for (const FileId f : m->files())
      if (rank[f] == UINT32_MAX) rank[f] = next++;
  std::vector<FileId> rest;
  for (FileId f = 0; f < ws.size(); ++f)
    if (rank[f] == UINT32_MAX) rest.push_back(f);
  std::sort(rest.begin(), rest.end(), [&](FileId a, FileId b) { return ws.file(a).path() < ws.file(b).path(); });
  for (const FileId f : rest) rank[f] = next++;
  return rank;
}

}  // namespace

LintResult lint(const LoadResult& loaded, const std::vector<Model>& configurations, const LintOptions& options) {
  LintResult result;
  std::vector<Diagnostic>& out = result.diagnostics;
  out = loaded.diagnostics;
  // A file shared by several configurations (a common include) is reported once.
  using Key = std::tuple<std::string_view, FileId, uint32_t, uint32_t, std::string>;
  std::set<Key> seen;
  for (const Model& model : configurations) {
    DomainSettings domain_settings(model);
    const CheckContext context{loaded.workspace, model,         options.pmta_version, options.root,
                               options.resolver, options.main, domain_settings};
    WithheldClaims withheld;
    std::vector<Diagnostic> found = check(context, withheld, options.interrupted, result.interrupted);
    if (result.interrupted) return result;
    for (Diagnostic& d : found)
      if (configurations.size() == 1 || seen.emplace(d.rule, d.where.file, d.where.span.begin, d.where.span.end, d.message).second)
        out.push_back(std::move(d));
    for (WithheldClaim& w : withheld) result.withheld.push_back(std::move(w.claim));
  }
  const std::vector<uint32_t> rank = reading_rank(loaded.workspace, configurations);
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.file != b.where.file) return rank[a.where.file] < rank[b.where.file];
    return a.where.span.begin < b.where.span.begin;
  });
  return result;
}

}  // namespace pmtalint
