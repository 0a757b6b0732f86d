#pragma once
#include <cstdint>
#include <string_view>

#include "base/span.h"

namespace pmtalint {

// Every byte of a file belongs to exactly one token; trivia kinds (whitespace, newline,
// comment, byte-order mark, bad bytes) are kept so the token stream reproduces the input.
enum class TokenKind : uint8_t {
  Whitespace,    // spaces, tabs, a lone carriage return
  Newline,       // "\n" or "\r\n"
  Comment,       // from '#' to the end of the line
  Bom,           // UTF-8 byte-order mark at offset 0
  Bad,           // control bytes, invalid UTF-8, or an over-long line
  Word,          // a run of anything else
  Quoted,        // "double-quoted", backslash escapes; may be unterminated
  TagOpen,       // '<' starting a line
  TagCloseOpen,  // '</' starting a line
  TagEnd,        // '>' ending a tag
};

inline bool is_trivia(TokenKind k) {
  return k == TokenKind::Whitespace || k == TokenKind::Newline || k == TokenKind::Comment ||
         k == TokenKind::Bom || k == TokenKind::Bad;
}

std::string_view token_kind_name(TokenKind k);

struct Token {
  TokenKind kind;
  Span span;
};

}  // namespace pmtalint
