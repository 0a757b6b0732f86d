#pragma once
// DNS lookups for the checks that compare a configuration with the world: reverse DNS of the
// sending IPs and DKIM public keys. Two sources answer the same questions: zone files read
// offline (what CI and reproducible runs use) and a live server (`--online`). Answers are
// cached per run, so each name is asked once however many lines mention it.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/expected.h"

namespace pmtalint {

enum class RecordType : uint8_t { A, AAAA, PTR, TXT, MX };

enum class DnsStatus : uint8_t {
  Ok,        // records found
  NoRecord,  // the name exists without records of that type, or does not exist
  Failure,   // no answer could be had (timeout, SERVFAIL, refused, outside the given zones)
};

struct DnsAnswer {
  DnsStatus status = DnsStatus::Failure;
  std::vector<std::string> records;  // names without the final dot, addresses, TXT strings joined, MX as "PREFERENCE HOST"
  std::string error;                 // for Failure: what went wrong and with which server
  // Failure only: the lookup was not made because the run's DNS deadline had passed (the error
  // then starts with "skipped:"), as opposed to a server that did not answer.
  bool skipped = false;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Names are compared in lower case and without a final dot.
  const DnsAnswer& lookup(std::string_view name, RecordType type);
  // "the zone files a.zone, b.zone" or "the server 127.0.0.1:53", for messages.
  virtual std::string describe() const = 0;
  // Lookups not made because the run's DNS deadline had passed (live DNS only).
  virtual size_t skipped() const { return 0; }

 protected:
  virtual DnsAnswer query(const std::string& name, RecordType type) = 0;

 private:
  std::map<std::pair<std::string, RecordType>, DnsAnswer> cache_;
};

// "192.0.2.1" → "1.2.0.192.in-addr.arpa"; IPv6 in nibble form; empty when not an address.
std::string reverse_name(std::string_view address);

expected<std::unique_ptr<Resolver>, std::string> zone_resolver(const std::vector<std::string>& zone_files);
// `server` is "IP" or "IP:PORT" ("[IPv6]:PORT"); empty uses /etc/resolv.conf. Each lookup waits
// at most 2 s for an answer and is sent twice; all lookups of a run together get
// `run_deadline_seconds` from the first one, after which every lookup is skipped (Failure with
// `skipped` set). Replies whose ID, source or question do not match the query are ignored.
inline constexpr double kDnsRunDeadlineSeconds = 20;
expected<std::unique_ptr<Resolver>, std::string> live_resolver(const std::string& server,
                                                                double run_deadline_seconds = kDnsRunDeadlineSeconds);
// What the command line asked for: live DNS with `online`, else the zone files; nullptr when
// neither (no DNS at all).
expected<std::unique_ptr<Resolver>, std::string> requested_resolver(const std::vector<std::string>& zone_files, bool online,
                                                                    const std::string& server);

}  // namespace pmtalint

namespace pmtalint {

// Where mail for `domain` goes: its lowest-preference MX host; the domain itself when it has no
// MX record (RFC 5321 §5.1); empty when DNS gave no answer (then `error`, if asked, says why).
std::string lowest_mx(Resolver& resolver, std::string_view domain, std::string* error = nullptr);

}  // namespace pmtalint
