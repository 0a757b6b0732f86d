// The delivery engine on the simulator, with answers worked out by hand from the limits, the
// latencies and the engine's rules (one connection's messages go back to back; a rate spaces
// messages evenly; a failed connection puts the queue into retry-after).
#include <catch2/catch.hpp>

#include <sstream>

#include "delivery_support.h"

using namespace pmtalint;
using namespace pmtalint::delivery;
using pmtalint::test::kPlainScenario;
using pmtalint::test::queue;
using pmtalint::test::simulate;

TEST_CASE("a queue bound by max-msg-rate sends one message every 1/rate") {
  // 600/h = one message per 6 s; the first leaves when the connection is up at 0.1 s, the
  // 100th at 0.1 + 99 × 6 = 594.1 s and is accepted 0.2 s later.
  const Result r = simulate("<domain a.test>\n  max-msg-rate 600/h\n</domain>\n",
                            R"({"streams": [{"domain": "a.test", "messages": 100}]})", kPlainScenario);
  const QueueResult& q = queue(r, "a.test/{default}");
  CHECK(q.delivered == 100);
  CHECK(q.drained == Approx(594.3));
  CHECK(q.connections == 1);
  CHECK(q.peak_connections == 1);
  CHECK(q.bound_by == "max-msg-rate 600/h");
  CHECK(achieved_per_hour(q, r.end_time) == Approx(100 * 3600 / 594.2));
}

TEST_CASE("a queue bound by max-smtp-out and max-msg-per-connection") {
  // Four connections, five messages each: 1 s to connect + 5 × 0.5 s = 3.5 s per round of 20
  // messages; 100 messages = 5 rounds = 17.5 s and 20 connections.
  const Result r = simulate("<domain b.test>\n  max-smtp-out 4\n  max-msg-per-connection 5\n</domain>\n",
                            R"({"streams": [{"domain": "b.test", "messages": 100}]})",
                            R"({"default": {"connect_latency": 1, "message_latency": 0.5}})");
  const QueueResult& q = queue(r, "b.test/{default}");
  CHECK(q.delivered == 100);
  CHECK(q.connections == 20);
  CHECK(q.peak_connections == 4);
  CHECK(q.drained == Approx(17.5));
  CHECK(q.bound_by == "max-smtp-out 4 with max-msg-per-connection 5");
  CHECK(mean_connections(q, r.end_time) == Approx(4.0));  // always four open, from 0 to 17.5 s
}

TEST_CASE("a queue bound by max-connect-rate") {
  // 6/m: a connection every 10 s, each carrying 10 messages in 0.1 + 10 × 0.2 = 2.1 s; 50
  // messages need 5 connections, the last opened at 40 s and done at 42.1 s.
  const Result r = simulate("<domain c.test>\n  max-connect-rate 6/m\n  max-msg-per-connection 10\n</domain>\n",
                            R"({"streams": [{"domain": "c.test", "messages": 50}]})", kPlainScenario);
  const QueueResult& q = queue(r, "c.test/{default}");
  CHECK(q.delivered == 50);
  CHECK(q.connections == 5);
  CHECK(q.peak_connections == 1);
  CHECK(q.drained == Approx(42.1));
  CHECK(q.bound_by == "max-connect-rate 6/m");
}

TEST_CASE("failed connections follow retry-after until bounce-after") {
  // Ten connections at 0 (one per ready message), all refused at 0.1; then one probe at 600.1
  // and one at 1800.2; the next retry would be 3600.3, after bounce-after (1h from
  // injection): all ten messages bounce at 3600.
  const Result r = simulate("<domain r.test>\n  retry-after 10m,20m,30m\n  bounce-after 1h\n</domain>\n",
                            R"({"streams": [{"domain": "r.test", "messages": 10}]})",
                            R"({"default": {"connect_latency": 0.1, "greeting": "421 4.3.2 try again later"}})");
  const QueueResult& q = queue(r, "r.test/{default}");
  CHECK(q.connections == 12);
  CHECK(q.failed_connections == 12);
  CHECK(q.delivered == 0);
  CHECK(q.bounced == 10);
  CHECK(q.expired == 10);
  CHECK(q.drained == Approx(3600));
  CHECK(q.bound_by == "retry-after (waiting after failed connections or defer-queue)");
}

TEST_CASE("a 4xx reply sends the message back for retry-recipients-after") {
  // 451 for the third message of a connection; max-msg-per-connection 3 closes it at 0.7 s. A
  // second connection (0.7–1.0) takes the fourth. The deferred one returns at 300.7 s and is
  // delivered on a third connection at 300.8 + 0.2 = 301.0 s.
  const Result r = simulate("<domain t.test>\n  max-smtp-out 1\n  max-msg-per-connection 3\n  retry-recipients-after 5m\n</domain>\n",
                            R"({"streams": [{"domain": "t.test", "messages": 4}]})",
                            R"({"default": {"throttle": [{"after_messages_per_connection": 2, "reply": "451 4.7.1 slow down"}]}})");
  const QueueResult& q = queue(r, "t.test/{default}");
  CHECK(q.delivered == 4);
  CHECK(q.deferrals == 1);
  CHECK(q.connections == 3);
  CHECK(q.drained == Approx(301.0));
}

