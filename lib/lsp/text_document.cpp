#include "lsp/text_document.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>

#include "base/text.h"

namespace pmtalint::lsp {

TextDocument::TextDocument(std::string uri, std::string text, int64_t version)
    : uri_(std::move(uri)), text_(std::move(text)), version_(version) {
  index();
}

void TextDocument::index() {
  line_starts_.assign(1, 0);
  for (size_t at = text_.find('\n'); at != std::string::npos; at = text_.find('\n', at + 1)) line_starts_.push_back(at + 1);
}

size_t TextDocument::offset(Position p) const {
  if (p.line >= line_starts_.size()) return text_.size();
  const size_t start = line_starts_[p.line];
  size_t end = p.line + 1 < line_starts_.size() ? line_starts_[p.line + 1] - 1 : text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  size_t at = start;
  uint32_t units = 0;
  while (at < end && units < p.character) {
    const size_t len = std::max<size_t>(1, utf8_sequence_length(std::string_view(text_).substr(at, end - at)));
    units += len == 4 ? 2 : 1;  // characters outside the BMP are surrogate pairs in UTF-16
    at += len;
  }
  return std::min(at, end);
}

Position TextDocument::position(size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts_.begin() - 1);
  return {line, utf16_units(std::string_view(text_).substr(line_starts_[line], offset - line_starts_[line]))};
}

uint32_t utf16_units(std::string_view text) {
  uint32_t units = 0;
  for (size_t at = 0; at < text.size();) {
    const size_t len = std::max<size_t>(1, utf8_sequence_length(text.substr(at)));
    units += len == 4 ? 2 : 1;  // characters outside the BMP are surrogate pairs in UTF-16
    at += len;
  }
  return units;
}

void TextDocument::replace(Position start, Position end, std::string_view with) {
  size_t from = offset(start), to = offset(end);
  if (to < from) std::swap(from, to);
  text_.replace(from, to - from, with);
  // A keystroke in a large document must not rescan it: line starts before the change stay,
  // those inside it go, the change's own are added, and those after it move by its length.
  const auto first = std::upper_bound(line_starts_.begin(), line_starts_.end(), from);
  const auto last = std::upper_bound(first, line_starts_.end(), to);
  const auto delta = static_cast<ptrdiff_t>(with.size()) - static_cast<ptrdiff_t>(to - from);
  for (auto it = last; it != line_starts_.end(); ++it) *it = static_cast<size_t>(static_cast<ptrdiff_t>(*it) + delta);
  std::vector<size_t> added;
  for (size_t at = with.find('\n'); at != std::string_view::npos; at = with.find('\n', at + 1)) added.push_back(from + at + 1);
  line_starts_.insert(line_starts_.erase(first, last), added.begin(), added.end());
}

std::string uri_to_path(std::string_view uri) {
  if (!uri.starts_with("file://")) return std::string(uri);
  std::string_view rest = uri.substr(7);
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(slash);  // drop a host
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && std::isxdigit(static_cast<unsigned char>(rest[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(rest[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(rest.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += rest[i];
    }
  }
  return out;
}

std::string path_to_uri(std::string_view written) {
  // Workspace paths may be relative to the server's working directory (a root or main from a
  // .pmtalint.toml found above it); a URI is always absolute.
  std::error_code ec;
  const std::string path = std::filesystem::absolute(std::filesystem::path(written), ec).lexically_normal().string();
  std::string out = "file://";
  constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("/-._~").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

}  // namespace pmtalint::lsp
