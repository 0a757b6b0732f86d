#include <fmt/format.h>

#include <set>

#include "base/text.h"
#include "checks/rule.h"
#include "model/effective.h"

namespace pmtalint {
namespace {

void whole_configuration(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  bool has_spool = model.last(kGlobalBlock, "spool") != nullptr;
  for (const uint32_t child : model.blocks_of_kind("spool")) has_spool |= model.block(child).parent == kGlobalBlock;
  const bool has_log = model.last(kGlobalBlock, "log-file") != nullptr;
  // Only a main configuration is held to these; a fragment's main file was not read.
  if (!model.whole()) return;
  for (const FileId root : model.roots()) {
    const Location top{root, {0, 0}};
    if (!has_log)
      out.absent(kGlobalBlock, false, top,
                     "this configuration has no log-file: PMTA needs one to start, and it is where it explains every "
                     "refusal and delivery problem. Add e.g. log-file /var/log/pmta/log");
    if (!has_spool)
      out.absent(kGlobalBlock, false, top,
                     "this configuration defines no spool: PMTA has nowhere to keep accepted messages. Add "
                     "<spool /var/spool/pmta> … </spool>");
  }
}

void proxies(const Model& model, Findings& out) {
  for (uint32_t i = 1; i < model.blocks().size(); ++i) {
    if (model.block(i).kind != "proxy") continue;
    for (std::string_view required : {"server", "client"})
      if (!model.last(i, required))
        out.absent(i, false, model.head(i),
                       fmt::format("{} has no {} line; a proxy needs both server and client to be used", model.describe(i),
                                   required));
  }
}

// Queue types that deliver somewhere other than SMTP need to be told where. A macro-expanded
// block yields one entry per domain; one finding per block is enough.
void queue_types(const Model& model, Findings& out) {
  static constexpr std::pair<std::string_view, std::string_view> kNeeds[] = {
      {"pipe", "command"}, {"file", "file-destination"}, {"http-delivery", "http-delivery-url"}};
  std::set<uint32_t> done;
  for (const DomainEntry& entry : model.domains()) {
    const ModelDirective* type = model.last(entry.block, "type");
    if (!type || !done.insert(entry.block).second) continue;
    const std::string kind = to_lower(trim(model.value(*type)));
    for (const auto& [t, needed] : kNeeds) {
      if (kind != t) continue;
      const auto set = explicit_settings(
          model, domain_chain(model, entry.pattern.representative(), entry.owner == kGlobalBlock ? kNoBlock : entry.owner));
      if (set.contains(needed)) continue;
      // The setting may be inherited from any <domain> around, and <domain> blocks may stand in
      // any gap.
      out.absent(model.any_gap(), Severity::Error, model.where(*type),
                     fmt::format("type {} needs {} in this <domain> block (or one it inherits from); without it the "
                                 "queue cannot deliver and its mail stays queued until it bounces",
                                 t, needed));
    }
  }
}

void run(const CheckContext& ctx, Findings& out) {
  whole_configuration(ctx, out);
  proxies(ctx.model, out);
  queue_types(ctx.model, out);
}

}  // namespace

extern const Rule kMissingRequired{
    .code = "PMT0210",
    .slug = "missing-required",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A setting PMTA cannot work without is missing",
    .why = "Some settings have no usable default. A main configuration (a file named `config`, the name PMTA "
           "reads) needs a log-file and at least one spool, or PMTA does not start. A <proxy> needs both its "
           "server and client lines. A <domain> of type pipe needs a command, type file a file-destination and "
           "type http-delivery an http-delivery-url (language-notes §12 lists these combinations). "
           "Files with other names are treated as fragments that a main configuration includes, so they are "
           "not required to hold log-file and spool, unless they are named as the main configuration "
           "(`--main`, or `main` in .pmtalint.toml). Nothing is called missing when a part of the "
           "configuration that could hold it was not read (see incomplete-configuration).",
    .bad = "<domain bounces.example.com>\n    type pipe\n</domain>\n",
    .good = "<domain bounces.example.com>\n    type pipe\n    command \"/usr/local/bin/handle-bounce $from\"\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
