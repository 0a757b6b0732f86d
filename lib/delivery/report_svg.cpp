#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/text.h"
#include "delivery/report.h"

namespace pmtalint::delivery {
namespace {

constexpr double kWidth = 1000, kPlotLeft = 80, kPlotWidth = 640, kPanelHeight = 240, kTop = 50, kGap = 120;
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
// Curves that are close but not identical (two members of a pool a few deferrals apart) would
// hide the earlier one under the later: every other curve is dashed, so both show.
constexpr const char* kDashes[] = {"", " stroke-dasharray=\"6 4\"", "", " stroke-dasharray=\"2 3\""};

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

// Both panels are logarithmic: a queue of 50 messages next to a 40 000/h spike would otherwise
// be a flat line on the axis. Zero sits on the bottom edge, one decade below 1.
struct Panel {
  double top;
  std::string title;
  double decades;  // from 10^-1 (the bottom edge, where 0 is drawn) to the top

  double y(double value) const {
    const double level = value <= 0 ? 0 : std::clamp(std::log10(value) + 1, 0.0, decades);
    return top + kPanelHeight - level / decades * kPanelHeight;
  }
};

Panel make_panel(double top, std::string title, double max) {
  return {top, std::move(title), std::max(2.0, std::ceil(std::log10(std::max(max, 1.0)) + 1))};
}

std::string tick_label(double value) {
  if (value >= 1e6) return fmt::format("{:g}M", value / 1e6);
  if (value >= 1e3) return fmt::format("{:g}k", value / 1e3);
  return fmt::format("{:g}", value);
}

void axes(std::ostream& out, const Panel& panel, double end_time) {
  const double bottom = panel.top + kPanelHeight;
  out << fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>\n", kPlotLeft, panel.top - 10, escape(panel.title));
  out << fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n", kPlotLeft, panel.top,
                     kPlotWidth, kPanelHeight);
  for (int decade = 0; decade < static_cast<int>(panel.decades); ++decade) {
    const double value = std::pow(10.0, decade);
    const double py = panel.y(value);
    out << fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#eee\"/>", kPlotLeft, py, kPlotLeft + kPlotWidth, py);
    out << fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"11\">{}</text>\n", kPlotLeft - 6, py + 4,
                       tick_label(value));
  }
  out << fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"11\">0</text>\n", kPlotLeft - 6, bottom + 4);
  const double xstep = time_step(end_time);
  for (double x = 0; x <= end_time * 1.0001; x += xstep) {
    const double px = kPlotLeft + x / end_time * kPlotWidth;
    out << fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n", px, bottom + 16,
                       escape(format_duration(x)));
  }
}

// Queues whose curves are the same (the members of a pool given equal shares, say) would be
// drawn on top of each other, showing only the last colour: they are one curve, labelled with
// every name.
struct Curve {
  std::vector<const QueueResult*> queues;
  std::string label;
};

std::vector<Curve> curves(const std::vector<const QueueResult*>& shown) {
  std::vector<Curve> out;
  for (const QueueResult* q : shown) {
    const auto same = std::find_if(out.begin(), out.end(), [&](const Curve& c) {
      const QueueResult& first = *c.queues.front();
      return first.depth_series == q->depth_series && first.delivered_series == q->delivered_series;
    });
    if (same != out.end()) {
      same->queues.push_back(q);
      same->label += ", " + q->name;
    } else {
      out.push_back({{q}, q->name});
    }
  }
  return out;
}

}  // namespace

