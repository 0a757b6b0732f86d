#pragma once
// Formatting of one file: re-indentation by block depth, nothing else. Only leading blanks
// change, and PMTA ignores those, so the configuration means the same afterwards. Shared by
// `pmtalint format` and the language server's formatting and range formatting.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/tree.h"

namespace pmtalint {

struct IndentStyle {
  int width = 4;       // spaces per level, 1–16
  bool tabs = false;   // one tab per level instead
};

struct IndentEdit {
  Span span;  // the leading blanks of one line
  std::string text;
};

// The edits that indent each directive, tag and comment line of the tree's file by its depth
// (continuation lines one level deeper), for lines first_line…last_line (1-based, inclusive).
std::vector<IndentEdit> reindent(const Tree& tree, const IndentStyle& style, uint32_t first_line = 1,
                                 uint32_t last_line = std::numeric_limits<uint32_t>::max());

// The text with the edits applied (edits in file order, not overlapping).
std::string apply_indent(std::string_view text, const std::vector<IndentEdit>& edits);

}  // namespace pmtalint
