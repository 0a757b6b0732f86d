#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "base/text.h"
#include "checks/baseline.h"
#include "checks/lint.h"
#include "dns/resolver.h"
#include "checks/suppressions.h"
#include "checks/secrets.h"
#include "schema/knowledge.h"
#include "settings/project_config.h"
#include "commands.h"
#include "report/formats.h"
#include "report/text_renderer.h"
#include "version.h"

namespace pmtalint::cli {
namespace {

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
}

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

}  // namespace

// Settings as the run uses them, each with where it came from.
struct Effective {
  ProjectConfig project;
  PmtaVersion pmta_version = kLatestPmta;
  std::string pmta_version_from = "default";
  Severity fail_on = Severity::Error;
  std::string fail_on_from = "default";
  std::string root;
  std::string root_from = "default";
};

expected<Effective, std::string> effective_settings(const ConfigOptions& options) {
  Effective e;
  std::optional<std::string> path;
  if (!options.config_file.empty()) path = options.config_file;
  else if (!options.no_config && !options.files.empty() && options.files.front() != "-")
    path = find_project_config(options.files.front());
  if (path) {
    auto project = read_project_config(*path);
    if (!project) return unexpected(project.error());
    e.project = std::move(*project);
  }
  const std::string from_file = e.project.path;
  if (!options.pmta_version.empty()) {
    const auto version = PmtaVersion::parse(options.pmta_version);
    if (!version) return unexpected(std::string("--pmta-version takes MAJOR.MINOR, such as 5.0"));
    e.pmta_version = *version;
    e.pmta_version_from = "command line";
  } else if (e.project.pmta_version) {
    e.pmta_version = *e.project.pmta_version;
    e.pmta_version_from = from_file;
  }
  if (!options.fail_on.empty()) {
    e.fail_on = *parse_severity(options.fail_on);
    e.fail_on_from = "command line";
  } else if (e.project.fail_on) {
    e.fail_on = *e.project.fail_on;
    e.fail_on_from = from_file;
  }
  if (!options.root.empty()) {
    e.root = options.root;
    e.root_from = "command line";
  } else if (e.project.root) {
    e.root = *e.project.root;
    e.root_from = from_file;
  }
  return e;
}

void show_settings(const Effective& e) {
  const std::string file = e.project.path.empty() ? std::string("default") : e.project.path;
  std::cout << fmt::format("config file      {}\n", e.project.path.empty() ? "(none found)" : e.project.path);
  std::cout << fmt::format("pmta-version     {:<24} # {}\n", e.pmta_version.str(), e.pmta_version_from);
  std::cout << fmt::format("fail-on          {:<24} # {}\n", severity_name(e.fail_on), e.fail_on_from);
  std::cout << fmt::format("root             {:<24} # {}\n", e.root.empty() ? "(none)" : e.root, e.root_from);
  std::cout << fmt::format("disable          {:<24} # {}\n", fmt::format("[{}]", fmt::join(e.project.rules.disable, ", ")), file);
  for (const auto& [rule, severity] : e.project.rules.severity)
    std::cout << fmt::format("severity.{:<7} {:<24} # {}\n", rule, severity_name(severity), file);
  std::cout << fmt::format("known-directives {:<24} # {}\n", fmt::format("[{}]", fmt::join(e.project.known_directives, ", ")), file);
  for (const PathOverride& o : e.project.overrides)
    std::cout << fmt::format("override         paths [{}]: disable [{}], enable [{}]   # {}\n", fmt::join(o.paths, ", "),
                             fmt::join(o.rules.disable, ", "), fmt::join(o.rules.enable, ", "), file);
}

