#include "diff/diff.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/text.h"
#include "checks/secrets.h"
#include "delivery/plan.h"
#include "model/effective.h"
#include "model/exposure.h"
#include "schema/grammar.h"

namespace pmtalint::diff {
namespace {

constexpr std::string_view kMasked = "********";

// Blanks collapsed to one space, ends trimmed: indentation and spacing are not a change.
std::string collapse(std::string_view text) {
  std::string out;
  bool blank = false;
  for (const char c : trim(text)) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// The value compared: blanks collapsed, yes/true and no/false alike for boolean directives.
std::string canonical(const DirectiveInfo* info, std::string_view value) {
  std::string text = collapse(value);
  if (info && info->value.kind == GrammarKind::Boolean)
    if (const auto b = parse_boolean(text)) return *b ? "yes" : "no";
  return text;
}

Apply apply_of(const DirectiveInfo* info, std::string& condition) {
  if (!info) return Apply::Reload;
  if (info->restart) return Apply::Restart;
  if (info->restart_if) {
    condition = *info->restart_if;
    return Apply::RestartIf;
  }
  return Apply::Reload;
}

bool is_true(const Value& v) { return v.present && parse_boolean(v.text).value_or(false); }

std::string first_word(std::string_view text) {
  text = trim(text);
  return std::string(text.substr(0, text.find_first_of(" \t")));
}

bool public_range(std::string_view cidr) {
  const auto range = parse_ip_range(cidr);
  return range && !is_private_range(*range);
}

// One line of a block as compared: the canonical value and where it is.
struct Entry {
  std::string canon;
  std::string shown;
  const ModelDirective* directive = nullptr;
};

// A block's directives by name: single-valued ones keep their last line, repeatable ones (and
// the rule lines of pattern lists) every line in order, since order decides first-match lists.
struct Content {
  std::map<std::string, std::vector<Entry>, std::less<>> lines;
  std::map<std::string, const DirectiveInfo*, std::less<>> infos;
  uint32_t block = kNoBlock;  // the first block of that key
};

class Reader {
 public:
  explicit Reader(const Side& side) : side_(side), model_(*side.model) {}

  Origin origin(const ModelDirective& d) const {
    const SourceFile& file = model_.workspace().file(d.file);
    return {side_.shown(file.path()), file.position(model_.where(d).span.begin).line};
  }
  Origin origin(Location at) const {
    const SourceFile& file = model_.workspace().file(at.file);
    return {side_.shown(file.path()), file.position(at.span.begin).line};
  }

  Value value(const Entry& e, std::string_view name) const {
    return {true, is_secret_directive(name) ? std::string(kMasked) : e.shown, e.directive ? origin(*e.directive) : Origin{}, {}};
  }

  void add(Content& content, const ModelDirective& d, bool rule_line) const {
    std::string name = rule_line ? std::string() : to_lower(model_.name(d));
    if (name == "include") return;  // where the lines are read from is not a change
    std::string value = collapse(model_.value(d));
    if (rule_line) value = collapse(std::string(model_.written_name(d)) + " " + value);
    Entry e{canonical(rule_line ? nullptr : d.info, value), value, &d};
    auto& list = content.lines[name];
    const bool many = rule_line || !d.info || d.info->repeatable;
    if (!many) list.clear();
    list.push_back(std::move(e));
    if (!rule_line) content.infos[name] = d.info;
  }

  // Every block but <domain> (queues compare those) by "<kind argument>", nested ones behind
  // their parent's key; blocks of one key in reading order.
  std::map<std::string, std::vector<uint32_t>, std::less<>> block_keys() const {
    std::map<std::string, std::vector<uint32_t>, std::less<>> out;
    std::vector<std::string> keys(model_.blocks().size());
    std::vector<bool> skipped(model_.blocks().size(), false);
    for (uint32_t i = 1; i < model_.blocks().size(); ++i) {
      const ModelBlock& b = model_.block(i);
      if (b.kind == "domain" || (b.parent != kNoBlock && skipped[b.parent])) {
        skipped[i] = true;
        continue;
      }
      std::string key = "<" + b.kind + (b.argument.empty() ? "" : " " + to_lower(collapse(b.argument))) + ">";
      if (b.parent != kGlobalBlock && b.parent != kNoBlock) key = keys[b.parent] + " " + key;
      keys[i] = key;
      out[std::move(key)].push_back(i);
    }
    return out;
  }

  bool rule_lines(uint32_t block) const {
    const BlockInfo* info = KnowledgeBase::get().block(model_.block(block).kind);
    return info && info->line_syntax;
  }

  Content content(const std::vector<uint32_t>& blocks) const {
    Content content;
    if (blocks.empty()) return content;
    content.block = blocks.front();
    for (const uint32_t b : blocks) {
      const bool rules = rule_lines(b);
      for (const uint32_t d : model_.block(b).directives) add(content, model_.directives()[d], rules);
    }
    return content;
  }

  // A hash of what content() compares, without building it: equal contents hash alike.
  uint64_t fingerprint(const std::vector<uint32_t>& blocks) const {
    if (blocks.size() == 1) {  // one block: computed once (macro expansions share their block)
      if (prints_.empty()) prints_.assign(model_.blocks().size(), 0);
      uint64_t& print = prints_[blocks.front()];
      if (print == 0) print = fingerprint_of(blocks) | 1;
      return print;
    }
    return fingerprint_of(blocks) | 1;
  }

  uint64_t fingerprint_of(const std::vector<uint32_t>& blocks) const {
    std::vector<Item>& items = items_;
    items.clear();
    for (const uint32_t b : blocks) {
      const bool rules = rule_lines(b);
      for (const uint32_t index : model_.block(b).directives) {
        const ModelDirective& d = model_.directives()[index];
        if (!rules && iequals(model_.name(d), "include")) continue;
        uint64_t value = kSeed;
        if (rules) value = hash_collapsed(value, std::string(model_.written_name(d)) + " ");
        const std::optional<bool> flag =
            !rules && d.info && d.info->value.kind == GrammarKind::Boolean ? parse_boolean(collapse(model_.value(d))) : std::nullopt;
        value = flag ? hash_collapsed(value, *flag ? "yes" : "no") : hash_collapsed(value, model_.value(d));
        items.push_back({rules ? 0 : hash_lower(model_.name(d)), value, rules || !d.info || d.info->repeatable});
      }
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.name < b.name; });
    uint64_t h = kSeed;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].many && i + 1 < items.size() && items[i + 1].name == items[i].name) continue;  // the last wins
      h = mix(mix(h, items[i].name), items[i].value);
    }
    return h;
  }

  static constexpr uint64_t kSeed = 1469598103934665603ull;
  static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 1099511628211ull + (h >> 29); }
  static uint64_t hash_lower(std::string_view text) {
    uint64_t h = kSeed;
    for (const char c : text) h = (h ^ static_cast<unsigned char>(ascii_lower(c))) * 1099511628211ull;
    return h;
  }
  // The hash of collapse(text) appended to what `h` hashed.
  static uint64_t hash_collapsed(uint64_t h, std::string_view text) {
    bool blank = false, any = false;
    for (const char c : trim(text)) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        blank = true;
        continue;
      }
      if (blank && any) h = (h ^ ' ') * 1099511628211ull;
      blank = false;
      any = true;
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return h;
  }

  const Side& side_;
  const Model& model_;

 private:
  struct Item {
    uint64_t name, value;
    bool many;
  };
  mutable std::vector<Item> items_;      // scratch of fingerprint_of()
  mutable std::vector<uint64_t> prints_;  // per block; 0: not computed yet
};

