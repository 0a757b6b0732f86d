#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "base/output_file.h"
#include "base/text.h"
#include "checks/baseline.h"
#include "analysis/analysis.h"
#include "analysis/fixes.h"
#include "base/atomic_write.h"
#include "base/unified_diff.h"
#include "checks/registry.h"
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
  // "--select a,b --select c": each value may hold several names.
  for (const auto& [from, to] : {std::pair{&options.select, &r.select}, std::pair{&options.ignore, &r.ignore}})
    for (const std::string& value : *from)
      for (const Field& field : split_fields(value, ','))
        if (!trim(field.text).empty()) to->emplace_back(trim(field.text));
  for (const std::string& file : options.files) r.inputs.push_back({file == "-" ? options.stdin_filename : file, std::nullopt});
  return r;
}

namespace {

// Counts per rule, most frequent first: "  12  PMT0101  unknown-directive  (3 fixable)".
void render_statistics(std::ostream& out, const std::vector<Diagnostic>& diagnostics) {
  struct Count {
    size_t all = 0, fixable = 0;
  };
  std::map<std::string_view, Count> counts;
  for (const Diagnostic& d : diagnostics) {
    ++counts[d.rule].all;
    counts[d.rule].fixable += d.fix.has_value();
  }
  std::vector<std::pair<std::string_view, Count>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.all > b.second.all; });
  for (const auto& [slug, count] : rows) {
    const Rule* rule = find_rule(slug);
    std::string row = fmt::format("{:>5}  {}  {:<26} {}", count.all, rule ? rule->code : "", slug,
                                  count.fixable ? fmt::format("({} fixable)", count.fixable) : std::string());
    row.erase(row.find_last_not_of(' ') + 1);
    out << row << '\n';
  }
}

// The report of an analysis and the exit code it earns.
int report(const ConfigOptions& options, const Analysis& a) {
  const Workspace& workspace = a.loaded.workspace;
  const std::vector<Diagnostic>& diagnostics = a.diagnostics;
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
  const TextStyle style{!to_file && use_color(options.color), true};
  if (options.statistics) {
    render_statistics(out, diagnostics);
    if (!options.quiet && workspace.size() > 0) render_text_summary(out, summary, style);
  } else if (const Renderer renderer = find_renderer(options.format)) {
    renderer(out, ReportInput{workspace, diagnostics, summary, kVersion});
  } else {
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
  if (options.exit_zero) return kExitClean;
  for (const Diagnostic& d : diagnostics)
    if (d.severity >= a.settings.fail_on) return kExitFindings;
  return kExitClean;
}

std::string plural(size_t n, std::string_view one, std::string_view many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

// --fix, --unsafe-fixes, --diff: fix in memory until nothing is left to fix, then write or show.
int run_fixes(const ConfigOptions& options, const AnalysisRequest& request) {
  auto fixed = analyze_and_fix(request, FixRequest{options.unsafe_fixes});
  if (!fixed) {
    std::cerr << "pmtalint: " << fixed.error() << '\n';
    return kExitFailure;
  }
  const Analysis& a = *fixed->analysis;
  for (const std::string& failure : a.loaded.failures) std::cerr << "pmtalint: " << failure << '\n';
  const std::string more = fixed->unsafe_left ? fmt::format("; {} more with --unsafe-fixes", fixed->unsafe_left) : "";
  if (options.diff) {
    for (const FixedFile& f : fixed->files) std::cout << unified_diff(f.original, f.fixed, f.path, f.path);
    std::cout.flush();
    std::cerr << fmt::format("pmtalint: {} would change {}{}\n", plural(fixed->applied, "fix", "fixes"), plural(fixed->files.size(), "file", "files"),
                             more);
    if (a.failed()) return kExitFailure;
    return fixed->files.empty() ? kExitClean : kExitFindings;
  }
  const bool from_stdin = std::any_of(request.inputs.begin(), request.inputs.end(), [](const LoadInput& i) { return i.text.has_value(); });
  bool written = true;
  for (const FixedFile& f : fixed->files) {
    const bool is_stdin = from_stdin && std::any_of(request.inputs.begin(), request.inputs.end(), [&](const LoadInput& i) {
      return i.text && i.path == f.path;
    });
    if (is_stdin) {
      std::cerr << "pmtalint: standard input is not rewritten; use --diff to see its fixes\n";
      written = false;
      continue;
    }
    if (auto ok = replace_file_contents(f.path, f.original, f.fixed); !ok) {
      std::cerr << fmt::format("pmtalint: {}: {}\n", f.path, ok.error());
      written = false;
    }
  }
  if (!written) return kExitFailure;
  std::cerr << fmt::format("pmtalint: applied {} in {}{}\n", plural(fixed->applied, "fix", "fixes"), plural(fixed->files.size(), "file", "files"),
                           more);
  return report(options, a);
}

}  // namespace

int run_config(const ConfigOptions& options) {
  AnalysisRequest request = request_for(options);
  if (!options.docs_url.empty()) set_rule_docs_base(options.docs_url);
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
  if (options.statistics && options.format != "text") {
    std::cerr << "pmtalint: --statistics prints a table of counts; it cannot be combined with --format " << options.format << '\n';
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
  if (options.fix || options.unsafe_fixes || options.diff) return run_fixes(options, request);
  auto analysis = analyze(request);
  if (!analysis) {
    std::cerr << "pmtalint: " << printable(analysis.error()) << '\n';
    return kExitFailure;
  }
  const Analysis& a = **analysis;
  const Workspace& workspace = a.loaded.workspace;
  for (const std::string& failure : a.loaded.failures) std::cerr << "pmtalint: " << printable(failure) << '\n';
  const std::vector<Diagnostic>& diagnostics = a.diagnostics;
  // No output may replace a file this run read: a configuration, an include, the baseline.
  std::vector<InputFile> inputs;
  for (const std::string& file : options.files) inputs.push_back({file, "a configuration named to lint"});
  if (!options.baseline.empty()) inputs.push_back({options.baseline, "the baseline"});
  if (!a.settings.project.path.empty()) inputs.push_back({a.settings.project.path, "the project configuration"});
  std::vector<FileKey> read;
  for (FileId f = 0; f < workspace.size(); ++f) read.push_back({workspace.identity(f).device, workspace.identity(f).inode});
  for (const auto& [option, target] : {std::pair{"--output", options.output}, std::pair{"--write-baseline", options.write_baseline}})
    if (!target.empty())
      if (auto ok = refuse_if_input(option, target, inputs, read); !ok) {
        std::cerr << "pmtalint: " << ok.error() << '\n';
        return kExitFailure;
      }
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
  return report(options, a);
}

}  // namespace pmtalint::cli
