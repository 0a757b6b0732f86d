#include "checks/domain_settings.h"

#include <algorithm>
#include <iterator>
#include <mutex>

#include "model/effective.h"

namespace pmtalint {

namespace {

// Directives with a known name (info set), sorted by that name. A pointer is all an entry holds:
// on a million-line configuration these lists, one per queue, are a large part of the peak memory.
using ByName = std::vector<const ModelDirective*>;

bool name_less(const ModelDirective* a, const ModelDirective* b) { return a->info->name < b->info->name; }

// The last directive of each name in the chain's blocks.
ByName last_of_each(const Model& model, const std::vector<const DomainEntry*>& chain) {
  // Walked from the end, so that the first of each name seen is the one that applies.
  ByName out;
  size_t size = 0;
  for (const DomainEntry* entry : chain) size += model.block(entry->block).directives.size();
  out.reserve(size);
  for (auto entry = chain.rbegin(); entry != chain.rend(); ++entry) {
    const auto& directives = model.block((*entry)->block).directives;
    for (auto d = directives.rbegin(); d != directives.rend(); ++d)
      if (const ModelDirective& directive = model.directives()[*d]; directive.info) out.push_back(&directive);
  }
  std::stable_sort(out.begin(), out.end(), name_less);
  out.erase(std::unique(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->info->name == b->info->name; }),
            out.end());
  out.shrink_to_fit();
  return out;
}

}  // namespace

ChainSettings::ChainSettings(const Model& model, const std::vector<const DomainEntry*>& chain)
    : by_name_(last_of_each(model, chain)) {}

ChainSettings::ChainSettings(const Model& model, const ChainSettings& below, const std::vector<const DomainEntry*>& chain) {
  const ByName above = last_of_each(model, chain);
  by_name_.reserve(above.size() + below.by_name_.size());
  // Of two equal names set_union takes the first range's: the later entries win.
  std::set_union(above.begin(), above.end(), below.by_name_.begin(), below.by_name_.end(), std::back_inserter(by_name_),
                 name_less);
  by_name_.shrink_to_fit();
}

const ModelDirective* ChainSettings::find(std::string_view name) const {
  const auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                                   [](const ModelDirective* entry, std::string_view n) { return entry->info->name < n; });
  return it != by_name_.end() && (*it)->info->name == name ? *it : nullptr;
}

const ChainSettings& DomainSettings::of(std::string_view domain, uint32_t vmta) {
  Key key{vmta, std::string(domain)};
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = known_.find(key); it != known_.end()) return it->second;
  }
  // Merged outside the lock; a thread that merged the same chain meanwhile wins, with equal settings.
  if (vmta == kNoBlock) return remember(std::move(key), ChainSettings(model_, domain_chain(model_, domain, kNoBlock)));
  const ChainSettings& top = of(domain, kNoBlock);
  return remember(std::move(key), ChainSettings(model_, top, vmta_chain(model_, domain, vmta)));
}

const ChainSettings& DomainSettings::remember(Key key, ChainSettings settings) {
  const std::unique_lock lock(mutex_);
  return known_.try_emplace(std::move(key), std::move(settings)).first->second;
}

const ChainSettings& DomainSettings::of(const DomainEntry& entry) {
  return of(entry.pattern.representative(), entry.owner == kGlobalBlock ? kNoBlock : entry.owner);
}

}  // namespace pmtalint