std::vector<Change> compare_content(const Reader& old_r, const Content& old_c, const Reader& new_r, const Content& new_c) {
  std::vector<Change> out;
  std::set<std::string, std::less<>> names;
  for (const auto& [name, _] : old_c.lines) names.insert(name);
  for (const auto& [name, _] : new_c.lines) names.insert(name);
  static const std::vector<Entry> none;
  for (const std::string& name : names) {
    const auto o = old_c.lines.find(name);
    const auto n = new_c.lines.find(name);
    const std::vector<Entry>& ol = o == old_c.lines.end() ? none : o->second;
    const std::vector<Entry>& nl = n == new_c.lines.end() ? none : n->second;
    const DirectiveInfo* info = nullptr;
    if (const auto it = new_c.infos.find(name); it != new_c.infos.end()) info = it->second;
    else if (const auto jt = old_c.infos.find(name); jt != old_c.infos.end()) info = jt->second;
    const std::string shown_name = name.empty() ? "rule" : name;
    auto make = [&](const Entry* a, const Entry* b) {
      Change c;
      c.name = shown_name;
      if (a) c.old_value = old_r.value(*a, name);
      if (b) c.new_value = new_r.value(*b, name);
      c.apply = apply_of(info, c.apply_if);
      return c;
    };
    const bool single = info && !info->repeatable && !name.empty();
    if (single) {
      const Entry* a = ol.empty() ? nullptr : &ol.back();
      const Entry* b = nl.empty() ? nullptr : &nl.back();
      if (a && b && a->canon == b->canon) continue;
      out.push_back(make(a, b));
      continue;
    }
    if (std::equal(ol.begin(), ol.end(), nl.begin(), nl.end(), [](const Entry& a, const Entry& b) { return a.canon == b.canon; }))
      continue;
    // Lines only one side has; the same lines in another order are one change of the order.
    std::unordered_map<std::string, int> count;
    for (const Entry& e : ol) ++count[e.canon];
    for (const Entry& e : nl) --count[e.canon];
    bool any = false;
    std::unordered_map<std::string, int> left = count;
    for (const Entry& e : ol)
      if (left[e.canon] > 0) --left[e.canon], out.push_back(make(&e, nullptr)), any = true;
    left = count;
    for (const Entry& e : nl)
      if (left[e.canon] < 0) ++left[e.canon], out.push_back(make(nullptr, &e)), any = true;
    if (!any) {
      Change c = make(&ol.front(), &nl.front());
      std::string a, b;
      for (const Entry& e : ol) a += (a.empty() ? "" : "; ") + old_r.value(e, name).text;
      for (const Entry& e : nl) b += (b.empty() ? "" : "; ") + new_r.value(e, name).text;
      c.old_value.text = "in the order " + a;
      c.new_value.text = "in the order " + b;
      out.push_back(std::move(c));
    }
  }
  return out;
}

