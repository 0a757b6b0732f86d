#pragma once
// The dry-run report in its three shapes: a table for people, JSON for programs
// (schemas/send-report.schema.json), and an SVG of queue depth and delivery rate over time.
#include <ostream>
#include <string>

#include "delivery/result.h"

namespace pmtalint::delivery {

void render_text(const Result& result, std::ostream& out, size_t max_rows = 50);
void render_json(const Result& result, std::ostream& out);
void render_svg(const Result& result, std::ostream& out, size_t max_queues = kPlottedQueues);

// "2h 5m 3s", "4.25s": simulated durations as operators write them.
std::string format_duration(double seconds);
// Messages per hour between the first send and the drain (or the end of the run).
double achieved_per_hour(const QueueResult& q, double end_time);
// Whether the queue ran long enough for its achieved rate to mean something: at least
// kRateMinDeliveries deliveries over at least kRateMinSeconds. A queue of three messages
// "achieves" whatever its latency makes of three messages, which says nothing about its limit.
inline constexpr uint64_t kRateMinDeliveries = 10;
inline constexpr double kRateMinSeconds = 60;
bool rate_measured(const QueueResult& q, double end_time);
double mean_connections(const QueueResult& q, double end_time);

}  // namespace pmtalint::delivery
