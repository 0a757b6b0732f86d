#include <catch2/catch.hpp>

#include <set>

#include "checks/registry.h"

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
    CHECK((rule->origin != RuleOrigin::Check) == (rule->run == nullptr));
  }
}

TEST_CASE("the public slugs of the foundation exist") {
  for (auto slug : {"syntax-error", "unclosed-block", "mismatched-close-tag", "stray-close-tag", "foreign-syntax",
                    "include-error"})
    CHECK(find_rule(slug) != nullptr);
  CHECK(find_rule("pmt0001") == find_rule("syntax-error"));
  CHECK(find_rule("no-such-rule") == nullptr);
}
