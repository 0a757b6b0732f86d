#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_set>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/suggest.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

// Names PMTA defines itself: selecting them needs no block.
bool reserved(std::string_view name) {
  for (std::string_view r : {"{auth}", "{pickup}", "{transmissions-api}", "{default}", "{sparkpost}"})
    if (iequals(name, r)) return true;
  return false;
}

struct Target {
  std::string_view what;  // for the message: "virtual MTA or pool"
  std::vector<std::string_view> kinds;
};

const Target kVmtaOrPool{"virtual MTA or pool", {"virtual-mta", "virtual-mta-pool"}};
const Target kVmta{"virtual MTA", {"virtual-mta"}};

// Did-you-mean compares a name with every defined one; past this many undefined names in one
// configuration (a broken generated file) the rest are reported without a suggestion, so the
// run stays linear.
constexpr size_t kMaxSuggestions = 20;

struct Reporter {
  const Model& model;
  Findings& out;
  size_t suggestions = 0;
  std::optional<std::unordered_set<std::string_view>> exact_domains;  // suffixes of the exact <domain> patterns

  bool defined(const Target& target, std::string_view name) const {
    for (std::string_view kind : target.kinds)
      if (!model.definitions(kind, name).empty()) return true;
    return false;
  }

  // Checks one name written at `at`; `label` says which directive used it.
  void check(const Target& target, std::string_view name, Location at, std::string_view label) {
    if (name.empty() || reserved(name) || defined(target, name)) return;
    std::vector<std::string_view> candidates;
    if (suggestions++ < kMaxSuggestions)
      for (std::string_view kind : target.kinds)
        for (std::string_view n : model.defined_names(kind)) candidates.push_back(n);
    bool none_defined = true;
    for (std::string_view kind : target.kinds) none_defined &= model.defined_count(kind) == 0;
    // Names are defined at the top level only: a gap there may define this one.
    Diagnostic* found = out.absent(model.gap_in(kGlobalBlock, false), Severity::Error, at,
                                   fmt::format("{} names the {} '{}', which is not defined", label, target.what, name));
    if (!found) return;
    Diagnostic& d = *found;
    if (const auto guess = candidates.empty() ? std::nullopt : closest(name, candidates)) {
      d.message += fmt::format("; did you mean '{}'?", *guess);
      d.fix = Fix{fmt::format("replace with '{}'", *guess), {TextEdit{at, *guess}}, /*safe=*/false};
    } else if (none_defined) {
      d.message += fmt::format(" (the configuration defines no <{}> at all)", target.kinds.front());
    }
  }

  // Comma-separated names inside a directive value.
  void check_list(const Target& target, const ModelDirective& d, std::string_view label) {
    for (const Field& f : split_fields(model.value(d), ','))
      if (!f.text.empty()) check(target, unquote(f.text), model.value_at(d, f.offset, f.text.size()), label);
  }

  // Where the trimmed value of a directive stands.
  Location value_location(const ModelDirective& d) const {
    const std::string_view value = model.value(d);
    const size_t lead = value.find_first_not_of(" \t");
    return model.value_at(d, lead == std::string_view::npos ? 0 : lead, trim(value).size());
  }

  void check_single(const Target& target, const ModelDirective& d, std::string_view label) {
    const std::string_view name = trim(model.value(d));
    if (!name.empty()) check(target, unquote(name), value_location(d), label);
  }

  // `virtual-mta=NAME` results of pattern-list lines.
  void check_pattern_result(const ModelDirective& d) {
    const std::string_view value = model.value(d);
    const size_t slash = value.find('/');
    if (slash == std::string_view::npos) return;
    size_t closing = 0;
    if (check_regex(value.substr(slash), closing)) return;
    const size_t result = slash + closing + 1;
    for (size_t at = value.find("virtual-mta=", result); at != std::string_view::npos;
         at = value.find("virtual-mta=", at + 1)) {
      const size_t begin = at + 12;
      size_t end = begin;
      while (end < value.size() && value[end] != ',' && value[end] != ' ' && value[end] != '\t') ++end;
      check(kVmtaOrPool, value.substr(begin, end - begin), model.value_at(d, begin, end - begin), "this pattern-list rule");
    }
  }

