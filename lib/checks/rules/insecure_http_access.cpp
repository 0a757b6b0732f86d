#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

// A single office address or a small block is a deliberate grant; anything wider than a /24
// (or an IPv6 /48) reaches people the operator does not know.
bool wide_public(const IpRange& range) {
  if (is_private_range(range)) return false;
  return range.v6 ? range.prefix < 48 : range.prefix < 24;
}

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  for (const uint32_t index : model.block(kGlobalBlock).directives) {
    const ModelDirective& d = model.directives()[index];
    if (!d.info || d.info->name != "http-access") continue;
    const auto words = model.words(d);
    if (words.size() < 2) continue;
    const std::string_view who = model.text(d, words[0].span);
    const std::string level = to_lower(model.text(d, words[1].span));
    const bool admin = level.starts_with("admin");
    if (!admin && !level.starts_with("operator")) continue;
    const auto range = parse_ip_range(who);
    if (!range || !wide_public(*range)) continue;
    out.add(Severity::Warning, model.where(d),
                   fmt::format("http-access grants {0} rights to {1}, a public range: anyone there has {0} "
                               "access to the web monitor and HTTP API. Grant {0} to 127.0.0.1 or your management "
                               "network only",
                               admin ? "admin" : "operator", who));
  }
}

}  // namespace

extern const Rule kInsecureHttpAccess{
    .code = "PMT0206",
    .slug = "insecure-http-access",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "The web monitor grants admin or operator rights to a wide public address range",
    .why = "`http-access` gives an address range one of the levels none, monitor, operator or admin for "
           "PMTA's HTTP management interface (the web monitor and its API; guide §3.3.1.46.3). Operator and "
           "admin are the levels beyond monitoring. Granted to 0/0 or to any public range wider than a /24, "
           "they are open to anyone who finds the port. Keep admin and operator to loopback and the "
           "management network; give "
           "wider ranges `monitor` at most. A single public address or a small block (an office) is accepted.",
    .bad = "http-mgmt-port 8080\nhttp-access 0/0 admin\n",
    .good = "http-mgmt-port 8080\nhttp-access 127.0.0.1 admin\nhttp-access 10.0.0.0/8 monitor\n",
    .run = run,
};

}  // namespace pmtalint