// Why a change widens who can reach or use PMTA; empty when it does not.
std::string widening(std::string_view kind, std::string_view block_name, const Change& c, bool exposed) {
  const std::string& name = c.name;
  const Value& o = c.old_value;
  const Value& n = c.new_value;
  if (name == "http-access") {
    if (n.present && !o.present) {
      const std::string range = first_word(n.text);
      const std::string levels = to_lower(n.text.substr(std::min(n.text.size(), range.size())));
      for (const char* level : {"admin", "operator", "monitor"})
        if (levels.find(level) != std::string::npos)
          return fmt::format("grants {} access to the web monitor from {}{}", level, range,
                             public_range(range) ? " (addresses on the internet)" : "");
    }
    if (o.present && !n.present && to_lower(o.text).find("none") != std::string::npos)
      return fmt::format("a rule denying {} was removed", first_word(o.text));
    return "";
  }
  if (name == "http-mgmt-port" && o.present && trim(o.text) == "0" && (!n.present || trim(n.text) != "0"))
    return "turns the web monitor on";
  if ((name == "always-allow-relaying" || name == "allow-unencrypted-plain-auth" || name == "allow-auth") && is_true(n) &&
      !is_true(o)) {
    const char* what = name == "always-allow-relaying" ? "lets clients relay without authenticating"
                       : name == "allow-auth"          ? "accepts SMTP AUTH"
                                                       : "accepts AUTH passwords without TLS";
    return fmt::format("{} {}{}", block_name, what, exposed ? ", and the internet reaches it" : "");
  }
  if ((name == "require-auth" || name == "require-starttls-before-auth") && is_true(o) && !is_true(n))
    return fmt::format("{} no longer requires {}", block_name, name == "require-auth" ? "authentication" : "STARTTLS before AUTH");
  if ((name == "relay-domain" || name == "relay-address") && n.present && !o.present)
    return fmt::format("relaying allowed for {}", n.text);
  if (kind == "smtp-listener" && n.present && (!o.present || !public_listener(first_word(o.text)))) {
    const std::string address = first_word(n.text);
    if (public_listener(address)) return fmt::format("listens on {}, a public address", address);
  }
  return "";
}

// ---- queues -------------------------------------------------------------------------------

struct QueueDiff {
  std::vector<Change> changes;
  std::optional<Throughput> throughput;
  std::string old_queue, new_queue;
};

bool is_rate_limit(std::string_view name) {
  return name == "max-msg-rate" || name == "max-connect-rate" || name == "max-msg-per-connection" || name == "max-smtp-out";
}

std::pair<double, std::string> bound_of(const Model& model, const QueueSettings& q) {
  const delivery::QueueLimits limits = delivery::queue_limits(model, q);
  const double bound = delivery::max_messages_per_hour(limits.normal, limits.max_msg_per_connection);
  if (std::isinf(bound)) return {bound, ""};
  const bool by_rate = limits.normal.message_interval > 0 && std::abs(3600 / limits.normal.message_interval - bound) < 1e-9;
  return {bound, by_rate ? "max-msg-rate" : "max-connect-rate × max-msg-per-connection"};
}

class QueueComparer {
 public:
  QueueComparer(const Reader& o, const Reader& n)
      : old_(o), new_(n), old_rollups_(mx_rollups(o.model_)), new_rollups_(mx_rollups(n.model_)) {}

