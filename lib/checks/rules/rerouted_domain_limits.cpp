// A queue runs with the settings of the <domain> block named after the queue (language-notes
// §5): when `queue-to` or an <mx-rollup-list> moves a domain's mail into another queue, the limits
// written in the domain's own block configure a queue that never receives anything.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <optional>
#include <set>
#include <unordered_set>
#include <vector>

#include "base/text.h"
#include "checks/queue_limits.h"
#include "checks/rule.h"
#include "dns/resolver.h"
#include "model/effective.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

std::string location_text(const Model& model, const ModelDirective& d) {
  const Location at = model.where(d);
  const SourceFile& file = model.workspace().file(at.file);
  return fmt::format("{}:{}", file.path(), file.position(at.span.begin).line);
}

// Without MX data a rollup can only be suspected: when the rollup queue's name or its MX pattern
// contains the domain's first label (gmail.com and gmail.rollup, yahoo.com and *.yahoodns.net).
// A label holds no dot, so it occurs in a text exactly when it begins a suffix of one of the text's
// dot-free pieces. Sorted, the piece suffixes beginning with a label form one range, and the least
// rollup index in it (a sparse table answers that) is the first rollup named alike: thousands of
// domains and rollups then cost no comparison of every pair. Suffixes are cut at the longest DNS
// label, so that a hostile endless name does not make the sort quadratic; a longer label is
// compared with every rollup, as it cannot name a real domain.
constexpr size_t kLongestLabel = 63;

bool named_alike(const MxRollup& rollup, std::string_view label) {
  return rollup.queue.find(label) != std::string::npos || rollup.mx.suffix.find(label) != std::string::npos;
}

class AlikeIndex {
 public:
  explicit AlikeIndex(const std::vector<MxRollup>& rollups) : rollups_(rollups) {
    for (uint32_t i = 0; i < rollups.size(); ++i)
      for (const std::string_view text : {std::string_view(rollups[i].queue), std::string_view(rollups[i].mx.suffix)})
        for (size_t at = 0; at < text.size(); ++at)
          if (text[at] != '.')
            suffixes_.emplace_back(text.substr(at, std::min(text.find('.', at) - at, kLongestLabel)), i);
    std::sort(suffixes_.begin(), suffixes_.end());
    least_.emplace_back();
    for (const auto& [suffix, rollup] : suffixes_) least_.back().push_back(rollup);
    for (size_t width = 1; 2 * width <= suffixes_.size(); width *= 2) {
      const std::vector<uint32_t>& half = least_.back();
      std::vector<uint32_t> next(half.size() - width);
      for (size_t i = 0; i < next.size(); ++i) next[i] = std::min(half[i], half[i + width]);
      least_.push_back(std::move(next));
    }
  }

  // The first rollup whose queue name or MX pattern contains the first label of `domain`.
  std::optional<uint32_t> first(std::string_view domain) const {
    const std::string_view label = domain.substr(0, domain.find('.'));
    if (label.size() < 3) return std::nullopt;
    if (label.size() > kLongestLabel) {
      for (uint32_t i = 0; i < rollups_.size(); ++i)
        if (named_alike(rollups_[i], label)) return i;
      return std::nullopt;
    }
    const auto from = std::lower_bound(suffixes_.begin(), suffixes_.end(), label,
                                       [](const Suffix& s, std::string_view l) { return s.first < l; });
    const auto to = std::partition_point(from, suffixes_.end(), [&](const Suffix& s) { return s.first.starts_with(label); });
    if (from == to) return std::nullopt;
    const size_t begin = from - suffixes_.begin(), end = to - suffixes_.begin();
    const int k = std::bit_width(end - begin) - 1;
    return std::min(least_[k][begin], least_[k][end - (size_t{1} << k)]);
  }

