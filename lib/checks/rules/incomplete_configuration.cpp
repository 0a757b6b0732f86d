#include "checks/rules/incomplete_configuration.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace pmtalint {

namespace {

std::string checks(size_t n) { return n == 1 ? "1 check" : fmt::format("{} checks", n); }

// Where the first withheld claim would have stood, without repeating the claim itself (it was
// withheld because it may be untrue).
std::string first_of(const CheckContext& ctx, const Diagnostic& claim) {
  return fmt::format("the first: {} at line {}", claim.rule,
                     ctx.workspace.file(claim.where.file).position(claim.where.span.begin).line);
}

}  // namespace

void report_incomplete(const CheckContext& ctx, const WithheldClaims& withheld, Findings& out) {
  const Model& model = ctx.model;
  for (const Gap& gap : model.gaps())
    if (gap.kind == Gap::Kind::TooLarge)
      out.add(Severity::Warning, gap.where,
              fmt::format("includes repeat so much that this configuration would exceed what pmtalint reads "
                          "({} lines more than its files hold); '{}' is not read here, and nothing is called "
                          "missing where it would have been",
                          Model::kMaxExtraNodes, gap.path));
  // One finding per unread path (all the lines that include it) and per file the withheld
  // claims stand in, so that each file linted on its own hears about its own.
  struct Group {
    const Gap* gap = nullptr;
    const Diagnostic* first = nullptr;
    size_t count = 0;
    std::vector<Location> includes;
  };
  std::map<std::pair<std::string, FileId>, Group> groups;
  for (const WithheldClaim& w : withheld) {
    Group& g = groups[{w.gap->path, w.claim.where.file}];
    if (!g.gap) g.gap = w.gap, g.first = &w.claim;
    ++g.count;
    if (std::find(g.includes.begin(), g.includes.end(), w.gap->where) == g.includes.end()) g.includes.push_back(w.gap->where);
  }
  for (const auto& [key, g] : groups) {
    const std::string& path = key.first;
    const std::string skipped = fmt::format("{} that something used here is defined or present elsewhere {} not made ({})",
                                            checks(g.count), g.count == 1 ? "was" : "were", first_of(ctx, *g.first));
    if (g.gap->kind == Gap::Kind::Fragment) {
      const std::string why =
          ctx.main.empty()
              ? fmt::format("'{}' is read as a fragment (it is not named 'config' or 'config.*' and no file named with "
                            "it includes it)", path)
              : fmt::format("'{}' is not included by the main configuration '{}' (check its include lines, and --root "
                            "when they are absolute), so it is read on its own", path, ctx.main);
      out.add(g.first->where,
              fmt::format("{}: {}. Name the main configuration with --main PATH or `main = \"PATH\"` in "
                          ".pmtalint.toml; if this file is the whole configuration, --main names it too",
                          why, skipped));
      continue;
    }
    Diagnostic& d = out.add(g.first->where, fmt::format("'{}' was not read: {}", path, skipped));
    for (const Location& include : g.includes) d.notes.push_back({include, "the include that was not read"});
  }
}

extern const Rule kIncompleteConfiguration{
    .code = "PMT0007",
    .slug = "incomplete-configuration",
    .severity = Severity::Info,
    .origin = RuleOrigin::Check,
    .summary = "Checks for missing or undefined things skipped because part of the configuration was not read",
    .why = "PMTA judges a whole configuration: `config` and every file it includes. A name used in one file "
           "is often defined in another (virtual MTAs in one conf.d fragment, pools in the next), and DKIM "
           "key lines are often generated at deploy time into an included file. When pmtalint has not read "
           "the whole configuration (a fragment linted on its own, an include that does not exist yet), a "
           "claim that something is undefined or missing could be false, so it is not made; this finding "
           "says how many were skipped and why. Name the main configuration (`--main`, or `main` in "
           ".pmtalint.toml) so a fragment is checked as part of it, or make the include readable (for "
           "example with `--root` pointing at a copy of the deployed tree).",
    .bad = "# conf.d/sources.conf, linted alone\n<source 10.0.0.0/8>\n    default-virtual-mta pool1\n</source>\n",
    .good = "# .pmtalint.toml next to the repository's etc/pmta:\n# main = \"etc/pmta/config\"\n"
            "<source 10.0.0.0/8>\n    default-virtual-mta pool1\n</source>\n",
};

}  // namespace pmtalint
