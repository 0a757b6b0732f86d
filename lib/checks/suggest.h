#pragma once
// "Did you mean …?" candidates by edit distance, as ruff and clang do.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pmtalint {

// The closest candidate within a distance that grows with the word's length, if any.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace pmtalint
