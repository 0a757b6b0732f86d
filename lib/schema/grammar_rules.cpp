// DKIM key triples and smtp-pattern-list reply rules; regexes are compiled with PCRE2 the way
// PMTA reads them (case-insensitive unless the pattern says (?-i)).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

#include "base/text.h"
#include "schema/grammar_detail.h"

namespace pmtalint {

using grammar::problem;
using grammar::shifted;

namespace {

// The index of the slash closing a regex that starts at v[0], skipping escaped characters.
size_t closing_slash_of(std::string_view v) {
  size_t i = 1;
  while (i < v.size() && v[i] != '/') i += v[i] == '\\' ? 2 : 1;
  return i;
}

}  // namespace

std::optional<RegexRule> split_regex_rule(std::string_view value) {
  const size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const size_t closing = slash + closing_slash_of(value.substr(slash));
  if (closing >= value.size()) return std::nullopt;
  return RegexRule{trim(value.substr(0, slash)), value.substr(slash + 1, closing - slash - 1), trim(value.substr(closing + 1))};
}

std::optional<ValueProblem> check_regex(std::string_view v, size_t& closing_slash) {
  if (v.empty() || v.front() != '/')
    return problem(0, v.size(), "expected a regular expression between slashes, such as /421 4\\.7\\.0/");
  const size_t i = closing_slash_of(v);
  if (i >= v.size()) return problem(0, v.size(), "the regular expression has no closing '/' (write '\\/' for a slash inside it)");
  closing_slash = i;
  const std::string_view body = v.substr(1, i - 1);
  // Configurations repeat the same reply and bounce patterns many times, and compiling is the
  // costly part of the check; valid bodies are remembered (bounded, per thread).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  thread_local std::unordered_set<std::string, Hash, std::equal_to<>> known_valid;
  if (known_valid.contains(body)) return std::nullopt;
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(body.data()), body.size(), PCRE2_CASELESS, &error,
                                   &error_offset, nullptr);
  if (code) {
    pcre2_code_free(code);
    if (known_valid.size() >= 4096) known_valid.clear();
    known_valid.emplace(body);
    return std::nullopt;
  }
  std::array<PCRE2_UCHAR, 256> text{};
  pcre2_get_error_message(error, text.data(), text.size());
  return problem(1 + std::min<size_t>(error_offset, body.size()), 1,
                 fmt::format("invalid regular expression: {}", reinterpret_cast<const char*>(text.data())));
}

