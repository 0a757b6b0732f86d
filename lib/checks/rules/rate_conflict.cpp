#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <span>
#include <tuple>

#include "base/text.h"
#include "checks/rule.h"
#include "schema/grammar.h"
#include "schema/knowledge.h"

namespace pmtalint {
namespace {

std::string per_hour(double per_second) {
  const double hourly = per_second * 3600.0;
  return hourly == std::floor(hourly) ? fmt::format("{:.0f}/h", hourly) : fmt::format("{:.1f}/h", hourly);
}

std::string seconds_text(uint64_t s) {
  std::string out;
  for (const auto& [unit, size] : {std::pair{'d', 86400ull}, {'h', 3600ull}, {'m', 60ull}, {'s', 1ull}})
    if (s >= size || (out.empty() && size == 1)) {
      out += fmt::format("{}{}", s / size, unit);
      s %= size;
    }
  return out;
}

std::optional<int64_t> integer_value(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return std::stoll(std::string(text));
}

struct Finder {
  const Model& model;
  Findings& out;
  std::set<std::pair<const ModelDirective*, int>> reported;  // one finding per directive and class

  void report(int kind, const ModelDirective& at, std::string message, std::vector<Note> notes) {
    if (!reported.emplace(&at, kind).second) return;
    out.add(model.where(at), std::move(message)).notes = std::move(notes);
  }
  Note note(const ModelDirective& d, std::string text) const { return {model.where(d), std::move(text)}; }

  // The rate PMTA can reach through new connections: connect rate × messages per connection.
  void unreachable_rate(const ChainSettings& set, uint32_t block) {
    const ModelDirective* rate = set.find("max-msg-rate");
    const ModelDirective* connect = set.find("max-connect-rate");
    const ModelDirective* per_connection = set.find("max-msg-per-connection");
    if (!rate || !connect || !per_connection) return;
    if (rate->block != block && connect->block != block && per_connection->block != block) return;
    const auto r = parse_rate_per_second(trim(model.value(*rate)));
    const auto c = parse_rate_per_second(trim(model.value(*connect)));
    const auto n = integer_value(model.value(*per_connection));
    if (!r || !c || !n || *n == 0 || std::isinf(*r) || std::isinf(*c)) return;
    const double cap = *c * static_cast<double>(*n);
    if (*r <= cap * 1.0001) return;
    report(0, *rate,
           fmt::format("max-msg-rate {} can never be reached: max-connect-rate {} × max-msg-per-connection {} allow "
                       "at most {} new messages, so PMTA delivers at most {} here",
                       trim(model.value(*rate)), trim(model.value(*connect)), *n, per_hour(cap), per_hour(cap)),
           {note(*connect, "the connection rate"), note(*per_connection, "messages per connection")});
  }

  // Backoff is meant to slow a queue down; a looser backoff limit speeds it up on complaints.
  void looser_backoff(const ChainSettings& set, uint32_t block) {
    struct Twin {
      std::string_view backoff, normal;
      bool rate;
    };
    for (const Twin& t : {Twin{"backoff-max-msg-rate", "max-msg-rate", true}, Twin{"backoff-max-connect-rate", "max-connect-rate", true},
                          Twin{"backoff-max-smtp-out", "max-smtp-out", false}}) {
      const ModelDirective* b = set.find(t.backoff);
      const ModelDirective* n = set.find(t.normal);
      if (!b || !n || (b->block != block && n->block != block)) continue;
      const std::string_view bv = trim(model.value(*b)), nv = trim(model.value(*n));
      bool looser = false;
      if (t.rate) {
        const auto bx = parse_rate_per_second(bv), nx = parse_rate_per_second(nv);
        looser = bx && nx && *bx > *nx * 1.0001;
      } else {
        const auto bx = integer_value(bv), nx = integer_value(nv);
        looser = bx && nx && *bx > *nx;
      }
      if (!looser) continue;
      report(1, *b,
             fmt::format("{} {} is looser than {} {}: in backoff this queue would go faster than normally. PMTA "
                         "uses {} while in backoff; set it at or below {}",
                         t.backoff, bv, t.normal, nv, bv, nv),
             {note(*n, "the normal limit")});
    }
    const ModelDirective* b = set.find("backoff-retry-after");
    const ModelDirective* n = set.find("retry-after");
    if (!b || !n || (b->block != block && n->block != block)) return;
    const auto bl = parse_interval_list(trim(model.value(*b))), nl = parse_interval_list(trim(model.value(*n)));
    if (!bl || !nl || bl->front() >= nl->front()) return;
    report(1, *b,
           fmt::format("backoff-retry-after starts at {}, sooner than retry-after's {}: a queue in backoff would "
                       "retry more often than a normal one",
                       seconds_text(bl->front()), seconds_text(nl->front())),
           {note(*n, "the normal retry schedule")});
  }

