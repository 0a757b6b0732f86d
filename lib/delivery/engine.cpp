#include "delivery/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>

namespace pmtalint::delivery {
namespace {

constexpr size_t kMaxBuckets = 400;  // per series; buckets double in width beyond that
constexpr uint32_t kNoLimit = UINT32_MAX;

// Messages that share their injection time, domain and readiness travel as one batch, so a
// queue of a million identical messages is one entry, not a million.
struct Batch {
  double ready_at;
  double injected;
  uint64_t count;
  uint32_t domain;
  uint32_t recipients;
};

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
  std::deque<Batch> ready;
  std::deque<Batch> waiting;  // sorted by ready_at
  uint64_t ready_count = 0, waiting_count = 0, in_flight = 0, unfed = 0;
  std::vector<Feed> feeds;
  // The next times the two lists need a look, kept here so a pump of one of 10 000 queues does
  // not touch their memory (a cache miss each) when nothing is due.
  double next_waiting_at = kNever;
  double next_feed_at = kNever;
  // No batch was injected earlier (exact after each expiry scan, a lower bound in between:
  // sending only removes batches), so bounce-after is checked without walking the lists.
  double oldest_injected = kNever;
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
  std::vector<double> timers;  // times this queue has entries for in the timer heap
  Bound blocked = Bound::Count;
  double blocked_since = 0;
  uint32_t blocking_group = 0;
  bool waiting_on_group = false;
  bool probing = false;
  double connections_changed = 0;
  uint64_t last_depth = 0;  // for the --plot series
};

struct GroupState {
  uint32_t open = 0;
  double disabled_until = 0;
  std::deque<uint32_t> waiters;
};

// Ties are broken by queue index, which keeps runs reproducible; a queue never has two entries
// for one time (see Engine::wake). 16 bytes, so the heap of 10 000 queues stays in cache.
struct Timer {
  double time;
  uint32_t queue;
  bool operator<(const Timer& o) const { return time != o.time ? time < o.time : queue < o.queue; }
};

// A 4-ary min-heap: half the levels of a binary heap, and the four children of a node share a
// cache line, which is what a heap of 10 000 queues' timers spends its time on.
class TimerHeap {
 public:
  bool empty() const { return items_.empty(); }
  const Timer& top() const { return items_.front(); }

  void push(Timer t) {
    size_t i = items_.size();
    items_.push_back(t);
    while (i > 0 && t < items_[(i - 1) / 4]) {
      items_[i] = items_[(i - 1) / 4];
      i = (i - 1) / 4;
    }
    items_[i] = t;
  }

  void pop() {
    const Timer last = items_.back();
    items_.pop_back();
    if (items_.empty()) return;
    size_t i = 0;
    for (;;) {
      const size_t first = 4 * i + 1;
      if (first >= items_.size()) break;
      size_t best = first;
      for (size_t c = first + 1; c < std::min(first + 4, items_.size()); ++c)
        if (items_[c] < items_[best]) best = c;
      if (!(items_[best] < last)) break;
      items_[i] = items_[best];
      i = best;
    }
    items_[i] = last;
  }

