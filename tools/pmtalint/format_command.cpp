// `pmtalint format`: the language server's formatting from the command line (lib/syntax/format):
// re-indentation by block depth, nothing else, written the way --fix writes (base/atomic_write).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "analysis/discover.h"
#include "base/atomic_write.h"
#include "base/expected.h"
#include "base/unified_diff.h"
#include "commands.h"
#include "schema/knowledge.h"
#include "settings/project_config.h"
#include "syntax/file_reader.h"
#include "syntax/format.h"
#include "syntax/parser.h"

namespace pmtalint::cli {
namespace {

namespace fs = std::filesystem;

std::string formatted(const std::string& path, const std::string& text, const FormatOptions& options) {
  const SourceFile file(path, text);
  const ParseResult parsed = parse(file, 0, ParseOptions{is_top_level_only_block});
  return apply_indent(text, reindent(parsed.tree, IndentStyle{options.indent, options.tabs}));
}

}  // namespace

int run_format(const FormatOptions& options) {
  if (options.indent < 1 || options.indent > 16) {
    std::cerr << "pmtalint: --indent takes 1 to 16 spaces\n";
    return kExitFailure;
  }
  bool failed = false;
  std::vector<std::string> files;
  for (const std::string& path : options.files) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    ProjectConfig project;
    if (const auto found = find_project_config((fs::path(path) / "config").string()))
      if (auto read = read_project_config(*found)) project = std::move(*read);
    const auto under = configuration_files_under(path, project);
    if (under.empty()) {
      std::cerr << fmt::format("pmtalint: {}: no PMTA configuration files in this directory\n", path);
      failed = true;
    }
    files.insert(files.end(), under.begin(), under.end());
  }
  size_t changed = 0, unchanged = 0;
  for (const std::string& path : files) {
    const bool is_stdin = path == "-";
    const std::string shown = is_stdin ? options.stdin_filename : path;
    expected<std::string, std::string> contents = std::string();
    if (is_stdin) {
      contents = read_stdin();
    } else if (auto file = read_regular_file(path)) {
      contents = std::move(file->text);
    } else {
      contents = unexpected(file.error());
    }
    if (!contents) {
      std::cerr << fmt::format("pmtalint: {}: {}\n", shown, contents.error());
      failed = true;
      continue;
    }
    if (const std::string why = binary_reason(*contents); !why.empty()) {
      std::cerr << fmt::format("pmtalint: {}: {}; not a PMTA configuration\n", shown, why);
      failed = true;
      continue;
    }
    if (const std::string kind = key_material_kind(*contents); !kind.empty()) {
      std::cerr << fmt::format("pmtalint: {}: holds {}, not a PMTA configuration; not formatted\n", shown, kind);
      failed = true;
      continue;
    }
    const std::string after = formatted(shown, *contents, options);
    if (is_stdin && !options.check && !options.diff) {  // a filter: the result on standard output
      std::cout << after;
      continue;
    }
    if (after == *contents) {
      ++unchanged;
      continue;
    }
    ++changed;
    if (options.diff) std::cout << unified_diff(*contents, after, shown, shown);
    else if (options.check) std::cerr << fmt::format("would reformat {}\n", shown);
    else if (auto ok = replace_file_contents(path, *contents, after); !ok) {
      std::cerr << fmt::format("pmtalint: {}: {}\n", shown, ok.error());
      failed = true;
      --changed;
    }
  }
  std::cout.flush();
  const bool dry = options.check || options.diff;
  if (changed + unchanged > 0)
    std::cerr << fmt::format("{} file{} {}, {} already formatted\n", changed, changed == 1 ? "" : "s",
                             dry ? "would be reformatted" : "reformatted", unchanged);
  if (failed) return kExitFailure;
  return dry && changed > 0 ? kExitFindings : kExitClean;
}

}  // namespace pmtalint::cli
