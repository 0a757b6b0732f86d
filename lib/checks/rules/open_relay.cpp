#include <fmt/format.h>

#include <map>

#include "checks/rule.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

struct SourceBlock {
  std::string argument;
  std::optional<Location> relaying;  // always-allow-relaying yes
  bool requires_auth = false;
};

struct Listener {
  Location where;
  std::string address;
  std::string source;
};

bool yes(std::string_view value) { return iequals(value, "yes") || iequals(value, "true"); }

// A listener bound to a public or wildcard address takes connections from the internet.
bool public_listener(std::string_view address) {
  const size_t colon = address.rfind(':');
  std::string_view ip = address.substr(0, colon);
  if (ip.size() > 2 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
  const auto range = parse_ip_range(ip);
  return range && !is_private_range(*range);
}

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  std::map<uint64_t, SourceBlock> sources;  // by block instance
  std::map<uint64_t, Listener> listener_blocks;
  std::vector<Listener> listeners;
  walk(ctx.workspace, [&](const Visit& v) {
    const uint64_t self = (uint64_t{v.file} << 32) | v.id;
    if (v.node.kind == NodeKind::Block) {
      if (v.context != "global") return;
      if (iequals(v.name(), "source")) sources[self].argument = std::string(v.tree.argument(v.id));
      if (iequals(v.name(), "smtp-listener"))
        listener_blocks[self] = {v.at(v.node.head), std::string(v.tree.argument(v.id)), ""};
      return;
    }
    if (v.node.kind != NodeKind::Directive) return;
    const std::string_view name = v.name();
    const std::string_view value = v.tree.value(v.id);
    if (v.context == "source") {
      auto it = sources.find(v.scope);
      if (it == sources.end()) return;
      if (iequals(name, "always-allow-relaying") && yes(value)) it->second.relaying = v.at(v.node.head);
      if (iequals(name, "require-auth") && yes(value)) it->second.requires_auth = true;
    } else if (v.context == "smtp-listener" && iequals(name, "source")) {
      if (auto it = listener_blocks.find(v.scope); it != listener_blocks.end()) it->second.source = std::string(value);
    } else if (v.context == "global" && iequals(name, "smtp-listener")) {
      const auto words = v.tree.words(v.id);
      if (words.empty()) return;
      Listener l{v.at(v.node.head), std::string(v.tree.text(words[0].span)), ""};
      for (size_t i = 1; i < words.size(); ++i)
        if (const auto w = v.tree.text(words[i].span); w.starts_with("source=")) l.source = std::string(w.substr(7));
      listeners.push_back(std::move(l));
    }
  });
  for (auto& [key, l] : listener_blocks) listeners.push_back(l);

  for (const auto& [key, source] : sources) {
    if (!source.relaying || source.requires_auth) continue;
    if (const auto range = parse_ip_range(source.argument)) {
      if (is_private_range(*range)) continue;
      out.push_back({"open-relay", Severity::Error, *source.relaying,
                     fmt::format("<source {}> lets every client in that range relay mail to any domain without "
                                 "authenticating, including clients on the internet: this is an open relay. Limit "
                                 "relaying to your own networks or set require-auth yes",
                                 source.argument),
                     {}, {}});
      continue;
    }
    if (source.argument == "{auth}") continue;  // relaying after authentication is its purpose
    for (const Listener& l : listeners) {
      if (l.source != source.argument || !public_listener(l.address)) continue;
      Diagnostic d{"open-relay", Severity::Error, *source.relaying,
                   fmt::format("<source {}> allows relaying without authentication and is used by a listener on "
                               "the public address {}: anyone who connects there can relay. Require "
                               "authentication or bind the listener to a private address",
                               source.argument, l.address),
                   {}, {}};
      d.notes.push_back({l.where, "the public listener that selects this source"});
      out.push_back(std::move(d));
      break;
    }
  }
}

}  // namespace

extern const Rule kOpenRelay{
    .code = "PMT0201",
    .slug = "open-relay",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "Relaying without authentication allowed to clients on public addresses",
    .why = "`always-allow-relaying yes` lets the matching clients send mail to any domain through PMTA. In "
           "a `<source>` that covers public addresses (`0/0`, or any range outside the private ones), or in "
           "a named source chosen by a listener on a public address, the whole internet can use the server "
           "to send spam under your IP reputation, and it is blocklisted within hours. Keep relaying to "
           "loopback and private ranges, or require SMTP authentication. This rule cannot be suppressed "
           "inline.",
    .bad = "<source 0/0>\n    always-allow-relaying yes\n</source>\n",
    .good = "<source 0/0>\n    always-allow-relaying no\n</source>\n<source 10.0.0.0/8>\n    always-allow-relaying yes\n</source>\n",
    .run = run,
    .suppressible = false,
};

}  // namespace pmtalint
