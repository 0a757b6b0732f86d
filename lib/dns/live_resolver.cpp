// Answers from a real DNS server (`--online`). ldns builds the query and parses the reply; the
// exchange is ours, so that it can (1) keep to one deadline for the whole run, not only per
// lookup, and (2) accept only a reply that answers this query: same ID, a response, the same
// question, from the server's address (a connected socket). Anything else is ignored and the
// wait goes on, so a spoofed "no such name" cannot become a "no PTR record" finding.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "base/text.h"
#include "dns/ldns_util.h"

namespace pmtalint {

namespace {

using Clock = std::chrono::steady_clock;
using Packet = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;
using RrList = std::unique_ptr<ldns_rr_list, decltype(&ldns_rr_list_deep_free)>;

constexpr auto kAttemptTimeout = std::chrono::seconds(2);
constexpr int kAttempts = 2;  // one retry
constexpr uint16_t kEdnsSize = 1232;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// poll() until `deadline`; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    return true;
  }
}

class LiveResolver final : public Resolver {
 public:
  LiveResolver(sockaddr_storage address, socklen_t length, std::string server, double budget)
      : address_(address), length_(length), server_(std::move(server)), budget_(budget) {}

  std::string describe() const override { return "the server " + server_; }
  size_t skipped() const override { return skipped_; }

