#pragma once
// Which <source> blocks the internet can reach: a source whose address range is not private,
// or a named source that a listener on a public (or wildcard) address selects. Security checks
// share this so they agree on what "public" means.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace pmtalint {

struct Listener {
  Location where;
  std::string address;  // IP|CIDR:port as written
  std::string source;   // the named source it selects, if any
};

// Line-form (`smtp-listener 0/0:25 source=x`) and block-form listeners.
std::vector<Listener> listeners(const Model& model);

// Whether a listener address (`0/0:25`, `[::]:25`, `192.0.2.1:587`) accepts connections from
// outside the private ranges.
bool public_listener(std::string_view address);

struct Exposure {
  bool reachable = false;
  const Listener* through = nullptr;  // the public listener, for named sources
};

// `all` must outlive the result.
Exposure exposure(const Model& model, uint32_t source_block, const std::vector<Listener>& all);

// A top-level <source> that sets a yes/no directive to yes and that the internet reaches.
struct ExposedSetting {
  uint32_t source;                // the <source> block
  const ModelDirective* setting;  // the directive set to yes
  const Listener* through;        // the public listener, for named sources
};
std::vector<ExposedSetting> exposed_settings(const Model& model, std::string_view directive,
                                             const std::vector<Listener>& all);

}  // namespace pmtalint
