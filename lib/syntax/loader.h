#pragma once
// Loads the files to lint and, transitively, what they include: shell wildcards expanded in
// sorted order, absolute paths re-rooted under --root, cycles, missing or odd files and
// excessive depth reported as include-error on the include line. A file that cannot be read at
// all is a failure of the run (exit 2), not a finding.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "syntax/parser.h"
#include "syntax/workspace.h"

namespace pmtalint {

inline constexpr size_t kMaxIncludeDepth = 64;
inline constexpr size_t kMaxWildcardFiles = 20000;                   // files one wildcard include reads
inline constexpr size_t kMaxIncludedBytes = size_t{256} << 20;        // bytes all includes of a run read

struct LoadInput {
  std::string path;                 // as the user named it ("-" is not special here)
  std::optional<std::string> text;  // given for stdin or an editor buffer; read from disk otherwise
};

struct LoadOptions {
  std::string root;  // absolute paths in the configuration are opened under this directory
  ParseOptions parse;
  // Text to use instead of a file's contents (an editor's open documents), keyed by absolute,
  // normalised path.
  std::map<std::string, std::string> overlays;
};

struct LoadResult {
  Workspace workspace;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> failures;  // "PATH: reason", one per input that could not be linted
  std::vector<FileId> input_files;    // per input: its file, or kNoNode when it could not be read
};

LoadResult load(const std::vector<LoadInput>& inputs, const LoadOptions& options);

// Where a path written in `from_file` points: absolute paths re-rooted under `root` (when set),
// relative ones taken from the directory of `from_file`. Used for includes and key files alike.
std::string resolve_include_path(const std::string& from_file, std::string_view written, const std::string& root);

}  // namespace pmtalint