  // A retry schedule is walked step by step from the first failure; steps that start after
  // bounce-after never run, because the message has bounced by then.
  void retries_after_bounce(const ChainSettings& set, uint32_t block) {
    const ModelDirective* bounce = set.find("bounce-after");
    // The documented default is parsed once, not for every <domain> block.
    static const std::optional<uint64_t> kDefault = [] {
      const DirectiveInfo* info = KnowledgeBase::get().directive("bounce-after");
      return info && info->default_value ? parse_interval_seconds(*info->default_value) : std::nullopt;
    }();
    const auto parsed = bounce ? parse_interval_seconds(trim(model.value(*bounce))) : kDefault;
    if (!parsed) return;
    const uint64_t limit = *parsed;
    for (std::string_view name : {"retry-after", "backoff-retry-after"}) {
      const ModelDirective* retry = set.find(name);
      if (!retry || (retry->block != block && (!bounce || bounce->block != block))) continue;
      const auto steps = parse_interval_list(trim(model.value(*retry)));
      if (!steps) continue;
      uint64_t at = 0;
      for (size_t i = 0; i < steps->size(); ++i) {
        at += (*steps)[i];
        if (at <= limit) continue;
        std::vector<Note> notes;
        if (bounce) notes.push_back(note(*bounce, "bounce-after"));
        report(2, *retry,
               fmt::format("{} step {} of {} would start {} after the first attempt, later than bounce-after {}: "
                           "the message has bounced by then, so {} never run{}",
                           name, i + 1, steps->size(), seconds_text(at), seconds_text(limit),
                           i + 1 == steps->size() ? "that step" : fmt::format("steps {}–{}", i + 1, steps->size()),
                           i + 1 == steps->size() ? "s" : ""),
               std::move(notes));
        break;
      }
    }
  }

  struct Cap {
    const ModelDirective* directive;
    int64_t value;
    uint32_t block;  // whose cap: described only when a finding names it
  };
  std::string describe_cap(const Cap& cap) const {
    return cap.block == kGlobalBlock ? "total-max-smtp-out, the cap on all of PMTA's connections"
                                     : "the cap of " + model.describe(cap.block);
  }
  // Looked up once per block: a VMTA that (through a missing close tag) holds thousands of
  // lines would otherwise be scanned again for each of its <domain> blocks.
  std::map<std::pair<uint32_t, std::string_view>, std::optional<Cap>> caps_seen;

  std::optional<Cap> cap_of(uint32_t block, std::string_view directive) {
    const auto [it, fresh] = caps_seen.try_emplace({block, directive});
    if (fresh)
      if (const ModelDirective* d = model.last(block, directive))
        if (const auto v = integer_value(model.value(*d))) it->second = Cap{d, *v, block};
    return it->second;
  }

