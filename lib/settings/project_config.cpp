#include "settings/project_config.h"

#include <fnmatch.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.h"
#include "checks/registry.h"
#include "syntax/file_reader.h"

namespace pmtalint {

extern const Rule kUnknownDirective;

namespace {

namespace fs = std::filesystem;

expected<Severity, std::string> severity_of(const std::string& rule, const std::vector<std::string>& inputs) {
  if (inputs.size() == 1)
    if (auto s = parse_severity(inputs[0])) return *s;
  return unexpected(fmt::format("severity of '{}' must be \"error\", \"warning\" or \"info\"", rule));
}

expected<void, std::string> check_rules(const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (!find_rule(name)) return unexpected(fmt::format("'{}' is not a pmtalint rule (see 'pmtalint rules')", name));
  return {};
}

bool matches(const PathOverride& o, const std::string& path) {
  return std::any_of(o.paths.begin(), o.paths.end(),
                     [&](const std::string& pattern) { return ::fnmatch(pattern.c_str(), path.c_str(), 0) == 0; });
}

}  // namespace

expected<ProjectConfig, std::string> read_project_config(const std::string& path) {
  // Through the one regular-file reader: a FIFO or device named as --config must not hang.
  const auto file = read_regular_file(path);
  if (!file) return unexpected(fmt::format("{}: cannot read: {}", path, file.error()));
  std::istringstream in(file->text);
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(in);
  } catch (const CLI::Error& e) {
    return unexpected(fmt::format("{}: {}", path, e.what()));
  }
  ProjectConfig config;
  config.path = path;
  PathOverride* current = nullptr;
  for (const CLI::ConfigItem& item : items) {
    const std::string section = item.parents.empty() ? "" : item.parents.front();
    if (item.name == "++") {
      if (section == "overrides") current = &config.overrides.emplace_back();
      continue;
    }
    if (item.name == "--") {
      current = nullptr;
      continue;
    }
    const auto fail = [&](std::string why) { return unexpected(fmt::format("{}: {}", path, why)); };
    const auto& v = item.inputs;
    if (section.empty()) {
      if (item.name == "pmta-version") {
        auto version = v.size() == 1 ? PmtaVersion::parse(v[0]) : std::nullopt;
        if (!version) return fail("pmta-version must be \"MAJOR.MINOR\"");
        config.pmta_version = version;
      } else if (item.name == "fail-on") {
        auto s = severity_of("fail-on", v);
        if (!s) return fail(s.error());
        config.fail_on = *s;
      } else if (item.name == "root") {
        if (v.size() != 1) return fail("root must be one directory");
        config.root = (fs::path(path).parent_path() / v[0]).lexically_normal().string();
      } else if (item.name == "main") {
        if (v.size() != 1) return fail("main must be one file");
        config.main = (fs::path(path).parent_path() / v[0]).lexically_normal().string();
      } else if (item.name == "disable") {
        if (auto ok = check_rules(v); !ok) return fail(ok.error());
        config.rules.disable = v;
      } else if (item.name == "known-directives") {
        config.known_directives = v;
      } else if (item.name == "exclude") {
        config.exclude = v;
      } else {
        return fail(fmt::format("unknown setting '{}'", item.name));
      }
    } else if (section == "severity") {
      if (!find_rule(item.name)) return fail(fmt::format("'{}' is not a pmtalint rule", item.name));
      auto s = severity_of(item.name, v);
      if (!s) return fail(s.error());
      config.rules.severity[item.name] = *s;
    } else if (section == "overrides" && current) {
      if (item.name == "paths") current->paths = v;
      else if (item.name == "disable" || item.name == "enable") {
        if (auto ok = check_rules(v); !ok) return fail(ok.error());
        (item.name == "disable" ? current->rules.disable : current->rules.enable) = v;
      } else {
        return fail(fmt::format("unknown override setting '{}'", item.name));
      }
    } else {
      return fail(fmt::format("unknown section '{}'", section));
    }
  }
  return config;
}

