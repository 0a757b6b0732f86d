// A virtual MTA's (or pool's) own <domain> blocks are applied after the top-level ones, whatever
// their pattern (language-notes §4, guide §3.3.13.2): a `<domain *>` inside a VMTA beats a
// top-level `<domain outlook.com>` for that VMTA's queues. Usually that is an accident: the
// local wildcard was meant as a default, and lifts a provider throttle on one VMTA only.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "base/text.h"
#include "checks/queue_limits.h"
#include "checks/rule.h"
#include "model/effective.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

// Pairs compared at most: a hostile configuration with thousands of VMTAs and domains must not
// make this quadratic in chain merges.
constexpr size_t kMaxPairs = 20'000;

bool sets_a_limit(const Model& model, uint32_t block) {
  for (const uint32_t d : model.block(block).directives)
    if (const DirectiveInfo* info = model.directives()[d].info; info && is_queue_limit(info->name)) return true;
  return false;
}

// The local block covers the broader one's domains only by being less specific (a wildcard), or
// by naming them through a macro where the broader block names them explicitly.
bool covers_by_accident(const DomainEntry& local, const DomainEntry& broader, std::string_view domain) {
  if (!local.pattern.matches(domain)) return false;
  if (local.pattern.specificity() < broader.pattern.specificity()) return true;
  return local.pattern.specificity() == broader.pattern.specificity() && local.from_macro && !broader.from_macro;
}

// Whether the local value lifts the broader one: more connections or messages, a faster rate,
// sooner retries, or another reply-rule list (the provider's backoff rules lost). A tighter local
// value is the usual warm-up set-up (one VMTA held below the provider limits) and is left alone.
bool lifts(std::string_view name, std::string_view local, std::string_view broader) {
  if (name == "smtp-pattern-list") return to_lower(local) != to_lower(broader);
  if (name.ends_with("rate")) {
    const auto l = parse_rate_per_second(local), b = parse_rate_per_second(broader);
    return l && b && *l > *b * 1.0001;
  }
  if (name.ends_with("retry-after")) {
    const auto l = parse_interval_list(local), b = parse_interval_list(broader);
    return l && b && l->front() < b->front();
  }
  if (name == "bounce-after") return false;  // how long to keep trying is not a throttle
  uint64_t l = 0, b = 0;
  const auto whole = [](std::string_view text, uint64_t& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
  };
  return whole(local, l) && whole(broader, b) && l > b;
}

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  std::vector<const DomainEntry*> locals, broaders;
  for (const DomainEntry& e : model.domains()) {
    if (e.pattern.form == PatternForm::Any && e.owner == kGlobalBlock) continue;  // overrides nothing specific
    if (!sets_a_limit(model, e.block)) continue;
    (e.owner == kGlobalBlock || model.block(e.owner).kind == "virtual-mta-pool" ? broaders : locals).push_back(&e);
    if (e.owner != kGlobalBlock && model.block(e.owner).kind == "virtual-mta-pool") locals.push_back(&e);
  }
  // One finding per overriding line, listing every limit it replaces: a local `<domain *>`
  // typically overrides a dozen provider blocks at once.
  struct Override {
    const DomainEntry* broader;
    const ModelDirective* lost;
  };
  std::map<const ModelDirective*, std::vector<Override>> overrides;
  std::set<std::pair<const ModelDirective*, uint32_t>> seen;
  // A local pattern can only match a broader block's domain under one of that domain's label
  // suffixes, and only blocks of the scopes applied before the local one (the top level, and the
  // pools of the local's virtual MTA) count: index the broader blocks by scope and suffix, so a
  // configuration with thousands of VMTAs, pools and domains compares the pairs that can match,
  // not all of them.
  std::vector<std::string> domains;
  domains.reserve(broaders.size());
  for (const DomainEntry* broader : broaders) domains.push_back(broader->pattern.representative());
  // Sorted tables rather than maps of vectors: on a million-line configuration the per-key
  // allocations of nested hash maps were megabytes at the peak of the run.
  struct Keyed {
    uint32_t scope;
    std::string_view suffix;  // empty in by_scope
    uint32_t index;
    bool operator<(const Keyed& o) const { return std::tie(scope, suffix, index) < std::tie(o.scope, o.suffix, o.index); }
  };
  std::vector<Keyed> by_scope, by_suffix;
  by_scope.reserve(domains.size());
  for (uint32_t i = 0; i < domains.size(); ++i) {
    by_scope.push_back({broaders[i]->owner, {}, i});
    for (std::string_view rest = domains[i];;) {
      by_suffix.push_back({broaders[i]->owner, rest, i});
      const size_t dot = rest.find('.');
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
  }
  std::sort(by_scope.begin(), by_scope.end());
  std::sort(by_suffix.begin(), by_suffix.end());
  const auto same_key = [](const Keyed& a, const Keyed& b) { return std::tie(a.scope, a.suffix) < std::tie(b.scope, b.suffix); };
  std::vector<uint32_t> candidates;
  size_t pairs = 0;
  for (const DomainEntry* local : locals) {
    candidates.clear();
    const auto take = [&](uint32_t scope) {
      const bool any = local->pattern.form == PatternForm::Any;
      const std::vector<Keyed>& table = any ? by_scope : by_suffix;
      const Keyed key{scope, any ? std::string_view() : std::string_view(local->pattern.suffix), 0};
      const auto [begin, end] = std::equal_range(table.begin(), table.end(), key, same_key);
      for (auto it = begin; it != end; ++it) candidates.push_back(it->index);
    };
    take(kGlobalBlock);
    if (model.block(local->owner).kind == "virtual-mta")
      for (const uint32_t pool : model.pools_of(model.block(local->owner).argument)) take(pool);
    // In configuration order, as the pair budget and the order of the notes depend on it; a pool
    // may be listed twice.
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const uint32_t i : candidates) {
      const DomainEntry* broader = broaders[i];
      if (!covers_by_accident(*local, *broader, domains[i])) continue;
      if (++pairs > kMaxPairs) break;
      const ExplicitSettings set = explicit_settings(model, domain_chain(model, domains[i], local->owner));
      for (const uint32_t index : model.block(broader->block).directives) {
        const ModelDirective& lost = model.directives()[index];
        if (!lost.info || !is_queue_limit(lost.info->name)) continue;
        const auto winner = set.find(lost.info->name);
        if (winner == set.end() || winner->second->block != local->block) continue;
        if (!lifts(lost.info->name, trim(model.value(*winner->second)), trim(model.value(lost))) ||
            !seen.emplace(winner->second, broader->block).second)
          continue;
        overrides[winner->second].push_back({broader, &lost});
      }
    }
  }
  for (const auto& [winner, lost] : overrides) {
    const uint32_t owner = model.block(winner->block).parent;
    const std::string scope = model.describe(owner);
    std::string listed;
    for (size_t i = 0; i < lost.size() && i < 4; ++i)
      listed += fmt::format("{}{} for {}{}", i == 0 ? "" : "; ", trim(model.value(*lost[i].lost)),
                            lost[i].broader->pattern.text(), lost[i].broader->from_macro ? " (and the other domains of its macro)" : "");
    if (lost.size() > 4) listed += fmt::format("; and {} more", lost.size() - 4);
    // An unread part of the virtual MTA or pool may hold the specific blocks that keep the limits.
    Diagnostic* d = out.absent(
        owner, false, model.where(*winner),
        fmt::format("on {}, PMTA uses {} {} from this {} also where a broader <domain> block sets a tighter {} ({}): the "
                    "<domain> blocks of a virtual MTA or pool apply after broader ones, whatever their pattern. To keep "
                    "those limits there, repeat the specific <domain> blocks inside {}",
                    scope, winner->info->name, trim(model.value(*winner)), model.describe(winner->block), winner->info->name, listed, scope));
    if (!d) continue;
    for (const Override& o : lost)
      d->notes.push_back({model.where(*o.lost), "overridden on " + scope + " for " + o.broader->pattern.text()});
  }
}

}  // namespace

