#include <fmt/format.h>

#include "checks/rule.h"

namespace pmtalint {
namespace {

void report(const Model& model, const ModelDirective& at, const ModelDirective& other, std::string message,
            Severity severity, Findings& out) {
  Diagnostic& d = out.add(severity, model.where(at), std::move(message));
  d.notes.push_back({model.where(other), "the conflicting line"});
}

// A proxied source host replaces the direct source host and proxy selection of the same scope.
void proxy_sources(const Model& model, uint32_t block, Findings& out) {
  const ModelDirective* proxied = model.last(block, "smtp-proxy-source-host");
  if (!proxied) return;
  for (std::string_view other : {"smtp-source-host", "use-proxy"})
    if (const ModelDirective* d = model.last(block, other))
      report(model, *proxied, *d,
             fmt::format("smtp-proxy-source-host cannot be combined with {} in {}: PMTA either connects "
                         "directly, through a <proxy>, or through the proxied source host, not a mix",
                         other, model.describe(block)),
             Severity::Error, out);
}

void accounting_files(const Model& model, uint32_t block, Findings& out) {
  const ModelDirective* move_to = model.last(block, "move-to");
  const ModelDirective* delete_after = model.last(block, "delete-after");
  if (move_to && delete_after)
    report(model, *delete_after, *move_to,
           "delete-after has no effect together with move-to: rotated files are moved away and never deleted "
           "by PMTA; remove one of the two",
           Severity::Warning, out);
}

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  proxy_sources(model, kGlobalBlock, out);
  for (uint32_t i = 1; i < model.blocks().size(); ++i) {
    const std::string_view kind = model.block(i).kind;
    if (kind == "virtual-mta") proxy_sources(model, i, out);
    if (kind == "acct-file") accounting_files(model, i, out);
  }
}

}  // namespace

extern const Rule kIncompatibleSettings{
    .code = "PMT0211",
    .slug = "incompatible-settings",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "Settings that cannot take effect together in one block",
    .why = "Some directives exclude each other. In one virtual MTA (or at the top level), "
           "smtp-proxy-source-host chooses a proxied connection and cannot be mixed with smtp-source-host or "
           "use-proxy (the reference lists the combination as incompatible). In an <acct-file>, delete-after only applies when rotated "
           "files stay in place, so next to move-to it does nothing (a warning): the disk fills up with files "
           "the author believed were deleted.",
    .bad = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n    smtp-proxy-source-host "
           "192.0.2.10 proxy.example.com:1080 198.51.100.4 mta1.example.com\n</virtual-mta>\n",
    .good = "<virtual-mta mta1>\n    smtp-proxy-source-host 192.0.2.10 proxy.example.com:1080 198.51.100.4 "
            "mta1.example.com\n</virtual-mta>\n",
    .run = run,
};

}  // namespace pmtalint
