#pragma once
// Who a queue's mail appears to come from: the source addresses and EHLO names of its virtual
// MTA, the pools it belongs to, and the DKIM keys it can sign with. `show settings` prints it
// next to the limits, so an operator sees the whole sending side of one queue in one place.
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace pmtalint {

struct SourceAddress {
  std::string address;  // an IP or a CIDR range
  std::string helo;     // smtp-source-host's second field: also the EHLO name (directives.tsv)
  const ModelDirective* line;
};

struct DkimKey {
  std::string selector, domain, path;
  std::string scope;  // "<virtual-mta mta1>", "top level"
  const ModelDirective* line;
};

struct SendingIdentity {
  std::string vmta;                   // "{default}" when none is named
  std::vector<std::string> pools;     // the pools this VMTA is a member of
  std::vector<SourceAddress> sources; // smtp-source-host lines of the VMTA (top level for {default})
  std::string host_name;              // host-name of the VMTA, else the top-level one; "" if neither
  const ModelDirective* host_name_line = nullptr;
  std::vector<DkimKey> keys;          // the VMTA's, its pools', then the top-level domain-key lines
};

// One identity for a virtual MTA; one per member, in configuration order, for a pool.
std::vector<SendingIdentity> sending_identities(const Model& model, std::string_view vmta_or_pool);

}  // namespace pmtalint