  // nullopt when the queue runs with the same settings on both sides.
  std::optional<QueueDiff> compare(const std::string& domain, uint32_t old_vmta, uint32_t new_vmta, const std::string& vmta) const {
    const Model& om = old_.model_;
    const Model& nm = new_.model_;
    {
      const ExplicitSettings a = explicit_settings(om, domain_chain(om, domain, old_vmta));
      const ExplicitSettings b = explicit_settings(nm, domain_chain(nm, domain, new_vmta));
      if (!a.contains("queue-to") && !b.contains("queue-to") && a.size() == b.size() &&
          std::equal(a.begin(), a.end(), b.begin(), [&](const auto& x, const auto& y) {
            return x.first == y.first && canonical(x.second->info, om.value(*x.second)) == canonical(y.second->info, nm.value(*y.second));
          }))
        return std::nullopt;
    }
    const QueueSettings qo = effective_settings(om, domain, vmta, std::nullopt, &old_rollups_);
    const QueueSettings qn = effective_settings(nm, domain, vmta, std::nullopt, &new_rollups_);
    QueueDiff out;
    if (qo.queue != qn.queue) {
      Change c;
      c.name = "queue";
      c.old_value = {true, qo.queue, qo.routing.empty() ? Origin{} : old_.origin(*qo.routing.back()), {}};
      c.new_value = {true, qn.queue, qn.routing.empty() ? Origin{} : new_.origin(*qn.routing.back()), {}};
      out.changes.push_back(std::move(c));
    }
    if (qo.queue != domain || qn.queue != domain) out.old_queue = qo.queue, out.new_queue = qn.queue;
    bool limits = false;
    auto a = qo.settings.begin();
    auto b = qn.settings.begin();
    const KnowledgeBase& kb = KnowledgeBase::get();
    while (a != qo.settings.end() || b != qn.settings.end()) {
      const EffectiveSetting* x = nullptr;
      const EffectiveSetting* y = nullptr;
      if (b == qn.settings.end() || (a != qo.settings.end() && a->name < b->name)) x = &*a++;
      else if (a == qo.settings.end() || b->name < a->name) y = &*b++;
      else x = &*a++, y = &*b++;
      const std::string& name = x ? x->name : y->name;
      const DirectiveInfo* info = kb.directive(name);
      if (x && y && canonical(info, x->value) == canonical(info, y->value)) continue;
      auto value = [&](const EffectiveSetting* s, const Reader& r) {
        if (!s) return Value{};
        const std::string text = s->directive && is_secret_directive(name) ? std::string(kMasked) : collapse(s->value);
        return Value{true, text, s->directive ? r.origin(*s->directive) : Origin{}, s->directive ? "" : s->note};
      };
      Change c;
      c.name = name;
      c.old_value = value(x, old_);
      c.new_value = value(y, new_);
      c.apply = apply_of(info, c.apply_if);
      limits |= is_rate_limit(name);
      out.changes.push_back(std::move(c));
    }
    if (out.changes.empty()) return std::nullopt;
    if (limits) {
      const auto [ob, oby] = bound_of(om, qo);
      const auto [nb, nby] = bound_of(nm, qn);
      if (ob != nb) out.throughput = Throughput{ob, nb, oby, nby};
    }
    return out;
  }

 private:
  const Reader& old_;
  const Reader& new_;
  const std::vector<MxRollup> old_rollups_, new_rollups_;  // read once, not per queue compared
};

std::string origin_key(const Origin& o) { return o.file + ":" + std::to_string(o.line); }

std::string group_key(const QueueDiff& d) {
  std::string key;
  for (const Change& c : d.changes)
    key += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1e", c.name, c.old_value.present, c.old_value.text,
                       origin_key(c.old_value.at), c.new_value.present, c.new_value.text, origin_key(c.new_value.at));
  if (d.throughput) key += fmt::format("{}\x1f{}", d.throughput->old_bound, d.throughput->new_bound);
  return key;
}

// The domains to compare queues for: every <domain> argument of either side after expansion,
// wildcards as themselves ("*", "*.example.com").
void collect_domains(const Model& model, std::set<std::string>& out) {
  for (const DomainEntry& e : model.domains()) switch (e.pattern.form) {
      case PatternForm::Any: out.insert("*"); break;
      case PatternForm::Subdomains: out.insert("*." + e.pattern.suffix); break;
      case PatternForm::SelfAndSubs:
        out.insert(e.pattern.suffix);
        out.insert("*." + e.pattern.suffix);
        break;
      case PatternForm::Exact: out.insert(e.pattern.suffix); break;
    }
}

// Which domains a pattern matches among `domains`, through an index by label suffix.
class DomainIndex {
 public:
  explicit DomainIndex(const std::vector<std::string>& domains) : all_(domains) {
    for (uint32_t i = 0; i < domains.size(); ++i) {
      std::string_view rest = domains[i];
      while (true) {
        by_suffix_[std::string(rest)].push_back(i);
        const size_t dot = rest.find('.');
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
      }
    }
  }
  template <typename F>
  void each_match(const DomainPattern& p, F&& f) const {
    if (p.form == PatternForm::Any) {
      for (uint32_t i = 0; i < all_.size(); ++i) f(i);
      return;
    }
    const auto it = by_suffix_.find(p.suffix);
    if (it == by_suffix_.end()) return;
    for (const uint32_t i : it->second) {
      const std::string& d = all_[i];
      // "*.x" stands for the subdomains of x, so every pattern that matches them matches it.
      const std::string probe = d.starts_with("*.") ? "x" + d.substr(1) : d;
      if (p.matches(probe)) f(i);
    }
  }