 private:
  using Suffix = std::pair<std::string_view, uint32_t>;
  const std::vector<MxRollup>& rollups_;
  std::vector<Suffix> suffixes_;
  std::vector<std::vector<uint32_t>> least_;  // [k][i]: least rollup index among suffixes i .. i + 2^k - 1
};

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  const std::vector<MxRollup> rollups = mx_rollups(model);
  std::unordered_set<std::string_view> rollup_queues;
  for (const MxRollup& r : rollups) rollup_queues.insert(r.queue);
  std::set<uint32_t> queue_names;  // blocks that configure a rollup or queue-to target: never moved themselves
  for (const DomainEntry& e : model.domains())
    if (e.pattern.form == PatternForm::Exact && rollup_queues.contains(e.pattern.suffix)) queue_names.insert(e.block);
  const AlikeIndex alike(rollups);
  std::set<uint32_t> done;
  for (const DomainEntry& entry : model.domains()) {
    if (entry.pattern.form != PatternForm::Exact || queue_names.contains(entry.block) || !done.insert(entry.block).second) continue;
    std::vector<const ModelDirective*> limits;
    for (const uint32_t d : model.block(entry.block).directives)
      if (const DirectiveInfo* info = model.directives()[d].info; info && is_queue_limit(info->name))
        limits.push_back(&model.directives()[d]);
    if (limits.empty()) continue;
    const std::string& domain = entry.pattern.suffix;
    const std::string_view vmta = entry.owner == kGlobalBlock ? "" : model.block(entry.owner).argument;
    std::optional<std::string> mx;
    if (ctx.resolver) mx = lowest_mx(*ctx.resolver, domain);
    const auto names = [&] {
      std::string text;
      for (const ModelDirective* d : limits) text += (text.empty() ? "" : ", ") + std::string(d->info->name);
      return text;
    };
    // The settings route_queue starts from, shared with other rules. Only a queue-to line in them
    // or a rollup line matched by a known MX host moves the mail; most blocks have neither and
    // are not routed at all.
    const uint32_t vmta_block = vmta.empty() || vmta == "{default}" ? kNoBlock : find_vmta(model, vmta).value_or(kNoBlock);
    const ChainSettings& set = ctx.domain_settings.of(domain, vmta_block);
    if (set.find("queue-to") || (mx && !rollups.empty())) {
      const QueueRoute q = route_queue(model, domain, vmta, mx ? std::optional<std::string_view>(*mx) : std::nullopt, rollups);
      if (!q.routing.empty() || q.rollup) {
        const ModelDirective& by = q.rollup ? *q.rollup : *q.routing.front();
        const std::string how = q.rollup ? fmt::format("its MX host {} matches the <mx-rollup-list> line at {}", q.mx, location_text(model, by))
                                         : fmt::format("queue-to at {} moves it", location_text(model, by));
        std::string message = fmt::format("mail for {} goes into queue {} ({}), which runs with the settings of <domain {}>: "
                                          "{} written here never appl{}. Set {} in <domain {}>, or remove {} here",
                                          domain, q.queue, how, q.queue, names(), limits.size() == 1 ? "ies" : "y",
                                          limits.size() == 1 ? "it" : "them", q.queue, limits.size() == 1 ? "it" : "them");
        // An unread part of the block may hold disable-mx-rollup, which would keep the mail here.
        Diagnostic* d = q.rollup ? out.absent(entry.block, true, model.where(*limits.front()), std::move(message))
                                 : &out.add(model.where(*limits.front()), std::move(message));
        if (d) d->notes.push_back({model.where(by), q.rollup ? "the rollup line" : "the queue-to line"});
        continue;
      }
    }
    if (mx || rollups.empty()) continue;
    if (const ModelDirective* opted_out = set.find("disable-mx-rollup");
        opted_out && parse_boolean(trim(model.value(*opted_out))).value_or(false))
      continue;
    if (const std::optional<uint32_t> alike_at = alike.first(domain)) {
      const MxRollup& r = rollups[*alike_at];
      Diagnostic& d = out.add(Severity::Info, model.where(*limits.front()),
                              fmt::format("if the MX host of {} matches {}, the <mx-rollup-list> line at {} moves its mail into "
                                          "queue {}, and {} written here never appl{}; pmtalint knows MX hosts only with "
                                          "--dns-zone or --online",
                                          domain, r.mx.text(), location_text(model, *r.line), r.queue, names(),
                                          limits.size() == 1 ? "ies" : "y"));
      d.notes.push_back({model.where(*r.line), "the rollup line"});
    }
  }
}

}  // namespace

extern const Rule kReroutedDomainLimits{
    .code = "PMT0215",
    .slug = "rerouted-domain-limits",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "Limits in a <domain> block whose mail queue-to or an MX rollup moves into another queue",
    .why = "PMTA queues mail per queue name and runs each queue with the settings of the <domain> block of that "
           "name. `queue-to` moves a domain's mail into another queue, and an <mx-rollup-list> does the same for "
           "every domain whose MX host matches a line; the limits written in the original domain's block then "
           "configure a queue that never holds a message, and the operator's throttle is not in force. pmtalint "
           "follows queue-to always, and rollups with the MX hosts from --dns-zone or --online; without them it "
           "mentions (as info) a rollup whose queue or MX pattern is named after the domain. Put the limits on the "
           "queue the mail goes into.",
    .bad = "<domain $hotmail>\n    queue-to microsoft.rollup\n    max-msg-rate 600/h\n</domain>\n"
           "<domain microsoft.rollup>\n    max-smtp-out 5\n</domain>\n",
    .good = "<domain $hotmail>\n    queue-to microsoft.rollup\n</domain>\n<domain microsoft.rollup>\n    max-smtp-out 5\n"
            "    max-msg-rate 600/h\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
