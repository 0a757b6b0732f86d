#include "analysis/analysis.h"
#include "analysis/discover.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/absolute_path.h"
#include "base/text.h"
#include "checks/baseline.h"
#include "checks/lint.h"
#include "checks/registry.h"
#include "checks/suppressions.h"
#include "schema/knowledge.h"
#include "syntax/file_reader.h"

namespace pmtalint {
namespace {

namespace fs = std::filesystem;

// Whether the configuration has anything the DNS rules would look up.
bool mentions_dns_names(const Workspace& workspace) {
  for (FileId f = 0; f < workspace.size(); ++f) {
    const Tree& tree = workspace.tree(f);
    for (NodeId id = 0; id < tree.size(); ++id)
      if (tree.node(id).kind == NodeKind::Directive &&
          (iequals(tree.name(id), "smtp-source-host") || iequals(tree.name(id), "domain-key")))
        return true;
  }
  return false;
}

// Rule names of --select / --ignore as slugs; an unknown name is an error of the request.
expected<std::vector<std::string_view>, std::string> rule_slugs(const std::vector<std::string>& names, std::string_view option) {
  std::vector<std::string_view> out;
  for (const std::string& name : names) {
    const Rule* rule = find_rule(trim(name));
    if (!rule) return unexpected(fmt::format("{}: '{}' is not a pmtalint rule (see 'pmtalint rules')", option, name));
    out.push_back(rule->slug);
  }
  return out;
}

}  // namespace

expected<EffectiveSettings, std::string> resolve_settings(const AnalysisRequest& request) {
  EffectiveSettings e;
  std::optional<std::string> path;
  if (!request.project_config.empty()) path = request.project_config;
  else if (!request.no_project_config && !request.inputs.empty())
  {
    // A directory argument is governed by the .pmtalint.toml in it or above it.
    std::error_code ec;
    const std::string& first = request.inputs.front().path;
    path = find_project_config(!request.inputs.front().text && fs::is_directory(first, ec) ? (fs::path(first) / "config").string()
                                                                                          : first);
  }
  if (path) {
    auto project = read_project_config(*path);
    if (!project) return unexpected(project.error());
    e.project = std::move(*project);
  }
  const std::string from_file = e.project.path;
  if (!request.pmta_version.empty()) {
    const auto version = PmtaVersion::parse(request.pmta_version);
    if (!version) return unexpected(std::string("--pmta-version takes MAJOR.MINOR, such as 5.0"));
    e.pmta_version = *version;
    e.pmta_version_from = "command line";
  } else if (e.project.pmta_version) {
    e.pmta_version = *e.project.pmta_version;
    e.pmta_version_from = from_file;
  }
  if (!request.fail_on.empty()) {
    const auto severity = parse_severity(request.fail_on);
    if (!severity) return unexpected(std::string("--fail-on takes error, warning or info"));
    e.fail_on = *severity;
    e.fail_on_from = "command line";
  } else if (e.project.fail_on) {
    e.fail_on = *e.project.fail_on;
    e.fail_on_from = from_file;
  }
  if (!request.root.empty()) {
    e.root = request.root;
    e.root_from = "command line";
  } else if (e.project.root) {
    e.root = *e.project.root;
    e.root_from = from_file;
  }
  if (!request.main.empty()) {
    e.main = request.main;
    e.main_from = "command line";
  } else if (e.project.main) {
    e.main = *e.project.main;
    e.main_from = from_file;
  }
  return e;
}

const Model* Analysis::configuration_of(FileId file) const {
  for (const Model& m : configurations)
    if (std::find(m.files().begin(), m.files().end(), file) != m.files().end()) return &m;
  return nullptr;
}

expected<std::unique_ptr<Analysis>, std::string> analyze(const AnalysisRequest& request) {
  auto settings = resolve_settings(request);
  if (!settings) return unexpected(settings.error());
  auto a = std::make_unique<Analysis>();
  a->settings = std::move(*settings);
  const EffectiveSettings& s = a->settings;

  LoadOptions options{s.root, ParseOptions{is_top_level_only_block, is_known_keyword, /*keep_tokens=*/false}, {}};
  for (const auto& [path, text] : request.overlays) options.overlays[absolute_path(path)] = text;
  // Text given with an input (standard input) stands in for that path like an editor buffer,
  // so the main configuration's include of it finds it.
  std::vector<LoadInput> inputs;
  std::vector<std::string> empty_directories;
  for (const LoadInput& input : request.inputs) {
    std::error_code ec;
    if (!input.text && fs::is_directory(input.path, ec)) {  // the configuration files under it
      const auto found = configuration_files_under(input.path, s.project);
      if (found.empty()) empty_directories.push_back(input.path);
      for (const std::string& file : found) inputs.push_back({file, std::nullopt});
      continue;
    }
    if (input.text) options.overlays[absolute_path(input.path)] = *input.text;
    inputs.push_back({input.path, std::nullopt});
  }
  const std::string main_path = s.main.empty() ? std::string() : absolute_path(s.main);
  const std::optional<FileIdentity> main_identity =
      s.main.empty() ? std::nullopt : read_identity(s.main);  // when it cannot be read, the loader says why
  const auto is_main_path = [&](const std::string& path) {
    if (main_path.empty()) return false;
    const auto identity = read_identity(path);
    return absolute_path(path) == main_path || (identity && main_identity && *identity == *main_identity);
  };
  // The result must not depend on the order the files were named in: main files first (their
  // includes then claim the fragments named with them), the rest by path.
  std::vector<std::pair<int, LoadInput>> ranked;
  for (LoadInput& input : inputs) {
    const int rank = is_main_path(input.path) ? 0 : main_config_name(input.path) ? 1 : 2;
    ranked.emplace_back(rank, std::move(input));
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.path < b.second.path;
  });
  inputs.clear();
  for (auto& [rank, input] : ranked) inputs.push_back(std::move(input));
  // The main configuration is read first, so every named file it includes is found in it.
  const bool main_added = !main_path.empty() && (ranked.empty() || ranked.front().first != 0);
  if (main_added) inputs.insert(inputs.begin(), LoadInput{s.main, std::nullopt});
  a->loaded = load(inputs, options);
  if ((a->interrupted = request.interrupted && request.interrupted())) return a;
  for (const std::string& dir : empty_directories)
    a->loaded.failures.push_back(fmt::format(
        "{}: no PMTA configuration files in this directory (files named config, *.pmta or *pmta*.conf, or under etc/pmta/)",
        dir));
  const Workspace& ws = a->loaded.workspace;
  for (size_t i = main_added ? 1 : 0; i < a->loaded.input_files.size(); ++i)
    if (a->loaded.input_files[i] != kNoNode) a->named.push_back(a->loaded.input_files[i]);
  if (main_added && a->loaded.input_files.front() == kNoNode)
    return unexpected(fmt::format("the main configuration (from {}) cannot be read: {}", s.main_from,
                                  a->loaded.failures.front()));