 private:
  const std::vector<std::string>& all_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_suffix_;
};

std::vector<std::string> pool_members(const Model& model, uint32_t pool) {
  std::vector<std::string> out;
  for (const uint32_t d : model.block(pool).directives) {
    const ModelDirective& line = model.directives()[d];
    if (line.info && line.info->name == "virtual-mta") out.push_back(to_lower(trim(model.value(line))));
  }
  return out;
}

// ---- findings -----------------------------------------------------------------------------

// A finding as compared: rule, message and the line's text, without positions (lines move).
std::string finding_key(const Diagnostic& d, const Workspace& ws) {
  std::string message;
  for (size_t i = 0; i < d.message.size(); ++i) {
    message += d.message[i];
    if (d.message[i] == ':' && i + 1 < d.message.size() && d.message[i + 1] >= '0' && d.message[i + 1] <= '9') {
      while (i + 1 < d.message.size() && d.message[i + 1] >= '0' && d.message[i + 1] <= '9') ++i;
      message += '#';
    }
  }
  std::string line;
  if (d.where.file < ws.size()) {
    const SourceFile& file = ws.file(d.where.file);
    const std::string_view text = file.text();
    if (d.where.span.begin <= text.size()) {
      size_t begin = text.rfind('\n', d.where.span.begin == 0 ? 0 : d.where.span.begin - 1);
      begin = begin == std::string_view::npos || d.where.span.begin == 0 ? 0 : begin + 1;
      const size_t end = text.find('\n', d.where.span.begin);
      line = to_lower(collapse(text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin)));
    }
  }
  // Paths differ between the sides: only the file's name is kept.
  std::string base;
  if (d.where.file < ws.size()) {
    const std::string& path = ws.file(d.where.file).path();
    base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  }
  return fmt::format("{}\x1f{}\x1f{}\x1f{}", d.rule, base, message, line);
}

Finding finding_of(const Diagnostic& d, const Side& side) {
  Finding f{std::string(d.rule), std::string(severity_name(d.severity)), "", 0, 0, d.message};
  const Workspace& ws = side.analysis->loaded.workspace;
  if (d.where.file < ws.size()) {
    const SourceFile& file = ws.file(d.where.file);
    const auto pos = file.position(d.where.span.begin);
    f.file = side.shown(file.path());
    f.line = pos.line;
    f.column = pos.column;
  }
  return f;
}

void compare_findings(const Side& o, const Side& n, Report& report) {
  std::unordered_map<std::string, std::vector<const Diagnostic*>> old_by, new_by;
  std::vector<std::string> order;
  for (const Diagnostic& d : o.analysis->diagnostics) old_by[finding_key(d, o.analysis->loaded.workspace)].push_back(&d);
  for (const Diagnostic& d : n.analysis->diagnostics) new_by[finding_key(d, n.analysis->loaded.workspace)].push_back(&d);
  for (const Diagnostic& d : n.analysis->diagnostics) {
    const std::string key = finding_key(d, n.analysis->loaded.workspace);
    const auto& ours = new_by[key];
    const size_t before = old_by.contains(key) ? old_by[key].size() : 0;
    // The last ones of a kind are the new ones.
    const size_t index = static_cast<size_t>(std::find(ours.begin(), ours.end(), &d) - ours.begin());
    if (index >= before) report.new_findings.push_back(finding_of(d, n));
  }
  for (const Diagnostic& d : o.analysis->diagnostics) {
    const std::string key = finding_key(d, o.analysis->loaded.workspace);
    const auto& theirs = old_by[key];
    const size_t after = new_by.contains(key) ? new_by[key].size() : 0;
    const size_t index = static_cast<size_t>(std::find(theirs.begin(), theirs.end(), &d) - theirs.begin());
    if (index >= after) report.fixed_findings.push_back(finding_of(d, o));
  }
}

bool glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), FNM_CASEFOLD) == 0;
}

// ---- names and top-level lines --------------------------------------------------------------

struct Named {
  std::string kind, name, canon, shown;
  const ModelDirective* directive = nullptr;
};