TEST_CASE("backoff: entered by a reply rule, its limits apply, left after backoff-to-normal-after") {
  const std::string config_base =
      "<smtp-pattern-list yahoo>\n  reply /TSS04/ mode=backoff\n</smtp-pattern-list>\n"
      "<domain y.test>\n  max-smtp-out 1\n  smtp-pattern-list yahoo\n  backoff-max-msg-rate 6/m\n"
      "  backoff-to-normal-after 5m\n  retry-recipients-after 10m\n";
  const std::string scenario =
      R"({"default": {"throttle": [{"after_messages_per_connection": 3, "reply": "421 4.7.0 [TSS04] deferred"}]}})";
  const std::string workload = R"({"streams": [{"domain": "y.test", "messages": 8}]})";

  SECTION("left when backoff-to-normal-after has passed") {
    // m1–m3 at 0.1–0.7, m4 gets the 421 at 0.9: backoff until 300.9. In backoff one message per
    // 10 s: m5 at 1.0, m6 at 11.0, m7 at 21.0, m8 at 31.0 (the 4th on that connection: 421).
    // m4 returns at 600.9 (delivered 601.2), m8 at 631.2 (delivered 631.5).
    const Result r = simulate(config_base + "</domain>\n", workload, scenario);
    const QueueResult& q = queue(r, "y.test/{default}");
    REQUIRE(q.backoff.size() == 1);
    CHECK(q.backoff[0].start == Approx(0.9));
    CHECK(q.backoff[0].end == Approx(300.9));
    CHECK(q.backoff[0].ended_by == "backoff-to-normal-after");
    CHECK(q.backoff[0].rule == "dry.conf:2 reply /TSS04/ mode=backoff");
    CHECK(q.delivered == 8);
    CHECK(q.deferrals == 2);
    CHECK(q.connections == 4);
    CHECK(q.drained == Approx(631.5));
    // A message ready and held back by the backoff rate from m5 (1.0) to m8 (31.0).
    CHECK(q.bound_seconds[static_cast<size_t>(Bound::MessageRate)] == Approx(30.0));
  }
  SECTION("left on the first delivery with backoff-to-normal-after-delivery") {
    // m5 is delivered at 1.2 in backoff: back to normal, m6 follows at once on that connection.
    const Result r = simulate(config_base + "  backoff-to-normal-after-delivery yes\n</domain>\n", workload, scenario);
    const QueueResult& q = queue(r, "y.test/{default}");
    REQUIRE(q.backoff.size() >= 1);
    CHECK(q.backoff[0].end == Approx(1.2));
    CHECK(q.backoff[0].ended_by == "a delivery (backoff-to-normal-after-delivery)");
    // Held by the backoff rate only while m5 was out (1.0–1.2).
    CHECK(q.bound_seconds[static_cast<size_t>(Bound::MessageRate)] == Approx(0.2));
  }
}

TEST_CASE("queue-to and <mx-rollup-list> roll several domains into one queue") {
  const std::string config =
      "domain-macro yahoo yahoo.com,ymail.com,rocketmail.com\n"
      "<domain $yahoo>\n  queue-to yahoo.rollup\n</domain>\n"
      "<domain yahoo.rollup>\n  max-smtp-out 2\n</domain>\n"
      "<mx-rollup-list>\n  mx *.google.com google.rollup\n</mx-rollup-list>\n"
      "<domain google.rollup>\n  max-smtp-out 1\n</domain>\n";
  const std::string scenario =
      R"({"providers": [{"name": "gsuite", "domains": ["hosted.test", "other.test"], "mx": "aspmx.l.google.com"}],
          "default": {"connect_latency": 0.1, "message_latency": 0.2}})";
  const Result r = simulate(config,
                            R"({"streams": [{"domain": "yahoo.com", "messages": 10}, {"domain": "ymail.com", "messages": 10},
                                            {"domain": "rocketmail.com", "messages": 10}, {"domain": "hosted.test", "messages": 3},
                                            {"domain": "other.test", "messages": 3}]})",
                            scenario);
  REQUIRE(r.queues.size() == 2);
  // 30 messages over 2 connections: 15 each, 0.1 + 15 × 0.2 = 3.1 s.
  const QueueResult& yahoo = queue(r, "yahoo.rollup/{default}");
  CHECK(yahoo.domains == std::vector<std::string>{"yahoo.com", "ymail.com", "rocketmail.com"});
  CHECK(yahoo.messages == 30);
  CHECK(yahoo.peak_connections == 2);
  CHECK(yahoo.drained == Approx(3.1));
  const QueueResult& google = queue(r, "google.rollup/{default}");
  CHECK(google.messages == 6);
  CHECK(google.peak_connections == 1);
}