 protected:
  DnsAnswer query(const std::string& name, RecordType type) override {
    const Clock::time_point now = Clock::now();
    if (!started_) {
      started_ = true;
      run_end_ = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget_));
    }
    if (now >= run_end_) return skip();
    ldns_rdf* owner = ldns_dname_new_frm_str(name.c_str());
    if (!owner) return {DnsStatus::Failure, {}, fmt::format("'{}' is not a DNS name", name)};
    Packet query(ldns_pkt_query_new(owner, dns::to_ldns(type), LDNS_RR_CLASS_IN, LDNS_RD), ldns_pkt_free);  // owns `owner`
    if (!query) return {DnsStatus::Failure, {}, fmt::format("cannot build a query for {}", name)};
    uint16_t id = 0;
    if (getrandom(&id, sizeof id, 0) != sizeof id) id = static_cast<uint16_t>(Clock::now().time_since_epoch().count());
    ldns_pkt_set_id(query.get(), id);
    ldns_pkt_set_edns_udp_size(query.get(), kEdnsSize);
    uint8_t* raw = nullptr;
    size_t size = 0;
    if (ldns_pkt2wire(&raw, query.get(), &size) != LDNS_STATUS_OK || !raw)
      return {DnsStatus::Failure, {}, fmt::format("cannot encode a query for {}", name)};
    const std::string wire(reinterpret_cast<const char*>(raw), size);
    free(raw);

    ignored_ = 0;
    std::string why = "timeout";
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      if (Clock::now() >= run_end_) return skip();
      const Clock::time_point deadline = std::min(Clock::now() + kAttemptTimeout, run_end_);
      auto reply = exchange_udp(wire, *query, deadline, why);
      if (reply && ldns_pkt_tc(reply->get())) reply = exchange_tcp(wire, *query, deadline, why);
      if (reply) return interpret(*reply->get(), name, type);
      if (Clock::now() >= run_end_ && why == "timeout") return skip();
    }
    std::string error = fmt::format("no answer from {} for {}: {}", server_, name, why);
    if (ignored_ > 0)
      error += fmt::format(" ({} repl{} ignored: ID, question or sender did not match the query)", ignored_, ignored_ == 1 ? "y" : "ies");
    return {DnsStatus::Failure, {}, error};
  }

 private:
  DnsAnswer skip() {
    ++skipped_;
    return {DnsStatus::Failure, {},
            fmt::format("skipped: the run's DNS deadline ({:g} s for all lookups, from {}) had passed", budget_, describe()), true};
  }

  // The reply answers this query: same ID, a response, the same single question.
  bool matches(const ldns_pkt& reply, const ldns_pkt& query) const {
    if (ldns_pkt_id(&reply) != ldns_pkt_id(&query) || !ldns_pkt_qr(&reply)) return false;
    const ldns_rr_list* asked = ldns_pkt_question(&query);
    const ldns_rr_list* echoed = ldns_pkt_question(&reply);
    if (!echoed || ldns_rr_list_rr_count(echoed) != 1) return false;
    const ldns_rr* a = ldns_rr_list_rr(asked, 0);
    const ldns_rr* e = ldns_rr_list_rr(echoed, 0);
    return ldns_rr_get_type(a) == ldns_rr_get_type(e) && ldns_rr_get_class(a) == ldns_rr_get_class(e) &&
           ldns_dname_compare(ldns_rr_owner(a), ldns_rr_owner(e)) == 0;
  }

  std::optional<Packet> parse(const uint8_t* data, size_t size, const ldns_pkt& query) {
    ldns_pkt* raw = nullptr;
    if (ldns_wire2pkt(&raw, data, size) != LDNS_STATUS_OK || !raw) {
      ++ignored_;
      return std::nullopt;
    }
    Packet reply(raw, ldns_pkt_free);
    if (!matches(*reply, query)) {
      ++ignored_;
      return std::nullopt;
    }
    return reply;
  }

  std::optional<Packet> exchange_udp(const std::string& wire, const ldns_pkt& query, Clock::time_point deadline, std::string& why) {
    Socket s(::socket(address_.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (s.get() < 0) {
      why = std::strerror(errno);
      return std::nullopt;
    }
    // A connected socket: the kernel drops datagrams from any other address or port.
    if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&address_), length_) != 0 ||
        ::send(s.get(), wire.data(), wire.size(), 0) != static_cast<ssize_t>(wire.size())) {
      why = std::strerror(errno);
      return std::nullopt;
    }
    uint8_t buffer[65536];
    for (;;) {
      if (!wait_for(s.get(), POLLIN, deadline)) {
        why = "timeout";
        return std::nullopt;
      }
      const ssize_t n = ::recv(s.get(), buffer, sizeof buffer, 0);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        why = std::strerror(errno);  // ECONNREFUSED: nothing listens on that port
        return std::nullopt;
      }
      if (auto reply = parse(buffer, static_cast<size_t>(n), query)) return reply;
    }
  }

  // RFC 1035 §4.2.2 / RFC 7766: a truncated UDP reply is asked again over TCP.
  std::optional<Packet> exchange_tcp(const std::string& wire, const ldns_pkt& query, Clock::time_point deadline, std::string& why) {
    Socket s(::socket(address_.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (s.get() < 0) {
      why = std::strerror(errno);
      return std::nullopt;
    }
    if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&address_), length_) != 0) {
      if (errno != EINPROGRESS || !wait_for(s.get(), POLLOUT, deadline)) {
        why = errno == EINPROGRESS ? "timeout" : std::strerror(errno);
        return std::nullopt;
      }
      int error = 0;
      socklen_t len = sizeof error;
      ::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &error, &len);
      if (error != 0) {
        why = fmt::format("TCP: {}", std::strerror(error));
        return std::nullopt;
      }
    }
    std::string framed;
    framed += static_cast<char>(wire.size() >> 8);
    framed += static_cast<char>(wire.size() & 0xff);
    framed += wire;
    for (size_t done = 0; done < framed.size();) {
      const ssize_t n = ::send(s.get(), framed.data() + done, framed.size() - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && (errno == EINTR || errno == EAGAIN) && wait_for(s.get(), POLLOUT, deadline)) continue;
      why = n < 0 ? std::strerror(errno) : "TCP: connection closed";
      return std::nullopt;
    }
    std::string in;
    size_t wanted = 2;
    while (in.size() < wanted) {
      char chunk[4096];
      const ssize_t n = ::recv(s.get(), chunk, std::min(sizeof chunk, wanted - in.size()), 0);
      if (n > 0) {
        in.append(chunk, static_cast<size_t>(n));
        if (wanted == 2 && in.size() == 2) wanted = 2 + ((static_cast<uint8_t>(in[0]) << 8) | static_cast<uint8_t>(in[1]));
        continue;
      }
      if (n < 0 && (errno == EINTR || errno == EAGAIN) && wait_for(s.get(), POLLIN, deadline)) continue;
      why = n == 0 ? "TCP: connection closed" : errno == EAGAIN ? "timeout" : std::strerror(errno);
      return std::nullopt;
    }
    return parse(reinterpret_cast<const uint8_t*>(in.data()) + 2, in.size() - 2, query);
  }

  DnsAnswer interpret(const ldns_pkt& packet, const std::string& name, RecordType type) {
    const ldns_pkt_rcode rcode = ldns_pkt_get_rcode(&packet);
    if (rcode == LDNS_RCODE_NXDOMAIN) return {DnsStatus::NoRecord, {}, ""};
    if (rcode != LDNS_RCODE_NOERROR) {
      std::unique_ptr<char, decltype(&free)> text(ldns_pkt_rcode2str(rcode), free);
      return {DnsStatus::Failure, {}, fmt::format("{} answered {} for {}", server_, text ? text.get() : "an error", name)};
    }
    RrList answers(ldns_pkt_rr_list_by_type(&packet, dns::to_ldns(type), LDNS_SECTION_ANSWER), ldns_rr_list_deep_free);
    DnsAnswer answer{DnsStatus::NoRecord, {}, ""};
    for (size_t i = 0; answers && i < ldns_rr_list_rr_count(answers.get()); ++i)
      answer.records.push_back(dns::record_text(ldns_rr_list_rr(answers.get(), i)));
    if (!answer.records.empty()) answer.status = DnsStatus::Ok;
    return answer;
  }

  sockaddr_storage address_;
  socklen_t length_;
  std::string server_;
  double budget_;
  bool started_ = false;
  Clock::time_point run_end_{};
  size_t skipped_ = 0;
  size_t ignored_ = 0;
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

