#include "base/unified_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace pmtalint {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const size_t n = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return out;
}

enum class Op { Same, Removed, Added };
struct Step {
  Op op;
  size_t a, b;  // line indices in before / after (the one that applies)
};

// Longest common subsequence by dynamic programming on the part between the common prefix and
// suffix; fixes and formatting change few lines, and a large changed middle falls back to
// "all removed, all added" rather than quadratic memory.
std::vector<Step> steps(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  std::vector<Step> out;
  for (size_t i = 0; i < pre; ++i) out.push_back({Op::Same, i, i});
  const size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  if (n * m <= 4'000'000) {
    std::vector<std::vector<uint32_t>> len(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        len[i][j] = a[pre + i] == b[pre + j] ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        out.push_back({Op::Same, pre + i++, pre + j++});
      } else if (j < m && (i == n || len[i][j + 1] > len[i + 1][j])) {
        out.push_back({Op::Added, pre + i, pre + j++});
      } else {
        out.push_back({Op::Removed, pre + i++, pre + j});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) out.push_back({Op::Removed, pre + i, pre});
    for (size_t j = 0; j < m; ++j) out.push_back({Op::Added, pre + n, pre + j});
  }
  for (size_t k = 0; k < suf; ++k) out.push_back({Op::Same, a.size() - suf + k, b.size() - suf + k});
  return out;
}

void line(std::string& out, char mark, std::string_view text) {
  out += mark;
  out += text;
  if (!text.ends_with('\n')) out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view before_label,
                         std::string_view after_label, size_t context) {
  if (before == after) return {};
  const auto a = lines_of(before), b = lines_of(after);
  const std::vector<Step> all = steps(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", before_label, after_label);
  size_t k = 0;
  while (k < all.size()) {
    while (k < all.size() && all[k].op == Op::Same) ++k;
    if (k == all.size()) break;
    // A hunk: from `context` lines before the first change to `context` after the last change
    // that is not followed by another within 2 * context lines.
    const size_t start = k >= context ? k - context : 0;
    size_t end = k;  // one past the last change in this hunk
    for (size_t j = k; j < all.size(); ++j) {
      if (all[j].op != Op::Same) end = j + 1;
      else if (j - end >= 2 * context) break;
    }
    const size_t stop = std::min(all.size(), end + context);
    size_t a_count = 0, b_count = 0;
    for (size_t j = start; j < stop; ++j) {
      a_count += all[j].op != Op::Added;
      b_count += all[j].op != Op::Removed;
    }
    const size_t a_first = all[start].a + (a_count ? 1 : 0), b_first = all[start].b + (b_count ? 1 : 0);
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_first, a_count, b_first, b_count);
    for (size_t j = start; j < stop; ++j) {
      if (all[j].op == Op::Same) line(out, ' ', a[all[j].a]);
      else if (all[j].op == Op::Removed) line(out, '-', a[all[j].a]);
      else line(out, '+', b[all[j].b]);
    }
    k = stop;
  }
  return out;
}

}  // namespace pmtalint
