// The language server stops an analysis when a newer edit makes it stale. Stopping must be
// seen (the result says so) and asking must change nothing when the answer is no.
#include <catch2/catch.hpp>

#include "test_support.h"

namespace pmtalint {

TEST_CASE("an analysis asked whether to stop gives the same findings when the answer is no") {
  const std::string text = "<domain x.example>\n  max-conn 5\n  max-smtp-out 1\n  max-smtp-out 2\n</domain>\nauth_type = x\n";
  const auto plain = test::analyze(test::text_request(text, "config", true));
  AnalysisRequest request = test::text_request(text, "config", true);
  size_t asked = 0;
  request.interrupted = [&] { return ++asked, false; };
  const auto asked_run = test::analyze(request);
  CHECK_FALSE(asked_run->interrupted);
  // Between load, model and lint, and between rules: a stale analysis stops within one rule.
  CHECK(asked > 10);
  REQUIRE(asked_run->diagnostics.size() == plain->diagnostics.size());
  REQUIRE_FALSE(plain->diagnostics.empty());
  for (size_t i = 0; i < plain->diagnostics.size(); ++i) CHECK(asked_run->diagnostics[i].message == plain->diagnostics[i].message);

  for (const size_t stop_at : {size_t{1}, size_t{2}, size_t{3}, asked / 2, asked}) {
    size_t calls = 0;
    request.interrupted = [&] { return ++calls >= stop_at; };
    const auto stopped = test::analyze(request);
    CHECK(stopped->interrupted);
    CHECK(calls == stop_at);  // not asked again once it said yes
  }
}

}  // namespace pmtalint
