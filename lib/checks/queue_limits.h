#pragma once
// The per-queue limits of a <domain> block: the settings whose value decides how fast and how
// wide a queue sends, and so the ones whose override or loss changes what PMTA does.
#include <algorithm>
#include <iterator>
#include <string_view>

namespace pmtalint {

inline constexpr std::string_view kQueueLimits[] = {
    "max-smtp-out",           "backoff-max-smtp-out",     "max-msg-rate",  "backoff-max-msg-rate",
    "max-connect-rate",       "backoff-max-connect-rate", "max-msg-per-connection", "max-rcpt-per-message",
    "max-data-volume-rate",   "backoff-max-data-volume-rate", "retry-after", "backoff-retry-after",
    "bounce-after",           "smtp-pattern-list"};

inline bool is_queue_limit(std::string_view name) {
  return std::find(std::begin(kQueueLimits), std::end(kQueueLimits), name) != std::end(kQueueLimits);
}

}  // namespace pmtalint
