#include "checks/suppressions.h"

#include <fmt/format.h>

#include <algorithm>

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
  // Whether a suppression covers the finding; marks the suppression used.
  const auto covered = [&](const Diagnostic& d) {
    const Rule* rule = find_rule(d.rule);
    bool silenced = false;
    for (Suppression& s : suppressions) {
      if (s.file != d.where.file || d.where.span.begin < s.covers.begin || d.where.span.begin > s.covers.end) continue;
      for (size_t i = 0; i < s.rules.size(); ++i) {
        if (s.rules[i] != d.rule) continue;
        s.used[i] = true;
        silenced |= !rule || rule->suppressible;
      }
    }
    return silenced;
  };
  for (Diagnostic& d : diagnostics) {
    if (covered(d)) ++result.suppressed;
    else result.kept.push_back(std::move(d));
  }
  // A claim withheld because part of the configuration was not read may be true: the
  // suppression written for it is not "unused".
  for (const Diagnostic& d : withheld) covered(d);
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
