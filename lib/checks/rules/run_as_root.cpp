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
                   "run-as-root yes keeps PMTA running as root: a flaw in the code that serves SMTP or HTTP "
                   "connections would then give an attacker the whole machine. Set run-as-root no (a change "
                   "needs a restart, not a reload)");
  }
}

}  // namespace

extern const Rule kRunAsRoot{
    .code = "PMT0207",
    .slug = "run-as-root",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "PMTA is told to keep root privileges after start-up",
    .why = "`run-as-root` (Unix only) decides whether PMTA keeps running as root. With `run-as-root yes` the "
           "connections PMTA serves from the network are handled by a root process, so a flaw in SMTP, TLS or "
           "the web monitor becomes a compromise of the whole host. Set `run-as-root no` unless a delivery "
           "pipe really needs root, and then isolate that program instead. The change needs a restart, not a "
           "reload (guide §3.3.1.8).",
    .bad = "run-as-root yes\n",
    .good = "run-as-root no\n",
    .run = run,
};

}  // namespace pmtalint
