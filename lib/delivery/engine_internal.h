#pragma once
// The engine's state and the decisions it makes, one file per job: engine.cpp (the event loop,
// injection and the end of the run), engine_connections.cpp (connections and the caps shared
// by several queues), engine_schedule.cpp (what a queue does next), engine_replies.cpp (what a
// reply does to a message and a queue). Only those files include this header.
#include <algorithm>
#include <array>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "delivery/batch_store.h"
#include "delivery/engine.h"
#include "delivery/plot_series.h"
#include "delivery/timer_queue.h"

namespace pmtalint::delivery {

inline constexpr uint32_t kNoLimit = UINT32_MAX;
inline constexpr uint32_t kNoConn = UINT32_MAX;

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
  // While idle: the queue's connection that turned idle before it. The queue's idle ones form
  // a stack through its connections, which every send reads anyway, instead of a vector of
  // their ids in an allocation of its own (a cache miss for every message).
  uint32_t next_idle = kNoConn;
  Batch in_flight{};
};

// Times a queue has entries for in the timer queue that have not fired yet, four at most:
// enough for its standing timers (bounce-after, a waiting message's retry, the next feed, the
// end of backoff) while rate timers come and go.
struct ArmedTimes {
  std::array<double, 4> times{-1, -1, -1, -1};

  // Whether `at`, later than `now`, has an entry already (a time after now has not fired). If
  // not, `at` is remembered in place of a time that has fired, or else of the earliest.
  // Written without early exits: it runs for most pumps, and a loop that branches on each
  // time costs a misprediction about as often as not.
  bool has(double at, double now) {
    const bool found = (times[0] == at) | (times[1] == at) | (times[2] == at) | (times[3] == at);
    if (found && at > now) return true;
    size_t replace = 0;
    for (size_t i = 1; i < times.size(); ++i) replace = times[i] < times[replace] ? i : replace;
    times[replace] = at;
    return false;
  }
};

// A queue draws from the total cap, its virtual MTA's and at most one pool's.
inline constexpr size_t kMaxGroups = 3;

// Aligned so the layout below falls on cache lines as planned.
struct alignas(64) QueueState {
  // Ordered by what a pump reads: a timer's pump of one of 10 000 queues finds its queue out of
  // the cache, and each line it touches is a miss. What every pump reads fills the first three
  // lines, the message store's counts the fourth; rarer and end-of-run fields come last.
  double wake_at = kNever;
  ArmedTimes armed;
  double next_message_at = 0;
  double bounce_after = kNever;
  double next_feed_at = kNever;  // kept apart from the feeds for the same reason as BatchStore's

  // The plan's connection groups of the queue, copied here: they are read for every message,
  // and the plan keeps them in an allocation of their own per queue, a cache miss each time.
  std::array<uint32_t, kMaxGroups> group_ids{};
  uint32_t group_count = 0;
  std::span<const uint32_t> groups() const { return {group_ids.data(), group_count}; }
  uint32_t open = 0, connecting = 0;
  uint32_t vmta_group = 0;
  uint32_t idle = kNoConn;  // the last connection to turn idle; each links to the one before
  uint32_t blocking_group = 0;
  uint32_t ceiling = kNoLimit;  // after a refused connection: no more than were open then
  Bound blocked = Bound::Count;
  bool backoff = false;
  bool probing = false;
  bool waiting_on_group = false;
  double retry_until = 0;
  double ceiling_until = 0;

  // What every message reads from the rest of the queue's plan, copied for the same reason:
  // the plan spreads it over eight cache lines.
  struct Pace {
    uint32_t max_smtp_out;
    double message_interval, connect_interval;
  };
  std::array<Pace, 2> paces{};  // normal, backoff
  int64_t starved_in = -1;  // the group whose cap leaves it without any connection
  double blocked_since = 0;

  BatchStore messages;

  // Read for every message sent or answered.
  uint64_t in_flight = 0, unfed = 0;
  uint32_t first_domain = 0;  // its recipient domains' place in Engine::domains_
  uint32_t max_msg_per_connection = 0;
  // Tallies the queue's result takes over at the end of the run: kept here, next to what
  // every message reads anyway, they spare each message a cache miss in the result.
  uint64_t delivered = 0;
  double first_send = -1;
  std::array<double, kBoundCount> bound_seconds{};

  double backoff_exit = kNever;
  uint32_t retry_index = 0;
  double next_connect_at = 0;
  double connections_changed = 0;
  uint64_t last_depth = 0;  // for the --plot series
  std::vector<Feed> feeds;
};

struct GroupState {
  uint32_t cap = 0;  // the plan's, next to the counts it is compared with; 0: no cap
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
  // The small steps every message or decision takes are defined here, so the compiler inlines
  // them across the files.

  // Timers are not removed when superseded; a queue re-arming a time it still has in the
  // queue (a waiting message's retry between rate timers, say) reuses that entry instead of
  // piling up copies. A copy that does get in costs only its place: of the entries for one
  // queue and time, only the one found equal to wake_at pumps.
  void wake(uint32_t qi, double at) {
    QueueState& q = queues_[qi];
    if (at >= q.wake_at) return;
    q.wake_at = at;
    if (q.armed.has(at, now())) return;
    timers_.push({at, qi});
  }

