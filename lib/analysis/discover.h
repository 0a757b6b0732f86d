#pragma once
// A directory named on the command line stands for the PMTA configuration files under it: the
// files the pre-commit hook matches (.pre-commit-hooks.yaml: files named `config`, `*.pmta`,
// `*pmta*.conf`, anything under `etc/pmta/`), text only (no binary files, no key material),
// hidden directories skipped, minus the `exclude` patterns of .pmtalint.toml.
#include <string>
#include <vector>

#include "settings/project_config.h"

namespace pmtalint {

// Whether a path (as found, made absolute) is one the hook would lint.
bool is_configuration_path(const std::string& path);

// The configuration files under `dir`, in byte order of their paths (shown as `dir/…`).
std::vector<std::string> configuration_files_under(const std::string& dir, const ProjectConfig& project);

}  // namespace pmtalint
