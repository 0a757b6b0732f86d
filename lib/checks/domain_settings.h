#pragma once
// What the <domain> chain of one queue writes, merged once per lint run. rate-conflict,
// backoff-default-looser and rerouted-domain-limits each ask it for every <domain> block, and
// merging a chain (three Model::matching look-ups and a walk of every block in it) was most of
// their cost; a configuration of thousands of virtual MTAs also repeats the same domains.
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/model.h"

namespace pmtalint {

// The last directive of each name across a chain (explicit_settings), as a vector sorted by
// name: built once, then only looked up.
class ChainSettings {
 public:
  ChainSettings(const Model& model, const std::vector<const DomainEntry*>& chain);
  // `below` continued by `chain`: a VMTA's entries over the top-level ones, which many virtual
  // MTAs share and so are merged once.
  ChainSettings(const Model& model, const ChainSettings& below, const std::vector<const DomainEntry*>& chain);
  const ModelDirective* find(std::string_view name) const;

 private:
  std::vector<const ModelDirective*> by_name_;  // sorted by info->name
};

// Safe to use from several threads: the rules of one configuration may run in parallel.
class DomainSettings {
 public:
  explicit DomainSettings(const Model& model) : model_(model) {}
  // The settings for `domain` (lower case) on virtual MTA or pool block `vmta` (kNoBlock: the
  // implicit {default} VMTA): explicit_settings(domain_chain(…)), computed on first use.
  const ChainSettings& of(std::string_view domain, uint32_t vmta);
  // The queue a <domain> entry configures: its representative domain on its owner.
  const ChainSettings& of(const DomainEntry& entry);

 private:
  using Key = std::pair<uint32_t, std::string>;  // (vmta, domain)
  struct KeyHash {
    size_t operator()(const Key& k) const { return std::hash<std::string>()(k.second) ^ (size_t{k.first} * 0x9e3779b97f4a7c15); }
  };
  const ChainSettings& remember(Key key, ChainSettings settings);

  const Model& model_;
  std::shared_mutex mutex_;
  std::unordered_map<Key, ChainSettings, KeyHash> known_;  // values never move: references stay valid
};

}  // namespace pmtalint