TEST_CASE("a pool hands messages to its members in turn, and a VMTA cap is shared by its queues") {
  const std::string config =
      "<virtual-mta a>\n  max-smtp-out 2\n</virtual-mta>\n<virtual-mta b>\n</virtual-mta>\n<virtual-mta c>\n</virtual-mta>\n"
      "<virtual-mta-pool p>\n  virtual-mta a\n  virtual-mta b\n  virtual-mta c\n</virtual-mta-pool>\n";
  SECTION("round-robin") {
    const Result r = simulate(config, R"({"streams": [{"domain": "gmail.com", "messages": 10, "vmta": "p"}]})", kPlainScenario);
    CHECK(queue(r, "gmail.com/a").messages == 4);
    CHECK(queue(r, "gmail.com/b").messages == 3);
    CHECK(queue(r, "gmail.com/c").messages == 3);
  }
  SECTION("the virtual MTA's max-smtp-out caps all its queues together, and they share it") {
    // Two connections in all. q1 opens both at 0; q2 has none. At 0.3 q1's first message is
    // done and, over its share of one, it gives that connection up: q2 opens it (up at 0.4).
    // q1 sends its other nine on one connection (done at 0.3 + 8 × 0.2 = 1.9 s); q2 sends
    // from 0.4, gets q1's connection back at 1.9 (up at 2.0) and is done at 2.2 s.
    const Result r = simulate(config,
                              R"({"streams": [{"domain": "one.test", "messages": 10, "vmta": "a"},
                                              {"domain": "two.test", "messages": 10, "vmta": "a"}]})",
                              kPlainScenario);
    const QueueResult& one = queue(r, "one.test/a");
    const QueueResult& two = queue(r, "two.test/a");
    CHECK(one.drained == Approx(1.9));
    CHECK(two.first_send == Approx(0.4));
    CHECK(two.drained == Approx(2.2));
    CHECK(one.peak_connections + two.peak_connections == 4);
    CHECK(two.bound_by == "max-smtp-out 2 in <virtual-mta a> (dry.conf:2)");
  }
}

TEST_CASE("the same seed gives the same report, and reply shares follow the scenario") {
  const std::string scenario =
      R"({"default": {"replies": [{"share": 0.9, "reply": "250 ok"}, {"share": 0.1, "reply": "451 4.7.1 later"}]}})";
  const std::string workload = R"({"streams": [{"domain": "s.test", "messages": 2000}]})";
  const auto json = [&](uint64_t seed) {
    std::ostringstream out;
    render_json(simulate("", workload, scenario, seed), out);
    return out.str();
  };
  CHECK(json(7) == json(7));
  CHECK(json(7) != json(8));
  const Result r = simulate("", workload, scenario, 7);
  const QueueResult& q = queue(r, "s.test/{default}");
  CHECK(q.delivered == 2000);
  CHECK(q.deferrals > 150);  // 10 % of first attempts, and of retries: about 222
  CHECK(q.deferrals < 300);
}

TEST_CASE("disable-source-ip stops the virtual MTA until reenable-after") {
  // m1 and m2 are accepted (0.3, 0.5); m3 gets the 451 at 0.7: the IP is disabled until 600.7,
  // the open connection is closed, m4 waits. At 600.7 a new connection (up at 600.8) sends m4
  // (601.0) and m3, back since 60.7 (601.2).
  const Result r = simulate(
      "<smtp-pattern-list blocks>\n  reply /IP blocked/ disable-source-ip,reenable-after=10m\n</smtp-pattern-list>\n"
      "<domain d.test>\n  max-smtp-out 1\n  smtp-pattern-list blocks\n  retry-recipients-after 1m\n</domain>\n",
      R"({"streams": [{"domain": "d.test", "messages": 4}]})",
      R"({"default": {"throttle": [{"after_messages_per_connection": 2, "reply": "451 4.7.1 IP blocked"}]}})");
  const QueueResult& q = queue(r, "d.test/{default}");
  CHECK(q.delivered == 4);
  CHECK(q.deferrals == 1);
  CHECK(q.connections == 2);
  CHECK(q.drained == Approx(601.2));
  REQUIRE(q.events.size() == 1);
  CHECK(q.events[0].find("disabled until 600.7s") != std::string::npos);
  CHECK(q.bound_by == "disable-source-ip (the virtual MTA's source IP was disabled)");
}

