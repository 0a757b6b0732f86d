#pragma once
// What an operator plans to send: messages per recipient domain, optionally pinned to a virtual
// MTA (or pool) or a source, injected at once or at a rate. Read from JSON, CSV, or a plain
// list of recipient addresses.
#include <cstdint>
#include <string>
#include <vector>

#include "base/expected.h"

namespace pmtalint::delivery {

struct WorkloadStream {
  std::string domain;            // recipient domain, lower case
  uint64_t messages = 0;
  std::string vmta;              // virtual MTA or pool; empty: chosen by `source`, else {default}
  std::string source;            // client IP or named <source>, whose default-virtual-mta applies
  double rate = 0;               // injected messages per second; 0: all at `start`
  double start = 0;              // seconds after the run begins
  uint32_t recipients_per_message = 1;
};

struct Workload {
  std::vector<WorkloadStream> streams;
  uint64_t messages() const;
};

// JSON ({"streams": [...]}, schemas/workload.schema.json) or CSV with a header naming the
// columns domain,messages[,vmta][,source][,rate][,start][,recipients_per_message].
expected<Workload, std::string> read_workload(const std::string& path);
// The same from text: JSON when it starts with '{', else CSV.
expected<Workload, std::string> parse_workload(const std::string& text);
// One address per line (blank lines and # comments skipped): a message per address.
expected<Workload, std::string> read_recipients(const std::string& path, const std::string& vmta);

}  // namespace pmtalint::delivery
