// `pmtalint show settings DOMAIN[/VMTA] CONFIG`: the settings one queue runs with and where
// each comes from, like PMTA's own `pmta show settings`, but from the files alone.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "checks/secrets.h"
#include "checks/suggest.h"
#include "commands.h"
#include "load_config.h"
#include "delivery/scenario.h"
#include "dns/resolver.h"
#include "model/effective.h"
#include "model/identity.h"
#include "schema/knowledge.h"

namespace pmtalint::cli {
namespace {

constexpr std::string_view kMasked = "********";

struct Origin {
  std::string file;
  uint32_t line = 0;
  std::string block;  // "<domain *> in <virtual-mta mta1>"
};

Origin origin_of(const Model& model, const ModelDirective& d) {
  const SourceFile& file = model.workspace().file(d.file);
  const ModelBlock& block = model.block(d.block);
  std::string scope = model.describe(d.block);
  if (block.parent != kGlobalBlock && block.parent != kNoBlock) scope += " in " + model.describe(block.parent);
  return {file.path(), file.position(model.where(d).span.begin).line, std::move(scope)};
}

// Values, names and paths quote the configuration: control bytes are escaped (printable).
std::string shown_value(const EffectiveSetting& s) {
  return s.directive && is_secret_directive(s.name) && !s.value.empty() ? std::string(kMasked) : printable(s.value);
}

std::string block_line(const Model& model, const DomainEntry& entry) {
  const Location head = model.head(entry.block);
  const SourceFile& file = model.workspace().file(head.file);
  std::string scope = model.describe(entry.block);
  if (entry.owner != kGlobalBlock) scope += " in " + model.describe(entry.owner);
  if (entry.from_macro) scope += fmt::format(" (as {})", entry.pattern.text());
  return printable(fmt::format("{}:{}  {}", file.path(), file.position(head.span.begin).line, scope));
}

std::string line_of(const Model& model, const ModelDirective& d) {
  const Origin o = origin_of(model, d);
  return printable(fmt::format("{}:{}", o.file, o.line));
}

void print_identity(const Model& model, const std::vector<SendingIdentity>& identities) {
  for (const SendingIdentity& id : identities) {
    std::cout << fmt::format("  sent by virtual MTA {}{}\n", printable(id.vmta),
                             id.pools.empty() ? "" : printable(fmt::format(" (member of {})", fmt::join(id.pools, ", "))));
    for (const SourceAddress& source : id.sources)
      std::cout << fmt::format("    source IP {}, EHLO {}  {}\n", printable(source.address),
                               source.helo.empty() ? "(no name given)" : printable(source.helo), line_of(model, *source.line));
    if (id.sources.empty())
      std::cout << fmt::format("    no smtp-source-host configured for it{}\n",
                               id.host_name.empty() ? "" : printable(", host-name " + id.host_name + "  " + line_of(model, *id.host_name_line)));
    for (const DkimKey& key : id.keys)
      std::cout << fmt::format("    DKIM key selector {} for {}, {}  {} ({})\n", printable(key.selector), printable(key.domain),
                               printable(key.path), line_of(model, *key.line), printable(key.scope));
    if (id.keys.empty()) std::cout << "    no domain-key lines for this virtual MTA\n";
  }
}

void print_text(const Model& model, const QueueSettings& q, const std::vector<SendingIdentity>& identities, bool only_set) {
  std::cout << fmt::format("queue {}/{}\n", printable(q.queue), printable(q.vmta));
  for (const ModelDirective* hop : q.routing) {
    const Origin o = origin_of(model, *hop);
    std::cout << fmt::format("  mail for {} goes into this queue: queue-to at {}:{}\n", printable(q.domain), printable(o.file), o.line);
  }
  if (q.rollup) {
    const Origin o = origin_of(model, *q.rollup);
    std::cout << fmt::format("  mail for {} goes into this queue: its MX host {} matches the <mx-rollup-list> line at {}:{}\n",
                             printable(q.domain), printable(q.mx), printable(o.file), o.line);
  }
  for (const std::string& note : q.notes) std::cout << "  note: " << printable(note) << '\n';
  print_identity(model, identities);
  std::cout << (q.chain.empty() ? "  no <domain> block matches; every setting is the default\n"
                                : "  <domain> blocks applied, from general to specific:\n");
  for (const DomainEntry* entry : q.chain) std::cout << "    " << block_line(model, *entry) << '\n';
  std::cout << '\n';
  size_t name_width = 7, value_width = 5;
  for (const EffectiveSetting& s : q.settings) {
    if (only_set && !s.directive) continue;
    name_width = std::max(name_width, s.name.size());
    value_width = std::min<size_t>(40, std::max(value_width, shown_value(s).size()));
  }
  std::cout << fmt::format("{:<{}}  {:<{}}  {}\n", "setting", name_width, "value", value_width, "from");
  for (const EffectiveSetting& s : q.settings) {
    if (only_set && !s.directive) continue;
    std::string from = "default";
    if (s.directive) {
      const Origin o = origin_of(model, *s.directive);
      from = printable(fmt::format("{}:{}  {}", o.file, o.line, o.block));
    } else if (!s.note.empty()) {
      from += " (" + s.note + ")";
    }
    std::cout << fmt::format("{:<{}}  {:<{}}  {}\n", printable(s.name), name_width, shown_value(s), value_width, from);
  }
}

nlohmann::ordered_json identity_json(const Model& model, const std::vector<SendingIdentity>& identities) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const SendingIdentity& id : identities) {
    nlohmann::ordered_json sources = nlohmann::ordered_json::array(), keys = nlohmann::ordered_json::array();
    for (const SourceAddress& source : id.sources) {
      const Origin o = origin_of(model, *source.line);
      sources.push_back({{"address", source.address}, {"ehlo", source.helo}, {"file", o.file}, {"line", o.line}});
    }
    for (const DkimKey& key : id.keys) {
      const Origin o = origin_of(model, *key.line);
      keys.push_back({{"selector", key.selector}, {"domain", key.domain}, {"key_file", key.path}, {"scope", key.scope},
                      {"file", o.file}, {"line", o.line}});
    }
    out.push_back({{"vmta", id.vmta}, {"pools", id.pools}, {"sources", sources}, {"host_name", id.host_name}, {"dkim_keys", keys}});
  }
  return out;
}

