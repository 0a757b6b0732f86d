#include <fmt/format.h>

#include "checks/rule.h"
#include "model/exposure.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  const std::vector<Listener> all = listeners(model);
  for (const ExposedSetting& e : exposed_settings(model, "allow-unencrypted-plain-auth", all)) {
    Diagnostic& d = out.add(Severity::Warning, model.where(*e.setting),
                 fmt::format("<source {}> accepts SMTP AUTH passwords without TLS from {}: anyone on the path can "
                             "read them and relay through your IPs. Set allow-unencrypted-plain-auth no so that "
                             "clients must use STARTTLS first",
                             model.block(e.source).argument, e.through ? "a public listener" : "public addresses"));
    if (e.through) d.notes.push_back({e.through->where, "the public listener that selects this source"});
  }
}

}  // namespace

extern const Rule kPlaintextAuth{
    .code = "PMT0208",
    .slug = "plaintext-auth",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "SMTP AUTH passwords accepted unencrypted from clients on public addresses",
    .why = "`allow-unencrypted-plain-auth yes` lets clients send their AUTH PLAIN or LOGIN credentials before "
           "STARTTLS. From a private network that may be a deliberate trade-off; from public addresses the "
           "password crosses the internet in clear text, and a stolen injection account turns your IPs into a "
           "spam source. Require TLS before authentication on every source the internet can reach.",
    .bad = "<source 0/0>\n    allow-unencrypted-plain-auth yes\n</source>\n",
    .good = "<source 0/0>\n    allow-unencrypted-plain-auth no\n</source>\n<source 10.0.0.0/8>\n    "
            "allow-unencrypted-plain-auth yes\n</source>\n",
    .run = run,
};

}  // namespace pmtalint