extern const Rule kLocalDomainOverride{
    .code = "PMT0214",
    .slug = "local-domain-override",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A wildcard or macro <domain> inside a virtual MTA or pool that lifts a limit set for a specific domain",
    .why = "Inside a <virtual-mta> (or a pool), PMTA applies the top-level <domain> blocks first, then the pool's, "
           "then the virtual MTA's own, and a later scope wins whatever the patterns. A `<domain *>` written in a "
           "virtual MTA as a local default therefore also beats a top-level `<domain outlook.com>` throttle for that "
           "virtual MTA's queues: the provider limit silently disappears on one IP. pmtalint reports a limit of a "
           "specific (or explicitly named) domain that a less specific (or macro-expanded) block of a narrower scope "
           "replaces with a looser one: more connections or messages per connection, a faster rate, sooner retries, or "
           "another reply-rule list. A tighter local value (a warming-up IP held below every provider limit) is not "
           "reported. Repeat the specific block inside the virtual MTA, or move the local default "
           "into the specific blocks it should not override.",
    .bad = "<domain outlook.com>\n    max-msg-rate 1200/h\n</domain>\n<virtual-mta tx>\n    smtp-source-host 192.0.2.20 "
           "tx.example.net\n    <domain *>\n        max-msg-rate unlimited\n    </domain>\n</virtual-mta>\n",
    .good = "<domain outlook.com>\n    max-msg-rate 1200/h\n</domain>\n<virtual-mta tx>\n    smtp-source-host 192.0.2.20 "
            "tx.example.net\n    <domain *>\n        max-msg-rate unlimited\n    </domain>\n    <domain outlook.com>\n"
            "        max-msg-rate 1200/h\n    </domain>\n</virtual-mta>\n",
    .run = run,
};

}  // namespace pmtalint
