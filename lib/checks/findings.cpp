#include "checks/rule.h"

namespace pmtalint {

Diagnostic& Findings::add(Location where, std::string message) { return add(rule_.severity, where, std::move(message)); }

Diagnostic& Findings::add(Severity severity, Location where, std::string message) {
  out_.push_back({rule_.slug, severity, where, std::move(message), {}, {}});
  return out_.back();
}

Diagnostic* Findings::absent(uint32_t block, bool or_around, Location where, std::string message) {
  return absent(model_.gap_in(block, or_around), rule_.severity, where, std::move(message));
}

Diagnostic* Findings::absent(const Gap* gap, Severity severity, Location where, std::string message) {
  if (gap) {
    withheld_.push_back({gap, {rule_.slug, severity, where, std::move(message), {}, {}}});
    return nullptr;
  }
  return &add(severity, where, std::move(message));
}

}  // namespace pmtalint
