#pragma once
// One input file: its bytes, the path to show the user, and a table of line starts so that
// any byte offset becomes a 1-based line and column with a binary search.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/span.h"

namespace pmtalint {

struct Position {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, counted in bytes (as gcc and Vim's quickfix expect)
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  std::string_view slice(Span span) const { return std::string_view(text_).substr(span.begin, span.size()); }

  Position position(uint32_t offset) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  // The text of a 1-based line, without its line ending.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_start(uint32_t line) const { return line_starts_[line - 1]; }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

}  // namespace pmtalint
