#pragma once
// The settings one queue (domain/vmta) runs with, and where each comes from: the offline
// counterpart of PMTA's `show settings`. Settings merge from the general to the specific:
// top-level <domain> blocks, then those of the virtual MTA's pool, then the virtual MTA's own;
// within each, `*` → `[*.]d` → `*.d` → `d`, an explicit block over a macro-expanded one. What no
// block sets falls back to the documented default.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace pmtalint {

// The <domain> entries that configure a domain on a virtual MTA (kNoBlock: the implicit
// {default} VMTA), from the most general to the most specific.
std::vector<const DomainEntry*> domain_chain(const Model& model, std::string_view domain, uint32_t vmta);
// The part of that chain after the top-level entries: those of the VMTA's pool, then its own.
std::vector<const DomainEntry*> vmta_chain(const Model& model, std::string_view domain, uint32_t vmta);

// The last directive of each name across a chain: what the configuration sets explicitly.
using ExplicitSettings = std::map<std::string_view, const ModelDirective*, std::less<>>;
ExplicitSettings explicit_settings(const Model& model, const std::vector<const DomainEntry*>& chain);

struct EffectiveSetting {
  std::string name;
  std::string value;
  const ModelDirective* directive = nullptr;  // nullptr: the default
  std::string note;                           // how a default was derived, when it was
};

// Which queue mail for a domain on a virtual MTA lands in, and what that queue's blocks set.
struct QueueRoute {
  std::string domain;
  std::string vmta;   // "{default}" when none was named
  std::string queue;  // the queue's domain after queue-to, usually `domain` itself
  std::vector<const ModelDirective*> routing;  // the queue-to lines followed
  const ModelDirective* rollup = nullptr;      // the <mx-rollup-list> line followed, if any
  std::string mx;                              // the MX host that decided it
  std::vector<const DomainEntry*> chain;       // of the final queue
  ExplicitSettings set;                        // what the final queue's chain writes
  std::vector<std::string> notes;
};

// The route plus every setting with its value, defaults included.
struct QueueSettings : QueueRoute {
  std::vector<EffectiveSetting> settings;  // sorted by name

  const EffectiveSetting* find(std::string_view name) const;
};

// The virtual MTA or pool block with that name, if the model defines one.
std::optional<uint32_t> find_vmta(const Model& model, std::string_view name);

// One `mx PATTERN QUEUE` line of an <mx-rollup-list>, in configuration order.
struct MxRollup {
  DomainPattern mx;
  std::string queue;
  const ModelDirective* line;
};
std::vector<MxRollup> mx_rollups(const Model& model);

// The queue mail for `domain` on `vmta` lands in: queue-to is followed, then (when no queue-to
// moved it and disable-mx-rollup is not set) the first of `rollups` matching the domain's MX
// host `mx`. Without `mx` (DNS not asked) a rollup list only adds a note; an empty `mx` means
// DNS gave no answer. Rules that route every <domain> compute `rollups` once.
QueueRoute route_queue(const Model& model, std::string_view domain, std::string_view vmta,
                       std::optional<std::string_view> mx, const std::vector<MxRollup>& rollups);

// The route and the settings its queue runs with. `show settings`, `send` and the editor's
// hover all resolve queues here; callers that resolve many queues pass mx_rollups() once.
QueueSettings effective_settings(const Model& model, std::string_view domain, std::string_view vmta,
                                 std::optional<std::string_view> mx = std::nullopt,
                                 const std::vector<MxRollup>* rollups = nullptr);

}  // namespace pmtalint
