#pragma once
// The engine's timers: when each queue next needs a look (a rate's next slot, a retry wait's
// end, a waiting message's retry, bounce-after). The earliest comes first, ties by queue
// index, exactly as one heap of them all would order them.
//
// A rate-limited run arms about one timer per message across 10 000 queues, and a heap that
// size costs a dozen unpredictable compares per timer. A timing wheel cuts time into slots of
// 1/1024 s: only the timers of the current slot are ordered (sorted when the wheel reaches
// it), and the others are dropped unsorted into their slot. Timers beyond the wheel's span
// (a retry wait, bounce-after) wait in a heap of their own until the wheel reaches them.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "delivery/timer_heap.h"

namespace pmtalint::delivery {

class TimerQueue {
 public:
  TimerQueue() : slots_(kSlots), occupied_(kSlots / 64) {}

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  // The earliest timer. Looking does not move the wheel on: the engine looks after every
  // completion, and a wheel moved on to the next timer's slot would have to order every
  // timer armed before that in one heap again.
  Timer top() {
    if (in_current()) return current_top();
    if (!next_known_) find_next();
    if (far_.empty()) return next_;
    return next_slot_ != kNone && next_ < far_.top() ? next_ : far_.top();
  }

  void push(Timer t) {
    ++size_;
    const uint64_t b = slot_of(t.time);
    if (b <= cursor_) {
      late_.push(t);
    } else if (b - cursor_ < kSlots) {
      std::vector<Timer>& slot = slots_[b & kMask];
      if (slot.empty()) {
        occupied_[(b & kMask) / 64] |= uint64_t{1} << (b % 64);
        if (!spare_.empty()) {
          slot = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      slot.push_back(t);
      if (next_known_ && (b < next_slot_ || (b == next_slot_ && t < next_))) next_slot_ = b, next_ = t;
    } else {
      far_.push(t);
    }
  }

  // The queue of the timer `ahead` places on in the current slot, when there is one: only a
  // hint (a timer armed since may come before it), for fetching its state ahead of time.
  uint32_t queue_ahead(size_t ahead) const {
    const size_t i = next_in_run_ + ahead;
    return i < run_.size() ? run_[i].queue : UINT32_MAX;
  }

  void pop() {
    if (!in_current()) advance();
    if (from_run()) ++next_in_run_;
    else late_.pop();
    --size_;
  }

 private:
  static constexpr uint64_t kSlots = 16384;  // 16 s of 1/1024 s
  static constexpr uint64_t kMask = kSlots - 1;
  static constexpr double kSlotsPerSecond = 1024;
  // Far enough that slot numbers never overflow, near enough for any run's horizon.
  static constexpr uint64_t kLastSlot = uint64_t{1} << 60;
  static constexpr uint64_t kNone = UINT64_MAX;

  // Slot numbers rise with time (times are scaled by a power of two, exactly), so a timer in
  // a later slot is never earlier than one in the current slot.
  static uint64_t slot_of(double time) {
    if (!(time > 0)) return 0;
    const double s = time * kSlotsPerSecond;
    return s >= static_cast<double>(kLastSlot) ? kLastSlot : static_cast<uint64_t>(s);
  }

  // The current slot's timers (run_ from next_in_run_ on, and late_) are in a slot at or
  // before cursor_, those on the wheel in one of the kSlots - 1 slots after it, those in far_
  // after it too.
  bool in_current() const { return next_in_run_ < run_.size() || !late_.empty(); }
  bool from_run() const { return next_in_run_ < run_.size() && (late_.empty() || run_[next_in_run_] < late_.top()); }
  const Timer& current_top() const { return from_run() ? run_[next_in_run_] : late_.top(); }

  // The earliest occupied slot on the wheel and its earliest timer, kept until the wheel
  // moves on.
  void find_next() {
    const uint64_t distance = distance_to_occupied((cursor_ + 1) & kMask);
    next_known_ = true;
    next_slot_ = distance < kSlots ? cursor_ + 1 + distance : kNone;
    if (next_slot_ != kNone) {
      const std::vector<Timer>& slot = slots_[next_slot_ & kMask];
      next_ = *std::min_element(slot.begin(), slot.end());
    }
  }

  // The earliest later slot (wheel or far_) becomes the current one.
  void advance() {
    if (!next_known_) find_next();
    const uint64_t in_far = far_.empty() ? kNone : slot_of(far_.top().time);
    cursor_ = std::min(next_slot_, in_far);
    // The slot's vector moves out whole, and the one consumed goes to the spares the next
    // slots to fill take theirs from: left with its slot, its capacity would be held for as
    // long as the wheel turns, by each of thousands of slots; freed, a slot of thousands of
    // timers would grow one again, copy by copy.
    run_.clear();
    if (run_.capacity() > 0) spare_.push_back(std::move(run_));
    run_ = {};
    next_in_run_ = 0;
    if (next_slot_ == cursor_) {
      run_ = std::move(slots_[cursor_ & kMask]);
      slots_[cursor_ & kMask] = {};
      occupied_[(cursor_ & kMask) / 64] &= ~(uint64_t{1} << (cursor_ % 64));
    }
    next_known_ = false;
    while (!far_.empty() && slot_of(far_.top().time) == cursor_) {
      run_.push_back(far_.top());
      far_.pop();
    }
    // Queues that share a rate tend to fire at the same instants and re-arm in queue order, so
    // a slot usually arrives sorted already.
    if (!std::is_sorted(run_.begin(), run_.end())) std::sort(run_.begin(), run_.end());
  }

  // How many slots on from `from` the next occupied one is; kSlots when none is.
  uint64_t distance_to_occupied(uint64_t from) const {
    uint64_t distance = 0;
    while (distance < kSlots) {
      const uint64_t s = (from + distance) & kMask;
      const uint64_t bits = occupied_[s / 64] >> (s % 64);
      if (bits != 0) return std::min<uint64_t>(kSlots, distance + static_cast<uint64_t>(std::countr_zero(bits)));
      distance += 64 - s % 64;
    }
    return kSlots;
  }

  std::vector<std::vector<Timer>> slots_;
  std::vector<uint64_t> occupied_;  // a bit per slot with timers
  std::vector<std::vector<Timer>> spare_;  // emptied vectors, with their capacity
  // The current slot: its timers sorted, consumed from next_in_run_, and those armed for it
  // since.
  std::vector<Timer> run_;
  size_t next_in_run_ = 0;
  TimerHeap late_, far_;
  uint64_t cursor_ = 0;  // the current slot
  bool next_known_ = false;
  uint64_t next_slot_ = kNone;
  Timer next_{};
  size_t size_ = 0;
};

}  // namespace pmtalint::delivery