std::optional<std::pair<sockaddr_storage, socklen_t>> socket_address(const std::string& host, uint16_t port) {
  sockaddr_storage address{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    return std::pair{address, static_cast<socklen_t>(sizeof(sockaddr_in))};
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    return std::pair{address, static_cast<socklen_t>(sizeof(sockaddr_in6))};
  }
  return std::nullopt;
}

}  // namespace

expected<std::unique_ptr<Resolver>, std::string> live_resolver(const std::string& server, double run_deadline_seconds) {
  std::string host;
  uint16_t port = 53;
  std::string name;
  if (server.empty()) {
    // The first nameserver of /etc/resolv.conf, as ldns reads it.
    ldns_resolver* system = nullptr;
    if (ldns_resolver_new_frm_file(&system, nullptr) != LDNS_STATUS_OK || !system)
      return unexpected(std::string("cannot read /etc/resolv.conf for --online; give --resolver IP[:PORT]"));
    std::unique_ptr<ldns_resolver, decltype(&ldns_resolver_deep_free)> owned(system, ldns_resolver_deep_free);
    if (ldns_resolver_nameserver_count(system) == 0)
      return unexpected(std::string("/etc/resolv.conf names no nameserver for --online; give --resolver IP[:PORT]"));
    std::unique_ptr<char, decltype(&free)> text(ldns_rdf2str(ldns_resolver_nameservers(system)[0]), free);
    host = text ? text.get() : "";
    name = fmt::format("the system resolver {} (/etc/resolv.conf)", host);
  } else {
    auto parts = split_server(server);
    if (!parts) return unexpected("--resolver " + parts.error());
    host = parts->first;
    port = parts->second;
    name = host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
  }
  const auto address = socket_address(host, port);
  if (!address) return unexpected(fmt::format("--resolver '{}': not an IP address", server.empty() ? host : server));
  return std::unique_ptr<Resolver>(std::make_unique<LiveResolver>(address->first, address->second, name, run_deadline_seconds));
}

}  // namespace pmtalint
