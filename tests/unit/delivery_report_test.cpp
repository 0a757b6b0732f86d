// The dry-run report's figures and columns: messages deferred versus deferral attempts, the
// achieved rate only when there is enough to measure it, connection peaks explained, shared
// caps divided among queues, and scenario replies naming the sending address.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "delivery_support.h"

using namespace pmtalint;
using namespace pmtalint::delivery;
using pmtalint::test::kPlainScenario;
using pmtalint::test::queue;
using pmtalint::test::simulate;

namespace {

std::string text_report(const Result& r) {
  std::ostringstream out;
  render_text(r, out);
  return out.str();
}

std::string json_report(const Result& r) {
  std::ostringstream out;
  render_json(r, out);
  return out.str();
}

}  // namespace

TEST_CASE("three queues sharing a virtual MTA's cap of 4 all send from the start") {
  // Each queue alone would take 100 messages × 0.2 s over 4 connections = 5 s; one after
  // another they drained at about 5, 10 and 15 s. Shared, each gets a connection at once.
  const std::string config = "<virtual-mta a>\n  max-smtp-out 4\n</virtual-mta>\n";
  const Result r = simulate(config,
                            R"({"streams": [{"domain": "one.test", "messages": 100, "vmta": "a"},
                                            {"domain": "two.test", "messages": 100, "vmta": "a"},
                                            {"domain": "three.test", "messages": 100, "vmta": "a"}]})",
                            kPlainScenario);
  const QueueResult& one = queue(r, "one.test/a");
  const QueueResult& two = queue(r, "two.test/a");
  const QueueResult& three = queue(r, "three.test/a");
  const double first_drain = std::min({one.drained, two.drained, three.drained});
  for (const QueueResult* q : {&one, &two, &three}) {
    INFO(q->name);
    CHECK(q->delivered == 100);
    CHECK(q->first_send >= 0);
    CHECK(q->first_send < 1.0);
    CHECK(q->first_send < first_drain / 4);
  }
  // Nothing lost to the sharing: 300 messages at 4 × 5 per second, and a few reconnections.
  CHECK(std::max({one.drained, two.drained, three.drained}) < 16.0);
  CHECK(first_drain > 7.0);
}

TEST_CASE("the report counts messages deferred once and deferral attempts apart") {
  // Every reply 451: each message is tried at about 0, 10, 20, 30, 40 and 50 minutes, then
  // bounce-after (1h) ends its wait: ten messages deferred, sixty deferrals.
  const Result r = simulate("<domain d.test>\n  retry-recipients-after 10m\n  bounce-after 1h\n</domain>\n",
                            R"({"streams": [{"domain": "d.test", "messages": 10}]})",
                            R"({"default": {"replies": [{"share": 1, "reply": "451 4.7.1 later"}]}})");
  const QueueResult& q = queue(r, "d.test/{default}");
  CHECK(q.deferred_messages == 10);
  CHECK(q.deferrals == 60);
  CHECK(q.expired == 10);
  const std::string text = text_report(r);
  CHECK_THAT(text, Catch::Contains("msgs deferred"));
  CHECK_THAT(text, Catch::Contains("deferrals"));
  CHECK_THAT(text, Catch::Matches("(.|\n)*d\\.test/\\{default\\} +10 +0 +10 +60 +10 +0 (.|\n)*"));
  const std::string json = json_report(r);
  CHECK_THAT(json, Catch::Contains("\"deferred_messages\": 10"));
  CHECK_THAT(json, Catch::Contains("\"deferrals\": 60"));
}

TEST_CASE("the achieved rate is shown only when the queue ran long enough to measure it") {
  const Result r = simulate("<domain slow.test>\n  max-msg-rate 60/m\n</domain>\n",
                            R"({"streams": [{"domain": "small.test", "messages": 3}, {"domain": "slow.test", "messages": 200}]})",
                            kPlainScenario);
  const QueueResult& small = queue(r, "small.test/{default}");
  const QueueResult& slow = queue(r, "slow.test/{default}");
  CHECK_FALSE(rate_measured(small, r.end_time));
  CHECK(rate_measured(slow, r.end_time));
  const std::string text = text_report(r);
  CHECK_THAT(text, Catch::Contains("n/a (3 messages)"));
  CHECK_THAT(text, Catch::Contains("60/m / 60/m"));
  const std::string json = json_report(r);
  CHECK_THAT(json, Catch::Contains("\"achieved_per_hour\": null"));
  // 200 deliveries from the first send (0.1 s) to the drain (199.3 s): 200 × 3600 / 199.2.
  CHECK_THAT(json, Catch::Contains("\"achieved_per_hour\": 3614.458"));
}

