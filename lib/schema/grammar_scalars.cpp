// Booleans, numbers, time intervals, rates and sizes.
#include <fmt/format.h>

#include <charconv>

#include "base/text.h"
#include "schema/grammar_detail.h"

namespace pmtalint::grammar {

std::optional<ValueProblem> boolean(std::string_view v) {
  for (auto word : {"yes", "no", "true", "false"})
    if (iequals(v, word)) return std::nullopt;
  return problem(0, v.size(), fmt::format("expected yes or no (or true/false), found '{}'", v));
}

std::optional<uint64_t> parse_number(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return n;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<ValueProblem> integer(const Grammar& g, std::string_view v) {
  if (g.unlimited && iequals(v, "unlimited")) return std::nullopt;
  if (g.auto_value && iequals(v, "auto")) return std::nullopt;
  if (!all_digits(v)) {
    std::string also = g.unlimited ? " or 'unlimited'" : g.auto_value ? " or 'auto'" : "";
    return problem(0, v.size(), fmt::format("expected a whole number{}, found '{}'", also, v));
  }
  const auto n = parse_number(v);
  if (!n || *n > static_cast<uint64_t>(INT64_MAX))
    return problem(0, v.size(), fmt::format("number '{}' is too large", v));
  const auto value = static_cast<int64_t>(*n);
  if ((g.min && value < *g.min) || (g.max && value > *g.max))
    return problem(0, v.size(), fmt::format("{} is out of range {}..{}", value, g.min.value_or(0),
                                            g.max ? std::to_string(*g.max) : std::string("")));
  return std::nullopt;
}

namespace {

constexpr uint64_t kMaxSeconds = 100ull * 365 * 24 * 3600;  // no PMTA delay is a century long

std::optional<uint64_t> unit_seconds(char unit) {
  switch (ascii_lower(unit)) {
    case 'w': return 7 * 24 * 3600;
    case 'd': return 24 * 3600;
    case 'h': return 3600;
    case 'm': return 60;
    case 's': return 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ValueProblem> interval(const Grammar& g, std::string_view v) {
  if (g.never && iequals(v, "never")) return std::nullopt;
  if (all_digits(v)) {
    const auto n = parse_number(v);
    std::string hint = n ? fmt::format("{}s", *n) : std::string("a unit");
    if (n && *n > 0 && *n % 60 == 0) hint += fmt::format(" or {}m", *n / 60);
    return problem(0, v.size(), fmt::format("a time needs a unit (w, d, h, m, s): write {}", hint));
  }
  uint64_t total = 0;
  size_t i = 0;
  if (v.empty()) return problem(0, 0, "expected a time such as 30s, 10m, 1h or 4d12h");
  while (i < v.size()) {
    const size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    const auto n = parse_number(v.substr(start, i - start));
    if (!n || i >= v.size() || !unit_seconds(v[i])) {
      std::string expected = g.never ? "a time such as 30s, 10m, 1h or 4d12h, or 'never'"
                                     : "a time such as 30s, 10m, 1h or 4d12h";
      return problem(start, v.size() - start, fmt::format("expected {}, found '{}'", expected, v));
    }
    const uint64_t unit = *unit_seconds(v[i++]);
    if (*n > kMaxSeconds / unit || total + *n * unit > kMaxSeconds)
      return problem(0, v.size(), fmt::format("time '{}' is longer than a century", v));
    total += *n * unit;
  }
  return std::nullopt;
}

std::optional<ValueProblem> interval_list(std::string_view v) {
  const Grammar single = interval_grammar(false);
  size_t start = 0;
  for (;;) {
    const size_t comma = v.find(',', start);
    const std::string_view item = v.substr(start, comma == std::string_view::npos ? v.size() - start : comma - start);
    if (item.empty())
      return problem(start, 1, "empty entry in a time list: write e.g. 10m,20m,1h with no spaces or stray commas");
    if (auto p = interval(single, item)) return shifted(*p, start);
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

namespace {

bool is_rate_unit(std::string_view unit) {
  for (auto u : {"d", "day", "h", "hr", "m", "min", "s", "sec"})
    if (iequals(unit, u)) return true;
  return false;
}

std::string rate_unit_hint(std::string_view unit) {
  const std::string u = to_lower(unit);
  if (u.starts_with("hour")) return "h";
  if (u.starts_with("minute") || u == "mins") return "min";
  if (u.starts_with("second") || u == "secs") return "s";
  if (u.starts_with("day")) return "d";
  return "h";
}

// "/[M]unit" after the amount; `start` is the index of '/'.
std::optional<ValueProblem> per_unit(std::string_view v, size_t slash, std::string_view amount) {
  size_t i = slash + 1;
  const size_t digits_start = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  if (i > digits_start) {
    const auto m = parse_number(v.substr(digits_start, i - digits_start));
    if (!m || *m == 0 || *m > 1'000'000)
      return problem(digits_start, i - digits_start, "the time multiplier after '/' must be between 1 and 1000000");
  }
  const std::string_view unit = v.substr(i);
  if (!is_rate_unit(unit))
    return problem(i, unit.size(),
                   fmt::format("'{}' is not a rate unit (d, day, h, hr, m, min, s, sec): write {}/{}{}", unit, amount,
                               v.substr(digits_start, i - digits_start), rate_unit_hint(unit)));
  return std::nullopt;
}

}  // namespace

std::optional<ValueProblem> rate(std::string_view v) {
  if (iequals(v, "unlimited") || v == "0") return std::nullopt;
  const size_t slash = v.find('/');
  if (slash == std::string_view::npos)
    return problem(0, v.size(), fmt::format("expected a rate such as 500/h, 100/15m or 'unlimited', found '{}'", v));
  const std::string_view amount = v.substr(0, slash);
  if (!all_digits(amount)) return problem(0, slash, fmt::format("'{}' is not a whole number of messages", amount));
  if (!parse_number(amount)) return problem(0, slash, fmt::format("number '{}' is too large", amount));
  return per_unit(v, slash, amount);
}

namespace {

// N followed by an optional b/k/m/g/t suffix.
std::optional<ValueProblem> sized_amount(std::string_view v, std::string_view what, bool bare_ok) {
  std::string_view digits = v;
  if (!v.empty() && std::string_view("bkmgtBKMGT").find(v.back()) != std::string_view::npos)
    digits = v.substr(0, v.size() - 1);
  else if (!bare_ok)
    return problem(0, v.size(), fmt::format("expected {} such as 50M or 1G, found '{}'", what, v));
  if (!all_digits(digits)) return problem(0, v.size(), fmt::format("expected {} such as 50M or 1G, found '{}'", what, v));
  const auto n = parse_number(digits);
  if (!n || *n > (uint64_t{1} << 50)) return problem(0, v.size(), fmt::format("size '{}' is too large", v));
  return std::nullopt;
}

}  // namespace

std::optional<ValueProblem> data_rate(std::string_view v) {
  if (iequals(v, "unlimited") || v == "0") return std::nullopt;
  const size_t slash = v.find('/');
  if (slash == std::string_view::npos)
    return problem(0, v.size(), fmt::format("expected a data rate such as 500M/h or 'unlimited', found '{}'", v));
  if (auto p = sized_amount(v.substr(0, slash), "an amount", true)) return p;
  return per_unit(v, slash, v.substr(0, slash));
}

// One day of a warm-up ramp: N/d or N/day.
std::optional<ValueProblem> daily_limit(std::string_view v) {
  const size_t slash = v.find('/');
  const std::string_view unit = slash == std::string_view::npos ? std::string_view() : v.substr(slash + 1);
  if (slash == std::string_view::npos || !all_digits(v.substr(0, slash)) || !(iequals(unit, "d") || iequals(unit, "day")))
    return problem(0, v.size(), fmt::format("expected a daily quota such as 500/d or 500/day, found '{}'", v));
  if (!parse_number(v.substr(0, slash))) return problem(0, slash, "number is too large");
  return std::nullopt;
}

std::optional<ValueProblem> size(const Grammar& g, std::string_view v) {
  if (v == "0" && g.zero) return std::nullopt;
  if (iequals(v, "unlimited") && g.unlimited) return std::nullopt;
  return sized_amount(v, "a size", true);
}

}  // namespace pmtalint::grammar