int run_config(const ConfigOptions& options) {
  auto settings = effective_settings(options);
  if (!settings) {
    std::cerr << "pmtalint: " << settings.error() << '\n';
    return kExitFailure;
  }
  if (options.show_config) {
    show_settings(*settings);
    return kExitClean;
  }
  std::vector<LoadInput> inputs;
  bool stdin_used = false;
  for (const std::string& file : options.files) {
    if (file != "-") {
      inputs.push_back({file, std::nullopt});
      continue;
    }
    if (stdin_used) {
      std::cerr << "pmtalint: '-' (standard input) may be given only once\n";
      return kExitFailure;
    }
    stdin_used = true;
    auto text = read_stdin();
    if (!text) {
      std::cerr << "pmtalint: cannot read standard input: " << text.error() << '\n';
      return kExitFailure;
    }
    inputs.push_back({options.stdin_filename, std::move(*text)});
  }

  auto dns = requested_resolver(options.dns_zones, options.online, options.resolver);
  if (!dns) {
    std::cerr << "pmtalint: " << dns.error() << '\n';
    return kExitFailure;
  }
  const LintOptions lint_options{settings->pmta_version, settings->root, dns->get()};
  const LoadResult loaded = load(inputs, LoadOptions{settings->root, ParseOptions{is_top_level_only_block}});
  for (const std::string& failure : loaded.failures) std::cerr << "pmtalint: " << failure << '\n';
  ConfigResolver resolver = options.no_config || !options.config_file.empty() ? ConfigResolver(settings->project)
                                                                               : ConfigResolver();
  auto configured = apply_project_config(resolver, loaded.workspace, lint(loaded, lint_options));
  if (!configured) {
    std::cerr << "pmtalint: " << configured.error() << '\n';
    return kExitFailure;
  }
  SuppressionResult checked = apply_suppressions(loaded.workspace, std::move(configured->kept));
  std::vector<Diagnostic>& diagnostics = checked.kept;
  size_t suppressed = checked.suppressed;
  if (!options.write_baseline.empty()) {
    std::ofstream baseline(options.write_baseline, std::ios::binary | std::ios::trunc);
    write_baseline(baseline, loaded.workspace, diagnostics);
    if (!baseline.flush()) {
      std::cerr << "pmtalint: cannot write the baseline to '" << options.write_baseline << "'\n";
      return kExitFailure;
    }
    std::cerr << "pmtalint: recorded " << diagnostics.size() << " finding(s) in " << options.write_baseline << '\n';
    return loaded.failures.empty() ? kExitClean : kExitFailure;
  }
  if (!options.baseline.empty()) {
    auto text = read_regular_file(options.baseline);
    if (!text) {
      std::cerr << "pmtalint: cannot read the baseline '" << options.baseline << "': " << text.error() << '\n';
      return kExitFailure;
    }
    auto removed = apply_baseline(text->text, loaded.workspace, diagnostics);
    if (!removed) {
      std::cerr << "pmtalint: " << options.baseline << ": " << removed.error() << '\n';
      return kExitFailure;
    }
    suppressed += *removed;
  }
  Summary summary = summarize(diagnostics, loaded.workspace.size());
  summary.suppressed = suppressed;
  summary.notices = std::move(configured->notices);
  if (!*dns && mentions_dns_names(loaded.workspace))
    summary.notices.push_back("DNS checks (rdns-mismatch, dkim-dns) skipped: give --dns-zone FILE for zone files, or --online");

  std::ofstream file_output;
  const bool to_file = !options.output.empty();
  if (to_file) {
    file_output.open(options.output, std::ios::binary | std::ios::trunc);
    if (!file_output) {
      std::cerr << "pmtalint: cannot write '" << options.output << "'\n";
      return kExitFailure;
    }
  }
  std::ostream& out = to_file ? static_cast<std::ostream&>(file_output) : std::cout;
  if (const Renderer renderer = find_renderer(options.format)) {
    renderer(out, ReportInput{loaded.workspace, diagnostics, summary, kVersion});
  } else {
    const TextStyle style{!to_file && use_color(options.color), true};
    render_text(out, loaded.workspace, diagnostics, Redactions::find(loaded.workspace, diagnostics), style);
    // With nothing read, a "no problems" line would read as a pass; the errors on stderr say it all.
    if (!options.quiet && loaded.workspace.size() > 0) render_text_summary(out, summary, style);
  }
  out.flush();
  if (!out) {
    std::cerr << "pmtalint: cannot write the report" << (to_file ? " to '" + options.output + "'" : "") << "\n";
    return kExitFailure;
  }
  if (!loaded.failures.empty()) return kExitFailure;
  for (const Diagnostic& d : diagnostics)
    if (d.severity >= settings->fail_on) return kExitFindings;
  return kExitClean;
}

}  // namespace pmtalint::cli