TEST_CASE("a connection peak above max-smtp-out is explained by the backoff limit that allowed it") {
  // Every second message on a connection gets a 421 that puts the queue into backoff; there
  // backoff-max-smtp-out (20 when unset) allows ten times max-smtp-out.
  const std::string config =
      "<smtp-pattern-list p>\n  reply /slow/ mode=backoff\n</smtp-pattern-list>\n"
      "<domain b.test>\n  max-smtp-out 2\n  smtp-pattern-list p\n";
  const std::string workload = R"({"streams": [{"domain": "b.test", "messages": 200}]})";
  const std::string scenario = R"({"default": {"throttle": [{"after_messages_per_connection": 1, "reply": "421 4.7.0 slow down"}]}})";
  SECTION("backoff-max-smtp-out unset: its default 20") {
    const Result r = simulate(config + "</domain>\n", workload, scenario);
    const QueueResult& q = queue(r, "b.test/{default}");
    CHECK(q.peak_connections > 2);
    CHECK(q.peak_connections <= 20);
    CHECK(q.peak_note == fmt::format("{} connections, above max-smtp-out 2 (dry.conf:5): reached in backoff, where "
                                     "backoff-max-smtp-out 20 (default) allows more",
                                     q.peak_connections));
    const std::string text = text_report(r);
    CHECK_THAT(text, Catch::Contains(fmt::format("{}* /", q.peak_connections)));
    CHECK_THAT(text, Catch::Contains("* connection peaks above max-smtp-out:\n  b.test/{default}: " + q.peak_note));
  }
  SECTION("backoff-max-smtp-out as tight as max-smtp-out: no peak above it") {
    const Result r = simulate(config + "  backoff-max-smtp-out 2\n</domain>\n", workload, scenario);
    const QueueResult& q = queue(r, "b.test/{default}");
    CHECK(q.peak_connections == 2);
    CHECK(q.peak_note.empty());
    CHECK_THAT(json_report(r), Catch::Contains("\"peak_note\": null"));
  }
}

TEST_CASE("{source-ip} in a scenario reply names the sending virtual MTA's address") {
  const std::string config =
      "<virtual-mta m1>\n  smtp-source-host 192.0.2.11 m1.example.net\n</virtual-mta>\n"
      "<virtual-mta m2>\n  smtp-source-host 192.0.2.12 m2.example.net\n</virtual-mta>\n"
      "<smtp-pattern-list p>\n  reply /deferred/ mode=backoff\n</smtp-pattern-list>\n"
      "<domain *>\n  max-smtp-out 1\n  smtp-pattern-list p\n  backoff-to-normal-after 1h\n</domain>\n";
  const Result r = simulate(config,
                            R"({"streams": [{"domain": "y.test", "messages": 5, "vmta": "m1"},
                                            {"domain": "y.test", "messages": 5, "vmta": "m2"}]})",
                            R"({"default": {"throttle": [{"after_messages_per_connection": 2,
                                 "reply": "421 4.7.0 [TSS04] Messages from {source-ip} temporarily deferred"}]}})");
  const QueueResult& m1 = queue(r, "y.test/m1");
  const QueueResult& m2 = queue(r, "y.test/m2");
  REQUIRE(m1.backoff.size() == 1);
  REQUIRE(m2.backoff.size() == 1);
  CHECK(m1.backoff[0].reply == "421 4.7.0 [TSS04] Messages from 192.0.2.11 temporarily deferred");
  CHECK(m2.backoff[0].reply == "421 4.7.0 [TSS04] Messages from 192.0.2.12 temporarily deferred");
}

TEST_CASE("the plot: log scales, identical curves drawn once with every name, queues not drawn named") {
  // A pool's two members get equal halves and identical curves; the small queue is drawn
  // only when there is room for it.
  const Result r = simulate("<virtual-mta a>\n</virtual-mta>\n<virtual-mta b>\n</virtual-mta>\n"
                            "<virtual-mta-pool p>\n  virtual-mta a\n  virtual-mta b\n</virtual-mta-pool>\n",
                            R"({"streams": [{"domain": "big.test", "messages": 2000, "vmta": "p"},
                                            {"domain": "small.test", "messages": 5, "vmta": "a"}]})",
                            kPlainScenario);
  std::ostringstream all, two;
  render_svg(r, all);
  render_svg(r, two, 2);
  CHECK_THAT(all.str(), Catch::Contains("(log scale)"));
  CHECK_THAT(all.str(), Catch::Contains(">big.test/a,</text>"));
  CHECK_THAT(all.str(), Catch::Contains(">big.test/b (same curve)</text>"));
  CHECK_THAT(all.str(), Catch::Contains(">small.test/a</text>"));
  CHECK_THAT(all.str(), !Catch::Contains("not drawn"));
  // The second curve (small.test/a) is dashed, so a curve close to the first stays visible.
  CHECK_THAT(all.str(), Catch::Contains("stroke-dasharray=\"6 4\""));
  CHECK_THAT(two.str(), Catch::Contains("not drawn (1 smaller queue):"));
  CHECK_THAT(two.str(), Catch::Contains(">small.test/a (5 messages)</text>"));
}

TEST_CASE("the planner's fallbacks are the knowledge base's defaults") {
  // An unreadable max-smtp-out and retry-after fall back to their defaults (20, 10m), as the
  // notes say.
  const std::string config = "<domain f.test>\n  max-smtp-out lots\n  retry-after soon\n</domain>\n";
  const Result r = simulate(config, R"({"streams": [{"domain": "f.test", "messages": 50}]})", kPlainScenario);
  const QueueResult& q = queue(r, "f.test/{default}");
  CHECK(q.peak_connections == 20);
  CHECK(std::find_if(r.notes.begin(), r.notes.end(), [](const std::string& n) {
          return n.starts_with("max-smtp-out 'lots' (dry.conf:2) is not valid; the engine uses 20");
        }) != r.notes.end());
  CHECK(std::find_if(r.notes.begin(), r.notes.end(), [](const std::string& n) {
          return n.starts_with("retry-after 'soon' (dry.conf:3) is not valid; the engine uses 600s");
        }) != r.notes.end());
}
