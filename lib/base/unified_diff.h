#pragma once
// A unified diff (as `diff -u` prints it) between two versions of a text, for `--diff`.
#include <string>
#include <string_view>

namespace pmtalint {

// Empty when the texts are equal. Lines that change are paired in order; the hunks carry
// `context` unchanged lines around them.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view before_label,
                         std::string_view after_label, size_t context = 3);

}  // namespace pmtalint
