// Addresses, host names, e-mail addresses, host lists, listeners and domain patterns.
#include <arpa/inet.h>
#include <cctype>
#include <fmt/format.h>

#include "base/text.h"
#include "schema/grammar_detail.h"

namespace pmtalint {

using grammar::problem;
using grammar::shifted;

namespace {

// Dotted IPv4, possibly abbreviated as PMTA allows in CIDRs (10/8, 173.194/16).
bool ipv4_prefix(std::string_view v, bool allow_short) {
  int parts = 0;
  size_t start = 0;
  for (;;) {
    const size_t dot = v.find('.', start);
    const std::string_view octet = v.substr(start, dot == std::string_view::npos ? v.size() - start : dot - start);
    if (octet.empty() || octet.size() > 3 || !grammar::all_digits(octet) || *grammar::parse_number(octet) > 255)
      return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4 || (allow_short && parts >= 1 && parts < 4);
}

bool ipv6(std::string_view v) {
  if (v.size() >= INET6_ADDRSTRLEN) return false;
  in6_addr addr{};
  return ::inet_pton(AF_INET6, std::string(v).c_str(), &addr) == 1;
}

}  // namespace

std::optional<ValueProblem> check_cidr(std::string_view v) {
  const size_t slash = v.find('/');
  const std::string_view address = v.substr(0, slash);
  const bool v6 = address.find(':') != std::string_view::npos;
  const bool has_mask = slash != std::string_view::npos;
  if (v6 ? !ipv6(address) : !ipv4_prefix(address, has_mask))
    return problem(0, v.size(), fmt::format("expected an IP address or CIDR range such as 192.0.2.10 or 10/8, found '{}'", v));
  if (has_mask) {
    const std::string_view mask = v.substr(slash + 1);
    const auto bits = grammar::all_digits(mask) ? grammar::parse_number(mask) : std::nullopt;
    if (!bits || *bits > (v6 ? 128u : 32u))
      return problem(slash + 1, mask.size(), fmt::format("'{}' is not a prefix length (0 to {})", mask, v6 ? 128 : 32));
  }
  return std::nullopt;
}

namespace grammar {

std::optional<ValueProblem> hostname(std::string_view v) {
  const auto bad = [&] {
    return problem(0, v.size(), fmt::format("expected a host name such as mail.example.com, found '{}'", v));
  };
  if (v.empty() || v.size() > 253) return bad();
  size_t start = 0;
  for (;;) {
    const size_t dot = v.find('.', start);
    const std::string_view label = v.substr(start, dot == std::string_view::npos ? v.size() - start : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return bad();
    for (unsigned char c : label)
      if (!(std::isalnum(c) || c == '-' || c == '_' || c >= 0x80)) return bad();
    if (dot == std::string_view::npos) return std::nullopt;
    start = dot + 1;
  }
}

std::optional<ValueProblem> email(std::string_view v) {
  const size_t at = v.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == v.size() || v.find_first_of(" ,;<>\"") != std::string_view::npos)
    return problem(0, v.size(), fmt::format("expected an e-mail address such as postmaster@example.com, found '{}'", v));
  if (auto p = hostname(v.substr(at + 1))) return problem(at + 1, v.size() - at - 1, p->message);
  return std::nullopt;
}

namespace {

std::optional<ValueProblem> port(std::string_view v, size_t offset) {
  const auto n = all_digits(v) ? parse_number(v) : std::nullopt;
  if (!n || *n == 0 || *n > 65535) return problem(offset, v.size(), fmt::format("'{}' is not a TCP port (1 to 65535)", v));
  return std::nullopt;
}

// One host of smtp-hosts: name[:port], [IP][:port], [IPv6:addr][:port], lookup-mx:DOMAIN.
std::optional<ValueProblem> host(std::string_view v) {
  if (v.empty()) return problem(0, 0, "empty host in a host list");
  if (v.starts_with("lookup-mx:")) {
    if (auto p = hostname(v.substr(10))) return shifted(*p, 10);
    return std::nullopt;
  }
  if (v.front() == '[') {
    const size_t close = v.find(']');
    if (close == std::string_view::npos) return problem(0, v.size(), "'[' without ']' in a host");
    std::string_view inside = v.substr(1, close - 1);
    if (inside.starts_with("IPv6:") ? !ipv6(inside.substr(5)) : !ipv4_prefix(inside, false))
      return problem(1, inside.size(), fmt::format("'{}' is not an IP address", inside));
    if (close + 1 == v.size()) return std::nullopt;
    if (v[close + 1] != ':') return problem(close + 1, v.size() - close - 1, "expected ':PORT' after ']'");
    return port(v.substr(close + 2), close + 2);
  }
  const size_t colon = v.rfind(':');
  if (colon != std::string_view::npos) {
    if (auto p = hostname(v.substr(0, colon))) return p;
    return port(v.substr(colon + 1), colon + 1);
  }
  return hostname(v);
}

}  // namespace

std::optional<ValueProblem> host_list(std::string_view v) {
  size_t start = 0;
  for (;;) {
    const size_t sep = v.find_first_of(",;", start);
    std::string_view item = v.substr(start, sep == std::string_view::npos ? v.size() - start : sep - start);
    size_t lead = 0;
    while (lead < item.size() && item[lead] == ' ') ++lead;
    item.remove_prefix(lead);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (auto p = host(item)) return shifted(*p, start + lead);
    if (sep == std::string_view::npos) return std::nullopt;
    start = sep + 1;
  }
}

std::optional<ValueProblem> listener(std::string_view v) {
  const size_t blank = v.find_first_of(" \t");
  const std::string_view address = v.substr(0, blank);
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos)
    return problem(0, address.size(), fmt::format("expected ADDRESS:PORT such as 0/0:25 or 127.0.0.1:2525, found '{}'", address));
  std::string_view ip = address.substr(0, colon);
  if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  if (auto p = check_cidr(ip)) return problem(0, colon, p->message);
  if (auto p = port(address.substr(colon + 1), colon + 1)) return p;
  if (blank == std::string_view::npos) return std::nullopt;
  size_t i = blank;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i >= v.size()) break;
    size_t end = v.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = v.size();
    const std::string_view param = v.substr(i, end - i);
    if (param.size() > 1 && param.find('=') != std::string_view::npos && param.find('=') + 1 < param.size() &&
        !param.starts_with("source=")) {
      // `tls=no`: seen in real files, not documented; whether PMTA accepts it is unverified.
      ValueProblem p = problem(i, param.size(),
                               fmt::format("listener parameter '{}' is not documented (only source=NAME is); whether "
                                           "PowerMTA accepts it is unverified",
                                           param));
      p.unverified = true;
      return p;
    }
    if (!param.starts_with("source=") || param.size() == 7)
      return problem(i, param.size(), fmt::format("unknown listener parameter '{}': only source=NAME may follow the address", param));
    i = end;
  }
  return std::nullopt;
}

}  // namespace grammar

