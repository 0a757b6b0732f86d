#pragma once
// A (time, queue) timer and a heap of them: the earliest comes first, ties by queue index,
// which keeps runs reproducible.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace pmtalint::delivery {

struct Timer {
  double time;
  uint32_t queue;
  bool operator<(const Timer& o) const { return time != o.time ? time < o.time : queue < o.queue; }
};

// A 4-ary min-heap: half the levels of a binary heap, and the four children of a node share a
// cache line. Entries are 16 bytes.
class TimerHeap {
 public:
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
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

}  // namespace pmtalint::delivery
