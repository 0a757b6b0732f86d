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

struct ParseResult {
  Tree tree;
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& file, FileId id);

}  // namespace pmtalint