// domain-macro, domain-key and smtp-listener lines of the top level, by what they name.
std::map<std::string, Named> top_level_names(const Model& model) {
  std::map<std::string, Named> out;
  for (const DomainMacro& m : model.macros()) {
    std::vector<std::string> values;
    for (const std::string& v : m.values) values.push_back(to_lower(v));
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::string canon;
    for (const std::string& v : values) canon += (canon.empty() ? "" : ", ") + v;
    const ModelDirective& d = model.directives()[m.directive];
    out["domain-macro\x1f" + m.name] = {"domain-macro", m.name, canon, canon, &d};
  }
  for (const uint32_t index : model.block(kGlobalBlock).directives) {
    const ModelDirective& d = model.directives()[index];
    if (!d.info) continue;
    const std::string value = collapse(model.value(d));
    if (d.info->name == "domain-key") {
      const auto fields = split_fields(value, ',');
      std::string key = fields.size() >= 2 ? to_lower(std::string(fields[0].text) + "," + std::string(fields[1].text)) : to_lower(value);
      out["domain-key\x1f" + key] = {"domain-key", key, value, value, &d};
    } else if (d.info->name == "smtp-listener") {
      const std::string address = first_word(value);
      out["smtp-listener\x1f" + to_lower(address)] = {"smtp-listener", address, value, value, &d};
    }
  }
  return out;
}

bool pulled_out(std::string_view name) { return name == "domain-macro" || name == "domain-key" || name == "smtp-listener"; }

void compare_names(const Reader& o, const Reader& n, Report& report) {
  // Top-level settings.
  Content old_top, new_top;
  for (const uint32_t d : o.model_.block(kGlobalBlock).directives)
    if (const ModelDirective& line = o.model_.directives()[d]; !line.info || !pulled_out(line.info->name)) o.add(old_top, line, false);
  for (const uint32_t d : n.model_.block(kGlobalBlock).directives)
    if (const ModelDirective& line = n.model_.directives()[d]; !line.info || !pulled_out(line.info->name)) n.add(new_top, line, false);
  for (Change& c : compare_content(o, old_top, n, new_top)) {
    c.widens = widening("global", "the top level", c, false);
    if (!c.widens.empty()) report.security.push_back({"the top level", c});
    report.settings.push_back(std::move(c));
  }

  // Named top-level lines.
  const auto old_named = top_level_names(o.model_);
  const auto new_named = top_level_names(n.model_);
  std::set<std::string> keys;
  for (const auto& [k, _] : old_named) keys.insert(k);
  for (const auto& [k, _] : new_named) keys.insert(k);
  for (const std::string& key : keys) {
    const auto a = old_named.find(key);
    const auto b = new_named.find(key);
    const Named* x = a == old_named.end() ? nullptr : &a->second;
    const Named* y = b == new_named.end() ? nullptr : &b->second;
    if (x && y && x->canon == y->canon) continue;
    const Named& any = y ? *y : *x;
    NameChange nc{any.kind, any.name, !x ? Status::Added : !y ? Status::Removed : Status::Changed, {}, {}, {}};
    Change c;
    c.name = any.kind;
    if (x) nc.old_at = o.origin(*x->directive), c.old_value = {true, x->shown, nc.old_at, {}};
    if (y) nc.new_at = n.origin(*y->directive), c.new_value = {true, y->shown, nc.new_at, {}};
    c.apply = apply_of(any.directive->info, c.apply_if);
    c.widens = widening(any.kind, any.name, c, false);
    if (!c.widens.empty()) report.security.push_back({"the top level", c});
    nc.changes.push_back(std::move(c));
    report.names.push_back(std::move(nc));
  }

  // Blocks.
  const auto old_blocks = o.block_keys();
  const auto new_blocks = n.block_keys();
  const auto new_listeners = listeners(n.model_);
  std::set<std::string_view> block_keys;
  for (const auto& [k, _] : old_blocks) block_keys.insert(k);
  for (const auto& [k, _] : new_blocks) block_keys.insert(k);
  static const std::vector<uint32_t> no_blocks;
  for (const std::string_view key : block_keys) {
    const auto a = old_blocks.find(key);
    const auto b = new_blocks.find(key);
    const bool added = a == old_blocks.end();
    const bool removed = b == new_blocks.end();
    const std::vector<uint32_t>& xs = added ? no_blocks : a->second;
    const std::vector<uint32_t>& ys = removed ? no_blocks : b->second;
    if (!added && !removed && o.fingerprint(xs) == n.fingerprint(ys)) continue;
    const Content x = o.content(xs);
    const Content y = n.content(ys);
    std::vector<Change> changes = compare_content(o, x, n, y);
    if (changes.empty() && !added && !removed) continue;
    const Reader& side = removed ? o : n;
    const ModelBlock& block = side.model_.block(removed ? x.block : y.block);
    NameChange nc{block.kind, std::string(block.argument), added ? Status::Added : removed ? Status::Removed : Status::Changed, {}, {}, {}};
    if (!added) nc.old_at = o.origin(o.model_.head(x.block));
    if (!removed) nc.new_at = n.origin(n.model_.head(y.block));
    const std::string subject = side.model_.describe(removed ? x.block : y.block);
    bool exposed = false;
    if (!removed && block.kind == "source" && block.parent == kGlobalBlock) exposed = exposure(n.model_, y.block, new_listeners).reachable;
    for (Change& c : changes) {
      c.widens = widening(block.kind, subject, c, exposed);
      if (!c.widens.empty()) report.security.push_back({subject, c});
    }
    if (added && block.kind == "smtp-listener" && public_listener(block.argument)) {
      Change c;
      c.name = "<smtp-listener>";
      c.new_value = {true, std::string(block.argument), nc.new_at, {}};
      c.widens = fmt::format("listens on {}, a public address", block.argument);
      report.security.push_back({subject, c});
      changes.insert(changes.begin(), std::move(c));
    }
    if (added && block.kind == "smtp-user") {
      Change c;
      c.name = "<smtp-user>";
      c.new_value = {true, std::string(block.argument), nc.new_at, {}};
      c.widens = "a new SMTP AUTH user";
      report.security.push_back({subject, c});
      changes.insert(changes.begin(), std::move(c));
    }
    nc.changes = std::move(changes);
    report.names.push_back(std::move(nc));
  }
}

}  // namespace

