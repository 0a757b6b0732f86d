#pragma once
// Slugs of the findings made below lib/checks (lexer, parser, include loader, suppression
// comments). Checks take their slug from their Rule record; these stages cannot see the
// registry, so they share these constants with it instead of spelling the slug again.
#include <string_view>

namespace pmtalint::slug {

inline constexpr std::string_view kSyntaxError = "syntax-error";
inline constexpr std::string_view kUnclosedBlock = "unclosed-block";
inline constexpr std::string_view kMismatchedCloseTag = "mismatched-close-tag";
inline constexpr std::string_view kStrayCloseTag = "stray-close-tag";
inline constexpr std::string_view kForeignSyntax = "foreign-syntax";
inline constexpr std::string_view kTemplateFile = "template-file";
inline constexpr std::string_view kIncludeError = "include-error";
inline constexpr std::string_view kUnusedSuppression = "unused-suppression";
inline constexpr std::string_view kSuppressionWithoutReason = "suppression-without-reason";

}  // namespace pmtalint::slug
