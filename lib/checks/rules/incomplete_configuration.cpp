#include "checks/rules/incomplete_configuration.h"

#include <fmt/format.h>

#include <algorithm>
#include <fmt/ranges.h>
#include <map>

namespace pmtalint {

void report_incomplete(const Model& model, const SkippedClaims& skipped, Findings& out) {
  // Several include lines of one unread file are one gap for the reader: one finding per path.
  struct PerPath {
    const Gap* gap = nullptr;
    size_t count = 0;
    const SkippedClaim* example = nullptr;
    std::vector<std::string> blocks;
  };
  std::map<std::string, PerPath> by_path;
  for (const Gap& gap : model.gaps()) {
    PerPath& p = by_path[gap.path];
    if (!p.gap) p.gap = &gap;
    const std::string where = model.describe(gap.block);
    if (std::find(p.blocks.begin(), p.blocks.end(), where) == p.blocks.end()) p.blocks.push_back(where);
    const auto it = skipped.find(&gap);
    if (it == skipped.end()) continue;
    if (!p.example) p.example = &it->second;
    p.count += it->second.count;
  }
  for (const auto& [path, p] : by_path) {
    if (p.count == 0) continue;
    const std::string claims = p.count == 1 ? "1 finding" : fmt::format("{} findings", p.count);
    if (p.gap->kind == Gap::Kind::Fragment) {
      out.add(p.example->first,
              fmt::format("'{}' is read as a fragment (it is not named 'config' and no file named with it includes it): "
                          "{} that something is missing or undefined {} not made, such as: {}. Name the main "
                          "configuration with --main PATH or `main = \"PATH\"` in .pmtalint.toml to check them",
                          path, claims, p.count == 1 ? "was" : "were", p.example->example));
    } else {
      out.add(p.gap->where,
              fmt::format("'{}' (included in {}) was not read, so {} that something is missing or undefined {} not "
                          "made, such as: {}",
                          path, fmt::join(p.blocks, ", "), claims, p.count == 1 ? "was" : "were", p.example->example));
    }
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