std::string Side::shown(const std::string& path) const {
  if (!path_prefix.empty() && path.starts_with(path_prefix)) return shown_prefix + path.substr(path_prefix.size());
  return path;
}

std::string_view apply_name(Apply apply) {
  switch (apply) {
    case Apply::Reload: return "reload";
    case Apply::RestartIf: return "restart-if";
    case Apply::Restart: return "restart";
  }
  return "reload";
}

Apply Report::apply() const {
  Apply out = Apply::Reload;
  auto take = [&](const Change& c) { out = std::max(out, c.apply); };
  for (const QueueChange& q : queues)
    for (const Change& c : q.changes) take(c);
  for (const NameChange& n : names)
    for (const Change& c : n.changes) take(c);
  for (const Change& c : settings) take(c);
  return out;
}

Report compare(const Side& old_side, const Side& new_side, const Options& options) {
  Report report;
  report.old_label = old_side.label;
  report.new_label = new_side.label;
  const Reader o(old_side), n(new_side);
  const Model& om = *old_side.model;
  const Model& nm = *new_side.model;

  // Queues.
  std::set<std::string> domain_set;
  collect_domains(om, domain_set);
  collect_domains(nm, domain_set);
  const std::vector<std::string> domains(domain_set.begin(), domain_set.end());
  report.domains = domains.size();

  // Virtual MTAs both sides define, by lower-case name, with each side's block.
  struct Vmta {
    std::string name;
    uint32_t old_block, new_block;
  };
  std::map<std::string, Vmta> common;
  for (const std::string_view name : nm.defined_names("virtual-mta")) {
    const auto& defs_new = nm.definitions("virtual-mta", name);
    const auto& defs_old = om.definitions("virtual-mta", name);
    if (defs_old.empty() || defs_new.empty()) continue;
    common.emplace(to_lower(name), Vmta{std::string(name), defs_old.front(), defs_new.front()});
  }
  report.vmtas = common.size();
  std::vector<const Vmta*> vmta_list;
  for (const auto& [_, v] : common) vmta_list.push_back(&v);

  // Virtual MTAs whose settings for a domain may differ from {default}'s: those with <domain>
  // blocks of their own, or of a pool they belong to, that match it (on either side).
  const DomainIndex index(domains);
  std::vector<std::vector<uint32_t>> own(domains.size());  // domain → positions in vmta_list
  std::unordered_map<std::string, uint32_t> position;
  for (uint32_t i = 0; i < vmta_list.size(); ++i) position[to_lower(vmta_list[i]->name)] = i;
  for (const Model* m : {&om, &nm}) {
    for (const DomainEntry& e : m->domains()) {
      if (e.owner == kGlobalBlock) continue;
      const ModelBlock& owner = m->block(e.owner);
      std::vector<std::string> members;
      if (owner.kind == "virtual-mta") members.push_back(to_lower(owner.argument));
      else if (owner.kind == "virtual-mta-pool") members = pool_members(*m, e.owner);
      for (const std::string& member : members) {
        const auto p = position.find(member);
        if (p == position.end()) continue;
        index.each_match(e.pattern, [&](uint32_t d) { own[d].push_back(p->second); });
      }
    }
  }
  std::unordered_map<std::string, uint32_t> domain_position;
  for (uint32_t i = 0; i < domains.size(); ++i) domain_position[domains[i]] = i;

  // Only domains that some differing <domain> entry matches can run with other settings: an
  // entry (by owner, pattern and whether a macro made it) whose lines differ, that one side
  // lacks, or whose pool's members changed. Domains routed by queue-to are always compared.
  std::vector<bool> touched(domains.size(), false);
  {
    std::unordered_map<std::string, uint64_t> prints[2];
    const Reader* readers[2] = {&o, &n};
    for (int side = 0; side < 2; ++side) {
      const Model& m = readers[side]->model_;
      for (const DomainEntry& e : m.domains()) {
        const ModelBlock& owner = m.block(e.owner);
        std::string key = e.owner == kGlobalBlock ? std::string() : owner.kind + " " + to_lower(owner.argument);
        key += "\x1f" + e.pattern.text() + (e.from_macro ? "\x1fmacro" : "");
        uint64_t print = readers[side]->fingerprint({e.block});
        if (owner.kind == "virtual-mta-pool")
          for (const std::string& member : pool_members(m, e.owner)) print = Reader::mix(print, Reader::hash_lower(member));
        uint64_t& slot = prints[side][key];
        slot = Reader::mix(slot, print);
        if (m.last(e.block, "queue-to")) index.each_match(e.pattern, [&](uint32_t d) { touched[d] = true; });
      }
    }
    auto touch = [&](const Model& m, const std::string& key) {
      (void)m;
      const size_t sep = key.find('\x1f');
      std::string pattern = key.substr(sep + 1);
      if (const size_t macro = pattern.find('\x1f'); macro != std::string::npos) pattern.resize(macro);
      index.each_match(parse_domain_pattern(pattern), [&](uint32_t d) { touched[d] = true; });
    };
    for (const auto& [key, print] : prints[0])
      if (const auto it = prints[1].find(key); it == prints[1].end() || it->second != print) touch(om, key);
    for (const auto& [key, print] : prints[1])
      if (!prints[0].contains(key)) touch(nm, key);
  }

  const QueueComparer comparer(o, n);
  std::unordered_map<std::string, size_t> groups;
  const bool per_vmta_filter = options.only_queues.find('/') != std::string::npos;
  const std::string domain_glob = options.only_queues.substr(0, options.only_queues.find('/'));
  const std::string vmta_glob = per_vmta_filter ? options.only_queues.substr(options.only_queues.find('/') + 1) : "*";
  auto add = [&](const std::string& domain, const std::string& vmta, QueueDiff diff, std::vector<std::string> vmtas, size_t more) {
    const std::string key = group_key(diff);
    auto [it, fresh] = groups.emplace(key, report.queues.size());
    if (fresh) report.queues.push_back({{}, std::move(diff.changes), diff.throughput});
    QueueChange& group = report.queues[it->second];
    if (!group.queues.empty() && group.queues.back().domain == domain && group.queues.back().old_queue == diff.old_queue &&
        group.queues.back().new_queue == diff.new_queue) {
      QueueSet& set = group.queues.back();
      set.vmtas.insert(set.vmtas.end(), vmtas.begin(), vmtas.end());
      set.more += more;
      return;
    }
    (void)vmta;
    group.queues.push_back({domain, diff.old_queue, diff.new_queue, std::move(vmtas), more});
  };

  for (uint32_t d = 0; d < domains.size(); ++d) {
    const std::string& domain = domains[d];
    if (!touched[d] || (!options.only_queues.empty() && !glob(domain_glob, domain))) continue;
    std::vector<uint32_t>& individual = own[d];
    auto base = comparer.compare(domain, kNoBlock, kNoBlock, "");
    // Mail routed by queue-to takes the target queue's settings, including a virtual MTA's own.
    if (base)
      for (const std::string* target : {&base->old_queue, &base->new_queue})
        if (const auto it = domain_position.find(*target); !target->empty() && it != domain_position.end())
          individual.insert(individual.end(), own[it->second].begin(), own[it->second].end());
    std::sort(individual.begin(), individual.end());
    individual.erase(std::unique(individual.begin(), individual.end()), individual.end());
    if (base) {
      std::vector<std::string> vmtas;
      if (glob(vmta_glob, "{default}")) vmtas.push_back("{default}");
      size_t more = 0;
      auto next = individual.begin();
      for (uint32_t v = 0; v < vmta_list.size(); ++v) {
        if (next != individual.end() && *next == v) {
          ++next;
          continue;
        }
        if (!glob(vmta_glob, vmta_list[v]->name)) continue;
        if (vmtas.size() < options.vmta_list) vmtas.push_back(vmta_list[v]->name);
        else ++more;
      }
      if (!vmtas.empty()) add(domain, "{default}", std::move(*base), std::move(vmtas), more);
    }
    for (const uint32_t v : individual) {
      const Vmta& vmta = *vmta_list[v];
      if (!glob(vmta_glob, vmta.name)) continue;
      if (auto diff = comparer.compare(domain, vmta.old_block, vmta.new_block, vmta.name))
        add(domain, vmta.name, std::move(*diff), {vmta.name}, 0);
    }
  }

  compare_names(o, n, report);
  compare_findings(old_side, new_side, report);
  if (!options.only_queues.empty()) report.notes.push_back("queues limited to " + options.only_queues);
  return report;
}

}  // namespace pmtalint::diff
