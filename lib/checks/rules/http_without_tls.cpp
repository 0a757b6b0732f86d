#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  const ModelDirective* port = model.last(kGlobalBlock, "http-mgmt-port");
  if (port && trim(model.value(*port)) == "0") return;  // the web monitor is off
  const ModelDirective* redirect = model.last(kGlobalBlock, "http-redirect-to-https");
  // The redirect became the default in PMTA 5.0.
  const bool redirected = redirect ? parse_boolean(model.value(*redirect)).value_or(true) : !(ctx.pmta_version < PmtaVersion{5, 0});
  if (redirected) return;
  for (const uint32_t index : model.block(kGlobalBlock).directives) {
    const ModelDirective& d = model.directives()[index];
    if (!d.info || d.info->name != "http-access") continue;
    const auto words = model.words(d);
    if (words.size() < 2 || iequals(model.text(d, words[1].span), "none")) continue;
    const auto range = parse_ip_range(model.text(d, words[0].span));
    if (!range || is_private_range(*range)) continue;
    Diagnostic& diag = out.add(Severity::Warning, model.where(d),
                    fmt::format("the web monitor answers {} over plain HTTP{}: its pages and HTTP API requests, "
                                "API keys included, cross the internet unencrypted. Set http-redirect-to-https yes",
                                model.text(d, words[0].span),
                                redirect ? "" : fmt::format(" (http-redirect-to-https defaults to no before PMTA 5.0, "
                                                            "and the target version is {})", ctx.pmta_version.str())));
    if (redirect) diag.notes.push_back({model.where(*redirect), "HTTPS redirection is turned off here"});
    return;
  }
}

}  // namespace

extern const Rule kHttpWithoutTls{
    .code = "PMT0209",
    .slug = "http-without-tls",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "The web monitor is open to public addresses over plain HTTP",
    .why = "When http-access lets a public address in and http-redirect-to-https is off (explicitly, or by "
           "default before PMTA 5.0), the management pages and the HTTP API are served unencrypted: what "
           "they show and the API keys sent to them travel in clear text. Turn the "
           "redirection on (the default since 5.0), or keep http-access to private addresses.",
    .bad = "http-mgmt-port 8080\nhttp-access 203.0.113.7 monitor\nhttp-redirect-to-https false\n",
    .good = "http-mgmt-port 8080\nhttp-access 203.0.113.7 monitor\nhttp-redirect-to-https true\n",
    .run = run,
};

}  // namespace pmtalint
