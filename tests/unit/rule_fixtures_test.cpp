// tests/fixtures/rules/<slug>.conf: bad lines carry `# expect:` comments, good lines none.
// Linting the file must give exactly the expected findings, so the good lines prove the rule
// stays quiet where it should. Every check rule has a fixture.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "checks/registry.h"
#include "dns/resolver.h"
#include "schema/knowledge.h"
#include "test_support.h"

using namespace pmtalint;
using test::Finding;

namespace {

// Lints one fixture file and compares its findings with its `# expect` comments; returns
// whether the file expects a finding of `slug` at all.
bool check_fixture(const std::filesystem::path& path, std::string_view slug) {
  INFO(path.string());
  const std::string text = test::read_file(path);
  const auto expected = test::expectations(text);
  bool mentions_rule = false;
  for (const auto& e : expected) mentions_rule |= std::get<0>(e) == slug;

  // DNS rules answer from the zone files next to the fixture.
  std::vector<std::string> zones;
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path()))
    if (entry.path().extension() == ".zone") zones.push_back(entry.path().string());
  std::unique_ptr<Resolver> dns;
  if (!zones.empty()) {
    auto made = zone_resolver(zones);
    REQUIRE(made);
    dns = std::move(*made);
  }
  AnalysisRequest request;
  request.inputs.push_back({path.string(), std::nullopt});
  request.no_project_config = true;
  request.resolver = dns.get();
  // A fixture that needs names checked says it is a whole configuration; others are read as
  // fragments, exactly as `pmtalint config FILE` reads them.
  if (text.find("# fixture: main") != std::string::npos) request.main = path.string();
  const auto analysis = test::analyze(request);
  std::multiset<Finding> actual;
  std::string listing;
  for (const Diagnostic& d : analysis->diagnostics) {
    const Position p = analysis->loaded.workspace.file(d.where.file).position(d.where.span.begin);
    actual.insert({std::string(d.rule), p.line, p.column});
    listing += fmt::format("{}:{}: {} {}\n", p.line, p.column, d.rule, d.message);
  }
  INFO(listing);
  CHECK(actual == expected);
  return mentions_rule;
}

}  // namespace

// A rule's fixture is tests/fixtures/rules/<slug>.conf, or a directory <slug>/ whose files (at
// any depth) are linted one by one, DNS rules answering from the *.zone files beside them (for rules that depend on the file name, or need a clean counterpart file).
TEST_CASE("rule fixtures report exactly the expected findings") {
  const auto dir = test::source_dir() / "tests/fixtures/rules";
  for (const Rule* rule : all_rules()) {
    if (rule->origin != RuleOrigin::Check) continue;
    INFO(rule->slug);
    const auto file = dir / (std::string(rule->slug) + ".conf");
    const auto folder = dir / std::string(rule->slug);
    REQUIRE((std::filesystem::exists(file) || std::filesystem::is_directory(folder)));
    bool mentions_rule = false;
    if (std::filesystem::exists(file)) mentions_rule |= check_fixture(file, rule->slug);
    if (std::filesystem::is_directory(folder))
      for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().extension() != ".zone")
          mentions_rule |= check_fixture(entry.path(), rule->slug);
    CHECK(mentions_rule);
  }
}

TEST_CASE("the target PMTA version reports directives and blocks outside their release") {
  const std::string text = "<signals>\n  log-verbose true\n</signals>\n"
                           "smtp-server-tls-allow-sslv3 true\n";
  auto slugs_at = [&](PmtaVersion version) {
    std::multiset<std::string> out;
    AnalysisRequest request = test::text_request(text, "v.conf");
    request.pmta_version = version.str();
    const auto analysis = test::analyze(request);
    for (const Diagnostic& d : analysis->diagnostics) out.insert(std::string(d.rule));
    return out;
  };
  CHECK(slugs_at({6, 0}).count("unknown-directive") == 1);  // sslv3 was removed in 5.0
  CHECK(slugs_at({4, 0}).count("unknown-block") == 1);      // <signals> came in 5.0 (language-notes §11)
  CHECK(slugs_at({4, 0}).count("unknown-directive") == 0);  // sslv3 still existed in 4.0
}

TEST_CASE("a top-level-only tag ends the blocks left open before it") {
  const std::string text =
      "<virtual-mta mta1>\n  <domain *>\n    max-smtp-out 5\n</virtual-mta>\n"  // </domain> missing: recovered
      "<virtual-mta mta2>\n  smtp-source-host 192.0.2.2 mta2.example.com\n"       // </virtual-mta> missing
      "<source 0/0>\n  always-allow-relaying no\n</source>\n";
  std::multiset<std::string> slugs;
  const auto analysis = test::analyze(test::text_request(text));
  for (const Diagnostic& d : analysis->diagnostics) slugs.insert(std::string(d.rule));
  CHECK(slugs == std::multiset<std::string>{"unclosed-block", "unclosed-block"});
}
