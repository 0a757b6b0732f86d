// What a reply does: to the message (delivered, bounced, back to wait), to the connection
// (reused, closed, given up to a queue without one), and, through smtp-pattern-list, to the
// queue (backoff, retry waits, bounce-queue, a disabled source IP).
#include <fmt/format.h>

#include <cmath>

#include "delivery/engine_internal.h"

namespace pmtalint::delivery {

void Engine::bounce(uint32_t qi, uint64_t count, bool expired) {
  QueueResult& r = result_.queues[qi];
  r.bounced += count;
  if (expired) r.expired += count;
  finals_ += count;
  check_drained(qi);
}

void Engine::delivered(uint32_t qi) {
  ++queues_[qi].delivered;
  ++finals_;
  if (options_.record_series) {
    if (plotted_[qi]) series_.delivered(result_.queues[qi], now());
    else series_.bucket(now());
  }
  check_drained(qi);
}

void Engine::check_drained(uint32_t qi) {
  const QueueState& q = queues_[qi];
  if (q.messages.ready_count() == 0 && q.messages.waiting_count() == 0 && q.in_flight == 0 && q.unfed == 0)
    result_.queues[qi].drained = now();
}

void Engine::defer(uint32_t qi, Batch msg) {
  const QueuePlan& p = plan_.queues[qi];
  QueueResult& r = result_.queues[qi];
  ++r.deferrals;
  if (!msg.deferred) ++r.deferred_messages;
  msg.deferred = true;
  msg.ready_at = std::min(now() + p.retry_recipients_after, msg.injected + p.bounce_after);
  if (msg.ready_at <= now()) {
    bounce(qi, 1, true);
    return;
  }
  queues_[qi].messages.wait(msg);
}

const ReplyAction* Engine::rule_for(uint32_t qi, ReplyId reply) {
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

void Engine::enter_retry(uint32_t qi) {
  QueueState& q = queues_[qi];
  const auto& steps = limits(qi).retry_after;
  q.retry_until = now() + steps[std::min<size_t>(q.retry_index, steps.size() - 1)];
  ++q.retry_index;
}

void Engine::enter_backoff(uint32_t qi, const std::string& reply, const ReplyAction& action) {
  QueueState& q = queues_[qi];
  if (q.backoff) return;
  q.backoff = true;
  q.backoff_exit = now() + action.backoff_to_normal_after.value_or(plan_.queues[qi].backoff_to_normal_after);
  result_.queues[qi].backoff.push_back({now(), -1, reply, action.rule, ""});
}

void Engine::leave_backoff(uint32_t qi, std::string why) {
  QueueState& q = queues_[qi];
  if (!q.backoff) return;
  q.backoff = false;
  q.backoff_exit = kNever;
  BackoffEpisode& e = result_.queues[qi].backoff.back();
  e.end = now();
  e.ended_by = std::move(why);
}

void Engine::apply(uint32_t qi, const ReplyAction& action, ReplyId reply) {
  QueueState& q = queues_[qi];
  const QueuePlan& p = plan_.queues[qi];
  QueueResult& r = result_.queues[qi];
  const std::string& text = backend_.replies().text(reply);
  if (action.backoff) enter_backoff(qi, text, action);
  if (action.normal) leave_backoff(qi, "the rule " + action.rule);
  if (action.bounce_queue) {
    const uint64_t n = q.messages.clear();
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

void Engine::handle(const Completion& c) {
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
      push_idle(qi, c.conn);
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
    } else if (++conn.sent == q.max_msg_per_connection || yields(qi)) {
      close_connection(c.conn, true);
    } else {
      push_idle(qi, c.conn);
    }
  }
  if (action) apply(qi, *action, c.reply);
  pump(qi);
}

}  // namespace pmtalint::delivery
