#include <catch2/catch.hpp>

#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "checks/registry.h"
#include "checks/rules/incomplete_configuration.h"
#include "test_support.h"

using namespace pmtalint;

TEST_CASE("every rule has a unique code and slug and a complete doc") {
  std::set<std::string_view> codes, slugs;
  for (const Rule* rule : all_rules()) {
    INFO(rule->slug);
    CHECK(codes.insert(rule->code).second);
    CHECK(slugs.insert(rule->slug).second);
    CHECK(rule->code.starts_with("PMT"));
    CHECK(!rule->summary.empty());
    CHECK(rule->why.size() > 80);
    CHECK(!rule->bad.empty());
    CHECK(!rule->good.empty());
    CHECK(rule->bad != rule->good);
    const bool has_function = rule->run || rule->each_directive || rule->each_block;
    // incomplete-configuration is reported by lint() itself, from the claims the others skipped.
    const bool reported_by_lint = rule == &kIncompleteConfiguration;
    CHECK((rule->origin == RuleOrigin::Check) == (has_function || reported_by_lint));
  }
}

// Findings take their slug from the rule record (Findings::add) and the stages below lib/checks
// from base/slugs.h; a slug spelt out anywhere else could drift from the registry unnoticed.
TEST_CASE("no source file spells out a rule's slug except its own record and base/slugs.h") {
  const auto lib = std::filesystem::path(PMTALINT_SOURCE_DIR) / "lib";
  std::vector<std::string> offenders;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(lib)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
    if (entry.path().filename() == "slugs.h") continue;
    const std::string text = test::read_file(entry.path());
    for (const Rule* rule : all_rules()) {
      // Where a slug would name a finding: a Diagnostic's first field, a report argument, a
      // comparison with a finding's rule. (Directive names such as run-as-root are compared
      // with `name ==`, JSON keys read with at("…"); neither is a finding's slug.)
      const std::string slug = "\"" + std::string(rule->slug) + "\"";
      for (const std::string& use : {"{" + slug, "report(" + slug, "rule == " + slug, "add(" + slug}) {
        for (size_t at = text.find(use); at != std::string::npos; at = text.find(use, at + 1)) {
          const size_t line_start = text.rfind('\n', at) + 1;
          offenders.push_back(entry.path().lexically_relative(lib).string() + ": " +
                              text.substr(line_start, text.find('\n', at) - line_start));
        }
      }
    }
  }
  INFO(fmt::format("{}", fmt::join(offenders, "\n")));
  CHECK(offenders.empty());
}

TEST_CASE("the public slugs of the foundation exist") {
  for (auto slug : {"syntax-error", "unclosed-block", "mismatched-close-tag", "stray-close-tag", "foreign-syntax",
                    "include-error"})
    CHECK(find_rule(slug) != nullptr);
  CHECK(find_rule("pmt0001") == find_rule("syntax-error"));
  CHECK(find_rule("no-such-rule") == nullptr);
}