  // A queue's max-smtp-out above a cap on all of its VMTA's (or PMTA's) connections. VMTA caps
  // are compared with that VMTA's (and its pool's) own <domain> blocks only: a small cap on one
  // warming-up VMTA below a top-level default is a normal set-up, not a conflict.
  void connection_caps(const DomainEntry& entry, const ModelDirective& queue_cap, int64_t queue_value) {
    std::vector<Cap> caps;
    if (auto total = cap_of(kGlobalBlock, "total-max-smtp-out")) caps.push_back(*total);
    if (entry.owner != kGlobalBlock) {
      if (auto own = cap_of(entry.owner, "max-smtp-out")) caps.push_back(*own);
      if (model.block(entry.owner).kind == "virtual-mta")
        for (const uint32_t pool : model.pools_of(model.block(entry.owner).argument))
          if (auto cap = cap_of(pool, "max-smtp-out")) caps.push_back(*cap);
    }
    const Cap* tightest = nullptr;
    size_t below = 0;
    for (const Cap& cap : caps)
      if (cap.value < queue_value) {
        ++below;
        if (!tightest || cap.value < tightest->value) tightest = &cap;
      }
    if (!tightest) return;
    report(3, queue_cap,
           fmt::format("max-smtp-out {} for this queue is above {} ({}){}: PMTA never opens more than {} "
                       "connections for it there",
                       queue_value, describe_cap(*tightest), tightest->value,
                       below == 2 ? ", and another cap is lower too" : below > 2 ? fmt::format(", and {} other caps are lower too", below - 1) : "", tightest->value),
           {note(*tightest->directive, "the lower cap")});
  }
};

// Explicit blocks beat macro-expanded ones for the same domain; two macro expansions of one
// domain leave the winner undocumented.
void explicit_over_macro(const Model& model, Finder& finder) {
  const auto& domains = model.domains();
  // Every finding here is about a macro-expanded block.
  if (std::none_of(domains.begin(), domains.end(), [](const DomainEntry& e) { return e.from_macro; })) return;
  // Entries for the same owner and pattern, grouped by sorting: in key order, and within a group
  // in reading order (the first group to report a directive words its finding).
  const auto key = [](const DomainEntry* e) { return std::tuple(e->owner, e->pattern.form, std::string_view(e->pattern.suffix)); };
  std::vector<const DomainEntry*> sorted;
  sorted.reserve(domains.size());
  for (const DomainEntry& e : domains) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [&](const DomainEntry* a, const DomainEntry* b) { return key(a) < key(b); });
  for (auto begin = sorted.begin(); begin != sorted.end();) {
    const auto end = std::find_if(begin, sorted.end(), [&](const DomainEntry* e) { return key(e) != key(*begin); });
    const std::span<const DomainEntry* const> entries(begin, end);
    begin = end;
    if (entries.size() < 2) continue;
    const DomainEntry* winner = nullptr;
    for (const DomainEntry* e : entries)
      if (!e->from_macro) winner = e;
    for (const DomainEntry* loser : entries) {
      if (loser == winner || !loser->from_macro) continue;
      const DomainEntry* against = winner ? winner : entries.front();
      if (against == loser || against->block == loser->block) continue;
      for (const uint32_t index : model.block(loser->block).directives) {
        const ModelDirective& d = model.directives()[index];
        if (!d.info || d.info->repeatable) continue;
        const ModelDirective* other = model.last(against->block, d.info->name);
        if (!other || trim(model.value(*other)) == trim(model.value(d))) continue;
        const std::string domain = loser->pattern.text();
        finder.report(4, d,
                      winner ? fmt::format("for {} PMTA uses {} {} from the explicit {}, not {} from this macro-"
                                           "expanded block: an explicit <domain> beats one expanded from a macro",
                                           domain, d.info->name, trim(model.value(*other)), model.describe(against->block),
                                           trim(model.value(d)))
                             : fmt::format("{} is configured by two macro-expanded blocks with different {} ({} here, "
                                           "{} in {}); which one PMTA uses is not documented — give {} an explicit "
                                           "<domain> block",
                                           domain, d.info->name, trim(model.value(d)), trim(model.value(*other)),
                                           model.describe(against->block), domain),
                      {finder.note(*other, "the value that applies")});
      }
    }
  }
}

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  Finder finder{model, out, {}, {}};
  explicit_over_macro(model, finder);
  // Every check needs one of these limits written in the block it reports on; blocks without
  // any are skipped before their inheritance chain is merged.
  static constexpr std::string_view kLimits[] = {"max-msg-rate", "max-connect-rate", "max-msg-per-connection",
                                                 "max-smtp-out", "retry-after", "bounce-after", "backoff-retry-after",
                                                 "backoff-max-msg-rate", "backoff-max-connect-rate", "backoff-max-smtp-out"};
  // Compared by entry, not by name: this runs for every directive of every <domain> block.
  std::array<const DirectiveInfo*, std::size(kLimits)> limits{};
  std::transform(std::begin(kLimits), std::end(kLimits), limits.begin(),
                 [](std::string_view name) { return KnowledgeBase::get().directive(name); });
  // One representative per block (an entry's owner is the block around its own).
  std::vector<bool> done(model.blocks().size());
  for (const DomainEntry& entry : model.domains()) {
    if (done[entry.block]) continue;
    done[entry.block] = true;
    const auto& directives = model.block(entry.block).directives;
    if (std::none_of(directives.begin(), directives.end(), [&](uint32_t d) {
          const DirectiveInfo* info = model.directives()[d].info;
          return info && std::find(limits.begin(), limits.end(), info) != limits.end();
        }))
      continue;
    const ChainSettings& set = ctx.domain_settings.of(entry);
    finder.unreachable_rate(set, entry.block);
    finder.looser_backoff(set, entry.block);
    finder.retries_after_bounce(set, entry.block);
    if (const ModelDirective* cap = model.last(entry.block, "max-smtp-out"))
      if (const auto value = integer_value(model.value(*cap))) finder.connection_caps(entry, *cap, *value);
  }
}

}  // namespace

extern const Rule kRateConflict{
    .code = "PMT0204",
    .slug = "rate-conflict",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "Limits that contradict each other, so PMTA uses a different value than the one written",
    .why = "PMTA applies the tightest of several limits and the most specific of several <domain> blocks, "
           "silently. A max-msg-rate above what max-connect-rate × max-msg-per-connection allow is never "
           "reached; a backoff-* limit looser than its normal twin makes a queue faster exactly when the "
           "receiver complains; a queue's max-smtp-out above its virtual MTA's or PMTA's total cap never gets "
           "those connections; retry steps that start after bounce-after never run; an explicit <domain> "
           "overrides a macro-expanded block for the same domain. Each message says which value PMTA really "
           "uses. (A pattern rule that can never match is `unreachable-rule`.)",
    .bad = "<domain gmail.com>\n    max-msg-rate 2000/h\n    max-connect-rate 10/h\n    max-msg-per-connection 20\n"
           "    backoff-max-msg-rate 5000/h\n</domain>\n",
    .good = "<domain gmail.com>\n    max-msg-rate 2000/h\n    max-connect-rate 100/h\n    max-msg-per-connection 20\n"
            "    backoff-max-msg-rate 500/h\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
