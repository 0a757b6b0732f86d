#pragma once
// The time series --plot draws: per bucket, a queue's deliveries and its largest depth. There
// are at most kMaxBuckets buckets; when the run outgrows them the width doubles and pairs of
// buckets merge, so a run of a month costs no more memory than a run of an hour.
#include <cstddef>
#include <cstdint>

#include "delivery/result.h"

namespace pmtalint::delivery {

class PlotSeries {
 public:
  static constexpr size_t kMaxBuckets = 400;

  explicit PlotSeries(Result& result) : result_(result) {}
  // The bucket of `now`, widening every series first if needed. Called on every event, plotted
  // queue or not, so the width does not depend on which queues are drawn.
  size_t bucket(double now);
  void delivered(QueueResult& q, double now);
  // Buckets without an event keep the depth the queue last had, not an earlier bucket's peak.
  void depth(QueueResult& q, double now, uint64_t depth, uint64_t& last_depth);

 private:
  Result& result_;
};

}  // namespace pmtalint::delivery
