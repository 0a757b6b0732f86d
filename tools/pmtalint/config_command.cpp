#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "base/text.h"
#include "checks/baseline.h"
#include "analysis/analysis.h"
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

}  // namespace

void show_settings(const EffectiveSettings& e) {
  const std::string file = e.project.path.empty() ? std::string("default") : e.project.path;
  std::cout << fmt::format("config file      {}\n", e.project.path.empty() ? "(none found)" : e.project.path);
  std::cout << fmt::format("pmta-version     {:<24} # {}\n", e.pmta_version.str(), e.pmta_version_from);
  std::cout << fmt::format("fail-on          {:<24} # {}\n", severity_name(e.fail_on), e.fail_on_from);
  std::cout << fmt::format("root             {:<24} # {}\n", e.root.empty() ? "(none)" : e.root, e.root_from);
  std::cout << fmt::format("main             {:<24} # {}\n", e.main.empty() ? "(none)" : e.main, e.main_from);
  std::cout << fmt::format("disable          {:<24} # {}\n", fmt::format("[{}]", fmt::join(e.project.rules.disable, ", ")), file);
  for (const auto& [rule, severity] : e.project.rules.severity)
    std::cout << fmt::format("severity.{:<7} {:<24} # {}\n", rule, severity_name(severity), file);
  std::cout << fmt::format("known-directives {:<24} # {}\n", fmt::format("[{}]", fmt::join(e.project.known_directives, ", ")), file);
  for (const PathOverride& o : e.project.overrides)
    std::cout << fmt::format("override         paths [{}]: disable [{}], enable [{}]   # {}\n", fmt::join(o.paths, ", "),
                             fmt::join(o.rules.disable, ", "), fmt::join(o.rules.enable, ", "), file);
}

AnalysisRequest request_for(const ConfigOptions& options) {
  AnalysisRequest r;
  r.project_config = options.config_file;
  r.no_project_config = options.no_config;
  r.pmta_version = options.pmta_version;
  r.fail_on = options.fail_on;
  r.root = options.root;
  r.main = options.main;
  r.baseline = options.write_baseline.empty() ? options.baseline : std::string();
  for (const std::string& file : options.files) r.inputs.push_back({file == "-" ? options.stdin_filename : file, std::nullopt});
  return r;
}

int run_config(const ConfigOptions& options) {
  AnalysisRequest request = request_for(options);
  if (options.show_config) {
    auto settings = resolve_settings(request);
    if (!settings) {
      std::cerr << "pmtalint: " << settings.error() << '\n';
      return kExitFailure;
    }
    show_settings(*settings);
    return kExitClean;
  }
  if (std::count(options.files.begin(), options.files.end(), "-") > 1) {
    std::cerr << "pmtalint: '-' (standard input) may be given only once\n";
    return kExitFailure;
  }
  for (size_t i = 0; i < options.files.size(); ++i) {
    if (options.files[i] != "-") continue;
    auto text = read_stdin();
    if (!text) {
      std::cerr << "pmtalint: cannot read standard input: " << text.error() << '\n';
      return kExitFailure;
    }
    request.inputs[i].text = std::move(*text);
  }
  auto dns = requested_resolver(options.dns_zones, options.online, options.resolver);
  if (!dns) {
    std::cerr << "pmtalint: " << dns.error() << '\n';
    return kExitFailure;
  }
  request.resolver = dns->get();
  auto analysis = analyze(request);
  if (!analysis) {
    std::cerr << "pmtalint: " << analysis.error() << '\n';
    return kExitFailure;
  }
  const Analysis& a = **analysis;
  const Workspace& workspace = a.loaded.workspace;
  for (const std::string& failure : a.loaded.failures) std::cerr << "pmtalint: " << failure << '\n';
  const std::vector<Diagnostic>& diagnostics = a.diagnostics;
  if (!options.write_baseline.empty()) {
    std::ofstream baseline(options.write_baseline, std::ios::binary | std::ios::trunc);
    write_baseline(baseline, workspace, diagnostics);
    if (!baseline.flush()) {
      std::cerr << "pmtalint: cannot write the baseline to '" << options.write_baseline << "'\n";
      return kExitFailure;
    }
    std::cerr << "pmtalint: recorded " << diagnostics.size() << " finding(s) in " << options.write_baseline << '\n';
    return a.failed() ? kExitFailure : kExitClean;
  }
  Summary summary = summarize(diagnostics, a.reported_files);
  summary.suppressed = a.suppressed;
  summary.notices = a.notices;

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
    renderer(out, ReportInput{workspace, diagnostics, summary, kVersion});
  } else {
    const TextStyle style{!to_file && use_color(options.color), true};
    render_text(out, workspace, diagnostics, Redactions::find(workspace, diagnostics), style);
    // With nothing read, a "no problems" line would read as a pass; the errors on stderr say it all.
    if (!options.quiet && workspace.size() > 0) render_text_summary(out, summary, style);
  }
  out.flush();
  if (!out) {
    std::cerr << "pmtalint: cannot write the report" << (to_file ? " to '" + options.output + "'" : "") << "\n";
    return kExitFailure;
  }
  if (a.failed()) return kExitFailure;
  for (const Diagnostic& d : diagnostics)
    if (d.severity >= a.settings.fail_on) return kExitFindings;
  return kExitClean;
}

}  // namespace pmtalint::cli