  void check_queue_to(const ModelDirective& d) {
    const std::string target = to_lower(unquote(trim(model.value(d))));
    if (target.empty() || target.starts_with('{')) return;
    // Built on the first queue-to: a generated file may have thousands, against thousands of domains.
    if (!exact_domains) {
      exact_domains.emplace();
      for (const DomainEntry& e : model.domains())
        if (e.pattern.form == PatternForm::Exact) exact_domains->insert(e.pattern.suffix);
    }
    if (exact_domains->contains(target)) return;
    // A <domain> block may stand in any block that can hold one: any gap may hold it.
    out.absent(model.any_gap(), Severity::Warning, model.where(d),
                   fmt::format("queue-to sends this mail to the queue '{}', but no <domain {}> block configures it: "
                               "that queue runs with the settings of the broadest matching <domain> (usually "
                               "<domain *>), not the limits meant for the rollup",
                               target, target));
  }

  // PMTA reads the configuration top to bottom and wants a pattern list defined before the
  // source that uses it.
  void check_pattern_list(const ModelDirective& d) {
    const std::string_view name = trim(model.value(d));
    const auto& defs = model.definitions("pattern-list", name);
    if (defs.empty()) return check({"pattern list", {"pattern-list"}}, name, value_location(d), "pattern-list");
    const Location list = model.head(defs.front());
    const Location use = model.where(d);
    // Blocks are numbered in reading order across every file: a list defined in a later
    // fragment is "after" as surely as one further down the same file.
    if (defs.front() > d.block) {
      Diagnostic& diag = out.add(Severity::Warning, use,
                      fmt::format("<pattern-list {}> is defined after the source that uses it; PMTA wants it defined "
                                  "first, so move the list above this <source>",
                                  name));
      diag.notes.push_back({list, "the pattern list is defined here"});
    }
  }

