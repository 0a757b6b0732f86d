#include "model/effective.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"
#include "schema/grammar.h"

namespace pmtalint {

namespace {

constexpr size_t kMaxQueueHops = 8;

// A backoff limit without a value of its own follows its normal twin (knowledge base defaults).
constexpr std::pair<std::string_view, std::string_view> kBackoffTwins[] = {
    {"backoff-max-msg-rate", "max-msg-rate"},
    {"backoff-max-connect-rate", "max-connect-rate"},
    {"backoff-max-data-volume-rate", "max-data-volume-rate"},
};

// Turns a knowledge-base default, which is sometimes prose, into a value and a note.
std::pair<std::string, std::string> default_value(const DirectiveInfo& info, const ExplicitSettings& set,
                                                  const Model& model, std::string_view queue) {
  for (const auto& [backoff, normal] : kBackoffTwins) {
    if (info.name != backoff) continue;
    if (const auto it = set.find(normal); it != set.end())
      return {std::string(trim(model.value(*it->second))), "follows " + std::string(normal)};
    return {"unlimited", std::string(normal) + " is not set either"};
  }
  if (info.name == "add-x-msys-api-header") return {queue == "{sparkpost}" ? "true" : "false", ""};
  if (info.name == "max-rcpt-per-message") return {"1000", ""};
  const std::string& text = *info.default_value;
  if (const size_t paren = text.find(" ("); paren != std::string::npos && text.ends_with(')'))
    return {text.substr(0, paren), text.substr(paren + 2, text.size() - paren - 3)};
  return {text, ""};
}

}  // namespace

std::optional<uint32_t> find_vmta(const Model& model, std::string_view name) {
  for (std::string_view kind : {"virtual-mta", "virtual-mta-pool"})
    if (const auto& defs = model.definitions(kind, name); !defs.empty()) return defs.front();
  return std::nullopt;
}

std::vector<const DomainEntry*> domain_chain(const Model& model, std::string_view domain, uint32_t vmta) {
  std::vector<const DomainEntry*> chain = model.matching(kGlobalBlock, domain);
  if (vmta == kNoBlock) return chain;
  const auto rest = vmta_chain(model, domain, vmta);
  chain.insert(chain.end(), rest.begin(), rest.end());
  return chain;
}

std::vector<const DomainEntry*> vmta_chain(const Model& model, std::string_view domain, uint32_t vmta) {
  std::vector<const DomainEntry*> chain;
  if (model.block(vmta).kind == "virtual-mta") {
    for (const uint32_t pool : model.pools_of(model.block(vmta).argument)) {
      chain = model.matching(pool, domain);
      if (!chain.empty()) break;  // a VMTA in two pools with <domain> blocks is an error reported by duplicate-block
    }
  }
  const auto own = model.matching(vmta, domain);
  chain.insert(chain.end(), own.begin(), own.end());
  return chain;
}

ExplicitSettings explicit_settings(const Model& model, const std::vector<const DomainEntry*>& chain) {
  ExplicitSettings out;
  for (const DomainEntry* entry : chain)
    for (const uint32_t d : model.block(entry->block).directives) {
      const ModelDirective& directive = model.directives()[d];
      if (directive.info) out[directive.info->name] = &directive;
    }
  return out;
}

const EffectiveSetting* QueueSettings::find(std::string_view name) const {
  const auto it = std::lower_bound(settings.begin(), settings.end(), name,
                                   [](const EffectiveSetting& s, std::string_view n) { return s.name < n; });
  return it != settings.end() && it->name == name ? &*it : nullptr;
}

std::vector<MxRollup> mx_rollups(const Model& model) {
  std::vector<MxRollup> out;
  for (const uint32_t child : model.blocks_of_kind("mx-rollup-list")) {
    if (model.block(child).parent != kGlobalBlock) continue;
    for (const uint32_t d : model.block(child).directives) {
      const ModelDirective& line = model.directives()[d];
      if (!line.info || line.info->name != "mx") continue;
      const auto words = model.words(line);
      if (words.size() >= 2)
        out.push_back({parse_domain_pattern(to_lower(model.text(line, words[0].span))),
                       to_lower(unquote(model.text(line, words[1].span))), &line});
    }
  }
  return out;
}

QueueRoute route_queue(const Model& model, std::string_view domain, std::string_view vmta,
                       std::optional<std::string_view> mx, const std::vector<MxRollup>& rollups) {
  QueueRoute out;
  out.domain = to_lower(domain);
  out.vmta = vmta.empty() ? "{default}" : std::string(vmta);
  uint32_t vmta_block = kNoBlock;
  if (!vmta.empty() && vmta != "{default}") {
    if (const auto found = find_vmta(model, vmta)) vmta_block = *found;
    else out.notes.push_back("no <virtual-mta " + std::string(vmta) + "> is defined; only top-level <domain> blocks apply");
  }
  out.queue = out.domain;
  ExplicitSettings& set = out.set;
  for (size_t hop = 0;; ++hop) {
    out.chain = domain_chain(model, out.queue, vmta_block);
    set = explicit_settings(model, out.chain);
    const auto to = set.find("queue-to");
    if (to == set.end()) break;
    const std::string target = to_lower(unquote(trim(model.value(*to->second))));
    if (target.empty() || target == out.queue) break;
    if (std::any_of(out.routing.begin(), out.routing.end(), [&](const ModelDirective* d) { return d == to->second; })) {
      out.notes.push_back("queue-to lines form a loop; the settings shown are those of " + out.queue);
      break;
    }
    if (hop == kMaxQueueHops) {
      out.notes.push_back(fmt::format("queue-to lines lead through more than {} queues; pmtalint follows them no further, "
                                      "and the settings shown are those of {}", kMaxQueueHops, out.queue));
      break;
    }
    out.routing.push_back(to->second);
    out.queue = target;
    if (target.starts_with('{')) {  // {sparkpost} and other built-in queues are configured by PMTA
      out.chain = domain_chain(model, out.queue, vmta_block);
      set = explicit_settings(model, out.chain);
      break;
    }
  }
  const auto disabled = set.find("disable-mx-rollup");
  const bool opted_out = disabled != set.end() && parse_boolean(trim(model.value(*disabled->second))).value_or(false);
  if (out.routing.empty() && !opted_out) {
    if (!rollups.empty() && !mx) {
      const Location at = model.head(rollups.front().line->block);
      out.notes.push_back(fmt::format("an <mx-rollup-list> ({}:{}) may move this domain into a rollup queue by its MX "
                                      "host; MX records are looked up only with --dns-zone or --online",
                                      model.workspace().file(at.file).path(),
                                      model.workspace().file(at.file).position(at.span.begin).line));
    } else if (!rollups.empty() && mx->empty()) {
      out.notes.push_back("the MX host of " + out.domain + " could not be looked up; no <mx-rollup-list> line was followed");
    } else if (mx) {
      const std::string host = to_lower(*mx);
      for (const MxRollup& r : rollups) {
        if (!r.mx.matches(host)) continue;
        out.rollup = r.line;
        out.mx = host;
        out.queue = r.queue;
        out.chain = domain_chain(model, out.queue, vmta_block);
        set = explicit_settings(model, out.chain);
        break;
      }
    }
  }
  return out;
}

QueueSettings effective_settings(const Model& model, std::string_view domain, std::string_view vmta,
                                 std::optional<std::string_view> mx, const std::vector<MxRollup>* rollups) {
  QueueSettings out{route_queue(model, domain, vmta, mx, rollups ? *rollups : mx_rollups(model)), {}};
  const ExplicitSettings& set = out.set;
  for (const auto& [name, directive] : set)
    if (name != "queue-to") out.settings.push_back({std::string(name), std::string(trim(model.value(*directive))), directive, ""});
  for (const DirectiveInfo& info : KnowledgeBase::get().directives()) {
    if (!info.default_value || !info.valid_in("domain") || info.deprecated() || set.contains(info.name)) continue;
    auto [value, note] = default_value(info, set, model, out.queue);
    out.settings.push_back({info.name, std::move(value), nullptr, std::move(note)});
  }
  std::sort(out.settings.begin(), out.settings.end(),
            [](const EffectiveSetting& a, const EffectiveSetting& b) { return a.name < b.name; });
  return out;
}

}  // namespace pmtalint
