#pragma once
// What a dry run found, per queue and in total: the figures of the report, independent of how
// it is printed (text, JSON, SVG).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pmtalint::delivery {

// The queues --plot draws: those with the most messages (ties in plan order). Only these get
// time series, so a run with 100 000 queues does not hold 100 000 series nobody draws.
inline constexpr size_t kPlottedQueues = 8;

// Why a queue with messages ready did not send more at some moment.
enum class Bound : uint8_t {
  MessageRate,      // max-msg-rate (or its backoff twin)
  QueueConnections, // the queue's max-smtp-out: every allowed connection busy
  GroupConnections, // a virtual MTA's, pool's or the global connection cap
  ConnectRate,      // max-connect-rate
  RetryWait,        // waiting out retry-after after a failed connection or defer-queue
  SourceDisabled,   // disable-source-ip
  Count
};
inline constexpr size_t kBoundCount = static_cast<size_t>(Bound::Count);

struct BackoffEpisode {
  double start = 0;
  double end = -1;     // -1: still in backoff when the run ended
  std::string reply;   // the reply that triggered it
  std::string rule;    // the smtp-pattern-list rule, "file:line reply /…/ …"
  std::string ended_by;
};

struct QueueResult {
  std::string name;
  std::vector<std::string> domains;
  std::string vmta;
  std::string provider;
  uint64_t messages = 0;      // SMTP transactions (a message split by max-rcpt-per-message counts each part)
  uint64_t delivered = 0;
  uint64_t bounced = 0;       // 5xx replies, bounce-rcpt, bounce-queue and bounce-after
  uint64_t expired = 0;       // of which bounce-after
  uint64_t deferrals = 0;     // 4xx replies: each one sends a message back to wait
  uint64_t deferred_messages = 0;  // messages deferred at least once
  uint64_t pending = 0;       // not final when the run ended
  uint64_t connections = 0;   // opened
  uint64_t failed_connections = 0;
  uint32_t peak_connections = 0;
  std::string peak_note;      // why the peak is above max-smtp-out; "" when it is not
  double connection_seconds = 0;  // integral of open connections over time
  double first_open = -1;     // when its first connection was opened
  double first_send = -1;
  double drained = -1;        // when the last message became final; -1 if never
  std::array<double, kBoundCount> bound_seconds{};
  std::string bound_by;       // the limit that held the queue back longest, in words
  std::string configured_rate;
  std::vector<BackoffEpisode> backoff;
  std::vector<std::string> events;  // source IP disabled/enabled, bounce-queue, …
  std::vector<std::pair<std::string, std::string>> settings;  // the queue's limits (QueuePlan::settings)
  // Per time bucket (Result::bucket_seconds wide): deliveries and the largest queue depth.
  std::vector<uint32_t> delivered_series;
  std::vector<uint64_t> depth_series;
};

struct Result {
  std::string backend;
  uint64_t seed = 0;
  double end_time = 0;        // simulated seconds when the run ended
  bool horizon_reached = false;
  double horizon = 0;
  uint64_t events = 0;        // completions handled
  double bucket_seconds = 1;
  std::vector<QueueResult> queues;
  std::vector<std::string> not_modelled;
  std::vector<std::string> notes;
};

}  // namespace pmtalint::delivery
