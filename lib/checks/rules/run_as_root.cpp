#include "checks/rule.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  for (const uint32_t index : model.block(kGlobalBlock).directives) {
    const ModelDirective& d = model.directives()[index];
    if (!d.info || d.info->name != "run-as-root" || !parse_boolean(model.value(d)).value_or(false)) continue;
    out.add(Severity::Warning, model.where(d),
                   "run-as-root yes keeps PMTA running as root after start-up: a flaw in its SMTP or HTTP code "
                   "would then give an attacker the whole machine. Set run-as-root no (PMTA then runs as the pmta "
                   "user once its ports are open)");
  }
}

}  // namespace

extern const Rule kRunAsRoot{
    .code = "PMT0207",
    .slug = "run-as-root",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "PMTA is told to keep root privileges after start-up",
    .why = "PMTA needs root only to bind ports below 1024 and open its files; afterwards it can drop to the "
           "pmta user. With `run-as-root yes` every connection from the internet is handled by a root "
           "process, so any bug in SMTP, TLS or the web monitor becomes a full compromise of the host. Set "
           "`run-as-root no` unless a delivery pipe really needs root, and then isolate that program instead.",
    .bad = "run-as-root yes\n",
    .good = "run-as-root no\n",
    .run = run,
};

}  // namespace pmtalint
