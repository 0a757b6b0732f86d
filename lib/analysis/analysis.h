#pragma once
// The one analysis behind every front end (`config`, `show`, `send`, the language server, the
// tests, fuzzers and benchmarks): settings → load → configurations → lint → project
// configuration → suppressions → baseline. Two pipelines would drift apart; this is the only one.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/expected.h"
#include "dns/resolver.h"
#include "model/model.h"
#include "settings/project_config.h"
#include "syntax/loader.h"

namespace pmtalint {

struct AnalysisRequest {
  std::vector<LoadInput> inputs;  // the files named, in any order
  // Unsaved editor buffers, by path: used wherever the configuration reads that file.
  std::map<std::string, std::string> overlays;
  // Settings given on the command line; each wins over the project configuration.
  std::string project_config;  // --config FILE: this .pmtalint.toml for every file
  bool no_project_config = false;
  std::string pmta_version;    // "MAJOR.MINOR"
  std::string fail_on;         // "error", "warning" or "info"
  std::string root;
  std::string main;            // the main configuration the named files belong to
  Resolver* resolver = nullptr;
  std::string baseline;        // report only findings not recorded in this baseline file
  // --select / --ignore: rule slugs or codes. A non-empty `select` keeps only those rules;
  // `ignore` drops rules. Both win over .pmtalint.toml and apply after inline suppressions (so a
  // suppression of an ignored rule is not reported unused); leaving out a security rule is
  // allowed, and said in the notices, as in .pmtalint.toml.
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  // Findings in every file of the configurations (the language server publishes them per file);
  // otherwise, when the main configuration was not itself named, only those in named files.
  bool all_files = false;
  // Asked between stages and rules: true stops the analysis, whose result is then marked
  // `interrupted` (the language server drops an analysis a newer edit made stale).
  std::function<bool()> interrupted;
};

// Each setting as the run uses it, with where it came from.
struct EffectiveSettings {
  ProjectConfig project;
  PmtaVersion pmta_version = kLatestPmta;
  std::string pmta_version_from = "default";
  Severity fail_on = Severity::Error;
  std::string fail_on_from = "default";
  std::string root;
  std::string root_from = "default";
  std::string main;
  std::string main_from = "default";
};

// A project configuration that cannot be read, or a bad setting, is an error of the request.
expected<EffectiveSettings, std::string> resolve_settings(const AnalysisRequest& request);

struct Analysis {
  EffectiveSettings settings;
  LoadResult loaded;
  std::vector<Model> configurations;  // point into `loaded`: an Analysis never moves
  std::vector<FileId> named;          // the files of the request, as loaded
  std::vector<Diagnostic> diagnostics;
  size_t suppressed = 0;
  std::vector<std::string> notices;   // security rules lowered, checks skipped, findings not shown
  size_t reported_files = 0;          // the files the findings were looked for in
  // The configuration a file belongs to (the first that reads it), or nullptr.
  const Model* configuration_of(FileId file) const;
  bool failed() const { return !loaded.failures.empty(); }
  bool interrupted = false;  // stopped early on request: nothing in it is complete
};

expected<std::unique_ptr<Analysis>, std::string> analyze(const AnalysisRequest& request);

}  // namespace pmtalint
