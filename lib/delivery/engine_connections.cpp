// Connections, and the caps several queues share: a virtual MTA's or pool's max-smtp-out and
// total-max-smtp-out. The reference does not say how PMTA divides such a cap among queues; the
// engine's assumption (docs/send.md, "Shared connection caps") is that every queue with
// messages ready gets a connection: a queue holding more than its share gives one up after its
// current message while another queue has none.
#include <algorithm>

#include "delivery/engine_internal.h"

namespace pmtalint::delivery {

void Engine::count_connections(uint32_t qi) {
  QueueState& q = queues_[qi];
  result_.queues[qi].connection_seconds += q.open * (now() - q.connections_changed);
  q.connections_changed = now();
}

void Engine::open_connection(uint32_t qi) {
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
  conns_[id] = {qi, 0, ConnState::Connecting, kNoConn, {}};
  count_connections(qi);
  set_starved(qi, -1);
  if (q.open == 0)
    for (const uint32_t g : q.groups()) ++groups_[g].holders;
  ++q.open;
  ++q.connecting;
  for (const uint32_t g : q.groups()) ++groups_[g].open;
  QueueResult& r = result_.queues[qi];
  if (r.first_open < 0) r.first_open = now();
  ++r.connections;
  r.peak_connections = std::max(r.peak_connections, q.open);
  backend_.open(id, {qi, p.provider, p.vmta_group, p.helo, p.source_ip, p.use_starttls, p.require_starttls});
}

void Engine::close_connection(uint32_t id, bool tell_backend) {
  Conn& c = conns_[id];
  const uint32_t qi = c.queue;
  QueueState& q = queues_[qi];
  count_connections(qi);
  --q.open;
  if (c.state == ConnState::Connecting) --q.connecting;
  c.state = ConnState::Closed;
  free_conns_.push_back(id);
  if (tell_backend) backend_.close(id);
  for (const uint32_t g : q.groups()) {
    --groups_[g].open;
    if (q.open == 0) --groups_[g].holders;
    hand_on(g);
  }
}

void Engine::close_idle(uint32_t qi) {
  QueueState& q = queues_[qi];
  while (q.idle != kNoConn) close_connection(pop_idle(qi), true);
}

// A freed slot goes to the longest-waiting queue without a connection, else to the
// longest-waiting one; waking them all would cost every waiting queue a pump per closed
// connection. While some queue has none, a queue that has one is not woken: it would take the
// slot first (queues woken at one instant pump in index order). hand_on calls it once the cap
// has a slot free.
void Engine::pass_slot(uint32_t g) {
  GroupState& group = groups_[g];
  uint32_t waiter;
  if (!group.starved_waiters.empty()) {
    waiter = group.starved_waiters.front();
    group.starved_waiters.pop_front();
  } else if (group.starved == 0) {
    if (group.waiters.empty()) return;
    waiter = group.waiters.front();
    group.waiters.pop_front();
  } else {
    // A queue that lost its last connection while waiting for one more is starved now.
    const auto it = std::find_if(group.waiters.begin(), group.waiters.end(), [&](uint32_t w) { return queues_[w].open == 0; });
    if (it == group.waiters.end()) return;  // the starved queue was woken already and takes the slot
    waiter = *it;
    group.waiters.erase(it);
  }
  queues_[waiter].waiting_on_group = false;
  wake(waiter, now());
}

// Whether a connection group lets the queue open one more connection; records why not.
std::optional<Bound> Engine::group_refusal(uint32_t qi, double& wake_at) {
  QueueState& q = queues_[qi];
  if (groups_[q.vmta_group].disabled_until > now()) {
    wake_at = std::min(wake_at, groups_[q.vmta_group].disabled_until);
    return Bound::SourceDisabled;
  }
  for (const uint32_t g : q.groups()) {
    const uint32_t cap = groups_[g].cap;
    if (cap == 0) continue;
    // While another queue has no connection, one that has keeps what it has and waits for its
    // own completions (it has a connection, so one comes): as a waiter it would be handed the
    // slot meant for the other.
    if (groups_[g].starved > 0 && q.open > 0) {
      q.blocking_group = g;
      return Bound::GroupConnections;
    }
    if (groups_[g].open < cap) continue;
    q.blocking_group = g;
    if (!q.waiting_on_group) {
      q.waiting_on_group = true;
      (q.open == 0 ? groups_[g].starved_waiters : groups_[g].waiters).push_back(qi);
    }
    return Bound::GroupConnections;
  }
  return std::nullopt;
}

}  // namespace pmtalint::delivery
