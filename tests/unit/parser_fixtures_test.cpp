// Every file in tests/fixtures/syntax carries its expectations as comments:
//   `# expect: slug@COLUMN [slug@COLUMN…]`       a finding on this line
//   `# expect@LINE: slug@COLUMN`                  a finding on another line (e.g. one a comment would change)
// The parser must report exactly those findings, no more and no fewer, and each fixture holds at
// least two on different lines so that recovery (a later, independent error still found) is tested.
#include <catch2/catch.hpp>

#include <set>

#include "checks/registry.h"
#include "syntax/parser.h"
#include "test_support.h"

using namespace pmtalint;
using test::Finding;



TEST_CASE("parser fixtures report exactly the expected findings") {
  const auto fixtures = test::files_in(test::source_dir() / "tests/fixtures/syntax");
  REQUIRE(fixtures.size() >= 25);
  std::set<std::string> slugs_seen;
  for (const auto& path : fixtures) {
    {
      INFO(path.filename().string());
      const std::string text = test::read_file(path);
      const auto expected = test::expectations(text);
      std::set<uint32_t> lines;
      for (const auto& e : expected) lines.insert(std::get<1>(e));
      CHECK(lines.size() >= 2);  // a later, independent finding must still be reported

      SourceFile file(path.filename().string(), text);
      const ParseResult parsed = parse(file, 0);
      std::multiset<Finding> actual;
      for (const Diagnostic& d : parsed.diagnostics) {
        const Position p = file.position(d.where.span.begin);
        actual.insert({std::string(d.rule), p.line, p.column});
        slugs_seen.insert(std::string(d.rule));
        CHECK(find_rule(d.rule) != nullptr);
      }
      CHECK(actual == expected);
    }
  }
  for (auto slug : {"syntax-error", "unclosed-block", "mismatched-close-tag", "stray-close-tag", "foreign-syntax"})
    CHECK(slugs_seen.count(slug) == 1);
}