TEST_CASE("bounce-rcpt and bounce-queue end messages instead of retrying them") {
  const std::string rules =
      "<smtp-pattern-list l>\n  reply /450 mailbox busy/ bounce-rcpt\n  reply /552/ bounce-queue\n</smtp-pattern-list>\n"
      "<domain b.test>\n  max-smtp-out 1\n  smtp-pattern-list l\n</domain>\n";
  SECTION("bounce-rcpt: a 4xx that would be retried bounces") {
    const Result r = simulate(rules, R"({"streams": [{"domain": "b.test", "messages": 3}]})",
                              R"({"default": {"throttle": [{"after_messages_per_connection": 1, "reply": "450 mailbox busy"}]}})");
    const QueueResult& q = queue(r, "b.test/{default}");
    CHECK(q.delivered == 1);
    CHECK(q.bounced == 2);
    CHECK(q.deferrals == 0);
  }
  SECTION("bounce-queue: the reply bounces every message still waiting") {
    const Result r = simulate(rules, R"({"streams": [{"domain": "b.test", "messages": 5}]})",
                              R"({"default": {"throttle": [{"after_messages_per_connection": 1, "reply": "552 mailbox full"}]}})");
    const QueueResult& q = queue(r, "b.test/{default}");
    CHECK(q.delivered == 1);
    CHECK(q.bounced == 4);  // m2 by its own 552, m3–m5 by bounce-queue
    CHECK(q.drained == Approx(0.5));
    REQUIRE(q.events.size() == 1);
    CHECK(q.events[0].find("bounce-queue bounced 3 waiting messages") != std::string::npos);
  }
}

TEST_CASE("MX hosts from DNS decide <mx-rollup-list> queues and mx_patterns providers") {
  // hosted.test's best MX (preference 10) is at Google; self.test has no MX (mail goes to the
  // domain itself); elsewhere.test is outside the zone files, so its MX is unknown.
  const std::string zone =
      "$ORIGIN test.\n$TTL 3600\n@ IN SOA ns.test. admin.test. 1 3600 600 86400 60\n@ IN NS ns.test.\n"
      "hosted IN MX 20 alt1.aspmx.l.google.com.\nhosted IN MX 10 aspmx.l.google.com.\nself IN A 192.0.2.7\n";
  const Result r = simulate("<mx-rollup-list>\n  mx *.google.com google.rollup\n</mx-rollup-list>\n",
                            R"({"streams": [{"domain": "hosted.test", "messages": 3}, {"domain": "self.test", "messages": 2},
                                            {"domain": "elsewhere.example", "messages": 1}]})",
                            R"({"providers": [{"name": "google", "mx_patterns": ["*.google.com"]}]})", 1, zone);
  const QueueResult& google = queue(r, "google.rollup/{default}");
  CHECK(google.domains == std::vector<std::string>{"hosted.test"});
  CHECK(google.provider == "google");
  CHECK(queue(r, "self.test/{default}").provider == "default");
  CHECK(queue(r, "elsewhere.example/{default}").messages == 1);
  REQUIRE(r.notes.size() == 2);
  CHECK(r.notes[1].find("the MX of 1 domain could not be looked up") == 0);
}

TEST_CASE("a source IP disabled for good: what waits bounces at bounce-after") {
  // m1 is delivered at 0.3; m2's 451 at 0.5 disables the IP with no reenable-after (and the
  // default reenable-source-ip-after never). m2 and m3, injected at 0, bounce at 2h.
  const Result r = simulate(
      "<smtp-pattern-list l>\n  reply /blocked/ disable-source-ip\n</smtp-pattern-list>\n"
      "<domain e.test>\n  max-smtp-out 1\n  smtp-pattern-list l\n  bounce-after 2h\n</domain>\n",
      R"({"streams": [{"domain": "e.test", "messages": 3}]})",
      R"({"default": {"throttle": [{"after_messages_per_connection": 1, "reply": "451 4.7.1 blocked"}]}})");
  const QueueResult& q = queue(r, "e.test/{default}");
  CHECK(q.delivered == 1);
  CHECK(q.bounced == 2);
  CHECK(q.expired == 2);
  CHECK(q.drained == Approx(7200));
  REQUIRE(q.events.size() == 1);
  CHECK(q.events[0].find("disabled for good") != std::string::npos);
}

TEST_CASE("workload input errors: a zero rate, numbers no double holds") {
  CHECK(!parse_workload(R"({"streams": [{"domain": "a.test", "messages": 5, "rate": "0/h"}]})"));
  CHECK(parse_workload(R"({"streams": [{"domain": "a.test", "messages": 5, "rate": "unlimited"}]})"));
  CHECK(!parse_workload("domain,messages,rate\na.test,5,0/h\n"));
  const auto huge = parse_workload(R"({"streams": [{"domain": "a.test", "messages": 1e400}]})");
  REQUIRE(!huge);
  CHECK(huge.error().find("overflow") != std::string::npos);
}
