// backoff-max-smtp-out does not follow max-smtp-out: its documented default is 20 connections
// (directives.tsv, guide §3.3.10.76), while the rate twins default to their normal value
// (language-notes §8). A queue limited below 20 connections therefore opens more of them exactly
// when the receiver pushes back, unless the twin is written.
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <set>
#include <vector>

#include "base/text.h"
#include "checks/rule.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

constexpr uint64_t kBackoffSmtpOutDefault = 20;

// The line that can put the queue into backoff without an operator: a reply rule with
// mode=backoff in its smtp-pattern-list, or backoff-upon-all-sources-disabled (language-notes §8).
// `listed` caches, per list block, whether it holds such a rule (-1: not looked at yet): thousands
// of domains sharing one long list must not rescan it each.
const ModelDirective* backoff_trigger(const Model& model, const ChainSettings& set, std::vector<int8_t>& listed) {
  if (const ModelDirective* upon = set.find("backoff-upon-all-sources-disabled");
      upon && parse_boolean(trim(model.value(*upon))).value_or(false))
    return upon;
  const ModelDirective* list = set.find("smtp-pattern-list");
  if (!list) return nullptr;
  const auto& defs = model.definitions("smtp-pattern-list", trim(model.value(*list)));
  if (defs.empty()) return nullptr;
  int8_t& backoff = listed[defs.back()];
  if (backoff < 0) {
    backoff = 0;
    for (const uint32_t d : model.block(defs.back()).directives) {
      const ModelDirective& rule = model.directives()[d];
      if (rule.info && rule.info->name == "reply" && to_lower(model.value(rule)).find("mode=backoff") != std::string::npos) {
        backoff = 1;
        break;
      }
    }
  }
  return backoff ? list : nullptr;
}

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  std::set<const ModelDirective*> reported;
  // One representative per block (an entry's owner is the block around its own).
  std::vector<bool> done(model.blocks().size());
  std::vector<int8_t> listed(model.blocks().size(), -1);
  for (const DomainEntry& entry : model.domains()) {
    if (done[entry.block]) continue;
    done[entry.block] = true;
    const ChainSettings& set = ctx.domain_settings.of(entry);
    const ModelDirective* normal = set.find("max-smtp-out");
    if (!normal || set.find("backoff-max-smtp-out") || reported.contains(normal)) continue;
    uint64_t limit = 0;
    const std::string_view written = trim(model.value(*normal));
    const auto [end, error] = std::from_chars(written.data(), written.data() + written.size(), limit);
    if (error != std::errc() || end != written.data() + written.size() || limit == 0 || limit >= kBackoffSmtpOutDefault)
      continue;  // 0 sends nothing, so no reply can start backoff
    const ModelDirective* trigger = backoff_trigger(model, set, listed);
    if (!trigger) continue;
    const std::string queue = model.describe(entry.block) + (entry.owner == kGlobalBlock ? "" : " in " + model.describe(entry.owner));
    Diagnostic* d = out.absent(
        entry.block, true, model.where(*normal),
        fmt::format("max-smtp-out {} holds for {}, but no backoff-max-smtp-out is set for it: in backoff PMTA allows "
                    "its default of {} connections, more than in normal mode, just when the receiver pushes back. "
                    "Write backoff-max-smtp-out {} (or lower) beside it",
                    written, queue, kBackoffSmtpOutDefault, written));
    if (!d) continue;
    reported.insert(normal);
    d->notes.push_back({model.where(*trigger), trigger->info->name == "smtp-pattern-list"
                                                   ? "this reply-rule list can put the queue into backoff (mode=backoff)"
                                                   : "the queue enters backoff when all its source IPs are disabled"});
  }
}

}  // namespace

extern const Rule kBackoffDefaultLooser{
    .code = "PMT0213",
    .slug = "backoff-default-looser",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A queue below 20 connections that can enter backoff without backoff-max-smtp-out, whose default is 20",
    .why = "Backoff mode is meant to slow a queue down when the receiver complains, and the backoff-* limits "
           "replace the normal ones while it lasts. The rate twins (backoff-max-msg-rate, backoff-max-connect-rate) "
           "default to the queue's normal value, but backoff-max-smtp-out has a fixed default of 20 connections. "
           "A queue held to fewer connections (max-smtp-out 5) that can enter backoff through a mode=backoff reply "
           "rule therefore opens up to 20 connections as soon as it does. pmtalint reports it when the queue's "
           "smtp-pattern-list can trigger backoff (or backoff-upon-all-sources-disabled is on) and no "
           "backoff-max-smtp-out applies; write the twin explicitly.",
    .bad = "<smtp-pattern-list gmail-errors>\n    reply /421 4\\.7\\.28/ mode=backoff\n</smtp-pattern-list>\n"
           "<domain gmail.com>\n    max-smtp-out 5\n    smtp-pattern-list gmail-errors\n</domain>\n",
    .good = "<smtp-pattern-list gmail-errors>\n    reply /421 4\\.7\\.28/ mode=backoff\n</smtp-pattern-list>\n"
            "<domain gmail.com>\n    max-smtp-out 5\n    backoff-max-smtp-out 2\n    smtp-pattern-list gmail-errors\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