namespace {

// The directory find_project_config starts from: files in one directory share their settings.
std::string directory_of(const std::string& linted_file) {
  std::error_code ec;
  return fs::absolute(fs::path(linted_file), ec).parent_path().string();
}

std::optional<std::string> project_config_above(fs::path dir) {
  std::error_code ec;
  while (!dir.empty()) {
    const fs::path candidate = dir / ".pmtalint.toml";
    // Shown relative to the working directory, like the linted paths themselves.
    if (fs::is_regular_file(candidate, ec)) return fs::proximate(candidate, ec).string();
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  const fs::path user = xdg && *xdg ? fs::path(xdg) : home && *home ? fs::path(home) / ".config" : fs::path();
  if (!user.empty() && fs::is_regular_file(user / "pmtalint/config.toml", ec)) return (user / "pmtalint/config.toml").string();
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_project_config(const std::string& linted_file) {
  return project_config_above(directory_of(linted_file));
}

// Called for every finding and every file: the walk up the directories (a dozen file-system
// look-ups) is made once per directory, the path arithmetic once per file.
expected<const ProjectConfig*, std::string> ConfigResolver::for_file(const std::string& path) {
  if (!search_) return &fixed_;
  if (const auto known = by_file_.find(path); known != by_file_.end()) return known->second ? known->second : &none_;
  const std::string dir = directory_of(path);
  auto found = found_in_.find(dir);
  if (found == found_in_.end()) found = found_in_.emplace(dir, project_config_above(dir)).first;
  const ProjectConfig* config = nullptr;  // none
  if (found->second) {
    auto it = by_config_path_.find(*found->second);
    if (it == by_config_path_.end()) {
      auto read = read_project_config(*found->second);
      if (!read) return unexpected(read.error());
      it = by_config_path_.emplace(*found->second, std::move(*read)).first;
    }
    config = &it->second;
  }
  by_file_.emplace(path, config);
  return config ? config : &none_;
}

expected<ConfiguredFindings, std::string> apply_project_config(ConfigResolver& configs, const Workspace& ws,
                                                               std::vector<Diagnostic> diagnostics) {
  ConfiguredFindings out;
  std::vector<const ProjectConfig*> used;
  for (Diagnostic& d : diagnostics) {
    const std::string& path = ws.file(d.where.file).path();
    auto found = configs.for_file(path);
    if (!found) return unexpected(found.error());
    const ProjectConfig& config = **found;
    if (std::find(used.begin(), used.end(), &config) == used.end()) used.push_back(&config);
    bool enabled = std::find(config.rules.disable.begin(), config.rules.disable.end(), d.rule) == config.rules.disable.end();
    if (d.rule == kUnknownDirective.slug) {  // the project's escape hatch for directives we do not know yet
      const std::string_view keyword = ws.file(d.where.file).slice(d.where.span);
      enabled &= std::none_of(config.known_directives.begin(), config.known_directives.end(),
                              [&](const std::string& k) { return iequals(k, keyword); });
    }
    auto severity = config.rules.severity.find(std::string(d.rule));
    if (severity != config.rules.severity.end()) d.severity = severity->second;
    for (const PathOverride& o : config.overrides) {
      if (!matches(o, path)) continue;
      const auto& r = o.rules;
      if (std::find(r.disable.begin(), r.disable.end(), d.rule) != r.disable.end()) enabled = false;
      if (std::find(r.enable.begin(), r.enable.end(), d.rule) != r.enable.end()) enabled = true;
    }
    if (enabled) out.kept.push_back(std::move(d));
  }
  for (FileId f = 0; f < ws.size(); ++f) {
    auto found = configs.for_file(ws.file(f).path());
    if (!found) return unexpected(found.error());
    if (std::find(used.begin(), used.end(), *found) == used.end()) used.push_back(*found);
  }
  for (const ProjectConfig* config : used) {
    if (config->path.empty()) continue;
    for (const Rule* rule : all_rules()) {
      if (rule->suppressible) continue;
      const auto& disabled = config->rules.disable;
      auto lowered = config->rules.severity.find(std::string(rule->slug));
      if (std::find(disabled.begin(), disabled.end(), rule->slug) != disabled.end())
        out.notices.push_back(fmt::format("security rule '{}' is disabled by {}", rule->slug, config->path));
      else if (lowered != config->rules.severity.end() && lowered->second < rule->severity)
        out.notices.push_back(fmt::format("security rule '{}' is lowered to {} by {}", rule->slug,
                                          severity_name(lowered->second), config->path));
    }
  }
  return out;
}

}  // namespace pmtalint
