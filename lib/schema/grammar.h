#pragma once
// Typed value grammars. A directive's grammar comes from schemas/directives.json; check_value()
// says precisely what is wrong with a value, where (offset within the value), and what the
// expected form looks like. Numbers that do not fit are invalid values, never overflow.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pmtalint {

enum class GrammarKind : uint8_t {
  Any, Boolean, Integer, Interval, IntervalList, Rate, DataRate, Size, Enum, EnumList, Cidr, Hostname, Email,
  EmailList, Path, Name, HostList, Listener, DomainKey, DomainPattern, ReplyRule, PatternRule, DailyLimits, Fields,
};

struct Grammar {
  GrammarKind kind = GrammarKind::Any;
  std::optional<int64_t> min, max;
  bool unlimited = false;
  bool auto_value = false;
  bool never = false;
  bool zero = false;
  bool empty = false;
  bool header = false;  // PatternRule: a header name comes before the regex
  std::vector<std::string> values;
  std::vector<Grammar> fields;
};

struct ValueProblem {
  size_t offset = 0;  // within the checked value
  size_t length = 0;
  std::string message;
  // The form was seen in real configurations but the reference cannot say whether PMTA accepts
  // it ("unverified"): a warning at most.
  bool unverified = false;
};

std::optional<ValueProblem> check_value(const Grammar& grammar, std::string_view value);

// Individual grammars, also used by checks that see values outside directives (tag arguments).
std::optional<ValueProblem> check_domain_pattern(std::string_view value);
std::optional<ValueProblem> check_cidr(std::string_view value);
// A /regex/ as PMTA writes it: returns the regex body's end (index of the closing '/') or a problem.
std::optional<ValueProblem> check_regex(std::string_view value, size_t& closing_slash);
// `[HEADER] /REGEX/ REST` as reply and pattern-list rules write it, split at the slashes (the
// regex is not compiled: check_value says whether it is valid); nullopt without both slashes.
struct RegexRule {
  std::string_view before;  // trimmed: a header name, or empty
  std::string_view regex;   // between the slashes
  std::string_view after;   // trimmed: the actions or result
};
std::optional<RegexRule> split_regex_rule(std::string_view value);

// An address range as written in a CIDR value ("0/0", "10/8", "192.0.2.1", "2001:db8::/32").
struct IpRange {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first four
  int prefix = 0;
};
std::optional<IpRange> parse_ip_range(std::string_view value);
// Whether every address of the range is loopback, private (RFC 1918, RFC 4193), link-local or
// shared (RFC 6598): not reachable from the internet.
bool is_private_range(const IpRange& range);

// Wall-clock seconds of an interval such as 1w2d12h; nullopt when it is not one.
std::optional<uint64_t> parse_interval_seconds(std::string_view value);
// yes/true and no/false in any case; nullopt for anything else.
std::optional<bool> parse_boolean(std::string_view value);
// Seconds of each step of a time list such as 10m,1h,4h; nullopt when it is not one.
std::optional<std::vector<uint64_t>> parse_interval_list(std::string_view value);
// A valid message rate (500/h, 100/15m) per second. 'unlimited' and 0 give infinity: the
// knowledge base lists 0 beside 'unlimited' as the way to lift a limit.
std::optional<double> parse_rate_per_second(std::string_view value);

}  // namespace pmtalint
