#include "checks/domain_settings.h"

#include <algorithm>

#include "model/effective.h"

namespace pmtalint {

ChainSettings::ChainSettings(const Model& model, const std::vector<const DomainEntry*>& chain) {
  for (const DomainEntry* entry : chain)
    for (const uint32_t d : model.block(entry->block).directives)
      if (const ModelDirective& directive = model.directives()[d]; directive.info)
        by_name_.emplace_back(directive.info->name, &directive);
  // Stable, so that of each name the one written last comes last and is kept.
  std::stable_sort(by_name_.begin(), by_name_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto kept = by_name_.begin();
  for (auto it = by_name_.begin(); it != by_name_.end(); ++it)
    if (std::next(it) == by_name_.end() || std::next(it)->first != it->first) *kept++ = *it;
  by_name_.erase(kept, by_name_.end());
}

const ModelDirective* ChainSettings::find(std::string_view name) const {
  const auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                                   [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != by_name_.end() && it->first == name ? it->second : nullptr;
}

const ChainSettings& DomainSettings::of(std::string_view domain, uint32_t vmta) {
  auto& known = by_vmta_[vmta];
  if (const auto it = known.find(std::string(domain)); it != known.end()) return it->second;
  return known.try_emplace(std::string(domain), model_, domain_chain(model_, domain, vmta)).first->second;
}

const ChainSettings& DomainSettings::of(const DomainEntry& entry) {
  return of(entry.pattern.representative(), entry.owner == kGlobalBlock ? kNoBlock : entry.owner);
}

}  // namespace pmtalint