namespace grammar {

std::optional<ValueProblem> domain_key(std::string_view v) {
  std::vector<std::pair<size_t, std::string_view>> fields;
  size_t start = 0;
  for (;;) {
    const size_t comma = v.find(',', start);
    std::string_view field = v.substr(start, comma == std::string_view::npos ? v.size() - start : comma - start);
    size_t lead = 0;
    while (lead < field.size() && (field[lead] == ' ' || field[lead] == '\t')) ++lead;
    field.remove_prefix(lead);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
    fields.emplace_back(start + lead, field);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  // Fewer than three fields is dkim-key's finding (it explains that signing is off).
  if (fields.size() < 3) return std::nullopt;
  if (fields.size() > 3)
    return problem(0, v.size(), fmt::format("domain-key takes three fields, SELECTOR,DOMAIN,PATH; found {}", fields.size()));
  const auto& [sel_at, selector] = fields[0];
  if (selector.empty() || selector == "*" || selector.find_first_of("*?/ ") != std::string_view::npos)
    return problem(sel_at, selector.size(),
                   "the selector must be a literal DNS label (it becomes s= in the signature), not a wildcard");
  const auto& [dom_at, domain] = fields[1];
  if (domain.empty()) return problem(dom_at, 0, "the DOMAIN field is empty: write a domain or *");
  if (domain != "*" && domain.find('$') == std::string_view::npos)
    if (auto p = hostname(domain)) return shifted(*p, dom_at);
  const auto& [path_at, path] = fields[2];
  if (path.empty()) return problem(path_at, 0, "the PATH field is empty: give the private key file");
  return std::nullopt;
}

namespace {

constexpr std::array<std::string_view, 7> kFlagActions = {"mode=backoff", "mode=normal", "skip-mx", "bounce-queue",
                                                         "bounce-rcpt", "disable-source-ip", "defer-queue"};

}  // namespace

std::optional<ValueProblem> reply_rule(std::string_view v) {
  size_t close = 0;
  if (auto p = check_regex(v, close)) return p;
  size_t i = close + 1;
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  if (i >= v.size()) return problem(0, v.size(), "the rule has no action: add e.g. mode=backoff after the regular expression");
  const std::string_view actions = v.substr(i);
  bool backoff = false, normal = false, skip_mx = false, bounce_queue = false, disable = false;
  bool reenable = false, to_normal = false;
  size_t start = 0;
  for (;;) {
    const size_t comma = actions.find(',', start);
    const std::string_view action = actions.substr(start, comma == std::string_view::npos ? actions.size() - start : comma - start);
    const size_t at = i + start;
    const auto bad = [&](std::string message) { return problem(at, action.size(), std::move(message)); };
    const std::string lower = to_lower(action);
    if (lower.starts_with("reenable-after=") || lower.starts_with("backoff-to-normal-after=")) {
      const size_t eq = lower.find('=');
      if (auto p = interval(interval_grammar(true), action.substr(eq + 1)))
        return shifted(*p, at + eq + 1);
      const bool is_reenable = lower.starts_with("reenable");
      if (is_reenable && !disable) return bad("reenable-after needs disable-source-ip earlier in the same rule");
      if (!is_reenable && !backoff) return bad("backoff-to-normal-after needs mode=backoff earlier in the same rule");
      bool& seen = is_reenable ? reenable : to_normal;
      if (seen) return bad(fmt::format("{} is given twice in one rule", lower.substr(0, eq)));
      seen = true;
    } else if (std::find(kFlagActions.begin(), kFlagActions.end(), lower) != kFlagActions.end()) {
      backoff |= lower == "mode=backoff";
      normal |= lower == "mode=normal";
      skip_mx |= lower == "skip-mx";
      bounce_queue |= lower == "bounce-queue";
      disable |= lower == "disable-source-ip";
      if (backoff && normal) return bad("mode=backoff and mode=normal cannot be combined in one rule");
      if (skip_mx && bounce_queue) return bad("skip-mx and bounce-queue cannot be combined in one rule");
    } else {
      std::string hint = lower.starts_with("mode=") ? " (modes are backoff and normal)" : "";
      // Did you mean: the nearest action name by edit distance (transpositions count once).
      const std::string_view name = std::string_view(lower).substr(0, lower.find('='));
      std::string_view guess;
      size_t best = 3;
      for (std::string_view candidate : kFlagActions) {
        const size_t d = edit_distance(lower, candidate, best - 1);
        if (d < best) best = d, guess = candidate;
      }
      for (std::string_view candidate : {std::string_view("reenable-after"), std::string_view("backoff-to-normal-after")})
        if (lower.find('=') != std::string::npos) {
          const size_t d = edit_distance(name, candidate, best - 1);
          if (d < best) best = d, guess = candidate;
        }
      if (!guess.empty()) hint = fmt::format(" (did you mean '{}{}'?)", guess, guess.ends_with("-after") ? "=T" : "");
      return bad(fmt::format("unknown action '{}'{}; actions are mode=backoff, mode=normal, backoff-to-normal-after=T, "
                             "skip-mx, bounce-queue, bounce-rcpt, disable-source-ip, reenable-after=T, defer-queue",
                             action, hint));
    }
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

// `[HEADER] /regex/ RESULT` in <pattern-list>; RESULT is virtual-mta=NAME and/or
// recipient-priority=N joined by commas, call-to:LIST, or an opening `<pattern-list>` sub-list.
std::optional<ValueProblem> pattern_rule(std::string_view v, bool header) {
  size_t at = 0;
  if (header) {
    at = v.find_first_of(" \t");
    if (at == std::string_view::npos) return problem(0, v.size(), "expected HEADER-NAME /regex/ RESULT");
    while (at < v.size() && (v[at] == ' ' || v[at] == '\t')) ++at;
  }
  size_t close = 0;
  if (auto p = check_regex(v.substr(at), close)) return shifted(*p, at);
  size_t i = at + close + 1;
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  const std::string_view result = v.substr(i);
  if (result.empty()) return problem(0, v.size(), "the rule has no result: add virtual-mta=NAME or recipient-priority=N");
  if (result == "<pattern-list>" || result.starts_with("call-to:")) return std::nullopt;
  size_t start = 0;
  for (;;) {
    const size_t comma = result.find(',', start);
    const std::string_view item = result.substr(start, comma == std::string_view::npos ? result.size() - start : comma - start);
    const size_t item_at = i + start;
    const bool vmta = item.starts_with("virtual-mta=") && item.size() > 12;
    const bool priority = item.starts_with("recipient-priority=");
    if (!vmta && !priority)
      return problem(item_at, item.size(),
                     fmt::format("unknown result '{}': expected virtual-mta=NAME, recipient-priority=N or call-to:LIST", item));
    if (priority) {
      const auto n = all_digits(item.substr(19)) ? parse_number(item.substr(19)) : std::nullopt;
      if (!n || *n > 100) return problem(item_at, item.size(), "recipient-priority takes a number from 0 to 100");
    }
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

}  // namespace grammar
}  // namespace pmtalint
