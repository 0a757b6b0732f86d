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

namespace pmtalint {

// The real equivalent of an invented line with the user's value in place of the example's:
// `max-conn 5` against the entry `max-conn 80` → `max-smtp-out 80` becomes `max-smtp-out 5`.
// `seen` is the entry's invented line, `real` its equivalent; unchanged when the example's
// value does not stand as a word in `real`.
std::string with_user_value(std::string_view seen, std::string_view real, std::string_view user_value);

}  // namespace pmtalint
