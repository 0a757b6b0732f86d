#include "load_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "base/text.h"
#include "schema/knowledge.h"

namespace pmtalint::cli {

std::optional<LoadResult> load_main_config(const std::string& file, const std::string& root, std::string_view what_follows) {
  LoadResult loaded = load({{file, std::nullopt}}, LoadOptions{root, ParseOptions{is_top_level_only_block}});
  if (!loaded.failures.empty()) {
    for (const std::string& failure : loaded.failures) std::cerr << "pmtalint: " << printable(failure) << '\n';
    return std::nullopt;
  }
  const auto errors = std::count_if(loaded.diagnostics.begin(), loaded.diagnostics.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::Error; });
  if (errors > 0)
    std::cerr << fmt::format("pmtalint: warning: the configuration has {} syntax error{}; {} (run `pmtalint config {}`)\n", errors,
                             errors == 1 ? "" : "s", what_follows, printable(file));
  return loaded;
}

}  // namespace pmtalint::cli
