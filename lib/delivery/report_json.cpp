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

// The document is written as nlohmann's dump(2) would write it whole, but the queues are
// built and written one at a time: with 100 000 queues a whole document would take hundreds
// of megabytes. Domain names and reply texts are not checked for UTF-8: invalid bytes become
// U+FFFD.
void render_json(const Result& result, std::ostream& out) {
  using Json = nlohmann::ordered_json;
  const auto dump = [](const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); };
  Json doc;
  doc["version"] = 1;
  doc["backend"] = result.backend;
  doc["seed"] = result.seed;
  doc["end_seconds"] = rounded(result.end_time);
  doc["horizon_reached"] = result.horizon_reached;
  doc["queues"] = Json::array();
  uint64_t totals[8] = {};
  for (const QueueResult& q : result.queues) {
    const uint64_t values[8] = {q.messages, q.delivered, q.deferred_messages, q.deferrals, q.bounced, q.expired, q.pending, q.connections};
    for (size_t i = 0; i < 8; ++i) totals[i] += values[i];
  }
  doc["totals"] = Json{{"messages", totals[0]}, {"delivered", totals[1]}, {"deferred_messages", totals[2]}, {"deferrals", totals[3]},
                       {"bounced", totals[4]}, {"expired", totals[5]}, {"pending", totals[6]}, {"connections", totals[7]}};
  doc["not_modelled"] = result.not_modelled;
  doc["notes"] = result.notes;
  const std::string whole = dump(doc);
  constexpr std::string_view kEmpty = "\"queues\": []";
  const size_t at = whole.find(kEmpty);
  if (result.queues.empty() || at == std::string::npos) {
    out << whole << '\n';
    return;
  }
  out << std::string_view(whole).substr(0, at) << "\"queues\": [\n";
  bool first = true;
  for (const QueueResult& q : result.queues) {
    Json bound = Json::object();
    for (size_t i = 0; i < kBoundCount; ++i) bound[kBoundNames[i]] = rounded(q.bound_seconds[i]);
    Json backoff = Json::array();
    for (const BackoffEpisode& e : q.backoff)
      backoff.push_back({{"start_seconds", rounded(e.start)}, {"end_seconds", seconds_or_null(e.end)}, {"reply", e.reply}, {"rule", e.rule}, {"ended_by", e.ended_by}});
    Json settings = Json::object();
    for (const auto& [name, value] : q.settings) settings[name] = value;
    const Json item{{"name", q.name},
                    {"domains", q.domains},
                    {"vmta", q.vmta},
                    {"provider", q.provider},
                    {"messages", q.messages},
                    {"delivered", q.delivered},
                    {"deferred_messages", q.deferred_messages},
                    {"deferrals", q.deferrals},
                    {"bounced", q.bounced},
                    {"expired", q.expired},
                    {"pending", q.pending},
                    {"connections", q.connections},
                    {"failed_connections", q.failed_connections},
                    {"peak_connections", q.peak_connections},
                    {"peak_note", q.peak_note.empty() ? Json() : Json(q.peak_note)},
                    {"mean_connections", rounded(mean_connections(q, result.end_time))},
                    {"first_send_seconds", seconds_or_null(q.first_send)},
                    {"drained_seconds", seconds_or_null(q.drained)},
                    {"achieved_per_hour", rate_measured(q, result.end_time) ? Json(rounded(achieved_per_hour(q, result.end_time))) : Json()},
                    {"configured_rate", q.configured_rate},
                    {"bound_by", q.bound_by},
                    {"bound_seconds", bound},
                    {"backoff", backoff},
                    {"events", q.events},
                    {"settings", settings}};
    // An array element two levels deep: every line of its dump indented by four spaces.
    std::string text = "    " + dump(item);
    for (size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 1)) text.insert(i + 1, "    ");
    out << (first ? "" : ",\n") << text;
    first = false;
  }
  out << "\n  ]" << std::string_view(whole).substr(at + kEmpty.size()) << '\n';
}

}  // namespace pmtalint::delivery
