#include <fmt/format.h>

#include <unordered_map>

#include "base/text.h"
#include "checks/rule.h"

namespace pmtalint {
namespace {

// Blocks whose argument names them; defining one twice is ambiguous or refused.
bool named_kind(std::string_view kind) {
  for (std::string_view k : {"virtual-mta", "virtual-mta-pool", "pattern-list", "smtp-pattern-list", "rewrite-list",
                             "smtp-user", "proxy", "source-group", "address-list", "source", "domain", "acct-file",
                             "smtp-listener", "spool", "domain-key-list"})
    if (kind == k) return true;
  return false;
}

// A repeated <source> or <domain> with the same argument: the reference does not say whether PMTA
// merges the two or refuses the second, so it is a warning that says so.
bool merged_kind(std::string_view kind) { return kind == "source" || kind == "domain"; }

void report_twice(const Model& model, uint32_t first, uint32_t again, Findings& out) {
  const ModelBlock& b = model.block(again);
  const bool merged = merged_kind(b.kind);
  Diagnostic& d = out.add(merged ? Severity::Warning : Severity::Error, model.head(b),
               merged ? fmt::format("{} is defined a second time{}; the PowerMTA documentation does not say how "
                                    "two blocks for the same argument combine, so keep one block",
                                    model.describe(again),
                                    b.parent == kGlobalBlock ? "" : " in " + model.describe(b.parent))
                      : fmt::format("{} is defined a second time; names must be unique, and only one of the "
                                    "two definitions can take effect",
                                    model.describe(again)));
  d.notes.push_back({model.head(first), "first defined here"});
}

// A named block is its parent, kind and argument, the argument compared without regard to case.
// Hashed as written: a configuration has tens of thousands of them, and none needs a copy.
struct Name {
  uint32_t parent;
  std::string_view kind, argument;
};
struct NameHash {
  size_t operator()(const Name& n) const {
    size_t h = std::hash<std::string_view>()(n.kind) ^ n.parent;
    for (const char c : n.argument) h = h * 31 + static_cast<unsigned char>(ascii_lower(c));
    return h;
  }
};
struct SameName {
  bool operator()(const Name& a, const Name& b) const {
    return a.parent == b.parent && a.kind == b.kind && iequals(a.argument, b.argument);
  }
};

void run(const CheckContext& ctx, Findings& out) {
  const Model& model = ctx.model;
  std::unordered_map<std::string_view, uint32_t> unique_seen;  // kind → first block
  std::unordered_map<Name, uint32_t, NameHash, SameName> seen;
  std::unordered_map<std::string_view, bool> unique_kind;  // asked of the knowledge base once per kind
  for (uint32_t i = 1; i < model.blocks().size(); ++i) {
    const ModelBlock& b = model.block(i);
    if (!b.known) continue;
    const auto [kind, fresh_kind] = unique_kind.try_emplace(b.kind);
    if (fresh_kind) {
      const BlockInfo* info = KnowledgeBase::get().block(b.kind);
      kind->second = info && info->unique;
    }
    if (kind->second) {
      const auto [it, fresh] = unique_seen.emplace(b.kind, i);
      if (!fresh) {
        Diagnostic& d = out.add(Severity::Error, model.head(b),
                     fmt::format("<{}> may appear only once in a configuration", b.kind));
        d.notes.push_back({model.head(it->second), "first defined here"});
      }
      continue;
    }
    if (b.argument.empty() || !named_kind(b.kind)) continue;
    const auto [it, fresh] = seen.emplace(Name{b.parent, b.kind, b.argument}, i);
    if (!fresh) report_twice(model, it->second, i, out);
  }

  // VMTAs and pools are selected by the same names (X-Virtual-MTA, default-virtual-mta).
  for (uint32_t i = 1; i < model.blocks().size(); ++i) {
    const ModelBlock& pool = model.block(i);
    if (pool.kind != "virtual-mta-pool" || pool.argument.empty()) continue;
    const auto& vmtas = model.definitions("virtual-mta", pool.argument);
    if (vmtas.empty()) continue;
    Diagnostic& d = out.add(Severity::Error, model.head(pool),
                 fmt::format("the pool '{}' has the name of a virtual MTA; PMTA refuses a pool named like a "
                             "virtual MTA because both are selected by name",
                             pool.argument));
    d.notes.push_back({model.head(vmtas.front()), "the virtual MTA of that name"});
  }

  // A VMTA inherits <domain> settings from its pool; from two pools it would be ambiguous.
  for (uint32_t i = 1; i < model.blocks().size(); ++i) {
    const ModelBlock& vmta = model.block(i);
    if (vmta.kind != "virtual-mta" || vmta.argument.empty() || model.definitions("virtual-mta", vmta.argument).front() != i)
      continue;
    std::vector<uint32_t> with_domains;
    for (const uint32_t pool : model.pools_of(vmta.argument))
      for (const uint32_t child : model.block(pool).children)
        if (model.block(child).kind == "domain") {
          with_domains.push_back(pool);
          break;
        }
    if (with_domains.size() < 2) continue;
    Diagnostic& d = out.add(Severity::Error, model.head(with_domains[1]),
                 fmt::format("the virtual MTA '{}' is a member of {} and {}, and both pools carry <domain> blocks; "
                             "PMTA cannot tell which pool's domain settings the VMTA inherits",
                             vmta.argument, model.describe(with_domains[0]), model.describe(with_domains[1])));
    d.notes.push_back({model.head(with_domains[0]), "the first pool with <domain> blocks"});
    d.notes.push_back({model.head(i), "the virtual MTA"});
  }
}

}  // namespace

extern const Rule kDuplicateBlock{
    .code = "PMT0203",
    .slug = "duplicate-block",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A named or single block defined twice, a pool named like a VMTA, or a VMTA in two pools with domains",
    .why = "Virtual MTAs, pools, pattern lists, smtp-pattern lists, rewrite lists, SMTP users and proxies are "
           "looked up by name, so a second definition under the same name either stops PMTA from starting or "
           "leaves one of the two silently unused; which one is not documented. A pool may not share a name "
           "with a virtual MTA, because headers and default-virtual-mta select both by name. Blocks such as "
           "<vault>, <signals> or <mx-rollup-list> may appear only once. A VMTA that "
           "belongs to two pools which both carry <domain> blocks has no defined inheritance. Repeated "
           "<domain> or <source> blocks with the same argument are a warning: the documentation does not say "
           "whether their settings are combined or one block replaces the other, so the file no longer says "
           "which limits apply.",
    .bad = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n</virtual-mta>\n"
           "<virtual-mta mta1>\n    smtp-source-host 192.0.2.11 mta1b.example.com\n</virtual-mta>\n",
    .good = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.com\n</virtual-mta>\n"
            "<virtual-mta mta2>\n    smtp-source-host 192.0.2.11 mta2.example.com\n</virtual-mta>\n",
    .run = run,
};

}  // namespace pmtalint
