#pragma once
// An open document as the editor sees it. LSP positions count UTF-16 code units within a
// line; pmtalint's spans count bytes. Conversions go through the line's UTF-8 text, and
// invalid UTF-8 bytes count as one unit each, so no input can push a position out of range.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pmtalint::lsp {

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;  // UTF-16 code units
};

class TextDocument {
 public:
  TextDocument(std::string uri, std::string text, int64_t version);

  const std::string& uri() const { return uri_; }
  const std::string& text() const { return text_; }
  int64_t version() const { return version_; }

  size_t offset(Position p) const;       // clamped to the line and the document
  Position position(size_t offset) const;
  // Applies one contentChanges entry; without a range the whole text is replaced.
  void replace(Position start, Position end, std::string_view with);
  void replace_all(std::string text) { text_ = std::move(text); index(); }
  void set_version(int64_t v) { version_ = v; }

 private:
  void index();
  std::string uri_;
  std::string text_;
  int64_t version_;
  std::vector<size_t> line_starts_;
};

// UTF-16 code units of UTF-8 text (an invalid byte counts as one unit).
uint32_t utf16_units(std::string_view text);

// file:///etc/pmta/config → /etc/pmta/config (percent-decoded); other schemes keep the URI.
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

}  // namespace pmtalint::lsp
