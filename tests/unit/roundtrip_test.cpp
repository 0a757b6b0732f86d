#include <catch2/catch.hpp>

#include "syntax/parser.h"
#include "test_support.h"

using namespace pmtalint;

namespace {

void check_lossless(const std::string& name, const std::string& text) {
  INFO(name);
  SourceFile file(name, text);
  const ParseResult parsed = parse(file, 0);
  std::string joined;
  uint32_t expected_begin = 0;
  for (const Token& t : parsed.tree.tokens()) {
    REQUIRE(t.span.begin == expected_begin);
    REQUIRE(t.span.end > t.span.begin);
    joined += file.slice(t.span);
    expected_begin = t.span.end;
  }
  CHECK(joined == text);
}

}  // namespace

TEST_CASE("tokens and trivia reproduce every fixture and example byte for byte") {
  size_t checked = 0;
  for (const char* dir : {"tests/fixtures/syntax", "examples"}) {
    for (const auto& path : test::files_in(test::source_dir() / dir)) {
      check_lossless(path.string(), test::read_file(path));
      ++checked;
    }
  }
  CHECK(checked >= 27);
}

TEST_CASE("continued values are joined and keep every word") {
  SourceFile file("f", "domain-macro isp a.com,\n b.com, # note\n\tc.com\nmax-smtp-out 5\n");
  const ParseResult parsed = parse(file, 0);
  const Tree& tree = parsed.tree;
  const NodeId macro = tree.node(tree.root()).first_child;
  CHECK(tree.node(macro).continued);
  CHECK(tree.value(macro) == "isp a.com,b.com,c.com");
  CHECK(tree.words(macro).size() == 4);
  const NodeId next = tree.node(macro).next_sibling;
  REQUIRE(next != kNoNode);
  CHECK(tree.name(next) == "max-smtp-out");
}

TEST_CASE("blocks nest and keep their spans") {
  SourceFile file("f", "<virtual-mta v1>\n  <domain *>\n    max-smtp-out 2\n  </domain>\n</virtual-mta>\n");
  const ParseResult parsed = parse(file, 0);
  CHECK(parsed.diagnostics.empty());
  const Tree& tree = parsed.tree;
  const NodeId vmta = tree.node(tree.root()).first_child;
  CHECK(tree.name(vmta) == "virtual-mta");
  CHECK(tree.argument(vmta) == "v1");
  const NodeId domain = tree.node(vmta).first_child;
  CHECK(tree.argument(domain) == "*");
  CHECK(tree.node(domain).parent == vmta);
  CHECK(file.slice(tree.node(vmta).span).ends_with("</virtual-mta>"));
  CHECK(tree.value(tree.node(domain).first_child) == "2");
}
