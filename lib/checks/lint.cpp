#include "checks/lint.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

#include "checks/registry.h"
#include "checks/rules/incomplete_configuration.h"
#include "checks/task_runner.h"

namespace pmtalint {
namespace {

// One piece of the checks of a configuration: a rule's whole-model check, or every per-node
// check over a range of blocks or directives.
struct Piece {
  enum Kind : uint8_t { Whole, Blocks, Directives } kind;
  size_t rule = 0;  // Whole
  uint32_t begin = 0, end = 0;  // Blocks, Directives
};

struct PieceOutput {
  std::vector<Diagnostic> found;
  WithheldClaims withheld;
};

// Whole-model checks in registry order, then the blocks, then the directives, each pass
// feeding every per-node check: the order findings are listed in (before sorting by position,
// which keeps it for ties). Node passes are cut into ranges so that threads share them evenly.
std::vector<Piece> pieces_of(std::span<const Rule* const> rules, const Model& model, unsigned threads) {
  std::vector<Piece> pieces;
  for (size_t r = 0; r < rules.size(); ++r)
    if (rules[r]->run) pieces.push_back({Piece::Whole, r});
  const auto cut = [&](Piece::Kind kind, uint32_t begin, uint32_t end) {
    const uint32_t parts = threads == 1 ? 1 : threads * 8;
    const uint32_t step = std::max<uint32_t>(1, (end - begin + parts - 1) / parts);
    for (uint32_t b = begin; b < end; b += step) pieces.push_back({kind, 0, b, std::min(end, b + step)});
  };
  cut(Piece::Blocks, 1, static_cast<uint32_t>(model.blocks().size()));
  cut(Piece::Directives, 0, static_cast<uint32_t>(model.directives().size()));
  return pieces;
}

void check_piece(const CheckContext& context, std::span<const Rule* const> rules, const Piece& piece, PieceOutput& out) {
  const Model& model = context.model;
  if (piece.kind == Piece::Whole) {
    Findings sink(*rules[piece.rule], model, out.found, out.withheld);
    rules[piece.rule]->run(context, sink);
    return;
  }
  // Only the rules with a check for this kind of node, so the inner loop tests nothing.
  std::vector<Findings> sinks;
  std::vector<BlockCheck> block_checks;
  std::vector<DirectiveCheck> directive_checks;
  for (const Rule* rule : rules)
    if (piece.kind == Piece::Blocks ? rule->each_block != nullptr : rule->each_directive != nullptr) {
      sinks.emplace_back(*rule, model, out.found, out.withheld);
      block_checks.push_back(rule->each_block);
      directive_checks.push_back(rule->each_directive);
    }
  for (uint32_t n = piece.begin; n < piece.end; ++n)
    for (size_t r = 0; r < sinks.size(); ++r)
      if (piece.kind == Piece::Blocks)
        block_checks[r](context, n, sinks[r]);
      else
        directive_checks[r](context, model.directives()[n], sinks[r]);
}

// Every rule over one configuration. The rules only read the model (the shared chain settings
// are filled under a lock), so pieces run on several threads when the model is large; DNS
// checks keep to one thread, whose order of lookups decides which ones a run deadline skips.
std::vector<Diagnostic> check(const CheckContext& context, WithheldClaims& withheld, const LintOptions& options, bool& stopped) {
  const Model& model = context.model;
  const auto rules = all_rules();
  const unsigned threads = context.resolver ? 1 : options.threads ? options.threads : threads_for(model.directives().size());
  const std::vector<Piece> pieces = pieces_of(rules, model, threads);
  std::vector<PieceOutput> outputs(pieces.size());
  stopped = run_pieces(
      pieces.size(), threads, [&](size_t p) { check_piece(context, rules, pieces[p], outputs[p]); }, options.interrupted);
  std::vector<Diagnostic> found;
  if (stopped) return found;
  for (PieceOutput& out : outputs) {
    std::move(out.found.begin(), out.found.end(), std::back_inserter(found));
    std::move(out.withheld.begin(), out.withheld.end(), std::back_inserter(withheld));
  }
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
    std::vector<Diagnostic> found = check(context, withheld, options, result.interrupted);
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
