#include "delivery/batch_store.h"

#include <algorithm>

namespace pmtalint::delivery {
namespace {

bool same_kind(const Batch& a, const Batch& b) {
  return a.injected == b.injected && a.domain == b.domain && a.recipients == b.recipients && a.deferred == b.deferred;
}

}  // namespace

void BatchStore::push_ready(const Batch& b) {
  oldest_injected_ = std::min(oldest_injected_, b.injected);
  ready_count_ += b.count;
  if (front_.count == 0) {
    front_ = b;
    return;
  }
  Batch& last = ready_.empty() ? front_ : ready_.back();
  if (same_kind(last, b)) {
    last.count += b.count;
    return;
  }
  ready_.push_back(b);
}

uint64_t BatchStore::release(double now, double bounce_after) {
  uint64_t expired = 0;
  while (!waiting_.empty() && waiting_.front().ready_at <= now) {
    const Batch b = waiting_.front();
    waiting_.pop_front();
    waiting_count_ -= b.count;
    if (now >= b.injected + bounce_after) expired += b.count;
    else push_ready(b);
  }
  waiting_changed();
  return expired;
}

uint64_t BatchStore::expire(double now, double bounce_after) {
  uint64_t expired = 0;
  oldest_injected_ = kNever;
  if (front_.count > 0) ready_.push_front(front_);
  front_.count = 0;
  for (auto* list : {&ready_, &waiting_}) {
    std::deque<Batch> kept;
    for (const Batch& b : *list) {
      if (now >= b.injected + bounce_after) {
        (list == &ready_ ? ready_count_ : waiting_count_) -= b.count;
        expired += b.count;
      } else {
        kept.push_back(b);
        oldest_injected_ = std::min(oldest_injected_, b.injected);
      }
    }
    list->swap(kept);
  }
  pop_front();
  waiting_changed();
  return expired;
}

void BatchStore::wait(const Batch& one) {
  ++waiting_count_;
  auto it = waiting_.end();
  while (it != waiting_.begin() && std::prev(it)->ready_at > one.ready_at) --it;
  if (it != waiting_.begin()) {
    Batch& before = *std::prev(it);
    if (before.ready_at == one.ready_at && same_kind(before, one)) {
      ++before.count;
      return;
    }
  }
  waiting_.insert(it, one);
  oldest_injected_ = std::min(oldest_injected_, one.injected);
  waiting_changed();
}

uint64_t BatchStore::clear() {
  const uint64_t n = ready_count_ + waiting_count_;
  front_.count = 0;
  ready_.clear();
  waiting_.clear();
  ready_count_ = waiting_count_ = 0;
  waiting_changed();
  return n;
}

}  // namespace pmtalint::delivery
