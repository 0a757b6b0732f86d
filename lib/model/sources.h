#pragma once
// Which <source> settings apply to a connection: `<source>` blocks whose range holds the
// client address, merged from the broadest (0/0) to the most specific prefix; a named source
// (chosen by a listener's source=, an <smtp-user>, {auth} or {pickup}) is applied last and
// overrides the address-derived settings.
#include <optional>
#include <string_view>
#include <vector>

#include "model/effective.h"

namespace pmtalint {

struct SourceSettings {
  std::vector<uint32_t> blocks;  // the <source> blocks applied, in merge order
  ExplicitSettings settings;     // the last directive of each name across them
};

// `address` is a client IP; `named` optionally a named source selected for the session.
// nullopt when `address` is not an IP address.
std::optional<SourceSettings> source_settings(const Model& model, std::string_view address, std::string_view named = {});

}  // namespace pmtalint
