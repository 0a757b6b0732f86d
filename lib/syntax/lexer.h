#pragma once
// The lexer is line-oriented like PMTA itself: a '<' that opens a line starts a tag, '#' starts
// a comment anywhere (even inside quotes, as PMTA strips comments before reading values), and
// everything else is words separated by blanks. It never fails: bytes it cannot accept become
// Bad trivia with a syntax-error diagnostic.
#include <vector>

#include "base/diagnostic.h"
#include "syntax/token.h"

namespace pmtalint {

// Lines longer than this are not tokenised: PMTA has no use for them and a 100 MB line of
// tiny words would otherwise cost gigabytes of tokens.
inline constexpr uint32_t kMaxLineBytes = 256 * 1024;

struct LexResult {
  std::vector<Token> tokens;
  std::vector<Diagnostic> diagnostics;
};

LexResult lex(std::string_view text, FileId file);

}  // namespace pmtalint
