#pragma once
// A queue's messages between injection and their final reply: those ready to go and those
// waiting out retry-recipients-after. Messages that share their injection time, domain,
// recipients and history travel as one batch, so a queue of a million identical messages is
// one entry, not a million.
#include <cstdint>
#include <deque>
#include <optional>

#include "delivery/plan.h"

namespace pmtalint::delivery {

struct Batch {
  double ready_at;
  double injected;
  uint64_t count;
  uint32_t domain;
  uint32_t recipients;
  bool deferred;  // deferred at least once, so the report counts each message once
};

class BatchStore {
 public:
  uint64_t ready_count() const { return ready_count_; }
  uint64_t waiting_count() const { return waiting_count_; }
  // When the waiting list next needs a look, kept apart so a pump of one of 10 000 queues does
  // not touch the lists' memory (a cache miss each) when nothing is due.
  double next_waiting_at() const { return next_waiting_at_; }
  // No batch was injected earlier (exact after expire(), a lower bound in between: sending
  // only removes batches), so bounce-after is checked without walking the lists.
  double oldest_injected() const { return oldest_injected_; }

  void push_ready(const Batch& b);  // b.count > 0
  // Each of these returns how many messages reached bounce-after instead and were dropped.
  // take and release_due run for every message and every decision: defined here, so they are
  // inlined into the engine.
  uint64_t release_due(double now, double bounce_after) { return next_waiting_at_ > now ? 0 : release(now, bounce_after); }
  std::optional<Batch> take(double now, double bounce_after, uint64_t& expired) {
    while (front_.count > 0) {
      if (now >= front_.injected + bounce_after) {
        ready_count_ -= front_.count;
        expired += front_.count;
        pop_front();
        continue;
      }
      Batch one = front_;
      one.count = 1;
      --ready_count_;
      if (--front_.count == 0) pop_front();
      return one;
    }
    return std::nullopt;
  }
  uint64_t expire(double now, double bounce_after);
  void wait(const Batch& one);  // one message back to wait until its ready_at
  uint64_t clear();             // bounce-queue: every message, returns how many

 private:
  uint64_t release(double now, double bounce_after);
  void waiting_changed() { next_waiting_at_ = waiting_.empty() ? kNever : waiting_.front().ready_at; }
  void pop_front() {
    if (ready_.empty()) {
      front_.count = 0;
      return;
    }
    front_ = ready_.front();
    ready_.pop_front();
  }

  // What every pump reads, in one cache line when the store starts one: the ready count, the
  // times, and the first ready batch, held here in the queue's own memory (every message sent
  // reads it) while the later ones wait in ready_. A batch holds at least one message, so
  // front_.count == 0 says there is none.
  uint64_t ready_count_ = 0;
  double next_waiting_at_ = kNever;
  double oldest_injected_ = kNever;
  Batch front_{0, 0, 0, 0, 0, false};
  uint64_t waiting_count_ = 0;
  std::deque<Batch> ready_;
  std::deque<Batch> waiting_;  // sorted by ready_at
};

}  // namespace pmtalint::delivery