  // The queue's idle connections, last idle first.
  void push_idle(uint32_t qi, uint32_t id) {
    conns_[id].state = ConnState::Idle;
    conns_[id].next_idle = queues_[qi].idle;
    queues_[qi].idle = id;
  }
  uint32_t pop_idle(uint32_t qi) {
    const uint32_t id = queues_[qi].idle;
    queues_[qi].idle = conns_[id].next_idle;
    return id;
  }

  // Events of 10 000 queues find each queue's state out of the cache: the state of a queue a
  // few events on is fetched while the events before it are handled. The lines are those a
  // pump and a completion read (see QueueState).
  void prefetch_queue(uint32_t qi) const {
    if (qi >= queues_.size()) return;
    const char* at = reinterpret_cast<const char*>(&queues_[qi]);
    for (const size_t line : {0, 64, 128, 192, 384, 448}) __builtin_prefetch(at + line);
  }
  // In two stages: the connection of an outcome a few on now, its queue at the next event,
  // when the connection (which names the queue) has arrived.
  void prefetch_outcome(uint32_t conn) {
    const uint32_t fetched = conn_fetched_;
    conn_fetched_ = conn;
    if (conn < conns_.size()) __builtin_prefetch(&conns_[conn]);
    if (fetched < conns_.size()) prefetch_queue(conns_[fetched].queue);
  }

  // Injection runs when a feed is due, which a check of one number tells.
  void feed(uint32_t qi) {
    if (queues_[qi].next_feed_at <= now()) inject(qi);
  }

  // A share rounded up, so shares that add up to more than the cap leave nobody over theirs and
  // connections are not passed round for ever.
  uint32_t fair_share(uint32_t g) const {
    const uint32_t users = std::max<uint32_t>(1, groups_[g].holders + groups_[g].starved);
    return (groups_[g].cap + users - 1) / users;
  }

  // Whether the queue gives up a connection that just finished a message: it holds more than
  // its share of a full cap that leaves another queue with none.
  bool yields(uint32_t qi) const {
    const QueueState& q = queues_[qi];
    for (const uint32_t g : q.groups()) {
      const uint32_t cap = groups_[g].cap;
      if (cap != 0 && groups_[g].starved > 0 && groups_[g].open >= cap && q.open > fair_share(g)) return true;
    }
    return false;
  }

  // Counts the queue as starved in `group` (-1: in none): refused by that cap with messages
  // ready and no connection.
  void set_starved(uint32_t qi, int64_t group) {
    QueueState& q = queues_[qi];
    if (q.starved_in == group) return;
    if (q.starved_in >= 0) --groups_[static_cast<size_t>(q.starved_in)].starved;
    if (group >= 0) ++groups_[static_cast<size_t>(group)].starved;
    q.starved_in = group;
  }

  // A slot is handed on only when the cap has one free and some queue waits for it.
  void hand_on(uint32_t g) {
    const GroupState& group = groups_[g];
    if (group.cap != 0 && group.open >= group.cap) return;
    if (!group.starved_waiters.empty() || !group.waiters.empty()) pass_slot(g);
  }

  // engine.cpp
  void add_feed(const Injection& in, uint64_t parts, uint32_t recipients);
  void progress() const;
  void inject(uint32_t qi);
  void finish();
  // The clock as of the event being handled: read from the backend once per event (a virtual
  // call the hot path would otherwise make dozens of times), and one instant for every
  // decision an event leads to, also with a real-time backend.
  double now() const { return now_; }
  const QueueState::Pace& pace(uint32_t qi) const { return queues_[qi].paces[queues_[qi].backoff ? 1 : 0]; }
  const ModeLimits& limits(uint32_t qi) const {
    return queues_[qi].backoff ? plan_.queues[qi].backoff : plan_.queues[qi].normal;
  }

  // engine_connections.cpp
  void count_connections(uint32_t qi);
  void open_connection(uint32_t qi);
  void close_connection(uint32_t id, bool tell_backend);
  void close_idle(uint32_t qi);
  void pass_slot(uint32_t g);
  std::optional<Bound> group_refusal(uint32_t qi, double& wake_at);

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
  // Every queue's recipient domains side by side, for the transactions: the plan keeps each
  // queue's in an allocation of its own, a cache miss for every message.
  std::vector<std::string_view> domains_;
  std::vector<bool> plotted_;  // queues with time series (--plot)
  std::vector<GroupState> groups_;
  std::vector<std::vector<std::pair<bool, const ReplyAction*>>> rule_cache_;  // [rule list][reply]
  std::vector<Conn> conns_;
  std::vector<uint32_t> free_conns_;
  uint32_t conn_fetched_ = UINT32_MAX;  // prefetch_outcome's first stage
  TimerQueue timers_;
  double now_ = 0;
  uint64_t serial_ = 0, total_ = 0, finals_ = 0;
  bool skip_mx_noted_ = false;
  Result result_;
  PlotSeries series_{result_};
};

}  // namespace pmtalint::delivery
