#include <cmath>
#include <nlohmann/json.hpp>

#include "delivery/report.h"

namespace pmtalint::delivery {
namespace {

constexpr const char* kBoundNames[kBoundCount] = {"max-msg-rate", "max-smtp-out", "connection-group", "max-connect-rate",
                                                  "retry-after", "disable-source-ip"};

// Milliseconds are the finest step a report needs; the rounding also hides the last bits of
// floating-point sums, which would otherwise differ between equivalent runs.
double rounded(double s) { return std::round(s * 1000) / 1000; }

nlohmann::ordered_json seconds_or_null(double s) { return s >= 0 ? nlohmann::ordered_json(rounded(s)) : nlohmann::ordered_json(); }

}  // namespace

void render_json(const Result& result, std::ostream& out) {
  using Json = nlohmann::ordered_json;
  Json doc;
  doc["version"] = 1;
  doc["backend"] = result.backend;
  doc["seed"] = result.seed;
  doc["end_seconds"] = rounded(result.end_time);
  doc["horizon_reached"] = result.horizon_reached;
  Json totals{{"messages", 0}, {"delivered", 0}, {"deferrals", 0}, {"bounced", 0}, {"expired", 0}, {"pending", 0}, {"connections", 0}};
  doc["queues"] = Json::array();
  for (const QueueResult& q : result.queues) {
    Json bound = Json::object();
    for (size_t i = 0; i < kBoundCount; ++i) bound[kBoundNames[i]] = rounded(q.bound_seconds[i]);
    Json backoff = Json::array();
    for (const BackoffEpisode& e : q.backoff)
      backoff.push_back({{"start_seconds", rounded(e.start)}, {"end_seconds", seconds_or_null(e.end)}, {"reply", e.reply}, {"rule", e.rule}, {"ended_by", e.ended_by}});
    doc["queues"].push_back({{"name", q.name},
                             {"domains", q.domains},
                             {"vmta", q.vmta},
                             {"provider", q.provider},
                             {"messages", q.messages},
                             {"delivered", q.delivered},
                             {"deferrals", q.deferrals},
                             {"bounced", q.bounced},
                             {"expired", q.expired},
                             {"pending", q.pending},
                             {"connections", q.connections},
                             {"failed_connections", q.failed_connections},
                             {"peak_connections", q.peak_connections},
                             {"mean_connections", rounded(mean_connections(q, result.end_time))},
                             {"first_send_seconds", seconds_or_null(q.first_send)},
                             {"drained_seconds", seconds_or_null(q.drained)},
                             {"achieved_per_hour", rounded(achieved_per_hour(q, result.end_time))},
                             {"configured_rate", q.configured_rate},
                             {"bound_by", q.bound_by},
                             {"bound_seconds", bound},
                             {"backoff", backoff},
                             {"events", q.events}});
    for (const char* key : {"messages", "delivered", "deferrals", "bounced", "expired", "pending", "connections"})
      totals[key] = totals[key].get<uint64_t>() + doc["queues"].back()[key].get<uint64_t>();
  }
  doc["totals"] = totals;
  doc["not_modelled"] = result.not_modelled;
  doc["notes"] = result.notes;
  out << doc.dump(2) << '\n';
}

}  // namespace pmtalint::delivery