 private:
  std::vector<Timer> items_;
};

class Engine {
 public:
  Engine(const Plan& plan, const Scenario& scenario, Backend& backend, const EngineOptions& options)
      : plan_(plan), backend_(backend), options_(options), queues_(plan.queues.size()), groups_(plan.groups.size()),
        rule_cache_(plan.rule_lists.size()) {
    result_.backend = std::string(backend.name());
    result_.seed = options.seed;
    result_.horizon = options.horizon;
    result_.not_modelled = plan.not_modelled;
    result_.notes = plan.notes;
    result_.queues.resize(plan.queues.size());
    for (size_t i = 0; i < plan.queues.size(); ++i) {
      const QueuePlan& p = plan.queues[i];
      QueueResult& r = result_.queues[i];
      r.name = p.name;
      r.domains = p.domains;
      r.vmta = p.vmta;
      r.provider = scenario.providers[p.provider].name;
      r.configured_rate = p.normal.message_rate;
      r.settings = p.settings;
    }
    for (const Injection& in : plan.injections) {
      // More recipients than max-rcpt-per-message: full transactions of that many, then one
      // with the rest, as PMTA splits a message.
      const uint32_t cap = plan.queues[in.queue].max_rcpt_per_message;
      const uint32_t per_tx = cap == 0 ? in.recipients : std::min(in.recipients, cap);
      add_feed(in, in.recipients / per_tx, per_tx);
      if (in.recipients % per_tx) add_feed(in, 1, in.recipients % per_tx);
      wake(in.queue, in.start);
    }
    // The queues render_svg draws: most messages first, ties in plan order (its stable sort).
    plotted_.assign(queues_.size(), false);
    if (options.record_series) {
      std::vector<uint32_t> order(queues_.size());
      for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
      const size_t n = std::min(order.size(), kPlottedQueues);
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), [&](uint32_t a, uint32_t b) {
        const uint64_t ma = result_.queues[a].messages, mb = result_.queues[b].messages;
        return ma != mb ? ma > mb : a < b;
      });
      for (size_t i = 0; i < n; ++i) plotted_[order[i]] = true;
    }
  }

  void add_feed(const Injection& in, uint64_t parts, uint32_t recipients) {
    const uint64_t transactions = in.messages * parts;
    QueueState& q = queues_[in.queue];
    q.feeds.push_back({transactions, in.rate * static_cast<double>(parts), in.start, in.domain, recipients});
    if (transactions > 0) q.next_feed_at = std::min(q.next_feed_at, in.start);
    q.unfed += transactions;
    result_.queues[in.queue].messages += transactions;
    total_ += transactions;
  }

  Result run() {
    uint64_t next_progress = 1 << 16;
    while (finals_ < total_) {
      const double timer = timers_.empty() ? kNever : timers_.top().time;
      auto c = backend_.next(std::min(timer, options_.horizon));
      now_ = backend_.now();
      if (c) {
        ++result_.events;
        handle(*c);
        if (result_.events >= next_progress || backend_.real_time()) {
          next_progress = result_.events + (1 << 16);
          progress();
        }
        continue;
      }
      if (now_ >= options_.horizon) {
        result_.horizon_reached = true;
        break;
      }
      if (timers_.empty()) break;
      while (!timers_.empty() && timers_.top().time <= now_) {
        const Timer t = timers_.top();
        timers_.pop();
        auto& armed = queues_[t.queue].timers;
        armed.erase(std::find(armed.begin(), armed.end(), t.time));
        if (t.time != queues_[t.queue].wake_at) continue;  // superseded by an earlier wake
        queues_[t.queue].wake_at = kNever;
        pump(t.queue);
      }
      if (backend_.real_time()) progress();
    }
    finish();
    return std::move(result_);
  }

 private:
  // The clock as of the event being handled: read from the backend once per event (a virtual
  // call the hot path would otherwise make dozens of times), and one instant for every decision
  // an event leads to, also with a real-time backend.
  double now() const { return now_; }

  void progress() const {
    if (options_.progress) options_.progress(finals_, total_, now());
  }

  // Timers are not removed when superseded; a queue re-arming a time it already has in the
  // heap (a far bounce-after, say) reuses that entry instead of piling up copies.
  void wake(uint32_t qi, double at) {
    QueueState& q = queues_[qi];
    if (at >= q.wake_at) return;
    q.wake_at = at;
    if (std::find(q.timers.begin(), q.timers.end(), at) != q.timers.end()) return;
    q.timers.push_back(at);
    timers_.push({at, qi});
  }

  const ModeLimits& limits(uint32_t qi) const {
    return queues_[qi].backoff ? plan_.queues[qi].backoff : plan_.queues[qi].normal;
  }

  // ---- the messages of a queue

  void feed(uint32_t qi) {
    QueueState& q = queues_[qi];
    if (q.next_feed_at > now()) return;
    q.next_feed_at = kNever;
    for (Feed& f : q.feeds) {
      while (f.remaining > 0 && f.next_at <= now()) {
        // A rate feeds a second's worth at a time (or one message when slower), which keeps
        // batches few without changing any rate-limited outcome by more than a second.
        const double step = f.rate > 0 ? std::max(1.0 / f.rate, 1.0) : 0;
        const uint64_t n = f.rate > 0 ? std::min<uint64_t>(f.remaining, std::max<uint64_t>(1, static_cast<uint64_t>(f.rate * step))) : f.remaining;
        push_ready(q, {f.next_at, f.next_at, n, f.domain, f.recipients});
        f.remaining -= n;
        q.unfed -= n;
        f.next_at += step;
      }
      if (f.remaining > 0) q.next_feed_at = std::min(q.next_feed_at, f.next_at);
    }
  }

  static void waiting_changed(QueueState& q) { q.next_waiting_at = q.waiting.empty() ? kNever : q.waiting.front().ready_at; }

  static void push_ready(QueueState& q, const Batch& b) {
    q.oldest_injected = std::min(q.oldest_injected, b.injected);
    if (!q.ready.empty()) {
      Batch& last = q.ready.back();
      if (last.injected == b.injected && last.domain == b.domain && last.recipients == b.recipients) {
        last.count += b.count;
        q.ready_count += b.count;
        return;
      }
    }
    q.ready.push_back(b);
    q.ready_count += b.count;
  }

  // Waiting messages whose time has come rejoin the queue, unless bounce-after ended their wait.
  void release_waiting(uint32_t qi) {
    QueueState& q = queues_[qi];
    if (q.next_waiting_at > now()) return;
    while (!q.waiting.empty() && q.waiting.front().ready_at <= now()) {
      const Batch b = q.waiting.front();
      q.waiting.pop_front();
      q.waiting_count -= b.count;
      if (now() >= b.injected + plan_.queues[qi].bounce_after) bounce(qi, b.count, true);
      else push_ready(q, b);
    }
    waiting_changed(q);
  }

  std::optional<Batch> take(uint32_t qi) {
    QueueState& q = queues_[qi];
    const double bounce_after = plan_.queues[qi].bounce_after;
    while (!q.ready.empty()) {
      Batch& b = q.ready.front();
      if (now() >= b.injected + bounce_after) {
        q.ready_count -= b.count;
        bounce(qi, b.count, true);
        q.ready.pop_front();
        continue;
      }
      Batch one = b;
      one.count = 1;
      --q.ready_count;
      if (--b.count == 0) q.ready.pop_front();
      return one;
    }
    return std::nullopt;
  }

  // Waiting messages past bounce-after, found while the queue cannot send (retry, caps).
  void expire_waiting(uint32_t qi) {
    QueueState& q = queues_[qi];
    const double bounce_after = plan_.queues[qi].bounce_after;
    q.oldest_injected = kNever;
    for (auto* list : {&q.ready, &q.waiting}) {
      std::deque<Batch> kept;
      for (const Batch& b : *list) {
        if (now() >= b.injected + bounce_after) {
          (list == &q.ready ? q.ready_count : q.waiting_count) -= b.count;
          bounce(qi, b.count, true);
        } else {
          kept.push_back(b);
          q.oldest_injected = std::min(q.oldest_injected, b.injected);
        }
      }
      list->swap(kept);
    }
    waiting_changed(q);
  }

  void defer(uint32_t qi, Batch msg) {
    QueueState& q = queues_[qi];
    const QueuePlan& p = plan_.queues[qi];
    ++result_.queues[qi].deferrals;
    msg.ready_at = std::min(now() + p.retry_recipients_after, msg.injected + p.bounce_after);
    if (msg.ready_at <= now()) {
      bounce(qi, 1, true);
      return;
    }
    auto it = q.waiting.end();
    while (it != q.waiting.begin() && std::prev(it)->ready_at > msg.ready_at) --it;
    if (it != q.waiting.begin()) {
      Batch& before = *std::prev(it);
      if (before.ready_at == msg.ready_at && before.injected == msg.injected && before.domain == msg.domain) {
        ++before.count;
        ++q.waiting_count;
        return;
      }
    }
    q.waiting.insert(it, msg);
    ++q.waiting_count;
    q.oldest_injected = std::min(q.oldest_injected, msg.injected);
    waiting_changed(q);
  }

  void bounce(uint32_t qi, uint64_t count, bool expired) {
    QueueResult& r = result_.queues[qi];
    r.bounced += count;
    if (expired) r.expired += count;
    finals_ += count;
    check_drained(qi);
  }

  void delivered(uint32_t qi) {
    QueueResult& r = result_.queues[qi];
    ++r.delivered;
    ++finals_;
    if (options_.record_series) {
      const size_t b = bucket();  // on every event, so the bucket width is what it always was
      if (plotted_[qi]) {
        if (r.delivered_series.size() <= b) r.delivered_series.resize(b + 1);
        ++r.delivered_series[b];
      }
    }
    check_drained(qi);
  }

  void check_drained(uint32_t qi) {
    const QueueState& q = queues_[qi];
    if (q.ready_count == 0 && q.waiting_count == 0 && q.in_flight == 0 && q.unfed == 0) result_.queues[qi].drained = now();
  }

  // ---- time series for --plot

  size_t bucket() {
    auto index = static_cast<size_t>(now() / result_.bucket_seconds);
    while (index >= kMaxBuckets) {
      result_.bucket_seconds *= 2;
      for (QueueResult& r : result_.queues) {
        for (size_t i = 0; i < r.delivered_series.size(); ++i)
          r.delivered_series[i / 2] = (i % 2 ? r.delivered_series[i / 2] : 0) + r.delivered_series[i];
        r.delivered_series.resize((r.delivered_series.size() + 1) / 2);
        for (size_t i = 0; i < r.depth_series.size(); ++i)
          r.depth_series[i / 2] = i % 2 ? std::max(r.depth_series[i / 2], r.depth_series[i]) : r.depth_series[i];
        r.depth_series.resize((r.depth_series.size() + 1) / 2);
      }
      index = static_cast<size_t>(now() / result_.bucket_seconds);
    }
    return index;
  }

  void record_depth(uint32_t qi) {
    QueueState& q = queues_[qi];
    QueueResult& r = result_.queues[qi];
    const size_t b = bucket();
    const uint64_t depth = q.ready_count + q.waiting_count + q.in_flight;
    // Buckets without an event keep the depth the queue last had, not an earlier bucket's peak.
    if (r.depth_series.size() <= b) r.depth_series.resize(b + 1, q.last_depth);
    r.depth_series[b] = std::max(r.depth_series[b], depth);
    q.last_depth = depth;
  }

  // ---- connections

  void count_connections(uint32_t qi) {
    QueueState& q = queues_[qi];
    result_.queues[qi].connection_seconds += q.open * (now() - q.connections_changed);
    q.connections_changed = now();
  }

  void open_connection(uint32_t qi) {
    QueueState& q = queues_[qi];
    const QueuePlan& p = plan_.queues[qi];
    uint32_t id;
    if (!free_conns_.empty()) {
      id = free_conns_.back();
      free_conns_.pop_back();
    } else {
      id = static_cast<uint32_t>(conns_.size());
      conns_.emplace_back();
    }
    conns_[id] = {qi, 0, ConnState::Connecting, {}};
    count_connections(qi);
    ++q.open;
    ++q.connecting;
    for (const uint32_t g : p.groups) ++groups_[g].open;
    QueueResult& r = result_.queues[qi];
    if (r.first_open < 0) r.first_open = now();
    ++r.connections;
    r.peak_connections = std::max(r.peak_connections, q.open);
    backend_.open(id, {qi, p.provider, p.vmta_group, p.helo, p.use_starttls, p.require_starttls});
  }

  void close_connection(uint32_t id, bool tell_backend) {
    Conn& c = conns_[id];
    const uint32_t qi = c.queue;
    QueueState& q = queues_[qi];
    count_connections(qi);
    --q.open;
    if (c.state == ConnState::Connecting) --q.connecting;
    c.state = ConnState::Closed;
    free_conns_.push_back(id);
    if (tell_backend) backend_.close(id);
    for (const uint32_t g : plan_.queues[qi].groups) {
      --groups_[g].open;
      hand_on(g);
    }
  }

  // A freed slot in a connection group goes to the longest-waiting queue; waking them all
  // would cost every waiting queue a pump per closed connection.
  void hand_on(uint32_t g) {
    GroupState& group = groups_[g];
    const uint32_t cap = plan_.groups[g].cap;
    if (group.waiters.empty() || (cap != 0 && group.open >= cap)) return;
    const uint32_t waiter = group.waiters.front();
    group.waiters.pop_front();
    queues_[waiter].waiting_on_group = false;
    wake(waiter, now());
  }

  void close_idle(uint32_t qi) {
    QueueState& q = queues_[qi];
    while (!q.idle.empty()) {
      const uint32_t id = q.idle.back();
      q.idle.pop_back();
      close_connection(id, true);
    }
  }

  void send(uint32_t qi, uint32_t id, const Batch& msg) {
    Conn& c = conns_[id];
    c.state = ConnState::Busy;
    c.in_flight = msg;
    ++queues_[qi].in_flight;
    QueueResult& r = result_.queues[qi];
    if (r.first_send < 0) r.first_send = now();
    backend_.send(id, {plan_.queues[qi].domains[msg.domain], msg.recipients, serial_++});
  }

  // Whether a connection group lets the queue open one more connection; records why not.
  std::optional<Bound> group_refusal(uint32_t qi, double& wake_at) {
    const QueuePlan& p = plan_.queues[qi];
    QueueState& q = queues_[qi];
    if (groups_[p.vmta_group].disabled_until > now()) {
      wake_at = std::min(wake_at, groups_[p.vmta_group].disabled_until);
      return Bound::SourceDisabled;
    }
    for (const uint32_t g : p.groups) {
      const uint32_t cap = plan_.groups[g].cap;
      if (cap == 0 || groups_[g].open < cap) continue;
      q.blocking_group = g;
      if (!q.waiting_on_group) {
        q.waiting_on_group = true;
        groups_[g].waiters.push_back(qi);
      }
      return Bound::GroupConnections;
    }
    return std::nullopt;
  }

  // ---- the scheduling decision, made again whenever something about the queue changes

  void pump(uint32_t qi) {
    QueueState& q = queues_[qi];
    feed(qi);
    release_waiting(qi);
    if (q.backoff && now() >= q.backoff_exit) leave_backoff(qi, "backoff-to-normal-after");
    const ModeLimits& lim = limits(qi);
    std::optional<Bound> bound;
    double wake_at = kNever;
    // A disabled source IP sends nothing, not even on connections already open.
    const double disabled_until = groups_[plan_.queues[qi].vmta_group].disabled_until;
    if (disabled_until > now() && q.ready_count > 0) {
      bound = Bound::SourceDisabled;
      wake_at = disabled_until;
      close_idle(qi);
    }
    while (!bound && !q.idle.empty() && q.ready_count > 0) {
      if (lim.message_interval > 0 && now() < q.next_message_at) {
        bound = Bound::MessageRate;
        wake_at = q.next_message_at;
        break;
      }
      const auto msg = take(qi);
      if (!msg) break;
      const uint32_t id = q.idle.back();
      q.idle.pop_back();
      send(qi, id, *msg);
      if (lim.message_interval > 0) q.next_message_at = std::max(q.next_message_at, now()) + lim.message_interval;
    }
    if (q.ready_count == 0) close_idle(qi);
    while (!bound && q.idle.empty() && q.ready_count > q.connecting) {
      if (now() < q.retry_until) {
        bound = Bound::RetryWait;
        wake_at = q.retry_until;
        break;
      }
      if (lim.message_interval > 0 && now() < q.next_message_at) {
        bound = Bound::MessageRate;
        wake_at = q.next_message_at;
        break;
      }
      // Under a rate only one message is due at a time: the connection being opened takes it.
      if (lim.message_interval > 0 && q.connecting > 0) break;
      // After a refused connection the queue probes with one connection until one succeeds.
      if (q.probing && q.connecting > 0) break;
      uint32_t cap = lim.max_smtp_out == 0 ? kNoLimit : lim.max_smtp_out;
      if (now() < q.ceiling_until) cap = std::min(cap, q.ceiling);
      if (q.open >= cap) {
        bound = Bound::QueueConnections;  // a completion on one of them pumps again
        break;
      }
      if ((bound = group_refusal(qi, wake_at))) break;
      if (lim.connect_interval > 0 && now() < q.next_connect_at) {
        bound = Bound::ConnectRate;
        wake_at = q.next_connect_at;
        break;
      }
      open_connection(qi);
      if (lim.connect_interval > 0) q.next_connect_at = std::max(q.next_connect_at, now()) + lim.connect_interval;
    }
    if (bound == Bound::RetryWait || bound == Bound::SourceDisabled || bound == Bound::GroupConnections) {
      const double bounce_after = plan_.queues[qi].bounce_after;
      if (q.oldest_injected + bounce_after <= now()) expire_waiting(qi);
      wake_at = std::min(wake_at, q.oldest_injected + bounce_after);
    }
    wake_at = std::min({wake_at, q.next_waiting_at, q.next_feed_at});
    if (q.backoff) wake_at = std::min(wake_at, q.backoff_exit);
    if (wake_at < kNever) wake(qi, std::max(wake_at, now()));
    const Bound now_bound = bound.value_or(Bound::Count);
    if (now_bound != q.blocked) {
      if (q.blocked != Bound::Count) result_.queues[qi].bound_seconds[static_cast<size_t>(q.blocked)] += now() - q.blocked_since;
      q.blocked = now_bound;
      q.blocked_since = now();
    }
    if (options_.record_series) {
      if (plotted_[qi]) record_depth(qi);
      else bucket();
    }
    // A woken waiter that did not take the slot passes it on.
    for (const uint32_t g : plan_.queues[qi].groups) hand_on(g);
  }

  // ---- replies

  const ReplyAction* rule_for(uint32_t qi, ReplyId reply) {
    const int list = plan_.queues[qi].rules;
    if (list < 0) return nullptr;
    auto& cache = rule_cache_[static_cast<size_t>(list)];
    if (cache.size() <= reply) cache.resize(backend_.replies().size(), {false, nullptr});
    auto& [known, action] = cache[reply];
    if (!known) {
      action = plan_.rule_lists[static_cast<size_t>(list)].match(backend_.replies().text(reply));
      known = true;
    }
    return action;
  }

  void enter_retry(uint32_t qi) {
    QueueState& q = queues_[qi];
    const auto& steps = limits(qi).retry_after;
    q.retry_until = now() + steps[std::min<size_t>(q.retry_index, steps.size() - 1)];
    ++q.retry_index;
  }

  void enter_backoff(uint32_t qi, const std::string& reply, const ReplyAction& action) {
    QueueState& q = queues_[qi];
    if (q.backoff) return;
    q.backoff = true;
    q.backoff_exit = now() + action.backoff_to_normal_after.value_or(plan_.queues[qi].backoff_to_normal_after);
    result_.queues[qi].backoff.push_back({now(), -1, reply, action.rule, ""});
  }

  void leave_backoff(uint32_t qi, std::string why) {
    QueueState& q = queues_[qi];
    if (!q.backoff) return;
    q.backoff = false;
    q.backoff_exit = kNever;
    BackoffEpisode& e = result_.queues[qi].backoff.back();
    e.end = now();
    e.ended_by = std::move(why);
  }

  void apply(uint32_t qi, const ReplyAction& action, ReplyId reply) {
    QueueState& q = queues_[qi];
    const QueuePlan& p = plan_.queues[qi];
    QueueResult& r = result_.queues[qi];
    const std::string& text = backend_.replies().text(reply);
    if (action.backoff) enter_backoff(qi, text, action);
    if (action.normal) leave_backoff(qi, "the rule " + action.rule);
    if (action.bounce_queue) {
      const uint64_t n = q.ready_count + q.waiting_count;
      q.ready.clear();
      q.waiting.clear();
      waiting_changed(q);
      q.ready_count = q.waiting_count = 0;
      r.events.push_back(fmt::format("{:.1f}s: bounce-queue bounced {} waiting messages ({})", now(), n, action.rule));
      bounce(qi, n, false);
    }
    if (action.defer_queue) enter_retry(qi);
    if (action.disable_source_ip) {
      GroupState& g = groups_[p.vmta_group];
      const double until = now() + action.reenable_after.value_or(p.reenable_source_ip_after);
      if (g.disabled_until <= now())
        r.events.push_back(std::isinf(until) ? fmt::format("{:.1f}s: source IP of {} disabled for good ({})", now(), p.vmta, action.rule)
                                             : fmt::format("{:.1f}s: source IP of {} disabled until {:.1f}s ({})", now(), p.vmta, until, action.rule));
      g.disabled_until = std::max(g.disabled_until, until);
    }
    if (action.skip_mx && !skip_mx_noted_) {
      skip_mx_noted_ = true;
      result_.not_modelled.push_back("skip-mx (" + action.rule + "): one MX host per provider, so the reply counts as a deferral");
    }
  }

  void handle(const Completion& c) {
    Conn& conn = conns_[c.conn];
    const uint32_t qi = conn.queue;
    QueueState& q = queues_[qi];
    const QueuePlan& p = plan_.queues[qi];
    const int code = backend_.replies().code(c.reply);
    const ReplyAction* action = code / 100 == 2 ? nullptr : rule_for(qi, c.reply);
    if (c.step == Step::Connect) {
      if (!c.closed && code / 100 == 2) {
        q.probing = false;
        --q.connecting;
        conn.state = ConnState::Idle;
        q.idle.push_back(c.conn);
      } else {
        ++result_.queues[qi].failed_connections;
        q.probing = true;
        close_connection(c.conn, !c.closed);
        if (q.open > 0) {
          q.ceiling = q.open;
          q.ceiling_until = now() + limits(qi).retry_after.front();
        } else {
          enter_retry(qi);
        }
      }
    } else {
      const Batch msg = conn.in_flight;
      --q.in_flight;
      if (code / 100 == 2) {
        q.retry_index = 0;
        delivered(qi);
        if (q.backoff && p.backoff_to_normal_after_delivery) leave_backoff(qi, "a delivery (backoff-to-normal-after-delivery)");
      } else if (code / 100 == 5 || (action && action->bounce_rcpt)) {
        bounce(qi, 1, false);
      } else {
        defer(qi, msg);
      }
      if (c.closed) {
        close_connection(c.conn, false);
      } else if (++conn.sent == p.max_msg_per_connection) {
        close_connection(c.conn, true);
      } else {
        conn.state = ConnState::Idle;
        q.idle.push_back(c.conn);
      }
    }
    if (action) apply(qi, *action, c.reply);
    pump(qi);
  }

  // ---- the report's derived figures

  std::string bound_words(uint32_t qi, Bound b) const {
    const QueuePlan& p = plan_.queues[qi];
    const QueueState& q = queues_[qi];
    const bool backoff = !result_.queues[qi].backoff.empty();
    switch (b) {
      case Bound::MessageRate:
        return backoff && p.backoff.message_rate != p.normal.message_rate
                   ? fmt::format("max-msg-rate {} (backoff-max-msg-rate {} in backoff)", p.normal.message_rate, p.backoff.message_rate)
                   : fmt::format("max-msg-rate {}", p.normal.message_rate);
      case Bound::QueueConnections: {
        std::string text = fmt::format("max-smtp-out {}", p.normal.max_smtp_out);
        if (backoff) text += fmt::format(" (backoff-max-smtp-out {} in backoff)", p.backoff.max_smtp_out);
        if (p.max_msg_per_connection) text += fmt::format(" with max-msg-per-connection {}", p.max_msg_per_connection);
        return text;
      }
      case Bound::GroupConnections: return plan_.groups[q.blocking_group].limit;
      case Bound::ConnectRate: return fmt::format("max-connect-rate {}", p.normal.connect_rate);
      case Bound::RetryWait: return "retry-after (waiting after failed connections or defer-queue)";
      case Bound::SourceDisabled: return "disable-source-ip (the virtual MTA's source IP was disabled)";
      case Bound::Count: break;
    }
    return "";
  }

  void finish() {
    result_.end_time = now();
    for (uint32_t qi = 0; qi < queues_.size(); ++qi) {
      QueueState& q = queues_[qi];
      QueueResult& r = result_.queues[qi];
      close_idle(qi);
      count_connections(qi);
      if (q.blocked != Bound::Count) r.bound_seconds[static_cast<size_t>(q.blocked)] += now() - q.blocked_since;
      r.pending = r.messages - r.delivered - r.bounced;
      if (r.pending > 0) r.drained = -1;
      if (r.pending > 0 && !result_.horizon_reached)
        r.events.push_back(fmt::format("{} messages can never leave: nothing would ever wake the queue again ({})", r.pending,
                                       q.blocked != Bound::Count ? bound_words(qi, q.blocked) : "no connection can be made"));
      const auto longest = std::max_element(r.bound_seconds.begin(), r.bound_seconds.end());
      const double active = (r.drained >= 0 ? r.drained : now()) - std::max(0.0, r.first_send);
      if (*longest > 0 && *longest >= 0.01 * active)
        r.bound_by = bound_words(qi, static_cast<Bound>(longest - r.bound_seconds.begin()));
      else
        r.bound_by = "no limit: messages left as soon as they were ready (the provider's latency and the workload set the pace)";
      if (q.backoff && !r.backoff.empty()) r.backoff.back().ended_by = "still in backoff when the run ended";
    }
  }

  const Plan& plan_;
  Backend& backend_;
  const EngineOptions& options_;
  std::vector<QueueState> queues_;
  std::vector<bool> plotted_;  // queues with time series (--plot)
  std::vector<GroupState> groups_;
  std::vector<std::vector<std::pair<bool, const ReplyAction*>>> rule_cache_;  // [rule list][reply]
  std::vector<Conn> conns_;
  std::vector<uint32_t> free_conns_;
  TimerHeap timers_;
  double now_ = 0;
  uint64_t serial_ = 0, total_ = 0, finals_ = 0;
  bool skip_mx_noted_ = false;
  Result result_;
};

}  // namespace

Result run(const Plan& plan, const Scenario& scenario, Backend& backend, const EngineOptions& options) {
  return Engine(plan, scenario, backend, options).run();
}

}  // namespace pmtalint::delivery
