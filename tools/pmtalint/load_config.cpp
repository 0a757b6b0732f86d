#include "load_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "base/text.h"
#include "checks/registry.h"

namespace pmtalint::cli {

std::optional<MainConfig> load_main_config(const std::string& file, const std::string& root, std::string_view what_follows) {
  AnalysisRequest request;
  request.inputs.push_back({file, std::nullopt});
  request.root = root;
  request.main = file;  // the command is given the main configuration itself
  auto analysis = analyze(request);
  if (!analysis) {
    std::cerr << "pmtalint: " << printable(analysis.error()) << '\n';
    return std::nullopt;
  }
  const Analysis& a = **analysis;
  if (a.failed() || a.named.empty()) {
    for (const std::string& failure : a.loaded.failures) std::cerr << "pmtalint: " << printable(failure) << '\n';
    return std::nullopt;
  }
  const auto errors = std::count_if(a.diagnostics.begin(), a.diagnostics.end(), [](const Diagnostic& d) {
    const Rule* rule = find_rule(d.rule);
    return d.severity == Severity::Error && rule && rule->origin == RuleOrigin::Parser;
  });
  if (errors > 0)
    std::cerr << fmt::format("pmtalint: warning: the configuration has {} syntax error{}; {} (run `pmtalint config {}`)\n", errors,
                             errors == 1 ? "" : "s", what_follows, printable(file));
  const Model* model = a.configuration_of(a.named.front());
  // What could not be read is unknown to what follows: a name "not defined" may be defined there.
  size_t unread = 0;
  const Gap* first = nullptr;
  for (const Gap& gap : model->gaps())
    if (gap.kind != Gap::Kind::Fragment && (!first || gap.path != first->path)) first = first ? first : &gap, ++unread;
  if (first)
    std::cerr << fmt::format("pmtalint: warning: {} include{} of the configuration could not be read (the first: '{}'); "
                             "names and settings in {} are unknown to what follows (--root may be missing)\n",
                             unread, unread == 1 ? "" : "s", printable(first->path), unread == 1 ? "it" : "them");
  return MainConfig{std::move(*analysis), model};
}

}  // namespace pmtalint::cli
