#include <fmt/format.h>

#include "checks/rule.h"
#include "model/exposure.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

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
      out.add(Severity::Error, model.where(*e.setting),
                     fmt::format("<source {}> lets every client in that range relay mail to any domain without "
                                 "authenticating, including clients on the internet: this is an open relay. Limit "
                                 "relaying to your own networks or set require-auth yes",
                                 source));
      continue;
    }
    Diagnostic& d = out.add(Severity::Error, model.where(*e.setting),
                 fmt::format("<source {}> allows relaying without authentication and is used by a listener on "
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
