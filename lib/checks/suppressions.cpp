#include "checks/suppressions.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "base/slugs.h"
#include "base/text.h"
#include "checks/registry.h"

namespace pmtalint {
namespace {

struct Suppression {
  FileId file;
  Span comment;
  Span covers;  // byte range of the file whose findings it silences
  std::vector<std::string> rules;
  std::vector<bool> used;
  bool has_reason = false;
};

// The first node that starts at or after `offset` (the directive or block a lone comment
// stands above), as its whole span. Nodes are stored in file order, so their starts ascend.
Span next_construct(const Tree& tree, uint32_t offset) {
  NodeId low = 1, high = static_cast<NodeId>(tree.size());
  while (low < high) {
    const NodeId mid = low + (high - low) / 2;
    if (tree.node(mid).span.begin < offset) low = mid + 1;
    else high = mid;
  }
  return low < tree.size() ? tree.node(low).span : Span{offset, offset};
}

std::vector<Suppression> collect(const Workspace& ws) {
  std::vector<Suppression> out;
  for (FileId f = 0; f < ws.size(); ++f) {
    const Tree& tree = ws.tree(f);
    for (const Comment& t : tree.comments()) {
      std::string_view text = trim(tree.text(t.span).substr(1));
      if (!text.starts_with("pmtalint:")) continue;
      text = trim(text.substr(9));
      const bool whole_file = text.starts_with("disable-file=");
      if (!whole_file && !text.starts_with("disable=")) continue;
      text.remove_prefix(whole_file ? 13 : 8);
      Suppression s{f, t.span, {}, {}, {}, false};
      const size_t dashes = text.find("--");
      s.has_reason = dashes != std::string_view::npos && !trim(text.substr(dashes + 2)).empty();
      const std::string_view list = trim(text.substr(0, dashes));
      for (size_t start = 0; start <= list.size();) {
        const size_t comma = list.find(',', start);
        const std::string_view rule = trim(list.substr(start, comma == std::string_view::npos ? list.size() - start : comma - start));
        if (!rule.empty()) s.rules.emplace_back(rule);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      s.used.assign(s.rules.size(), false);
      if (whole_file) {
        s.covers = {0, static_cast<uint32_t>(tree.file().text().size())};
      } else if (t.after_code) {
        const Position p = tree.file().position(t.span.begin);
        s.covers = {tree.file().line_start(p.line), t.span.begin};
      } else {
        s.covers = next_construct(tree, t.span.end);
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

Diagnostic about(const Suppression& s, std::string_view rule, Severity severity, std::string message) {
  return {rule, severity, {s.file, s.comment}, std::move(message), {}, {}};
}

}  // namespace

SuppressionResult apply_suppressions(const Workspace& ws, std::vector<Diagnostic> diagnostics,
                                     const std::vector<Diagnostic>& withheld) {
  std::vector<Suppression> suppressions = collect(ws);
  SuppressionResult result;
  // Findings and suppressions both number in the tens of thousands in a generated
  // configuration: rather than test each pair, sweep each file once in offset order. Covered
  // ranges nest (a block and a line in it, the whole file), so the sweep keeps every range that
  // has begun, in a min-heap by end, and drops those that ended before the finding.
  struct Query {
    const Diagnostic* diagnostic;
    size_t index;  // into `silenced`
  };
  std::vector<Query> queries;
  queries.reserve(diagnostics.size() + withheld.size());
  for (const Diagnostic& d : diagnostics) queries.push_back({&d, queries.size()});
  // A claim withheld because part of the configuration was not read may be true: the
  // suppression written for it is not "unused".
  for (const Diagnostic& d : withheld) queries.push_back({&d, queries.size()});
  const auto at = [](const Query& q) { return std::pair{q.diagnostic->where.file, q.diagnostic->where.span.begin}; };
  std::stable_sort(queries.begin(), queries.end(), [&](const Query& a, const Query& b) { return at(a) < at(b); });
  std::vector<size_t> by_start(suppressions.size());
  for (size_t i = 0; i < by_start.size(); ++i) by_start[i] = i;
  const auto start = [&](size_t i) { return std::pair{suppressions[i].file, suppressions[i].covers.begin}; };
  std::stable_sort(by_start.begin(), by_start.end(), [&](size_t a, size_t b) { return start(a) < start(b); });
  const auto ends_later = [&](size_t a, size_t b) { return suppressions[a].covers.end > suppressions[b].covers.end; };
  std::vector<size_t> open;  // heap: the range that ends first on top
  std::vector<bool> silenced(queries.size(), false);
  size_t next = 0;
  FileId file = 0;
  for (const Query& q : queries) {
    const auto [qfile, offset] = at(q);
    if (qfile != file) open.clear();
    file = qfile;
    for (; next < by_start.size(); ++next) {
      const Suppression& s = suppressions[by_start[next]];
      if (s.file > file || (s.file == file && s.covers.begin > offset)) break;
      if (s.file < file) continue;
      open.push_back(by_start[next]);
      std::push_heap(open.begin(), open.end(), ends_later);
    }
    while (!open.empty() && suppressions[open.front()].covers.end < offset) {
      std::pop_heap(open.begin(), open.end(), ends_later);
      open.pop_back();
    }
    const Diagnostic& d = *q.diagnostic;
    const Rule* rule = find_rule(d.rule);
    for (const size_t i : open) {
      Suppression& s = suppressions[i];
      for (size_t r = 0; r < s.rules.size(); ++r) {
        if (s.rules[r] != d.rule) continue;
        s.used[r] = true;
        silenced[q.index] = silenced[q.index] || !rule || rule->suppressible;
      }
    }
  }
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    if (silenced[i]) ++result.suppressed;
    else result.kept.push_back(std::move(diagnostics[i]));
  }
  for (const Suppression& s : suppressions) {
    if (!s.has_reason)
      result.kept.push_back(about(s, slug::kSuppressionWithoutReason, Severity::Warning,
                                  "suppression without a reason: add '-- why this is fine' after the rule names"));
    if (s.rules.empty())
      result.kept.push_back(about(s, slug::kUnusedSuppression, Severity::Warning, "suppression names no rule"));
    for (size_t i = 0; i < s.rules.size(); ++i) {
      const Rule* rule = find_rule(s.rules[i]);
      if (!rule)
        result.kept.push_back(about(s, slug::kUnusedSuppression, Severity::Warning,
                                    fmt::format("'{}' is not a pmtalint rule (see 'pmtalint rules')", s.rules[i])));
      else if (!rule->suppressible)
        result.kept.push_back(about(s, slug::kUnusedSuppression, Severity::Warning,
                                    fmt::format("'{}' cannot be suppressed inline; only the project configuration can "
                                                "lower it", s.rules[i])));
      else if (!s.used[i])
        result.kept.push_back(about(s, slug::kUnusedSuppression, Severity::Warning,
                                    fmt::format("nothing here is reported as '{}': remove the suppression", s.rules[i])));
    }
  }
  std::stable_sort(result.kept.begin(), result.kept.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.file != b.where.file) return a.where.file < b.where.file;
    return a.where.span.begin < b.where.span.begin;
  });
  return result;
}

}  // namespace pmtalint
