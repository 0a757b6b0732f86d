#pragma once
// The scheduler of a dry run: fills each queue from the workload and sends through the backend
// as fast as the configuration allows — connection caps per queue, virtual MTA, pool and in
// total, message and connection rates, messages per connection — and reacts to replies as
// PMTA does: 4xx messages wait retry-recipients-after, failed connections put the queue into
// retry-after, smtp-pattern-list rules switch backoff mode (and its limits) on and off, bounce,
// defer or disable a source IP, and bounce-after ends every wait.
#include <cstdint>
#include <functional>

#include "delivery/backend.h"
#include "delivery/plan.h"
#include "delivery/result.h"
#include "delivery/scenario.h"

namespace pmtalint::delivery {

struct EngineOptions {
  uint64_t seed = 1;
  double horizon = 30 * 86400.0;  // simulated seconds; whatever is left then is reported pending
  bool record_series = false;     // time series for --plot, of the kPlottedQueues largest queues
  // Called now and then with messages final so far, all messages, and the backend's clock.
  std::function<void(uint64_t, uint64_t, double)> progress;
};

Result run(const Plan& plan, const Scenario& scenario, Backend& backend, const EngineOptions& options);

}  // namespace pmtalint::delivery
