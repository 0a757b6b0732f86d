#pragma once
// How the receiving side answers in a simulation: per provider (matched by recipient domain),
// the latency of a connection and of a message, the share of each reply, and the throttles big
// mailbox providers apply — a 421 after N messages on one connection, above a message rate, or
// beyond N simultaneous connections from one sending IP.
#include <cstdint>
#include <string>
#include <vector>

#include "base/expected.h"
#include "model/domain_pattern.h"

namespace pmtalint::delivery {

struct ReplyShare {
  double share = 1;   // of the messages that no throttle answered
  std::string reply;  // "250 2.0.0 ok", "451 4.7.1 try later", …
};

struct Throttle {
  enum class Kind : uint8_t {
    MessagesPerConnection,  // the (limit+1)-th message on a connection is answered `reply`
    Rate,                   // beyond `limit` messages per `period` seconds from one virtual MTA
    Connections,            // a connection beyond `limit` open ones from one virtual MTA is refused
  };
  Kind kind;
  uint64_t limit = 0;
  double period = 0;
  std::string reply;
};

struct Provider {
  std::string name;
  std::vector<DomainPattern> domains;  // empty for the default provider
  std::vector<DomainPattern> mx_patterns;  // also answers for domains whose MX host (from DNS) matches
  std::string mx;                      // the MX host its domains resolve to when DNS is not asked
  double connect_latency = 0.1;        // seconds until the greeting
  double message_latency = 0.2;        // seconds from MAIL FROM to the reply after DATA
  std::string greeting = "220 mx.invalid ESMTP";
  std::vector<ReplyShare> replies{{1, "250 2.0.0 ok"}};
  std::vector<Throttle> throttles;
};

struct Scenario {
  std::vector<Provider> providers;  // the last one is the default for unmatched domains
  // Index of the provider that receives mail for the domain (lower case): by domain pattern,
  // else by the MX host when one is known, else the default.
  size_t provider_for(std::string_view domain, std::string_view mx_host = {}) const;
};

// Every reply 250 after a fixed latency: the default when no --scenario is given.
Scenario standard_scenario();
// JSON, schemas/scenario.schema.json.
expected<Scenario, std::string> read_scenario(const std::string& path);
expected<Scenario, std::string> parse_scenario(const std::string& text);

}  // namespace pmtalint::delivery
