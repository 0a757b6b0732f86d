#pragma once
// Builds the tree of one file from its tokens. The parser never stops: malformed tags,
// unbalanced blocks and syntax borrowed from other formats are reported and repaired in the
// tree, so later stages always get a tree and find the problems further down the file.
#include <vector>

#include "base/diagnostic.h"
#include "syntax/tree.h"

namespace pmtalint {

// PMTA nests at most three levels (<virtual-mta> <domain> …); anything far deeper is noise
// or an attack, and a bound keeps the block stack small.
inline constexpr size_t kMaxBlockDepth = 64;

struct ParseOptions {
  // Tags that only ever stand at the top level. When one appears inside an open block, that
  // block was left unclosed: recovering there keeps one missing '</domain>' from turning the
  // rest of the file into findings. Supplied by the caller (the parser knows no block kinds).
  bool (*top_level_only)(std::string_view tag) = nullptr;
  // Keywords PMTA has (directive and block names). The loader uses it to tell an included file that is
  // not configuration at all (a system file, a data list) from one with mistakes in it.
  bool (*known_keyword)(std::string_view keyword) = nullptr;
  // The lossless token vector, for round trips; analyses need only the tree and its comments.
  bool keep_tokens = true;
};

struct ParseResult {
  Tree tree;
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& file, FileId id, const ParseOptions& options = {});

}  // namespace pmtalint
