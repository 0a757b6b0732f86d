#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"

namespace pmtalint {
namespace {

void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  const DirectiveInfo* d = md.info;
  if (!d || !d->deprecated() || d->removed) return;
  const Node& node = ctx.model.node(md);
  Diagnostic& diag = out.add(ctx.model.keyword(md), fmt::format("'{}' is deprecated; use {}", d->name, *d->replacement));
  const std::string_view value = ctx.model.value(md);
  if (d->rewrite && !node.continued && !value.empty() && value.find_first_of(" \t") == std::string_view::npos) {
    std::string replacement = *d->rewrite;
    replacement.replace(replacement.find("{value}"), 7, value);
    diag.fix = Fix{fmt::format("rewrite as '{}'", replacement),
                   {TextEdit{{md.file, {node.name.begin, node.argument.end}}, replacement}}, /*safe=*/true};
  }
}

}  // namespace

extern const Rule kDeprecated{
    .code = "PMT0105",
    .slug = "deprecated",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A directive PowerMTA still reads but has replaced",
    .why = "Deprecated directives keep working for now, but they hide what the configuration means to "
           "readers used to current releases and may disappear in the next one. `max-msg-per-hour 500` is "
           "`max-msg-rate 500/h`, `route` is `smtp-hosts`, `smtp-port` is `smtp-listener`. Where the "
           "rewrite is mechanical the finding carries a fix.",
    .bad = "<domain *>\n    max-msg-per-hour 500\n    route [10.0.0.25]:25\n</domain>\n",
    .good = "<domain *>\n    max-msg-rate 500/h\n    smtp-hosts [10.0.0.25]:25\n</domain>\n",
    .each_directive = each_directive,
};

}  // namespace pmtalint
