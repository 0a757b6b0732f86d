#include <fmt/format.h>

#include "checks/rule.h"
#include "checks/walk.h"

namespace pmtalint {
namespace {

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    if (v.node.kind != NodeKind::Directive) return;
    const DirectiveInfo* d = kb.directive(v.name());
    if (!d || !d->deprecated() || d->removed) return;
    Diagnostic diag{"deprecated", Severity::Warning, v.at(v.node.name),
                    fmt::format("'{}' is deprecated; use {}", d->name, *d->replacement), {}, {}};
    const std::string_view value = v.tree.value(v.id);
    if (d->rewrite && !v.node.continued && !value.empty() && value.find_first_of(" \t") == std::string_view::npos) {
      std::string replacement = *d->rewrite;
      replacement.replace(replacement.find("{value}"), 7, value);
      diag.fix = Fix{fmt::format("rewrite as '{}'", replacement),
                     {TextEdit{v.at({v.node.name.begin, v.node.argument.end}), replacement}}};
    }
    out.push_back(std::move(diag));
  });
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
    .run = run,
};

}  // namespace pmtalint
