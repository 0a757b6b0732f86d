#include "delivery/plot_series.h"

#include <algorithm>

namespace pmtalint::delivery {

size_t PlotSeries::bucket(double now) {
  auto index = static_cast<size_t>(now / result_.bucket_seconds);
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
    index = static_cast<size_t>(now / result_.bucket_seconds);
  }
  return index;
}

void PlotSeries::delivered(QueueResult& q, double now) {
  const size_t b = bucket(now);
  if (q.delivered_series.size() <= b) q.delivered_series.resize(b + 1);
  ++q.delivered_series[b];
}

void PlotSeries::depth(QueueResult& q, double now, uint64_t depth, uint64_t& last_depth) {
  const size_t b = bucket(now);
  if (q.depth_series.size() <= b) q.depth_series.resize(b + 1, last_depth);
  q.depth_series[b] = std::max(q.depth_series[b], depth);
  last_depth = depth;
}

}  // namespace pmtalint::delivery
