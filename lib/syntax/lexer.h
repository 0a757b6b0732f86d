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

// The same lexer one line at a time: a parse that does not keep the lossless token vector
// (about three times the file's size) needs the tokens of only a few lines at once.
class LineLexer {
 public:
  LineLexer(std::string_view text, FileId file, std::vector<Diagnostic>& diagnostics)
      : text_(text), file_(file), diagnostics_(diagnostics) {}

  bool done() const { return done_; }
  // Appends the tokens of the next line (a leading byte-order mark and the line ending included)
  // to `out` and returns the line's span without its line ending. A file has one line more
  // than it has line endings.
  Span next_line(std::vector<Token>& out);

 private:
  void push(TokenKind kind, uint32_t begin, uint32_t end) { out_->push_back({kind, {begin, end}}); }
  void error(uint32_t begin, uint32_t end, std::string message);
  void lex_line(uint32_t pos, uint32_t end);
  uint32_t tag_body(uint32_t pos, uint32_t end);
  uint32_t blanks(uint32_t pos, uint32_t end);
  uint32_t word(uint32_t pos, uint32_t end, bool in_tag);
  uint32_t bad_bytes(uint32_t pos, uint32_t end);
  uint32_t quoted(uint32_t pos, uint32_t end);

  std::string_view text_;
  FileId file_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<Token>* out_ = nullptr;
  uint32_t pos_ = 0;
  bool done_ = false;
};

}  // namespace pmtalint
