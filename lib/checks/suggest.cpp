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
