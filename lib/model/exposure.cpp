#include "model/exposure.h"

#include <unordered_map>

#include "base/text.h"
#include "schema/grammar.h"

namespace pmtalint {

std::vector<Listener> listeners(const Model& model) {
  std::vector<Listener> out;
  for (const uint32_t index : model.block(kGlobalBlock).directives) {
    const ModelDirective& d = model.directives()[index];
    if (!d.info || d.info->name != "smtp-listener") continue;
    const auto words = model.words(d);
    if (words.empty()) continue;
    Listener l{model.where(d), std::string(model.text(d, words[0].span)), ""};
    for (size_t i = 1; i < words.size(); ++i)
      if (const auto w = model.text(d, words[i].span); w.starts_with("source=")) l.source = std::string(w.substr(7));
    out.push_back(std::move(l));
  }
  for (uint32_t i = 1; i < model.blocks().size(); ++i) {
    const ModelBlock& b = model.block(i);
    if (b.kind != "smtp-listener" || b.parent != kGlobalBlock) continue;
    Listener l{model.head(b), std::string(b.argument), ""};
    if (const ModelDirective* source = model.last(i, "source")) l.source = std::string(trim(model.value(*source)));
    out.push_back(std::move(l));
  }
  return out;
}

bool public_listener(std::string_view address) {
  const size_t colon = address.rfind(':');
  std::string_view ip = address.substr(0, colon);
  if (ip.size() > 2 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
  const auto range = parse_ip_range(ip);
  return range && !is_private_range(*range);
}

namespace {

// Lower-cased source name → the first public listener that selects it.
using PublicBySource = std::unordered_map<std::string, const Listener*>;

PublicBySource public_by_source(const std::vector<Listener>& all) {
  PublicBySource out;
  for (const Listener& l : all)
    if (public_listener(l.address)) out.try_emplace(to_lower(l.source), &l);
  return out;
}

// exposure() for many sources against one listener list.
Exposure exposure(const Model& model, uint32_t source_block, const PublicBySource& listeners) {
  const std::string_view argument = model.block(source_block).argument;
  if (const auto range = parse_ip_range(argument)) return {!is_private_range(*range), nullptr};
  if (const auto it = listeners.find(to_lower(argument)); it != listeners.end()) return {true, it->second};
  return {};
}

}  // namespace

Exposure exposure(const Model& model, uint32_t source_block, const std::vector<Listener>& all) {
  const std::string_view argument = model.block(source_block).argument;
  if (const auto range = parse_ip_range(argument)) return {!is_private_range(*range), nullptr};
  for (const Listener& l : all)
    if (iequals(l.source, argument) && public_listener(l.address)) return {true, &l};
  return {};
}

std::vector<ExposedSetting> exposed_settings(const Model& model, std::string_view directive,
                                             const std::vector<Listener>& all) {
  // Built once: a generated configuration has thousands of named sources and listeners.
  const PublicBySource listeners = public_by_source(all);
  std::vector<ExposedSetting> out;
  for (const uint32_t child : model.blocks_of_kind("source")) {
    if (model.block(child).parent != kGlobalBlock) continue;
    const ModelDirective* setting = model.last(child, directive);
    if (!setting || !parse_boolean(model.value(*setting)).value_or(false)) continue;
    if (const Exposure e = exposure(model, child, listeners); e.reachable) out.push_back({child, setting, e.through});
  }
  return out;
}

}  // namespace pmtalint
