#include "schema/grammar.h"

#include <fmt/format.h>

#include <array>
#include <limits>
#include <utility>

#include "base/text.h"
#include "schema/grammar_detail.h"

namespace pmtalint {

using grammar::problem;
using grammar::shifted;

namespace {

std::string field_name(GrammarKind kind) {
  switch (kind) {
    case GrammarKind::Cidr: return "IP address";
    case GrammarKind::Hostname: return "host name";
    case GrammarKind::Rate: return "rate";
    case GrammarKind::EnumList:
    case GrammarKind::Enum: return "level";
    case GrammarKind::DomainPattern: return "domain pattern";
    case GrammarKind::Name: return "name";
    default: return "value";
  }
}

std::optional<ValueProblem> one_of(const std::vector<std::string>& values, std::string_view v) {
  for (const std::string& allowed : values)
    if (iequals(allowed, v)) return std::nullopt;
  std::string list;
  for (const std::string& allowed : values) list += (list.empty() ? "" : ", ") + allowed;
  return problem(0, v.size(), fmt::format("expected one of {}; found '{}'", list, v));
}

template <class F>
std::optional<ValueProblem> each_in_list(std::string_view v, F&& check) {
  size_t start = 0;
  for (;;) {
    const size_t comma = v.find(',', start);
    std::string_view item = v.substr(start, comma == std::string_view::npos ? v.size() - start : comma - start);
    size_t lead = 0;
    while (lead < item.size() && item[lead] == ' ') ++lead;
    item.remove_prefix(lead);
    if (item.empty()) return problem(start, 1, "empty entry in a comma-separated list");
    if (auto p = check(item)) return shifted(*p, start + lead);
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

std::optional<ValueProblem> fields(const Grammar& g, std::string_view v) {
  size_t i = 0;
  size_t index = 0;
  while (index < g.fields.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i >= v.size())
      return problem(v.size(), 0, fmt::format("missing the {} (field {} of {})", field_name(g.fields[index].kind),
                                              index + 1, g.fields.size()));
    size_t end = v.find_first_of(" \t", i);
    if (end == std::string_view::npos || index + 1 == g.fields.size()) end = v.size();
    while (end > i && (v[end - 1] == ' ' || v[end - 1] == '\t')) --end;
    if (auto p = check_value(g.fields[index], v.substr(i, end - i))) return shifted(*p, i);
    i = end;
    ++index;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ValueProblem> check_value(const Grammar& g, std::string_view value) {
  std::string_view v = value;
  // `""` clears an inherited value wherever PMTA takes a list or a string.
  if (v == "\"\"") {
    switch (g.kind) {
      case GrammarKind::Any: case GrammarKind::EmailList: case GrammarKind::HostList: case GrammarKind::Name:
      case GrammarKind::Path: return std::nullopt;
      default: return problem(0, v.size(), "an empty value is not accepted here");
    }
  }
  size_t quote = 0;
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"' && g.kind != GrammarKind::ReplyRule && g.kind != GrammarKind::PatternRule) {
    v = v.substr(1, v.size() - 2);
    quote = 1;
  }
  if (v.empty() && g.kind != GrammarKind::Any) return problem(0, 0, "a value is required");
  std::optional<ValueProblem> p;
  switch (g.kind) {
    case GrammarKind::Any: case GrammarKind::Path: case GrammarKind::Name: break;
    case GrammarKind::Boolean: p = grammar::boolean(v); break;
    case GrammarKind::Integer: p = grammar::integer(g, v); break;
    case GrammarKind::Interval: p = grammar::interval(g, v); break;
    case GrammarKind::IntervalList: p = grammar::interval_list(v); break;
    case GrammarKind::Rate: p = grammar::rate(v); break;
    case GrammarKind::DataRate: p = grammar::data_rate(v); break;
    case GrammarKind::Size: p = grammar::size(g, v); break;
    case GrammarKind::Enum: p = one_of(g.values, v); break;
    case GrammarKind::EnumList: p = each_in_list(v, [&](std::string_view item) { return one_of(g.values, item); }); break;
    case GrammarKind::Cidr: p = check_cidr(v); break;
    case GrammarKind::Hostname: p = grammar::hostname(v); break;
    case GrammarKind::Email: p = grammar::email(v); break;
    case GrammarKind::EmailList: p = each_in_list(v, grammar::email); break;
    case GrammarKind::HostList: p = grammar::host_list(v); break;
    case GrammarKind::Listener: p = grammar::listener(v); break;
    case GrammarKind::DomainKey: p = grammar::domain_key(v); break;
    case GrammarKind::DomainPattern: p = check_domain_pattern(v); break;
    case GrammarKind::ReplyRule: p = grammar::reply_rule(v); break;
    case GrammarKind::PatternRule: p = grammar::pattern_rule(v, g.header); break;
    case GrammarKind::DailyLimits: p = each_in_list(v, grammar::daily_limit); break;
    case GrammarKind::Fields: p = fields(g, v); break;
  }
  if (p) return shifted(*p, quote);
  return std::nullopt;
}

std::optional<uint64_t> parse_interval_seconds(std::string_view value) {
  if (grammar::interval(grammar::interval_grammar(false), value)) return std::nullopt;
  uint64_t total = 0, n = 0;
  for (char c : value) {
    if (c >= '0' && c <= '9') n = n * 10 + static_cast<uint64_t>(c - '0');
    else {
      const uint64_t unit = ascii_lower(c) == 'w' ? 604800 : ascii_lower(c) == 'd' ? 86400 : ascii_lower(c) == 'h' ? 3600
                            : ascii_lower(c) == 'm' ? 60 : 1;
      total += n * unit;
      n = 0;
    }
  }
  return total;
}

std::optional<bool> parse_boolean(std::string_view value) {
  value = trim(value);
  if (iequals(value, "yes") || iequals(value, "true")) return true;
  if (iequals(value, "no") || iequals(value, "false")) return false;
  return std::nullopt;
}

std::optional<std::vector<uint64_t>> parse_interval_list(std::string_view value) {
  if (grammar::interval_list(value)) return std::nullopt;
  std::vector<uint64_t> steps;
  size_t start = 0;
  for (;;) {
    const size_t comma = value.find(',', start);
    steps.push_back(*parse_interval_seconds(value.substr(start, comma - start)));
    if (comma == std::string_view::npos) return steps;
    start = comma + 1;
  }
}

std::optional<double> parse_rate_per_second(std::string_view value) {
  if (grammar::rate(value)) return std::nullopt;
  if (iequals(value, "unlimited") || value == "0") return std::numeric_limits<double>::infinity();
  const size_t slash = value.find('/');
  size_t unit_at = slash + 1;
  while (unit_at < value.size() && value[unit_at] >= '0' && value[unit_at] <= '9') ++unit_at;
  const uint64_t multiplier = unit_at > slash + 1 ? *grammar::parse_number(value.substr(slash + 1, unit_at - slash - 1)) : 1;
  const char unit = ascii_lower(value[unit_at]);
  const double seconds = unit == 'd' ? 86400.0 : unit == 'h' ? 3600.0 : unit == 'm' ? 60.0 : 1.0;
  return static_cast<double>(*grammar::parse_number(value.substr(0, slash))) / (seconds * static_cast<double>(multiplier));
}

}  // namespace pmtalint