  const auto is_main = [&](FileId f) {
    return named_config(ws, f) || (main_identity && ws.identity(f) == *main_identity) ||
           (!main_path.empty() && absolute_path(ws.file(f).path()) == main_path);
  };
  a->configurations = configurations(ws, is_main);
  if ((a->interrupted = request.interrupted && request.interrupted())) return a;

  LintResult linted = lint(a->loaded, a->configurations, {s.pmta_version, s.root, request.resolver, s.main, request.interrupted});
  if ((a->interrupted = linted.interrupted)) return a;
  std::vector<Diagnostic>& found = linted.diagnostics;
  if (main_added && !request.all_files) {
    // The main configuration was read for context only: report what concerns the named files
    // (found there, or with a note there: a definition a named file repeats), and say how many
    // findings the rest of the configuration has.
    const auto named = [&](FileId f) { return std::find(a->named.begin(), a->named.end(), f) != a->named.end(); };
    const size_t before = found.size();
    std::erase_if(found, [&](const Diagnostic& d) {
      return !named(d.where.file) && std::none_of(d.notes.begin(), d.notes.end(), [&](const Note& n) { return named(n.where.file); });
    });
    if (const size_t elsewhere = before - found.size())
      a->notices.push_back(fmt::format("{} finding{} in other files of the configuration {} not shown (run pmtalint config {})",
                                       elsewhere, elsewhere == 1 ? "" : "s", elsewhere == 1 ? "is" : "are", s.main));
  }
  ConfigResolver resolver = request.no_project_config || !request.project_config.empty() ? ConfigResolver(s.project)
                                                                                          : ConfigResolver();
  auto configured = apply_project_config(resolver, ws, std::move(found));
  if (!configured) return unexpected(configured.error());
  SuppressionResult checked = apply_suppressions(ws, std::move(configured->kept), linted.withheld);
  a->diagnostics = std::move(checked.kept);
  a->suppressed = checked.suppressed;
  a->notices.insert(a->notices.end(), configured->notices.begin(), configured->notices.end());
  a->reported_files = main_added && !request.all_files ? a->named.size() : ws.size();
  if (!request.select.empty() || !request.ignore.empty()) {
    auto selected = rule_slugs(request.select, "--select");
    if (!selected) return unexpected(selected.error());
    auto ignored = rule_slugs(request.ignore, "--ignore");
    if (!ignored) return unexpected(ignored.error());
    const auto has = [](const std::vector<std::string_view>& list, std::string_view slug) {
      return std::find(list.begin(), list.end(), slug) != list.end();
    };
    const auto enabled = [&](std::string_view slug) {
      return (selected->empty() || has(*selected, slug)) && !has(*ignored, slug);
    };
    std::erase_if(a->diagnostics, [&](const Diagnostic& d) { return !enabled(d.rule); });
    for (const Rule* rule : all_rules())
      if (!rule->suppressible && !enabled(rule->slug))
        a->notices.push_back(fmt::format("security rule '{}' is disabled by {}", rule->slug,
                                         has(*ignored, rule->slug) ? "--ignore" : "--select"));
  }
  if (!request.baseline.empty()) {
    auto text = read_regular_file(request.baseline);
    if (!text) return unexpected(fmt::format("cannot read the baseline '{}': {}", request.baseline, text.error()));
    auto removed = apply_baseline(text->text, ws, a->diagnostics);
    if (!removed) return unexpected(fmt::format("{}: {}", request.baseline, removed.error()));
    a->suppressed += *removed;
  }
  if (!request.resolver && mentions_dns_names(ws))
    a->notices.push_back("DNS checks (rdns-mismatch, dkim-dns) skipped: give --dns-zone FILE for zone files, or --online");
  return a;
}

}  // namespace pmtalint
