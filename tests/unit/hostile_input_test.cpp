// Inputs no configuration should contain. The parser must return a tree, keep every byte, and
// keep each finding inside the file; the test's time limit (ctest TIMEOUT) catches hangs.
#include <catch2/catch.hpp>

#include <random>

#include "syntax/lexer.h"
#include "syntax/parser.h"

using namespace pmtalint;

namespace {

void check_sane(const std::string& text) {
  SourceFile file("hostile", text);
  const ParseResult parsed = parse(file, 0);
  size_t bytes = 0;
  for (const Token& t : parsed.tree.tokens()) bytes += t.span.size();
  REQUIRE(bytes == text.size());
  for (const Diagnostic& d : parsed.diagnostics) {
    REQUIRE(d.where.span.begin <= d.where.span.end);
    REQUIRE(d.where.span.end <= text.size());
  }
}

}  // namespace

TEST_CASE("random bytes from a fixed seed never break the parser") {
  std::mt19937 rng(20261123);
  static const char kAlphabet[] = "<>/#\"\\ \t\r\n{}=;:,|*ab-xyz0123456789\xC3\xA9\xFF\xFE";
  const std::string alphabet = std::string(kAlphabet, sizeof kAlphabet - 1) + std::string(1, '\0');
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<size_t> length(0, 4096);
  for (int round = 0; round < 3000; ++round) {
    std::string text(length(rng), ' ');
    for (char& c : text) c = alphabet[pick(rng)];
    check_sane(text);
  }
}

TEST_CASE("fully random bytes") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 500; ++round) {
    std::string text(2048, ' ');
    for (char& c : text) c = static_cast<char>(byte(rng));
    check_sane(text);
  }
}

TEST_CASE("a 1 MB single line is read without trouble") {
  std::string line = "domain-macro big ";
  while (line.size() < 1'000'000) line += "d" + std::to_string(line.size()) + ".example,";
  check_sane(line + "\n");
  SourceFile file("long", line + "\n");
  const ParseResult parsed = parse(file, 0);
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].message.find("bytes long") != std::string::npos);
}

TEST_CASE("10 000 nested open tags stop at the depth limit") {
  std::string text;
  for (int i = 0; i < 10'000; ++i) text += "<block" + std::to_string(i) + " x>\n";
  check_sane(text);
  SourceFile file("deep", text);
  const ParseResult parsed = parse(file, 0);
  size_t unclosed = 0, depth = 0;
  for (const Diagnostic& d : parsed.diagnostics) {
    unclosed += d.rule == "unclosed-block";
    depth += d.message.find("nested more than") != std::string::npos;
  }
  CHECK(unclosed == kMaxBlockDepth);
  CHECK(depth == 1);
}

TEST_CASE("10 000 nested tags that are closed again are fine") {
  std::string text;
  for (int i = 0; i < 10'000; ++i) text += "<block" + std::to_string(i) + ">\n";
  for (int i = 10'000; i-- > 0;) text += "</block" + std::to_string(i) + ">\n";
  SourceFile file("balanced", text);
  const ParseResult parsed = parse(file, 0);
  CHECK(parsed.diagnostics.size() == 1);  // only the depth notice
}

TEST_CASE("a block of the same kind never nests: each unclosed one is reported once") {
  std::string text;
  for (int i = 0; i < 10'000; ++i) text += "<domain d" + std::to_string(i) + ".example>\n";
  SourceFile file("same-kind", text);
  const ParseResult parsed = parse(file, 0);
  CHECK(parsed.diagnostics.size() == 10'000);
  for (const Diagnostic& d : parsed.diagnostics) REQUIRE(d.rule == "unclosed-block");
}

TEST_CASE("NUL bytes and invalid UTF-8 inside lines are reported and skipped") {
  static const char kText[] = "max-smtp-out 1\0 2\n<domain \xFF>\n</domain>\n";
  const std::string text(kText, sizeof kText - 1);
  check_sane(text);
  SourceFile file("nul", text);
  const ParseResult parsed = parse(file, 0);
  CHECK(parsed.diagnostics.size() == 2);
}
