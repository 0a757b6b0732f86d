#include "model/sources.h"

#include <algorithm>

#include "schema/grammar.h"

namespace pmtalint {

namespace {

bool contains(const IpRange& range, const IpRange& address) {
  if (range.v6 != address.v6) return false;
  int bits = range.prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((range.bytes[i] & mask) != (address.bytes[i] & mask)) return false;
  }
  return true;
}

}  // namespace

std::optional<SourceSettings> source_settings(const Model& model, std::string_view address, std::string_view named) {
  const auto client = parse_ip_range(address);
  if (!client) return std::nullopt;
  std::vector<std::pair<int, uint32_t>> matches;  // prefix, block
  for (const uint32_t child : model.blocks_of_kind("source")) {
    const ModelBlock& b = model.block(child);
    if (b.parent != kGlobalBlock) continue;
    if (const auto range = parse_ip_range(b.argument); range && contains(*range, *client))
      matches.emplace_back(range->prefix, child);
  }
  std::stable_sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  SourceSettings out;
  for (const auto& [prefix, block] : matches) out.blocks.push_back(block);
  if (!named.empty())
    if (const auto& defs = model.definitions("source", named); !defs.empty()) out.blocks.push_back(defs.front());
  for (const uint32_t block : out.blocks)
    for (const uint32_t d : model.block(block).directives) {
      const ModelDirective& directive = model.directives()[d];
      if (directive.info) out.settings[directive.info->name] = &directive;
    }
  return out;
}

}  // namespace pmtalint
