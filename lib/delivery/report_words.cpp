#include "delivery/report_words.h"

#include <fmt/format.h>

namespace pmtalint::delivery {

std::string bound_words(const Plan& plan, uint32_t queue, Bound bound, uint32_t group, bool had_backoff) {
  const QueuePlan& p = plan.queues[queue];
  switch (bound) {
    case Bound::MessageRate:
      return had_backoff && p.backoff.message_rate != p.normal.message_rate
                 ? fmt::format("max-msg-rate {} (backoff-max-msg-rate {} in backoff)", p.normal.message_rate, p.backoff.message_rate)
                 : fmt::format("max-msg-rate {}", p.normal.message_rate);
    case Bound::QueueConnections: {
      std::string text = fmt::format("max-smtp-out {}", p.normal.max_smtp_out);
      if (had_backoff) text += fmt::format(" (backoff-max-smtp-out {} in backoff)", p.backoff.max_smtp_out);
      if (p.max_msg_per_connection) text += fmt::format(" with max-msg-per-connection {}", p.max_msg_per_connection);
      return text;
    }
    case Bound::GroupConnections: return plan.groups[group].limit;
    case Bound::ConnectRate: return fmt::format("max-connect-rate {}", p.normal.connect_rate);
    case Bound::RetryWait: return "retry-after (waiting after failed connections or defer-queue)";
    case Bound::SourceDisabled: return "disable-source-ip (the virtual MTA's source IP was disabled)";
    case Bound::Count: break;
  }
  return "";
}

std::string peak_words(const QueuePlan& queue, uint32_t peak) {
  const uint32_t cap = queue.normal.max_smtp_out;
  if (cap == 0 || peak <= cap) return "";
  return fmt::format("{} connections, above max-smtp-out {} ({}): reached in backoff, where backoff-max-smtp-out {} ({}) allows more",
                     peak, cap, queue.normal.max_smtp_out_origin, queue.backoff.max_smtp_out == 0 ? "unlimited" : std::to_string(queue.backoff.max_smtp_out),
                     queue.backoff.max_smtp_out_origin);
}

}  // namespace pmtalint::delivery
