#pragma once
// Parsing one message body. Editors send whole documents as JSON strings (didOpen, a full
// didChange), and nlohmann's lexer spends about 80 instructions a byte on a string: on a
// 100 000-line document that is a fifth of the time to first diagnostics. Long string values
// are decoded by a plain loop first; the rest of the message (and anything the fast path
// does not accept as valid JSON) goes through nlohmann, so the result is exactly json::parse's.
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pmtalint::lsp {

// Throws nlohmann::json::parse_error where json::parse would.
nlohmann::json parse_message(std::string_view body);

// How deep arrays and objects nest in a body (strings skipped). nlohmann parses any depth, but
// copying or printing a value nested a million levels deep recurses until the stack runs out;
// no LSP message nests more than a dozen levels, so deeper ones are refused unparsed.
size_t nesting_depth(std::string_view body);
inline constexpr size_t kMaxMessageNesting = 64;

}  // namespace pmtalint::lsp
