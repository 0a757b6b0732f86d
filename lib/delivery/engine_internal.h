#pragma once
// The engine's state and the decisions it makes, one file per job: engine.cpp (the event loop,
// injection and the end of the run), engine_connections.cpp (connections and the caps shared
// by several queues), engine_schedule.cpp (what a queue does next), engine_replies.cpp (what a
// reply does to a message and a queue). Only those files include this header.
#include <deque>
#include <optional>
#include <vector>

#include "delivery/batch_store.h"
#include "delivery/engine.h"
#include "delivery/plot_series.h"
#include "delivery/timer_queue.h"

namespace pmtalint::delivery {

inline constexpr uint32_t kNoLimit = UINT32_MAX;

struct Feed {
  uint64_t remaining;   // transactions not injected yet
  double rate;          // transactions per second; 0: all at once
  double next_at;
  uint32_t domain;
  uint32_t recipients;  // per transaction
};

enum class ConnState : uint8_t { Connecting, Idle, Busy, Closed };

struct Conn {
  uint32_t queue = 0;
  uint32_t sent = 0;
  ConnState state = ConnState::Closed;
  Batch in_flight{};
};

struct QueueState {
  BatchStore messages;
  uint64_t in_flight = 0, unfed = 0;
  std::vector<Feed> feeds;
  double next_feed_at = kNever;  // kept apart from the feeds for the same reason as BatchStore's
  std::vector<uint32_t> idle;
  uint32_t open = 0, connecting = 0;
  uint32_t ceiling = kNoLimit;  // after a refused connection: no more than were open then
  double ceiling_until = 0;
  bool backoff = false;
  double backoff_exit = kNever;
  double retry_until = 0;
  uint32_t retry_index = 0;
  double next_message_at = 0, next_connect_at = 0;
  double wake_at = kNever;
  std::vector<double> timers;  // times this queue has entries for in the timer queue
  Bound blocked = Bound::Count;
  double blocked_since = 0;
  uint32_t blocking_group = 0;
  bool waiting_on_group = false;
  int64_t starved_in = -1;  // the group whose cap leaves it without any connection
  bool probing = false;
  double connections_changed = 0;
  uint64_t last_depth = 0;  // for the --plot series
};

struct GroupState {
  uint32_t open = 0;
  uint32_t holders = 0;  // queues with at least one connection counted here
  uint32_t starved = 0;  // queues with messages ready, no connection, refused by this cap
  double disabled_until = 0;
  // Queues refused by the cap, longest-waiting first: those without any connection are served
  // before those wanting one more.
  std::deque<uint32_t> starved_waiters, waiters;
};

class Engine {
 public:
  Engine(const Plan& plan, const Scenario& scenario, Backend& backend, const EngineOptions& options);
  Result run();

 private:
  // engine.cpp
  void add_feed(const Injection& in, uint64_t parts, uint32_t recipients);
  void progress() const;
  void wake(uint32_t qi, double at);
  void feed(uint32_t qi);
  void finish();
  // The clock as of the event being handled: read from the backend once per event (a virtual
  // call the hot path would otherwise make dozens of times), and one instant for every
  // decision an event leads to, also with a real-time backend.
  double now() const { return now_; }
  const ModeLimits& limits(uint32_t qi) const {
    return queues_[qi].backoff ? plan_.queues[qi].backoff : plan_.queues[qi].normal;
  }

  // engine_connections.cpp
  void count_connections(uint32_t qi);
  void open_connection(uint32_t qi);
  void close_connection(uint32_t id, bool tell_backend);
  void close_idle(uint32_t qi);
  void hand_on(uint32_t g);
  std::optional<Bound> group_refusal(uint32_t qi, double& wake_at);
  uint32_t fair_share(uint32_t g) const;
  bool yields(uint32_t qi) const;
  void set_starved(uint32_t qi, int64_t group);

  // engine_schedule.cpp
  void pump(uint32_t qi);
  void send(uint32_t qi, uint32_t id, const Batch& msg);
  void expired(uint32_t qi, uint64_t count);

  // engine_replies.cpp
  void handle(const Completion& c);
  const ReplyAction* rule_for(uint32_t qi, ReplyId reply);
  void apply(uint32_t qi, const ReplyAction& action, ReplyId reply);
  void defer(uint32_t qi, Batch msg);
  void bounce(uint32_t qi, uint64_t count, bool expired);
  void delivered(uint32_t qi);
  void check_drained(uint32_t qi);
  void enter_retry(uint32_t qi);
  void enter_backoff(uint32_t qi, const std::string& reply, const ReplyAction& action);
  void leave_backoff(uint32_t qi, std::string why);

  const Plan& plan_;
  Backend& backend_;
  const EngineOptions& options_;
  std::vector<QueueState> queues_;
  std::vector<bool> plotted_;  // queues with time series (--plot)
  std::vector<GroupState> groups_;
  std::vector<std::vector<std::pair<bool, const ReplyAction*>>> rule_cache_;  // [rule list][reply]
  std::vector<Conn> conns_;
  std::vector<uint32_t> free_conns_;
  TimerQueue timers_;
  double now_ = 0;
  uint64_t serial_ = 0, total_ = 0, finals_ = 0;
  bool skip_mx_noted_ = false;
  Result result_;
  PlotSeries series_{result_};
};

}  // namespace pmtalint::delivery
