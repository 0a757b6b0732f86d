#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/text.h"
#include "delivery/report.h"

namespace pmtalint::delivery {

std::string format_duration(double seconds) {
  if (seconds < 0 || std::isinf(seconds)) return "-";
  if (seconds < 60) return fmt::format("{:.3g}s", seconds);
  auto s = static_cast<uint64_t>(std::llround(seconds));
  std::string out;
  for (const auto& [unit, size] : {std::pair{"d", 86400ULL}, {"h", 3600ULL}, {"m", 60ULL}})
    if (s >= size || !out.empty()) {
      out += fmt::format("{}{} ", s / size, unit);
      s %= size;
    }
  out += fmt::format("{}s", s);
  for (const std::string_view zero : {" 0s", " 0m", " 0h"})  // "2h 0m 0s" reads better as "2h"
    if (out.ends_with(zero)) out.resize(out.size() - zero.size());
  return out;
}

namespace {

double active_span(const QueueResult& q, double end_time) {
  if (q.first_send < 0) return 0;
  return (q.drained >= 0 ? q.drained : end_time) - q.first_send;
}

std::string rate_text(double per_hour) {
  if (per_hour >= 3600 * 10) return fmt::format("{:.0f}/s", per_hour / 3600);
  if (per_hour >= 60 * 10) return fmt::format("{:.0f}/m", per_hour / 60);
  return fmt::format("{:.0f}/h", per_hour);
}

}  // namespace

double achieved_per_hour(const QueueResult& q, double end_time) {
  const double span = active_span(q, end_time);
  return span > 0 ? static_cast<double>(q.delivered) * 3600 / span : 0;
}

bool rate_measured(const QueueResult& q, double end_time) {
  return q.delivered >= kRateMinDeliveries && active_span(q, end_time) >= kRateMinSeconds;
}

double mean_connections(const QueueResult& q, double end_time) {
  if (q.first_open < 0) return 0;
  const double span = (q.drained >= 0 ? q.drained : end_time) - q.first_open;
  return span > 0 ? q.connection_seconds / span : 0;
}

void render_text(const Result& result, std::ostream& out, size_t max_rows) {
  std::vector<const QueueResult*> rows;
  for (const QueueResult& q : result.queues) rows.push_back(&q);
  std::stable_sort(rows.begin(), rows.end(), [](const QueueResult* a, const QueueResult* b) { return a->messages > b->messages; });
  const auto sum = [&](auto field) {
    return std::accumulate(result.queues.begin(), result.queues.end(), uint64_t{0},
                           [&](uint64_t acc, const QueueResult& q) { return acc + q.*field; });
  };
  out << fmt::format("dry run with the {} backend (seed {}): {} queue{}, {} messages, {} simulated\n\n", result.backend,
                     result.seed, result.queues.size(), result.queues.size() == 1 ? "" : "s", sum(&QueueResult::messages),
                     format_duration(result.end_time));
  // Queue names, reply texts and rule names come from the workload, the server and the
  // configuration: every one is shown through printable(), so no control byte reaches the
  // terminal (no forged lines, no escape sequences).
  size_t width = 5;
  for (size_t i = 0; i < rows.size() && i < max_rows; ++i) width = std::max(width, printable(rows[i]->name).size());
  // "msgs deferred" counts messages (each once), "deferrals" counts 4xx replies: a message
  // deferred five times is one and five.
  constexpr std::string_view kRow = "{:<{}}  {:>9} {:>9} {:>13} {:>9} {:>8} {:>8}  {:>12}  {:>12}  {:>18}  {}\n";
  out << fmt::format(fmt::runtime(kRow), "queue", width, "messages", "delivered", "msgs deferred", "deferrals", "bounced", "pending",
                     "drained at", "conns pk/avg", "rate got/conf", "bound by");
  bool peak_notes = false;
  for (size_t i = 0; i < rows.size() && i < max_rows; ++i) {
    const QueueResult& q = *rows[i];
    peak_notes |= !q.peak_note.empty();
    out << fmt::format(fmt::runtime(kRow), printable(q.name), width, q.messages, q.delivered, q.deferred_messages, q.deferrals,
                       q.bounced, q.pending, q.drained >= 0 ? format_duration(q.drained) : "never",
                       fmt::format("{}{} / {:.1f}", q.peak_connections, q.peak_note.empty() ? "" : "*", mean_connections(q, result.end_time)),
                       rate_measured(q, result.end_time)
                           ? fmt::format("{} / {}", rate_text(achieved_per_hour(q, result.end_time)), printable(q.configured_rate))
                           : fmt::format("n/a ({} message{})", q.delivered, q.delivered == 1 ? "" : "s"),
                       printable(q.bound_by));
  }
  if (rows.size() > max_rows) out << fmt::format("… {} more queues (--format json lists every one)\n", rows.size() - max_rows);
  out << fmt::format("{:<{}}  {:>9} {:>9} {:>13} {:>9} {:>8} {:>8}\n", "total", width, sum(&QueueResult::messages),
                     sum(&QueueResult::delivered), sum(&QueueResult::deferred_messages), sum(&QueueResult::deferrals),
                     sum(&QueueResult::bounced), sum(&QueueResult::pending));
  if (peak_notes) {
    out << "\n* connection peaks above max-smtp-out:\n";
    for (size_t i = 0; i < rows.size() && i < max_rows; ++i)
      if (!rows[i]->peak_note.empty()) out << fmt::format("  {}: {}\n", printable(rows[i]->name), printable(rows[i]->peak_note));
  }

  bool heading = false;
  constexpr size_t kEpisodesShown = 3;  // per queue; a queue cycling in and out all day lists dozens
  for (const QueueResult* q : rows) {
    if (q->backoff.empty()) continue;
    if (!heading) out << "\nbackoff episodes:\n";
    heading = true;
    double total = 0;
    for (const BackoffEpisode& e : q->backoff) total += (e.end >= 0 ? e.end : result.end_time) - e.start;
    out << fmt::format("  {}: {} episode{}, {} in backoff\n", printable(q->name), q->backoff.size(), q->backoff.size() == 1 ? "" : "s",
                       format_duration(total));
    for (size_t i = 0; i < q->backoff.size() && i < kEpisodesShown; ++i) {
      const BackoffEpisode& e = q->backoff[i];
      out << fmt::format("    {} → {}: \"{}\" matched {}; {}\n", format_duration(e.start),
                         e.end >= 0 ? format_duration(e.end) : "end of run", printable(e.reply), printable(e.rule),
                         printable(e.end >= 0 ? "ended by " + e.ended_by : e.ended_by));
    }
    if (q->backoff.size() > kEpisodesShown)
      out << fmt::format("    … {} more (--format json lists every one)\n", q->backoff.size() - kEpisodesShown);
  }
  heading = false;
  for (const QueueResult* q : rows)
    for (const std::string& e : q->events) {
      if (!heading) out << "\nevents:\n";
      heading = true;
      out << fmt::format("  {}: {}\n", printable(q->name), printable(e));
    }
  if (result.horizon_reached)
    out << fmt::format("\nthe run stopped at the horizon ({}); pending messages were still queued\n", format_duration(result.horizon));
  if (!result.not_modelled.empty()) {
    out << "\nnot modelled (these settings are in play but the engine does not simulate them):\n";
    for (const std::string& n : result.not_modelled) out << "  - " << printable(n) << '\n';
  }
  if (!result.notes.empty()) {
    out << "\nassumptions:\n";
    for (const std::string& n : result.notes) out << "  - " << printable(n) << '\n';
  }
}

}  // namespace pmtalint::delivery
