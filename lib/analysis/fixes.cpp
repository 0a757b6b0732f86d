#include "analysis/fixes.h"

#include <algorithm>
#include <map>
#include <utility>

#include "base/absolute_path.h"

namespace pmtalint {
namespace {

bool wanted(const Diagnostic& d, bool unsafe) { return d.fix && !d.fix->edits.empty() && (d.fix->safe || unsafe); }

}  // namespace

size_t apply_fixes(const std::vector<const Fix*>& fixes, FileId file, std::string& text) {
  struct Edit {
    Span span;
    const std::string* replacement;
  };
  std::vector<Edit> taken;
  size_t applied = 0;
  for (const Fix* fix : fixes) {
    bool fits = true;
    for (const TextEdit& e : fix->edits) {
      fits &= e.where.file == file && e.where.span.begin <= e.where.span.end && e.where.span.end <= text.size();
      for (const Edit& t : taken) {  // touching edits are fine; overlapping ones (or two inserts at one point) are not
        const bool apart = e.where.span.end <= t.span.begin || t.span.end <= e.where.span.begin;
        const bool same_point = e.where.span.empty() && t.span.empty() && e.where.span.begin == t.span.begin;
        fits &= apart && !same_point;
      }
    }
    if (!fits) continue;
    for (const TextEdit& e : fix->edits) taken.push_back({e.where.span, &e.replacement});
    ++applied;
  }
  std::sort(taken.begin(), taken.end(), [](const Edit& a, const Edit& b) {
    return a.span.begin != b.span.begin ? a.span.begin > b.span.begin : a.span.end > b.span.end;  // from the end
  });
  for (const Edit& e : taken) text.replace(e.span.begin, e.span.size(), *e.replacement);
  return applied;
}

expected<FixResult, std::string> analyze_and_fix(AnalysisRequest request, const FixRequest& options) {
  FixResult result;
  // Text given with an input (standard input) becomes an overlay, so that later rounds read the
  // fixed text in its place rather than the original again.
  for (LoadInput& input : request.inputs)
    if (input.text) request.overlays[absolute_path(input.path)] = *std::exchange(input.text, std::nullopt);
  std::map<std::string, std::string> originals;  // absolute path → text first read
  std::map<std::string, std::string> shown;      // absolute path → path as the workspace names it
  for (size_t round = 0;; ++round) {
    auto analysis = analyze(request);
    if (!analysis) return unexpected(analysis.error());
    const Analysis& a = **analysis;
    const Workspace& ws = a.loaded.workspace;
    // Fixes per file, in file order, only in files whose findings are reported (named or included).
    std::map<FileId, std::vector<const Fix*>> by_file;
    std::vector<const Diagnostic*> chosen;
    for (const Diagnostic& d : a.diagnostics)
      if (wanted(d, options.unsafe)) chosen.push_back(&d);
    std::stable_sort(chosen.begin(), chosen.end(), [](const Diagnostic* x, const Diagnostic* y) {
      return x->where.file != y->where.file ? x->where.file < y->where.file : x->where.span.begin < y->where.span.begin;
    });
    for (const Diagnostic* d : chosen) by_file[d->fix->edits.front().where.file].push_back(&*d->fix);
    size_t applied = 0;
    if (round < options.max_rounds && !a.failed()) {
      for (const auto& [file, fixes] : by_file) {
        const SourceFile& source = ws.file(file);
        const std::string key = absolute_path(source.path());
        std::string text(source.text());
        originals.emplace(key, text);
        shown.emplace(key, source.path());
        const size_t n = apply_fixes(fixes, file, text);
        if (n == 0) continue;
        applied += n;
        request.overlays[key] = std::move(text);
      }
    }
    if (applied == 0) {
      for (const Diagnostic& d : a.diagnostics) result.unsafe_left += d.fix && !d.fix->safe && !options.unsafe;
      result.analysis = std::move(*analysis);
      break;
    }
    result.applied += applied;
  }
  for (const auto& [key, text] : request.overlays) {
    const auto original = originals.find(key);
    if (original == originals.end() || original->second == text) continue;
    result.files.push_back({shown[key], original->second, text});
  }
  std::sort(result.files.begin(), result.files.end(), [](const FixedFile& x, const FixedFile& y) { return x.path < y.path; });
  return result;
}

}  // namespace pmtalint