void render_svg(const Result& result, std::ostream& out, size_t max_queues) {
  std::vector<const QueueResult*> shown;
  for (const QueueResult& q : result.queues) shown.push_back(&q);
  std::stable_sort(shown.begin(), shown.end(), [](const QueueResult* a, const QueueResult* b) { return a->messages > b->messages; });
  std::vector<const QueueResult*> hidden;
  if (shown.size() > max_queues) {
    hidden.assign(shown.begin() + static_cast<std::ptrdiff_t>(max_queues), shown.end());
    shown.resize(max_queues);
  }
  const double end_time = std::max(result.end_time, result.bucket_seconds);
  double depth_max = 1, rate_max = 1;
  for (const QueueResult* q : shown) {
    for (const uint64_t d : q->depth_series) depth_max = std::max(depth_max, static_cast<double>(d));
    for (const uint32_t n : q->delivered_series) rate_max = std::max(rate_max, n * 3600.0 / result.bucket_seconds);
  }
  const Panel depth = make_panel(kTop, "queue depth (messages waiting or in flight; log scale)", depth_max);
  const Panel rate = make_panel(kTop + kPanelHeight + kGap, "deliveries per hour (log scale)", rate_max);
  const double height = rate.top + kPanelHeight + 50;
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                     "font-family=\"sans-serif\" font-size=\"12\">\n",
                     kWidth, height, kWidth, height);
  out << fmt::format("<title>pmtalint dry run: {} queues, {} simulated</title>\n", result.queues.size(), escape(format_duration(result.end_time)));
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  axes(out, depth, end_time);
  axes(out, rate, end_time);
  const std::vector<Curve> drawn = curves(shown);
  double ly = kTop + 14;
  for (size_t i = 0; i < drawn.size(); ++i) {
    const QueueResult& q = *drawn[i].queues.front();
    const char* colour = kColours[i % std::size(kColours)];
    for (const Panel* panel : {&depth, &rate}) {
      const bool is_depth = panel == &depth;
      const size_t n = is_depth ? q.depth_series.size() : q.delivered_series.size();
      if (n == 0) continue;
      std::string points;
      for (size_t b = 0; b < n; ++b) {
        const double value = is_depth ? static_cast<double>(q.depth_series[b]) : q.delivered_series[b] * 3600.0 / result.bucket_seconds;
        const double x = kPlotLeft + std::min(1.0, (b + 0.5) * result.bucket_seconds / end_time) * kPlotWidth;
        points += fmt::format("{:.1f},{:.1f} ", x, panel->y(value));
      }
      out << fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"{} points=\"{}\"/>\n", colour,
                         kDashes[i % std::size(kDashes)], points);
    }
    out << fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>", kPlotLeft + kPlotWidth + 20, ly - 10, colour);
    // A merged curve lists its queues one per line, so long names stay inside the picture.
    for (size_t k = 0; k < drawn[i].queues.size(); ++k) {
      const bool last = k + 1 == drawn[i].queues.size();
      out << fmt::format("<text x=\"{}\" y=\"{}\">{}{}</text>\n", kPlotLeft + kPlotWidth + 38, ly, escape(drawn[i].queues[k]->name),
                         last ? (k > 0 ? " (same curve)" : "") : ",");
      ly += 18;
    }
    for (const QueueResult* member : drawn[i].queues)
      for (const BackoffEpisode& e : member->backoff) {
        const double x0 = kPlotLeft + e.start / end_time * kPlotWidth;
        const double x1 = kPlotLeft + (e.end >= 0 ? e.end : end_time) / end_time * kPlotWidth;
        out << fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"4\" fill=\"{}\"><title>{} in backoff: {}</title></rect>\n",
                           x0, depth.top + kPanelHeight + 40 + 6 * static_cast<double>(i), std::max(1.0, x1 - x0), colour,
                           escape(member->name), escape(e.reply));
      }
  }
  if (!hidden.empty()) {
    constexpr size_t kHiddenNamed = 6;
    out << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">not drawn ({} smaller queue{}):</text>\n", kPlotLeft + kPlotWidth + 20,
                       ly + 6, hidden.size(), hidden.size() == 1 ? "" : "s");
    ly += 22;
    for (size_t k = 0; k < hidden.size() && k < kHiddenNamed; ++k, ly += 15)
      out << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">{} ({} messages)</text>\n", kPlotLeft + kPlotWidth + 20,
                         ly, escape(hidden[k]->name), hidden[k]->messages);
    if (hidden.size() > kHiddenNamed)
      out << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">… and {} more</text>\n", kPlotLeft + kPlotWidth + 20, ly,
                         hidden.size() - kHiddenNamed);
  }
  out << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">backoff episodes, one row per curve:</text>\n",
                     kPlotLeft, depth.top + kPanelHeight + 34);
  out << "</svg>\n";
}

}  // namespace pmtalint::delivery
