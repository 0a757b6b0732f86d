#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "delivery/engine_internal.h"
#include "delivery/report_words.h"

namespace pmtalint::delivery {
namespace {

// How many timers ahead a queue's state is fetched: enough pumps to cover a miss, few enough
// that the lines are still there when its timer fires.
constexpr size_t kTimerPrefetchAhead = 8;

}  // namespace

Engine::Engine(const Plan& plan, const Scenario& scenario, Backend& backend, const EngineOptions& options)
    : plan_(plan), backend_(backend), options_(options), queues_(plan.queues.size()), groups_(plan.groups.size()),
      rule_cache_(plan.rule_lists.size()) {
  result_.backend = std::string(backend.name());
  result_.seed = options.seed;
  result_.horizon = options.horizon;
  result_.not_modelled = plan.not_modelled;
  result_.notes = plan.notes;
  result_.queues.resize(plan.queues.size());
  for (size_t g = 0; g < plan.groups.size(); ++g) groups_[g].cap = plan.groups[g].cap;
  for (size_t i = 0; i < plan.queues.size(); ++i) {
    const QueuePlan& p = plan.queues[i];
    if (p.groups.size() > kMaxGroups) throw std::length_error("a queue in more connection groups than the engine holds");
    std::copy(p.groups.begin(), p.groups.end(), queues_[i].group_ids.begin());
    queues_[i].group_count = static_cast<uint32_t>(p.groups.size());
    queues_[i].paces = {QueueState::Pace{p.normal.max_smtp_out, p.normal.message_interval, p.normal.connect_interval},
                        QueueState::Pace{p.backoff.max_smtp_out, p.backoff.message_interval, p.backoff.connect_interval}};
    queues_[i].first_domain = static_cast<uint32_t>(domains_.size());
    domains_.insert(domains_.end(), p.domains.begin(), p.domains.end());
    queues_[i].bounce_after = p.bounce_after;
    queues_[i].vmta_group = p.vmta_group;
    queues_[i].max_msg_per_connection = p.max_msg_per_connection;
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

void Engine::add_feed(const Injection& in, uint64_t parts, uint32_t recipients) {
  const uint64_t transactions = in.messages * parts;
  QueueState& q = queues_[in.queue];
  q.feeds.push_back({transactions, in.rate * static_cast<double>(parts), in.start, in.domain, recipients});
  if (transactions > 0) q.next_feed_at = std::min(q.next_feed_at, in.start);
  q.unfed += transactions;
  result_.queues[in.queue].messages += transactions;
  total_ += transactions;
}

Result Engine::run() {
  uint64_t next_progress = 1 << 16;
  const bool real_time = backend_.real_time();  // asked once: a virtual call per event otherwise
  while (finals_ < total_) {
    const double timer = timers_.empty() ? kNever : timers_.top().time;
    auto c = backend_.next(std::min(timer, options_.horizon));
    now_ = backend_.now();
    if (c) {
      ++result_.events;
      prefetch_outcome(backend_.conn_ahead());
      handle(*c);
      if (result_.events >= next_progress || real_time) {
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
      prefetch_queue(timers_.queue_ahead(kTimerPrefetchAhead));
      if (t.time != queues_[t.queue].wake_at) continue;  // superseded by an earlier wake
      queues_[t.queue].wake_at = kNever;
      pump(t.queue);
    }
    if (real_time) progress();
  }
  finish();
  return std::move(result_);
}

void Engine::progress() const {
  if (options_.progress) options_.progress(finals_, total_, now());
}

void Engine::inject(uint32_t qi) {
  QueueState& q = queues_[qi];
  q.next_feed_at = kNever;
  for (Feed& f : q.feeds) {
    while (f.remaining > 0 && f.next_at <= now()) {
      // A rate feeds a second's worth at a time (or one message when slower), which keeps
      // batches few without changing any rate-limited outcome by more than a second.
      const double step = f.rate > 0 ? std::max(1.0 / f.rate, 1.0) : 0;
      const uint64_t n = f.rate > 0 ? std::min<uint64_t>(f.remaining, std::max<uint64_t>(1, static_cast<uint64_t>(f.rate * step))) : f.remaining;
      q.messages.push_ready({f.next_at, f.next_at, n, f.domain, f.recipients, false});
      f.remaining -= n;
      q.unfed -= n;
      f.next_at += step;
    }
    if (f.remaining > 0) q.next_feed_at = std::min(q.next_feed_at, f.next_at);
  }
}

void Engine::finish() {
  result_.end_time = now();
  for (uint32_t qi = 0; qi < queues_.size(); ++qi) {
    QueueState& q = queues_[qi];
    QueueResult& r = result_.queues[qi];
    close_idle(qi);
    count_connections(qi);
    if (q.blocked != Bound::Count) q.bound_seconds[static_cast<size_t>(q.blocked)] += now() - q.blocked_since;
    r.bound_seconds = q.bound_seconds;
    r.delivered = q.delivered;
    r.first_send = q.first_send;
    r.pending = r.messages - r.delivered - r.bounced;
    if (r.pending > 0) r.drained = -1;
    const bool had_backoff = !r.backoff.empty();
    if (r.pending > 0 && !result_.horizon_reached)
      r.events.push_back(fmt::format("{} messages can never leave: nothing would ever wake the queue again ({})", r.pending,
                                     q.blocked != Bound::Count ? bound_words(plan_, qi, q.blocked, q.blocking_group, had_backoff)
                                                               : "no connection can be made"));
    const auto longest = std::max_element(r.bound_seconds.begin(), r.bound_seconds.end());
    const double active = (r.drained >= 0 ? r.drained : now()) - std::max(0.0, r.first_send);
    if (*longest > 0 && *longest >= 0.01 * active)
      r.bound_by = bound_words(plan_, qi, static_cast<Bound>(longest - r.bound_seconds.begin()), q.blocking_group, had_backoff);
    else
      r.bound_by = "no limit: messages left as soon as they were ready (the provider's latency and the workload set the pace)";
    r.peak_note = peak_words(plan_.queues[qi], r.peak_connections);
    if (q.backoff && had_backoff) r.backoff.back().ended_by = "still in backoff when the run ended";
  }
}

Result run(const Plan& plan, const Scenario& scenario, Backend& backend, const EngineOptions& options) {
  return Engine(plan, scenario, backend, options).run();
}

}  // namespace pmtalint::delivery
