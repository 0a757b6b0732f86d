#pragma once
// The report's sentences about a queue's limits, written where the plan is still at hand (the
// engine's finish), so the renderers only print them.
#include <cstdint>
#include <string>

#include "delivery/plan.h"
#include "delivery/result.h"

namespace pmtalint::delivery {

// The limit behind a Bound, as the "bound by" column says it. `group` is the connection group
// that refused the queue last, for Bound::GroupConnections.
std::string bound_words(const Plan& plan, uint32_t queue, Bound bound, uint32_t group, bool had_backoff);

// Why the queue's peak is above its max-smtp-out: in backoff, where backoff-max-smtp-out
// (possibly its default) allows more. "" when the peak is within max-smtp-out.
std::string peak_words(const QueuePlan& queue, uint32_t peak);

}  // namespace pmtalint::delivery
