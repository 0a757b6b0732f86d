#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "checks/baseline.h"
#include "checks/lint.h"
#include "checks/suppressions.h"
#include "checks/secrets.h"
#include "schema/knowledge.h"
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

int run_config(const ConfigOptions& options) {
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

  LintOptions lint_options;
  if (!options.pmta_version.empty()) {
    const auto version = PmtaVersion::parse(options.pmta_version);
    if (!version) {
      std::cerr << "pmtalint: --pmta-version takes MAJOR.MINOR, such as 5.0\n";
      return kExitFailure;
    }
    lint_options.pmta_version = *version;
  }

  const LoadResult loaded = load(inputs, LoadOptions{options.root, ParseOptions{is_top_level_only_block}});
  for (const std::string& failure : loaded.failures) std::cerr << "pmtalint: " << failure << '\n';
  SuppressionResult checked = apply_suppressions(loaded.workspace, lint(loaded, lint_options));
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
    render_text(out, loaded.workspace, diagnostics, Redactions::find(loaded.workspace), style);
    // With nothing read, a "no problems" line would read as a pass; the errors on stderr say it all.
    if (!options.quiet && loaded.workspace.size() > 0) render_text_summary(out, summary, style);
  }
  out.flush();
  if (!out) {
    std::cerr << "pmtalint: cannot write the report" << (to_file ? " to '" + options.output + "'" : "") << "\n";
    return kExitFailure;
  }
  if (!loaded.failures.empty()) return kExitFailure;
  const Severity threshold = parse_severity(options.fail_on).value_or(Severity::Error);
  for (const Diagnostic& d : diagnostics)
    if (d.severity >= threshold) return kExitFindings;
  return kExitClean;
}

}  // namespace pmtalint::cli
