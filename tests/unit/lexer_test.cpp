#include <catch2/catch.hpp>

#include "syntax/lexer.h"

using namespace pmtalint;

namespace {

std::vector<TokenKind> kinds(std::string_view text) {
  std::vector<TokenKind> out;
  for (const Token& t : lex(text, 0).tokens) out.push_back(t.kind);
  return out;
}

}  // namespace

TEST_CASE("a directive line is keyword, blanks, words, comment, newline") {
  using K = TokenKind;
  CHECK(kinds("max-smtp-out 20   # per queue\n") ==
        std::vector<K>{K::Word, K::Whitespace, K::Word, K::Whitespace, K::Comment, K::Newline});
}

TEST_CASE("a '<' at the start of a line opens a tag, elsewhere it is part of a word") {
  using K = TokenKind;
  CHECK(kinds("  <domain *>\n") == std::vector<K>{K::Whitespace, K::TagOpen, K::Word, K::Whitespace, K::Word,
                                                   K::TagEnd, K::Newline});
  CHECK(kinds("</domain>") == std::vector<K>{K::TagCloseOpen, K::Word, K::TagEnd});
  CHECK(kinds("x a<b>") == std::vector<K>{K::Word, K::Whitespace, K::Word});
}

TEST_CASE("quoted values keep escaped quotes and stop at '#'") {
  const auto result = lex(R"(command "/bin/p \"$x\"")", 0);
  REQUIRE(result.tokens.size() == 3);
  CHECK(result.tokens[2].kind == TokenKind::Quoted);
  CHECK(result.diagnostics.empty());

  const auto cut = lex("auth-password \"ab#cd\"\n", 0);
  REQUIRE(cut.diagnostics.size() == 1);
  CHECK(cut.diagnostics[0].message.find("'#' starts a comment") != std::string::npos);
}

TEST_CASE("CRLF is one newline token and a BOM is trivia") {
  using K = TokenKind;
  CHECK(kinds("\xEF\xBB\xBF" "a b\r\n") == std::vector<K>{K::Bom, K::Word, K::Whitespace, K::Word, K::Newline});
}

TEST_CASE("bad bytes become one Bad token per run, each reported") {
  const auto result = lex(std::string("a \x01\x02 b \xFF\xFE" " c\n"), 0);
  int bad = 0;
  for (const Token& t : result.tokens) bad += t.kind == TokenKind::Bad;
  CHECK(bad == 2);
  CHECK(result.diagnostics.size() == 2);
}

TEST_CASE("valid multi-byte UTF-8 stays inside words") {
  const auto result = lex("domain-macro idn bücher.example,例え.jp\n", 0);
  CHECK(result.diagnostics.empty());
  CHECK(result.tokens.size() == 6);
}
