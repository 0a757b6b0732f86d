#include "lsp/message_json.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/text.h"

namespace pmtalint::lsp {
namespace {

using json = nlohmann::json;

// Strings shorter than this are left to nlohmann: only documents are worth a second path.
constexpr size_t kLongString = 4096;
// Placeholders are looked for this deep at most; LSP parameters are shallow.
constexpr int kMaxDepth = 32;
constexpr std::string_view kPlaceholder = "\u0001pmtalint-long-string-";

std::optional<uint32_t> hex4(std::string_view s) {
  if (s.size() < 4) return std::nullopt;
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    const char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
    else return std::nullopt;
  }
  return v;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The text between a string's quotes, escapes resolved; nullopt for anything JSON does not
// allow there (control characters, bad escapes, lone surrogates, invalid UTF-8).
std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && static_cast<unsigned char>(s[run]) >= 0x20 && static_cast<unsigned char>(s[run]) < 0x80 && s[run] != '\\')
      ++run;
    out.append(s.substr(i, run - i));
    i = run;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) return std::nullopt;
    if (c >= 0x80) {
      const size_t len = utf8_sequence_length(s.substr(i));
      if (len == 0) return std::nullopt;
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    if (i + 1 >= s.size()) return std::nullopt;  // a backslash escapes the closing quote: not ours to end
    const char e = s[i + 1];
    i += 2;
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto cp = hex4(s.substr(i));
        if (!cp) return std::nullopt;
        i += 4;
        if (*cp >= 0xDC00 && *cp <= 0xDFFF) return std::nullopt;
        if (*cp >= 0xD800 && *cp <= 0xDBFF) {
          if (s.substr(i, 2) != "\\u") return std::nullopt;
          const auto low = hex4(s.substr(i + 2));
          if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
          cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
          i += 6;
        }
        append_utf8(out, *cp);
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

// Puts the long strings back where their placeholders stand; false when a placeholder is
// missing or seen twice (a real string that happens to look like one).
bool restore(json& value, std::vector<std::string>& longs, std::vector<bool>& used, int depth) {
  if (depth > kMaxDepth) return true;  // a placeholder left below is found missing by the caller
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (!s.starts_with(kPlaceholder)) return true;
    size_t index = 0;
    for (const char c : s.substr(kPlaceholder.size())) {
      if (c < '0' || c > '9' || index > longs.size()) return false;
      index = index * 10 + static_cast<size_t>(c - '0');
    }
    if (index >= longs.size() || used[index]) return false;
    used[index] = true;
    value = std::move(longs[index]);
    return true;
  }
  if (value.is_structured())
    for (json& child : value)
      if (!restore(child, longs, used, depth + 1)) return false;
  return true;
}

}  // namespace

json parse_message(std::string_view body) {
  if (body.size() < kLongString) return json::parse(body);
  std::string rest;  // the body with each long string value replaced by a placeholder
  std::vector<std::string> longs;
  size_t copied = 0;
  for (size_t at = body.find('"'); at != std::string_view::npos;) {
    size_t end = at + 1;
    for (;;) {  // the closing quote: the first one not escaped
      while (end < body.size() && body[end] != '"' && body[end] != '\\') ++end;
      if (end >= body.size()) return json::parse(body);  // unterminated: nlohmann says where
      if (body[end] == '"') break;
      end += 2;
    }
    size_t after = end + 1;
    while (after < body.size() && (body[after] == ' ' || body[after] == '\t' || body[after] == '\n' || body[after] == '\r')) ++after;
    const bool key = after < body.size() && body[after] == ':';
    if (!key && end - at - 1 >= kLongString) {
      auto text = decode(body.substr(at + 1, end - at - 1));
      if (!text) return json::parse(body);
      rest.append(body.substr(copied, at - copied));
      rest += '"';
      rest += "\\u0001";
      rest.append(kPlaceholder.substr(1));
      rest += std::to_string(longs.size());
      rest += '"';
      copied = end + 1;
      longs.push_back(std::move(*text));
    }
    at = body.find('"', end + 1);
  }
  if (longs.empty()) return json::parse(body);
  rest.append(body.substr(copied));
  json message;
  try {
    message = json::parse(rest);
  } catch (const json::parse_error&) {
    return json::parse(body);  // the error as it stands in the message itself
  }
  std::vector<bool> used(longs.size(), false);
  if (!restore(message, longs, used, 0) || std::find(used.begin(), used.end(), false) != used.end()) return json::parse(body);
  return message;
}

size_t nesting_depth(std::string_view body) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace pmtalint::lsp
