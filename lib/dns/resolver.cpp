#include "dns/resolver.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>

#include "base/text.h"

namespace pmtalint {

const DnsAnswer& Resolver::lookup(std::string_view name, RecordType type) {
  std::string key = to_lower(name);
  while (!key.empty() && key.back() == '.') key.pop_back();
  auto it = cache_.find({key, type});
  if (it == cache_.end()) {
    DnsAnswer answer = query(key, type);
    it = cache_.emplace(std::pair{key, type}, std::move(answer)).first;
  }
  return it->second;
}

std::string reverse_name(std::string_view address) {
  const std::string text(address);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1)
    return fmt::format("{}.{}.{}.{}.in-addr.arpa", bytes[3], bytes[2], bytes[1], bytes[0]);
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    std::string out;
    constexpr char kHex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
      out += kHex[bytes[i] & 0xf];
      out += '.';
      out += kHex[bytes[i] >> 4];
      out += '.';
    }
    return out + "ip6.arpa";
  }
  return {};
}

expected<std::unique_ptr<Resolver>, std::string> requested_resolver(const std::vector<std::string>& zone_files, bool online,
                                                                    const std::string& server) {
  if (online) return live_resolver(server);
  if (!zone_files.empty()) return zone_resolver(zone_files);
  return std::unique_ptr<Resolver>();
}

}  // namespace pmtalint

namespace pmtalint {

std::string lowest_mx(Resolver& resolver, std::string_view domain, std::string* error) {
  const DnsAnswer& answer = resolver.lookup(domain, RecordType::MX);
  if (answer.status == DnsStatus::NoRecord) return std::string(domain);
  if (answer.status != DnsStatus::Ok) {
    if (error) *error = answer.error;
    return "";
  }
  std::string best;
  uint64_t best_preference = UINT64_MAX;
  for (const std::string& record : answer.records) {
    const size_t space = record.find(' ');
    if (space == std::string::npos || space == 0 || record.find_first_not_of("0123456789") != space) continue;
    const uint64_t preference = space > 5 ? UINT64_MAX - 1 : std::stoull(record.substr(0, space));
    if (preference >= best_preference) continue;
    best_preference = preference;
    best = record.substr(space + 1);
  }
  return best;
}

}  // namespace pmtalint
