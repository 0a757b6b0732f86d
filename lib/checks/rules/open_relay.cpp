#include <fmt/format.h>

#include "checks/rule.h"
#include "model/exposure.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

// Ranges narrower than this are the size of an assignment a mail operator holds itself (one host,
// a few injection servers, one /24 of IPv4 or one /48 site of IPv6); wider public ranges
// necessarily take in other people's hosts.
constexpr int kWidestOwnIpv4 = 24;
constexpr int kWidestOwnIpv6 = 48;

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  const std::vector<Listener> all = listeners(model);
  for (const ExposedSetting& e : exposed_settings(model, "always-allow-relaying", all)) {
    const std::string_view source = model.block(e.source).argument;
    if (const ModelDirective* auth = model.last(e.source, "require-auth");
        auth && parse_boolean(model.value(*auth)).value_or(false))
      continue;
    if (source == "{auth}") continue;  // relaying after authentication is its purpose
    if (!e.through) {
      const auto range = parse_ip_range(source);
      if (!range) continue;
      // A single host or a narrow range is how applications inject mail: not an open relay.
      if (range->prefix >= (range->v6 ? kWidestOwnIpv6 : kWidestOwnIpv4)) continue;
      const std::string who = range->prefix == 0 ? std::string("every address on the internet")
                                                 : fmt::format("a public range of /{} (wider than /{}), which takes in "
                                                               "hosts that are not yours",
                                                               range->prefix, range->v6 ? kWidestOwnIpv6 : kWidestOwnIpv4);
      out.add(Severity::Error, model.where(*e.setting),
              fmt::format("<source {}> covers {}, and every client in it may relay mail to any domain without "
                          "authenticating: this is an open relay. List your own injection hosts instead, or set "
                          "require-auth yes",
                          source, who));
      continue;
    }
    Diagnostic& d = out.add(Severity::Error, model.where(*e.setting),
                 fmt::format("<source {}> allows relaying without authentication and is selected by a listener on "
                             "the public address {}: anyone who connects there can relay. Require "
                             "authentication or bind the listener to a private address",
                             source, e.through->address));
    d.notes.push_back({e.through->where, "the public listener that selects this source"});
  }
}

}  // namespace

extern const Rule kOpenRelay{
    .code = "PMT0201",
    .slug = "open-relay",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "Relaying without authentication allowed to clients on public addresses",
    .why = "`always-allow-relaying yes` lets the matching clients send mail to any domain through PMTA "
           "without authenticating. That is how applications inject mail, so a `<source>` naming one host or a "
           "narrow range of your own (an IPv4 prefix of /24 or longer, an IPv6 prefix of /48 or longer) is not "
           "reported, nor are private and loopback ranges. The risk the guide warns about (language-notes §12) "
           "is `0/0` and ranges anyone on the internet can be in: pmtalint reports public IPv4 ranges wider "
           "than /24 and IPv6 ranges wider than /48, since they necessarily include hosts you do not run, and "
           "a named source selected by a listener on a public address. Anyone in such a range can use the "
           "server to send under your IP reputation. List your own injection hosts, or require SMTP "
           "authentication. This rule cannot be suppressed inline.",
    .bad = "<source 0/0>\n    always-allow-relaying yes\n</source>\n",
    .good = "<source 0/0>\n    always-allow-relaying no\n</source>\n<source 10.0.0.0/8>\n    always-allow-relaying yes\n</source>\n",
    .run = run,
    .suppressible = false,
};

}  // namespace pmtalint
