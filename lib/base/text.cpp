#include "base/text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace pmtalint {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool has_upper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

size_t utf8_sequence_length(std::string_view s) {
  if (s.empty()) return 0;
  const auto c = static_cast<unsigned char>(s[0]);
  size_t n;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) { n = 2; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { n = 3; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { n = 4; min = 0x10000; }
  else return 0;
  if (s.size() < n) return 0;
  uint32_t cp = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string printable(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto hex = [&](std::string& out, unsigned char c) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      if (keep.find(static_cast<char>(c)) != std::string_view::npos) out += static_cast<char>(c);
      else hex(out, c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      const size_t n = utf8_sequence_length(text.substr(i));
      if (n == 0) {
        hex(out, c);
        ++i;
      } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
        hex(out, c);  // a C1 control character: both bytes shown
        hex(out, static_cast<unsigned char>(text[i + 1]));
        i += 2;
      } else {
        out.append(text.substr(i, n));
        i += n;
      }
    }
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : printable(text, "\t\n")) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  const size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > limit) return limit + 1;
  // Optimal string alignment: Levenshtein plus the transposition of two adjacent characters
  // (`bluk` -> `bulk` is one edit). Three rows: the one before the previous is needed for it.
  // Keywords are short and this runs for every directive of a large file: rows on the stack.
  constexpr size_t kStackRow = 64;
  std::array<size_t, 3 * (kStackRow + 1)> stack_rows;
  std::vector<size_t> heap_rows;
  size_t* rows = stack_rows.data();
  if (b.size() > kStackRow) {
    heap_rows.resize(3 * (b.size() + 1));
    rows = heap_rows.data();
  }
  size_t* before = rows;
  size_t* previous = rows + b.size() + 1;
  size_t* row = rows + 2 * (b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  const auto same = [](char x, char y) { return ascii_lower(x) == ascii_lower(y); };
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    size_t best = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        row[j] = std::min(row[j], before[j - 2] + 1);
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

std::vector<Field> split_fields(std::string_view s, char separator) {
  std::vector<Field> out;
  size_t start = 0;
  for (;;) {
    const size_t end = s.find(separator, start);
    const std::string_view item = s.substr(start, end == std::string_view::npos ? s.size() - start : end - start);
    const size_t lead = item.find_first_not_of(" \t");
    out.push_back({start + (lead == std::string_view::npos ? 0 : lead), trim(item)});
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace pmtalint
