#include "checks/suggest.h"

#include <algorithm>

#include "base/text.h"

namespace pmtalint {

std::optional<std::string> closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  const size_t limit = std::clamp<size_t>(word.size() / 4, 1, 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    // The length difference alone bounds the distance from below: most candidates stop here.
    const size_t gap = word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    if (gap >= best_distance) continue;
    const size_t d = edit_distance(word, candidate, std::min(limit, best_distance - 1));
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace pmtalint

namespace pmtalint {

std::string with_user_value(std::string_view seen, std::string_view real, std::string_view user_value) {
  user_value = trim(user_value);
  const size_t blank = seen.find_first_of(" \t");
  if (blank == std::string_view::npos || user_value.empty() || seen.starts_with('<')) return std::string(real);
  const std::string_view example = trim(seen.substr(blank));
  // One plain value only: entries listing several lines (`a 1 / b 2`) are left alone.
  if (example.empty() || example.find_first_of(" \t;{}=") != std::string_view::npos) return std::string(real);
  const auto boundary = [](char c) { return c == ' ' || c == '\t' || c == ',' || c == ';' || c == ')' || c == '('; };
  std::string out;
  size_t from = 0;
  bool replaced = false;
  for (size_t at = real.find(example); at != std::string_view::npos; at = real.find(example, at + 1)) {
    const size_t end = at + example.size();
    if ((at > 0 && !boundary(real[at - 1])) || (end < real.size() && !boundary(real[end]))) continue;
    out.append(real.substr(from, at - from));
    out.append(user_value);
    from = end;
    replaced = true;
  }
  if (!replaced) return std::string(real);
  out.append(real.substr(from));
  return out;
}

}  // namespace pmtalint