void print_json(const Model& model, const QueueSettings& q, const std::vector<SendingIdentity>& identities, bool only_set) {
  nlohmann::ordered_json out;
  out["version"] = 1;
  out["domain"] = q.domain;
  out["vmta"] = q.vmta;
  out["queue"] = q.queue;
  out["routing"] = nlohmann::ordered_json::array();
  for (const ModelDirective* hop : q.routing) {
    const Origin o = origin_of(model, *hop);
    out["routing"].push_back({{"directive", "queue-to"}, {"value", std::string(model.value(*hop))}, {"file", o.file}, {"line", o.line}});
  }
  out["rollup"] = nullptr;
  if (q.rollup) {
    const Origin o = origin_of(model, *q.rollup);
    const auto words = model.words(*q.rollup);
    out["rollup"] = {{"mx", q.mx}, {"pattern", std::string(model.text(*q.rollup, words[0].span))}, {"queue", q.queue},
                     {"file", o.file}, {"line", o.line}};
  }
  out["identity"] = identity_json(model, identities);
  out["blocks"] = nlohmann::ordered_json::array();
  for (const DomainEntry* entry : q.chain) {
    const Location head = model.head(entry->block);
    const SourceFile& file = model.workspace().file(head.file);
    out["blocks"].push_back({{"pattern", entry->pattern.text()},
                             {"written", std::string(model.block(entry->block).argument)},
                             {"scope", model.describe(entry->owner)},
                             {"from_macro", entry->from_macro},
                             {"file", file.path()},
                             {"line", file.position(head.span.begin).line}});
  }
  out["settings"] = nlohmann::ordered_json::array();
  for (const EffectiveSetting& s : q.settings) {
    if (only_set && !s.directive) continue;
    nlohmann::ordered_json item{{"name", s.name}, {"value", shown_value(s)}, {"source", s.directive ? "config" : "default"}};
    if (s.directive) {
      const Origin o = origin_of(model, *s.directive);
      item["file"] = o.file;
      item["line"] = o.line;
      item["block"] = o.block;
    }
    if (!s.note.empty()) item["note"] = s.note;
    out["settings"].push_back(std::move(item));
  }
  out["notes"] = q.notes;
  std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace

int run_show_settings(const ShowSettingsOptions& options) {
  const size_t slash = options.queue.find('/');
  const std::string domain = options.queue.substr(0, slash);
  const std::string vmta = slash == std::string::npos ? "" : options.queue.substr(slash + 1);
  if (domain.empty()) {
    std::cerr << "pmtalint: expected DOMAIN or DOMAIN/VMTA, such as gmail.com/mta1, found '" << printable(options.queue) << "'\n";
    return kExitFailure;
  }
  const auto main = load_main_config(options.file, options.root, "the settings below are what pmtalint could read");
  if (!main) return kExitFailure;
  const Model& model = *main->model;
  if (!vmta.empty() && vmta != "{default}" && !find_vmta(model, vmta)) {
    std::vector<std::string_view> names = model.defined_names("virtual-mta");
    for (std::string_view pool : model.defined_names("virtual-mta-pool")) names.push_back(pool);
    const auto guess = closest(vmta, names);
    std::cerr << fmt::format("pmtalint: {} defines no virtual MTA or pool named '{}'{}\n", printable(options.file), printable(vmta),
                             guess ? fmt::format("; did you mean '{}'?", *guess) : "");
    return kExitFailure;
  }
  auto dns = requested_resolver(options.dns_zones, options.online, options.resolver);
  if (!dns) {
    std::cerr << "pmtalint: " << printable(dns.error()) << '\n';
    return kExitFailure;
  }
  // The same resolution as `send`: queue-to, then the MX rollup by the MX host from DNS, else
  // from the scenario's provider for the domain.
  std::optional<std::string> mx;
  if (*dns) mx = lowest_mx(**dns, to_lower(domain));
  if (!options.scenario.empty()) {
    const auto scenario = delivery::read_scenario(options.scenario);
    if (!scenario) {
      std::cerr << "pmtalint: " << printable(scenario.error()) << '\n';
      return kExitFailure;
    }
    const delivery::Provider& provider = scenario->providers[scenario->provider_for(to_lower(domain), mx.value_or(""))];
    if (mx.value_or("").empty() && !provider.mx.empty()) mx = provider.mx;
  }
  const QueueSettings q = effective_settings(model, domain, vmta, mx ? std::optional<std::string_view>(*mx) : std::nullopt);
  const std::vector<SendingIdentity> identities = sending_identities(model, vmta);
  if (options.format == "json") print_json(model, q, identities, options.only_set);
  else print_text(model, q, identities, options.only_set);
  return kExitClean;
}

}  // namespace pmtalint::cli
