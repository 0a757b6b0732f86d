// A queue runs with the settings of the <domain> block named after the queue (language-notes
// §5): when `queue-to` or an <mx-rollup-list> moves a domain's mail into another queue, the limits
// written in the domain's own block configure a queue that never receives anything.
#include <fmt/format.h>

#include <set>

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
bool named_alike(const MxRollup& rollup, std::string_view domain) {
  const std::string_view label = domain.substr(0, domain.find('.'));
  return label.size() >= 3 && (rollup.queue.find(label) != std::string::npos || rollup.mx.suffix.find(label) != std::string::npos);
}

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  const std::vector<MxRollup> rollups = mx_rollups(model);
  std::set<uint32_t> queue_names;  // blocks that configure a rollup or queue-to target: never moved themselves
  for (const MxRollup& r : rollups)
    for (const DomainEntry& e : model.domains())
      if (e.pattern.form == PatternForm::Exact && e.pattern.suffix == r.queue) queue_names.insert(e.block);
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
    for (const MxRollup& r : rollups) {
      if (!named_alike(r, domain)) continue;
      Diagnostic& d = out.add(Severity::Info, model.where(*limits.front()),
                              fmt::format("if the MX host of {} matches {}, the <mx-rollup-list> line at {} moves its mail into "
                                          "queue {}, and {} written here never appl{}; pmtalint knows MX hosts only with "
                                          "--dns-zone or --online",
                                          domain, r.mx.text(), location_text(model, *r.line), r.queue, names(),
                                          limits.size() == 1 ? "ies" : "y"));
      d.notes.push_back({model.where(*r.line), "the rollup line"});
      break;
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
