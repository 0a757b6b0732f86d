// Every line of schemas/not-pmta.json, placed in the block where it was seen, must be caught
// with a finding that names the real equivalent; the legitimate ones must stay clean.
#include <catch2/catch.hpp>

#include "test_support.h"
#include "schema/knowledge.h"

using namespace pmtalint;

namespace {

std::string placed(const InventedLine& entry) {
  if (entry.context == "global") return entry.line + "\n";
  static const std::vector<std::pair<std::string, std::string>> kOpeners = {
      {"domain", "<domain example.com>"},          {"source", "<source 10.0.0.0/8>"},
      {"virtual-mta", "<virtual-mta mta1>"},       {"virtual-mta-pool", "<virtual-mta-pool pool1>"},
      {"smtp-listener", "<smtp-listener 0/0:25>"}, {"pattern-list", "<pattern-list routing>"},
      {"acct-file", "<acct-file /var/log/pmta/acct.csv>"}, {"bounce-processor", "<bounce-processor>"},
  };
  for (const auto& [context, opener] : kOpeners)
    if (context == entry.context) return opener + "\n" + entry.line + "\n</" + context + ">\n";
  FAIL("no opener for context " << entry.context);
  return {};
}

std::vector<Diagnostic> lint_text(const std::string& text) {
  return test::analyze(test::text_request(text, "web.conf"))->diagnostics;
}

bool names_equivalent(const Diagnostic& d, const std::string& mention) {
  return d.message.find(mention) != std::string::npos || (d.fix && d.fix->title.find(mention) != std::string::npos);
}

}  // namespace

TEST_CASE("every line PMTA rejects is caught and its real equivalent named") {
  size_t rejected = 0, legitimate = 0, deprecated = 0;
  for (const InventedLine& entry : KnowledgeBase::get().invented_lines()) {
    const std::string text = placed(entry);
    INFO("line: " << entry.line << "\ncontext: " << entry.context);
    const auto findings = lint_text(text);
    std::string all;
    for (const Diagnostic& d : findings) all += std::string(d.rule) + ": " + d.message + "\n";
    INFO("findings:\n" << all);
    if (entry.kind == InventedKind::Real) {
      ++legitimate;
      CHECK(findings.empty());
      continue;
    }
    // Deprecated lines still work; a form the reference marks unverified may work: warnings.
    const bool unverified = entry.reason.find("unverified") != std::string::npos;
    const Severity needed = entry.kind == InventedKind::Deprecated || unverified ? Severity::Warning : Severity::Error;
    bool named = false;
    for (const Diagnostic& d : findings) named |= d.severity == needed && names_equivalent(d, entry.mention);
    CHECK(named);
    (entry.kind == InventedKind::Deprecated ? deprecated : rejected)++;
  }
  CHECK(rejected >= 100);
  CHECK(legitimate >= 4);
  CHECK(deprecated == 3);
}
