// What a queue does next, decided again whenever something about it changes (a completion, a
// timer, a slot freed in a shared cap).
#include "delivery/engine_internal.h"

namespace pmtalint::delivery {

void Engine::send(uint32_t qi, uint32_t id, const Batch& msg) {
  Conn& c = conns_[id];
  c.state = ConnState::Busy;
  c.in_flight = msg;
  QueueState& q = queues_[qi];
  ++q.in_flight;
  if (q.first_send < 0) q.first_send = now();
  backend_.send(id, {domains_[q.first_domain + msg.domain], msg.recipients, serial_++});
}

void Engine::expired(uint32_t qi, uint64_t count) {
  if (count > 0) bounce(qi, count, true);
}

void Engine::pump(uint32_t qi) {
  QueueState& q = queues_[qi];
  const double bounce_after = q.bounce_after;
  feed(qi);
  expired(qi, q.messages.release_due(now(), bounce_after));
  if (q.backoff && now() >= q.backoff_exit) leave_backoff(qi, "backoff-to-normal-after");
  const QueueState::Pace& lim = pace(qi);
  std::optional<Bound> bound;
  double wake_at = kNever;
  // A disabled source IP sends nothing, not even on connections already open.
  const double disabled_until = groups_[q.vmta_group].disabled_until;
  if (disabled_until > now() && q.messages.ready_count() > 0) {
    bound = Bound::SourceDisabled;
    wake_at = disabled_until;
    close_idle(qi);
  }
  while (!bound && q.idle != kNoConn && q.messages.ready_count() > 0) {
    if (lim.message_interval > 0 && now() < q.next_message_at) {
      bound = Bound::MessageRate;
      wake_at = q.next_message_at;
      break;
    }
    uint64_t dropped = 0;
    const auto msg = q.messages.take(now(), bounce_after, dropped);
    expired(qi, dropped);
    if (!msg) break;
    send(qi, pop_idle(qi), *msg);
    if (lim.message_interval > 0) q.next_message_at = std::max(q.next_message_at, now()) + lim.message_interval;
  }
  if (q.messages.ready_count() == 0) close_idle(qi);
  while (!bound && q.idle == kNoConn && q.messages.ready_count() > q.connecting) {
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
    if (q.messages.oldest_injected() + bounce_after <= now()) expired(qi, q.messages.expire(now(), bounce_after));
    wake_at = std::min(wake_at, q.messages.oldest_injected() + bounce_after);
  }
  const bool starved = bound == Bound::GroupConnections && q.open == 0 && q.messages.ready_count() > 0;
  set_starved(qi, starved ? static_cast<int64_t>(q.blocking_group) : -1);
  wake_at = std::min({wake_at, q.messages.next_waiting_at(), q.next_feed_at});
  if (q.backoff) wake_at = std::min(wake_at, q.backoff_exit);
  if (wake_at < kNever) wake(qi, std::max(wake_at, now()));
  const Bound now_bound = bound.value_or(Bound::Count);
  if (now_bound != q.blocked) {
    if (q.blocked != Bound::Count) q.bound_seconds[static_cast<size_t>(q.blocked)] += now() - q.blocked_since;
    q.blocked = now_bound;
    q.blocked_since = now();
  }
  if (options_.record_series) {
    if (plotted_[qi]) series_.depth(result_.queues[qi], now(), q.messages.ready_count() + q.messages.waiting_count() + q.in_flight, q.last_depth);
    else series_.bucket(now());
  }
  // A woken waiter that did not take the slot passes it on.
  for (const uint32_t g : q.groups()) hand_on(g);
}

}  // namespace pmtalint::delivery