  void check_listener_source(const ModelDirective& d) {
    const auto words = model.words(d);
    for (size_t i = 1; i < words.size(); ++i) {
      const std::string_view w = model.text(d, words[i].span);
      if (!w.starts_with("source=")) continue;
      const Span name{words[i].span.begin + 7, words[i].span.end};
      check(Target{"source", {"source"}}, w.substr(7), {d.file, name}, "smtp-listener");
    }
  }
};

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  Reporter r{model, out, 0, {}};
  for (const ModelDirective& d : model.directives()) {
    if (!d.info || !model.block(d.block).known) continue;
    const std::string_view name = d.info->name;
    const std::string_view block = model.block(d.block).kind;
    if (name == "default-virtual-mta" && block == "source") {
      if (!iequals(trim(model.value(d)), "by-smtp-source-ip")) r.check_single(kVmtaOrPool, d, name);
    } else if (name == "virtual-mta" && block == "virtual-mta-pool") {
      r.check_single(kVmta, d, "this pool member");
    } else if (name == "cold-virtual-mta") {
      r.check_single(kVmta, d, name);
    } else if (name == "reroute-to-virtual-mta" || name == "backoff-reroute-to-virtual-mta" ||
               name == "invalid-virtual-mta-fallback") {
      r.check_single(kVmtaOrPool, d, name);
    } else if (name == "pattern-list" && block == "source") {
      r.check_pattern_list(d);
    } else if (name == "smtp-pattern-list" && block == "domain") {
      r.check_single({"smtp pattern list", {"smtp-pattern-list"}}, d, name);
    } else if (name == "rewrite-list") {
      r.check_single({"rewrite list", {"rewrite-list"}}, d, name);
    } else if (name == "source-group") {
      r.check_single({"source group", {"source-group"}}, d, name);
    } else if (name == "use-proxy") {
      r.check_list({"proxy", {"proxy"}}, d, name);
    } else if (name == "suppression-lists") {
      r.check_list({"address list", {"address-list"}}, d, name);
    } else if (name == "source" && (block == "smtp-user" || block == "smtp-listener")) {
      r.check_single({"source", {"source"}}, d, name);
    } else if (name == "smtp-listener" && block == "global") {
      r.check_listener_source(d);
    } else if ((name == "header" || name == "mail-from" || name == "rcpt-to") && block == "pattern-list") {
      r.check_pattern_result(d);
    } else if (name == "queue-to") {
      r.check_queue_to(d);
    }
  }
  // queue-to between explicitly named queues: a chain that comes back to where it started.
  std::map<std::string, const ModelDirective*> queue_to;  // queue → its queue-to line (top-level <domain>s)
  for (const DomainEntry& e : model.domains())
    if (e.owner == kGlobalBlock && e.pattern.form == PatternForm::Exact)
      if (const ModelDirective* to = model.last(e.block, "queue-to")) queue_to.try_emplace(e.pattern.suffix, to);
  // Each queue is walked once (a generated chain may be thousands of queues long). Every queue
  // leads to at most one other, so a walk ends at a queue without queue-to, at one an earlier
  // walk passed, or on a loop it has just closed.
  std::vector<std::pair<std::string_view, const ModelDirective*>> queues(queue_to.begin(), queue_to.end());
  constexpr size_t kNone = SIZE_MAX;
  std::vector<size_t> next(queues.size(), kNone);
  for (size_t i = 0; i < queues.size(); ++i) {
    const std::string target = to_lower(unquote(trim(model.value(*queues[i].second))));
    const auto it = std::lower_bound(queues.begin(), queues.end(), std::string_view(target),
                                     [](const auto& q, std::string_view t) { return q.first < t; });
    if (it != queues.end() && it->first == target) next[i] = static_cast<size_t>(it - queues.begin());
  }
  std::vector<std::vector<size_t>> loops;  // each from its first queue in name order
  std::vector<size_t> walked_from(queues.size(), kNone);
  for (size_t start = 0; start < queues.size(); ++start) {
    size_t at = start;
    for (; at != kNone && walked_from[at] == kNone; at = next[at]) walked_from[at] = start;
    if (at == kNone || walked_from[at] != start) continue;
    std::vector<size_t> loop{at};
    for (size_t q = next[at]; q != at; q = next[q]) loop.push_back(q);
    std::rotate(loop.begin(), std::min_element(loop.begin(), loop.end()), loop.end());
    loops.push_back(std::move(loop));
  }
  // Reported in name order of their first queue, as a walk from each queue in turn finds them.
  std::sort(loops.begin(), loops.end(), [](const std::vector<size_t>& a, const std::vector<size_t>& b) { return a.front() < b.front(); });
  for (const std::vector<size_t>& loop : loops) {
    std::vector<std::string_view> path;
    for (const size_t q : loop) path.push_back(queues[q].first);
    out.add(Severity::Warning, model.where(*queues[loop.front()].second),
            fmt::format("queue-to lines form a loop ({} → {}), so the configuration names no final queue for these domains",
                        fmt::join(path, " → "), path.front()));
  }

  std::vector<std::string_view> names;  // built once: thousands of uses against thousands of macros
  for (const DomainMacro& m : model.macros()) names.push_back(m.name);
  for (const MacroProblem& p : model.macro_problems()) {
    if (p.kind != MacroProblem::Kind::Undefined) continue;
    Diagnostic* found = out.absent(model.gap_in(kGlobalBlock, false), Severity::Error, p.where,
                                   fmt::format("${} is not a defined domain-macro, so PMTA reads it literally", p.name));
    if (!found) continue;
    Diagnostic& d = *found;
    // The same suggestion budget as names: past it, a broken file stays linear.
    if (const auto guess = r.suggestions++ < kMaxSuggestions ? closest(p.name, names) : std::nullopt) {
      d.message += fmt::format("; did you mean ${}?", *guess);
      d.fix = Fix{fmt::format("replace with ${}", *guess), {TextEdit{p.where, "$" + *guess}}, /*safe=*/false};
    }
  }
}

}  // namespace

extern const Rule kUndefinedReference{
    .code = "PMT0202",
    .slug = "undefined-reference",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A name that points at no defined virtual MTA, pool, list, source, proxy or macro",
    .why = "Virtual MTAs, pools, pattern lists, smtp-pattern lists, rewrite lists, source groups, proxies, "
           "address lists and domain macros are referred to by name. A misspelt name does not fail loudly "
           "everywhere: a source's default-virtual-mta that names nothing rejects or misroutes mail, a "
           "<domain> whose smtp-pattern-list is missing never enters backoff on the replies it was meant to "
           "catch, and a <domain> naming an undefined $macro does not cover the domains it was meant to. "
           "A queue-to target without its own <domain> block is a warning: the rollup queue then runs on the "
           "catch-all settings. A pattern list defined after the source that uses it is a warning too.",
    .bad = "<virtual-mta-pool pool1>\n    virtual-mta mta1\n</virtual-mta-pool>\n<source 10.0.0.0/8>\n    "
           "default-virtual-mta pool-1\n</source>\n",
    .good = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n</virtual-mta>\n"
            "<virtual-mta-pool pool1>\n    virtual-mta mta1\n</virtual-mta-pool>\n<source 10.0.0.0/8>\n    "
            "default-virtual-mta pool1\n</source>\n",
    .run = run,
};

}  // namespace pmtalint
