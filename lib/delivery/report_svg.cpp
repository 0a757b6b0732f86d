#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/text.h"
#include "delivery/report.h"

namespace pmtalint::delivery {
namespace {

constexpr double kWidth = 960, kPlotLeft = 80, kPlotWidth = 640, kPanelHeight = 240, kTop = 50, kGap = 120;
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

// Queue names and reply texts come from the workload and the server: control characters and
// invalid UTF-8 are escaped too, so the picture stays well-formed XML.
std::string escape(std::string_view text) { return xml_escape(text); }

// A step of whole seconds, minutes, hours or days giving at most about six time ticks.
double time_step(double max) {
  for (const double step : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0,
                            21600.0, 43200.0, 86400.0, 172800.0, 604800.0})
    if (max / step <= 6) return step;
  return 604800.0 * std::ceil(max / 604800.0 / 6);
}

// A round step for about five axis ticks.
double tick_step(double max) {
  if (max <= 0) return 1;
  const double raw = max / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

struct Panel {
  double top;
  std::string title;
  double y_max;
};

void axes(std::ostream& out, const Panel& panel, double end_time) {
  const double bottom = panel.top + kPanelHeight;
  out << fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>\n", kPlotLeft, panel.top - 10, escape(panel.title));
  out << fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n", kPlotLeft, panel.top,
                     kPlotWidth, kPanelHeight);
  const double ystep = tick_step(panel.y_max);
  for (double y = 0; y <= panel.y_max * 1.0001; y += ystep) {
    const double py = bottom - y / panel.y_max * kPanelHeight;
    out << fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#eee\"/>", kPlotLeft, py, kPlotLeft + kPlotWidth, py);
    out << fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"11\">{:g}</text>\n", kPlotLeft - 6, py + 4, y);
  }
  const double xstep = time_step(end_time);
  for (double x = 0; x <= end_time * 1.0001; x += xstep) {
    const double px = kPlotLeft + x / end_time * kPlotWidth;
    out << fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n", px, bottom + 16,
                       escape(format_duration(x)));
  }
}

}  // namespace

void render_svg(const Result& result, std::ostream& out, size_t max_queues) {
  std::vector<const QueueResult*> shown;
  for (const QueueResult& q : result.queues) shown.push_back(&q);
  std::stable_sort(shown.begin(), shown.end(), [](const QueueResult* a, const QueueResult* b) { return a->messages > b->messages; });
  if (shown.size() > max_queues) shown.resize(max_queues);
  const double end_time = std::max(result.end_time, result.bucket_seconds);
  double depth_max = 1, rate_max = 1;
  for (const QueueResult* q : shown) {
    for (const uint64_t d : q->depth_series) depth_max = std::max(depth_max, static_cast<double>(d));
    for (const uint32_t n : q->delivered_series) rate_max = std::max(rate_max, n * 3600.0 / result.bucket_seconds);
  }
  const Panel depth{kTop, "queue depth (messages waiting or in flight)", depth_max * 1.05};
  const Panel rate{kTop + kPanelHeight + kGap, "deliveries per hour", rate_max * 1.05};
  const double height = rate.top + kPanelHeight + 50;
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                     "font-family=\"sans-serif\" font-size=\"12\">\n",
                     kWidth, height, kWidth, height);
  out << fmt::format("<title>pmtalint dry run: {} queues, {} simulated</title>\n", result.queues.size(), escape(format_duration(result.end_time)));
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  axes(out, depth, end_time);
  axes(out, rate, end_time);
  for (size_t i = 0; i < shown.size(); ++i) {
    const QueueResult& q = *shown[i];
    const char* colour = kColours[i % std::size(kColours)];
    for (const Panel* panel : {&depth, &rate}) {
      const bool is_depth = panel == &depth;
      const size_t n = is_depth ? q.depth_series.size() : q.delivered_series.size();
      if (n == 0) continue;
      std::string points;
      for (size_t b = 0; b < n; ++b) {
        const double value = is_depth ? static_cast<double>(q.depth_series[b]) : q.delivered_series[b] * 3600.0 / result.bucket_seconds;
        const double x = kPlotLeft + std::min(1.0, (b + 0.5) * result.bucket_seconds / end_time) * kPlotWidth;
        const double y = panel->top + kPanelHeight - value / panel->y_max * kPanelHeight;
        points += fmt::format("{:.1f},{:.1f} ", x, y);
      }
      out << fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>\n", colour, points);
    }
    const double ly = kTop + 14 + 18 * static_cast<double>(i);
    out << fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                       kPlotLeft + kPlotWidth + 20, ly - 10, colour, kPlotLeft + kPlotWidth + 38, ly, escape(q.name));
    for (const BackoffEpisode& e : q.backoff) {
      const double x0 = kPlotLeft + e.start / end_time * kPlotWidth;
      const double x1 = kPlotLeft + (e.end >= 0 ? e.end : end_time) / end_time * kPlotWidth;
      out << fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"4\" fill=\"{}\"><title>{} in backoff: {}</title></rect>\n",
                         x0, depth.top + kPanelHeight + 40 + 6 * static_cast<double>(i), std::max(1.0, x1 - x0), colour, escape(q.name),
                         escape(e.reply));
    }
  }
  if (result.queues.size() > shown.size())
    out << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">+{} smaller queues not drawn</text>\n", kPlotLeft + kPlotWidth + 20,
                       kTop + 14 + 18 * static_cast<double>(shown.size()), result.queues.size() - shown.size());
  out << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">backoff episodes, one row per queue:</text>\n",
                     kPlotLeft, depth.top + kPanelHeight + 34);
  out << "</svg>\n";
}

}  // namespace pmtalint::delivery
