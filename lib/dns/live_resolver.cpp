// Answers from a real DNS server (`--online`), through ldns: one server, a short timeout and a
// single retry, so an unreachable server costs seconds, not minutes, and never a crash.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "base/text.h"
#include "dns/ldns_util.h"

namespace pmtalint {

namespace {

using Packet = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;
using Rdf = std::unique_ptr<ldns_rdf, decltype(&ldns_rdf_deep_free)>;
using RrList = std::unique_ptr<ldns_rr_list, decltype(&ldns_rr_list_deep_free)>;

class LiveResolver final : public Resolver {
 public:
  LiveResolver(ldns_resolver* resolver, std::string server) : resolver_(resolver, ldns_resolver_deep_free), server_(std::move(server)) {}

  std::string describe() const override { return "the server " + server_; }

 protected:
  DnsAnswer query(const std::string& name, RecordType type) override {
    Rdf owner(ldns_dname_new_frm_str(name.c_str()), ldns_rdf_deep_free);
    if (!owner) return {DnsStatus::Failure, {}, fmt::format("'{}' is not a DNS name", name)};
    ldns_pkt* raw = nullptr;
    const ldns_status status = ldns_resolver_query_status(&raw, resolver_.get(), owner.get(), dns::to_ldns(type),
                                                          LDNS_RR_CLASS_IN, LDNS_RD);
    Packet packet(raw, ldns_pkt_free);
    if (status != LDNS_STATUS_OK || !packet)
      return {DnsStatus::Failure, {}, fmt::format("no answer from {} for {}: {}", server_, name, ldns_get_errorstr_by_id(status))};
    const ldns_pkt_rcode rcode = ldns_pkt_get_rcode(packet.get());
    if (rcode == LDNS_RCODE_NXDOMAIN) return {DnsStatus::NoRecord, {}, ""};
    if (rcode != LDNS_RCODE_NOERROR) {
      std::unique_ptr<char, decltype(&free)> text(ldns_pkt_rcode2str(rcode), free);
      return {DnsStatus::Failure, {}, fmt::format("{} answered {} for {}", server_, text ? text.get() : "an error", name)};
    }
    RrList answers(ldns_pkt_rr_list_by_type(packet.get(), dns::to_ldns(type), LDNS_SECTION_ANSWER), ldns_rr_list_deep_free);
    DnsAnswer answer{DnsStatus::NoRecord, {}, ""};
    for (size_t i = 0; answers && i < ldns_rr_list_rr_count(answers.get()); ++i)
      answer.records.push_back(dns::record_text(ldns_rr_list_rr(answers.get(), i)));
    if (!answer.records.empty()) answer.status = DnsStatus::Ok;
    return answer;
  }

 private:
  std::unique_ptr<ldns_resolver, decltype(&ldns_resolver_deep_free)> resolver_;
  std::string server_;
};

// "IP", "IP:PORT", "[IPv6]:PORT" → address and port.
expected<std::pair<std::string, uint16_t>, std::string> split_server(const std::string& server) {
  std::string host = server;
  uint16_t port = 53;
  std::string port_text;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string::npos) return unexpected(fmt::format("'{}': missing ']'", server));
    if (close + 1 < host.size() && host[close + 1] == ':') port_text = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    port_text = host.substr(host.find(':') + 1);
    host = host.substr(0, host.find(':'));
  }
  if (!port_text.empty()) {
    if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(port_text) == 0 || std::stoul(port_text) > 65535)
      return unexpected(fmt::format("'{}': the port must be a number from 1 to 65535", server));
    port = static_cast<uint16_t>(std::stoul(port_text));
  }
  return std::pair{host, port};
}

}  // namespace

expected<std::unique_ptr<Resolver>, std::string> live_resolver(const std::string& server) {
  ldns_resolver* resolver = nullptr;
  std::string name = "the system resolver (/etc/resolv.conf)";
  if (server.empty()) {
    if (ldns_resolver_new_frm_file(&resolver, nullptr) != LDNS_STATUS_OK || !resolver)
      return unexpected(std::string("cannot read /etc/resolv.conf for --online; give --resolver IP[:PORT]"));
  } else {
    auto parts = split_server(server);
    if (!parts) return unexpected("--resolver " + parts.error());
    const bool v6 = parts->first.find(':') != std::string::npos;
    ldns_rdf* address = ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, parts->first.c_str());
    if (!address) return unexpected(fmt::format("--resolver '{}': not an IP address", server));
    resolver = ldns_resolver_new();
    ldns_resolver_push_nameserver(resolver, address);
    ldns_rdf_deep_free(address);
    ldns_resolver_set_port(resolver, parts->second);
    name = v6 ? fmt::format("[{}]:{}", parts->first, parts->second) : fmt::format("{}:{}", parts->first, parts->second);
  }
  ldns_resolver_set_retry(resolver, 1);
  ldns_resolver_set_retrans(resolver, 1);
  ldns_resolver_set_timeout(resolver, timeval{2, 0});
  ldns_resolver_set_recursive(resolver, true);
  ldns_resolver_set_random(resolver, false);
  return std::unique_ptr<Resolver>(std::make_unique<LiveResolver>(resolver, name));
}

}  // namespace pmtalint
