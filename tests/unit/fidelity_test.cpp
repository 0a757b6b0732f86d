// Message texts the fixtures cannot pin down (they record slug and column only): what a
// duplicate does, fix texts carrying the user's value, did-you-mean by transposition, and the
// one-finding-per-mistake cascades (a regex broken over lines, a template file).
#include <catch2/catch.hpp>

#include <algorithm>

#include "checks/suggest.h"
#include "schema/grammar.h"
#include "test_support.h"

using namespace pmtalint;

namespace {

std::vector<const Diagnostic*> findings(const Analysis& a, std::string_view slug) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : a.diagnostics)
    if (d.rule == slug) out.push_back(&d);
  return out;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("duplicate-directive says what the reference says, and nothing else") {
  const auto a = test::analyze(test::text_request(
      "<domain x.example>\n  max-smtp-out 1\n  max-smtp-out 2\n</domain>\n"
      "<acct-file /var/log/pmta/a.csv>\n  records d\n  records b\n</acct-file>\n"));
  const auto found = findings(*a, "duplicate-directive");
  REQUIRE(found.size() == 2);
  for (const Diagnostic* d : found) {
    CHECK_FALSE(contains(d->message, "takes effect"));
    CHECK_FALSE(contains(d->message, "wins"));
  }
  CHECK(contains(found[0]->message, "does not say which"));
  CHECK(contains(found[1]->message, "only once per accounting file"));
}

TEST_CASE("fix texts carry the user's value") {
  const auto a = test::analyze(test::text_request("http-port 9000\n<domain *>\n  max-conn 5\n</domain>\n"));
  const auto found = findings(*a, "unknown-directive");
  REQUIRE(found.size() == 2);
  CHECK(contains(found[0]->message, "use http-mgmt-port 9000"));
  CHECK(contains(found[1]->message, "use max-smtp-out 5"));
  CHECK(with_user_value("max-conn-rate 10/s", "max-connect-rate 10/s (inside <domain>)", "3/m") ==
        "max-connect-rate 3/m (inside <domain>)");
  CHECK(with_user_value("a 1 / b 2", "x 1; y 2", "7") == "x 1; y 2");
}

TEST_CASE("did-you-mean counts a transposition as one edit") {
  CHECK(closest("bluk", {"bulk", "blue-pool"}) == std::optional<std::string>("bulk"));
  Grammar reply;
  reply.kind = GrammarKind::ReplyRule;
  const auto p = check_value(reply, "/421/ mode=backof");
  REQUIRE(p);
  CHECK(contains(p->message, "did you mean 'mode=backoff'"));
}

TEST_CASE("a regular expression broken over lines is one finding with notes") {
  const auto a = test::analyze(test::text_request(
      "<smtp-pattern-list p>\n  reply /^421 .* try\n\n  again/ mode=backoff\n</smtp-pattern-list>\n"
      "<bounce-category-patterns>\n  /^452 .* quota\n  exceeded/ quota-issues\n  // other\n</bounce-category-patterns>\n"));
  REQUIRE(a->diagnostics.size() == 2);
  for (const Diagnostic& d : a->diagnostics) {
    CHECK(d.rule == "invalid-value");
    CHECK(d.notes.size() == 1);
  }
}

TEST_CASE("a template is reported once and its template lines are skipped") {
  const auto a = test::analyze(test::text_request(
      "{{#each vmtas}}\n<virtual-mta {{name}}>\n  smtp-source-host {{ip}} {{host}}\n  <domain *>\n"
      "    max-smtp-out 10\n  </domain>\n</virtual-mta>\n{{/each}}\n"
      "{% for ip in ips %}\nsmtp-source-host ${IP} ${HOST}\n{% endfor %}\n"));
  REQUIRE(a->diagnostics.size() == 1);
  CHECK(a->diagnostics[0].rule == "template-file");
  CHECK(a->diagnostics[0].severity == Severity::Warning);
}