std::optional<IpRange> parse_ip_range(std::string_view v) {
  if (check_cidr(v)) return std::nullopt;
  IpRange range;
  const size_t slash = v.find('/');
  const std::string_view address = v.substr(0, slash);
  range.v6 = address.find(':') != std::string_view::npos;
  if (range.v6) {
    in6_addr addr{};
    ::inet_pton(AF_INET6, std::string(address).c_str(), &addr);
    std::copy(addr.s6_addr, addr.s6_addr + 16, range.bytes.begin());
    range.prefix = 128;
  } else {
    size_t start = 0;
    int octets = 0;
    for (;;) {
      const size_t dot = address.find('.', start);
      range.bytes[octets++] = static_cast<uint8_t>(*grammar::parse_number(address.substr(start, dot - start)));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    range.prefix = 32;
  }
  if (slash != std::string_view::npos) range.prefix = static_cast<int>(*grammar::parse_number(v.substr(slash + 1)));
  return range;
}

bool is_private_range(const IpRange& range) {
  struct Block {
    bool v6;
    std::array<uint8_t, 16> bytes;
    int prefix;
  };
  static const Block kPrivate[] = {
      {false, {10}, 8},       {false, {172, 16}, 12}, {false, {192, 168}, 16}, {false, {127}, 8},
      {false, {169, 254}, 16}, {false, {100, 64}, 10}, {true, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},
      {true, {0xfc}, 7},       {true, {0xfe, 0x80}, 10},
  };
  for (const Block& b : kPrivate) {
    if (b.v6 != range.v6 || range.prefix < b.prefix) continue;
    bool inside = true;
    for (int bit = 0; bit < b.prefix && inside; ++bit) {
      const int byte = bit / 8, shift = 7 - bit % 8;
      inside = ((range.bytes[byte] >> shift) & 1) == ((b.bytes[byte] >> shift) & 1);
    }
    if (inside) return true;
  }
  return false;
}

std::optional<ValueProblem> check_domain_pattern(std::string_view v) {
  if (v == "*") return std::nullopt;
  if (v.empty()) return problem(0, 0, "expected a domain pattern such as *, example.com, *.example.com or [*.]example.com");
  if (iequals(v, "default"))
    return problem(0, v.size(), "'default' is not a wildcard: it names a domain called 'default'; write <domain *> for all domains");
  if (v.front() == '{' && v.back() == '}') return std::nullopt;  // reserved names such as {sparkpost}
  std::string_view rest = v;
  if (rest.starts_with("[*.]")) rest.remove_prefix(4);
  else if (rest.starts_with("*.")) rest.remove_prefix(2);
  else if (rest.front() == '[' && rest.back() == ']') {
    if (auto p = check_cidr(rest.substr(1, rest.size() - 2))) return shifted(*p, 1);
    return std::nullopt;
  }
  const size_t offset = v.size() - rest.size();
  if (rest.find('$') != std::string_view::npos) return std::nullopt;  // macros are expanded by the model
  if (rest.find_first_of("*?[]") != std::string_view::npos)
    return problem(offset, rest.size(),
                   fmt::format("'{}' is not a domain pattern: only *, *.domain, [*.]domain and [CIDR] use wildcards", v));
  if (auto p = grammar::hostname(rest)) return problem(offset, rest.size(), fmt::format("'{}' is not a domain name", rest));
  return std::nullopt;
}

}  // namespace pmtalint
