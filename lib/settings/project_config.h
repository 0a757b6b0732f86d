#pragma once
// `.pmtalint.toml`: the project's own settings, found by walking up from each linted file, then
// in $XDG_CONFIG_HOME/pmtalint/config.toml. Command-line options win over it.
//
//   pmta-version = "5.0"
//   fail-on = "warning"
//   root = "pmta-checkout"                  # relative to this file
//   main = "etc/pmta/config"                # the main configuration; fragments are checked as part of it
//   disable = ["non-lowercase-keyword"]
//   known-directives = ["new-directive"]    # escape hatch for directives pmtalint does not know yet
//   exclude = ["generated/*", "*.orig"]     # files a directory argument skips (relative to this file, or names)
//   [severity]
//   deprecated = "error"
//   [[overrides]]
//   paths = ["legacy/*"]                    # shell patterns on the file path
//   disable = ["deprecated"]
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "base/expected.h"
#include "schema/version.h"
#include "syntax/workspace.h"

namespace pmtalint {

struct RuleSelection {
  std::vector<std::string> disable;
  std::vector<std::string> enable;
  std::map<std::string, Severity> severity;
};

struct PathOverride {
  std::vector<std::string> paths;
  RuleSelection rules;
};

struct ProjectConfig {
  std::string path;  // empty: no file
  std::optional<PmtaVersion> pmta_version;
  std::optional<Severity> fail_on;
  std::optional<std::string> root;  // already resolved against the file's directory
  std::optional<std::string> main;  // the main configuration (PMTA's `config`), resolved likewise
  std::vector<std::string> known_directives;
  std::vector<std::string> exclude;  // shell patterns: files found under a directory argument that are skipped
  RuleSelection rules;
  std::vector<PathOverride> overrides;
};

expected<ProjectConfig, std::string> read_project_config(const std::string& path);
// The nearest .pmtalint.toml above `linted_file`, else the user's config file, else nothing.
std::optional<std::string> find_project_config(const std::string& linted_file);

struct ConfiguredFindings {
  std::vector<Diagnostic> kept;
  std::vector<std::string> notices;  // security rules the project lowered or disabled
};

// The configuration that governs each file: with --config or --no-config one for all, else the
// nearest .pmtalint.toml above each file (cached per directory).
class ConfigResolver {
 public:
  explicit ConfigResolver(ProjectConfig fixed) : fixed_(std::move(fixed)), search_(false) {}
  ConfigResolver() : search_(true) {}
  expected<const ProjectConfig*, std::string> for_file(const std::string& path);

 private:
  ProjectConfig fixed_;
  bool search_;
  std::map<std::string, ProjectConfig> by_config_path_;
  ProjectConfig none_;
  std::unordered_map<std::string, std::optional<std::string>> found_in_;  // directory → its nearest config file
  std::unordered_map<std::string, const ProjectConfig*> by_file_;         // linted path → its config, null for none
};

// Drops disabled rules and applies severity overrides, file by file.
expected<ConfiguredFindings, std::string> apply_project_config(ConfigResolver& configs, const Workspace& workspace,
                                                               std::vector<Diagnostic> diagnostics);

}  // namespace pmtalint
