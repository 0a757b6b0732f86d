#pragma once
// The configuration turned into what the engine needs: one queue per (queue domain, virtual
// MTA) that the workload reaches, with its limits in both modes, the connection groups it
// draws from (its virtual MTA, its pool, the global total), its reply rules, and the
// injections that fill it. Queue assignment follows PMTA: the stream's virtual MTA (or its
// source's default-virtual-mta), pools round-robin over their members, `queue-to`, and
// <mx-rollup-list> by the MX host the scenario gives a provider.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "base/expected.h"
#include "delivery/reply_rules.h"
#include "delivery/scenario.h"
#include "delivery/workload.h"
#include "dns/resolver.h"
#include "model/effective.h"
#include "model/model.h"

namespace pmtalint::delivery {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

struct ModeLimits {
  uint32_t max_smtp_out = 20;
  std::string max_smtp_out_origin = "default";  // "file:line" when configured, for the report
  double message_interval = 0;        // seconds between two messages; 0: no rate limit
  double connect_interval = 0;        // seconds between two connections; 0: no rate limit
  std::vector<double> retry_after;    // seconds, last repeats
  std::string message_rate = "unlimited";  // as configured, for the report
  std::string connect_rate = "unlimited";
};

struct QueuePlan {
  std::string name;                  // "gmail.com/mta1"
  std::string domain;                // the queue's domain after queue-to or rollup
  std::string vmta;                  // "{default}" when none
  std::vector<std::string> domains;  // recipient domains whose mail lands here
  std::vector<uint32_t> groups;      // connection groups it draws from
  uint32_t vmta_group = 0;           // the group of its virtual MTA (its source IP)
  size_t provider = 0;
  std::string helo;                  // the virtual MTA's host name, for EHLO
  std::string source_ip;             // its smtp-source-host address, for {source-ip} in scenario replies
  ModeLimits normal, backoff;
  uint32_t max_msg_per_connection = 0;  // 0: unlimited
  uint32_t max_rcpt_per_message = 1000;
  double retry_recipients_after = 0;  // set by the planner, from the knowledge base when unset
  double bounce_after = kNever;  // set by the planner, from the knowledge base when unset
  double backoff_to_normal_after = kNever;
  bool backoff_to_normal_after_delivery = false;
  double reenable_source_ip_after = kNever;
  bool use_starttls = true;
  bool require_starttls = false;
  int rules = -1;                    // index into Plan::rule_lists
  // The limits as `show settings` resolves them for the same queue (name, value), for the report.
  std::vector<std::pair<std::string, std::string>> settings;
};

struct ConnectionGroup {
  std::string name;   // "<virtual-mta mta1>", "<virtual-mta-pool p>", "total-max-smtp-out"
  uint32_t cap = 0;   // 0: unlimited
  std::string limit;  // "max-smtp-out 10 (config:12)", for "bound by"
};

struct Injection {
  uint32_t queue;
  uint32_t domain;  // index into the queue's domains
  uint64_t messages;
  double rate;   // per second; 0: all at `start`
  double start;
  uint32_t recipients;
};

struct Plan {
  std::vector<QueuePlan> queues;
  std::vector<ConnectionGroup> groups;
  std::vector<Injection> injections;
  std::vector<ReplyRules> rule_lists;
  std::vector<std::string> not_modelled;  // settings in play the engine does not simulate
  std::vector<std::string> notes;         // assumptions made while planning
};

// The limits of one queue as the planner reads them from its settings (both modes and
// connection reuse); a value it cannot read is noted in `notes` with what is used instead.
struct QueueLimits {
  ModeLimits normal, backoff;
  uint32_t max_msg_per_connection = 0;  // 0: unlimited
};
QueueLimits queue_limits(const Model& model, const QueueSettings& settings, std::vector<std::string>* notes = nullptr);

// The most messages per hour a queue can send in one mode: max-msg-rate, and max-connect-rate
// times max-msg-per-connection (each connection carries at most that many); kNever (infinity)
// when neither bounds it. max-smtp-out bounds concurrency, not the rate, without the receiver's
// latency.
double max_messages_per_hour(const ModeLimits& mode, uint32_t max_msg_per_connection);

// With a resolver, each domain's MX host comes from DNS (lowest preference; the domain itself
// when it has no MX record) and decides <mx-rollup-list> queues and `mx_patterns` providers.
expected<Plan, std::string> make_plan(const Model& model, const Workload& workload, const Scenario& scenario,
                                      Resolver* resolver = nullptr);

}  // namespace pmtalint::delivery
