#include "syntax/lexer.h"

#include <cstring>

#include "base/slugs.h"
#include "base/text.h"
#include <fmt/format.h>

namespace pmtalint {

std::string_view token_kind_name(TokenKind k) {
  switch (k) {
    case TokenKind::Whitespace: return "whitespace";
    case TokenKind::Newline: return "newline";
    case TokenKind::Comment: return "comment";
    case TokenKind::Bom: return "byte-order mark";
    case TokenKind::Bad: return "bad bytes";
    case TokenKind::Word: return "word";
    case TokenKind::Quoted: return "quoted string";
    case TokenKind::TagOpen: return "'<'";
    case TokenKind::TagCloseOpen: return "'</'";
    case TokenKind::TagEnd: return "'>'";
  }
  return "token";
}

namespace {

bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f; }

size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  return utf8_sequence_length(std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(end - p)));
}

}  // namespace

Span LineLexer::next_line(std::vector<Token>& out) {
  out_ = &out;
  const auto size = static_cast<uint32_t>(text_.size());
  const uint32_t line_begin = pos_;
  if (pos_ == 0 && text_.starts_with("\xEF\xBB\xBF")) {
    push(TokenKind::Bom, 0, 3);
    pos_ = 3;
  }
  const void* nl = pos_ < size ? std::memchr(text_.data() + pos_, '\n', size - pos_) : nullptr;
  const uint32_t content_end = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - text_.data()) : size;
  uint32_t newline_begin = content_end;
  if (nl && content_end > pos_ && text_[content_end - 1] == '\r') --newline_begin;
  if (pos_ < size) lex_line(pos_, newline_begin);
  if (nl) {
    push(TokenKind::Newline, newline_begin, content_end + 1);
    pos_ = content_end + 1;
  } else {
    pos_ = size;
    done_ = true;
  }
  return {line_begin, newline_begin};
}

void LineLexer::error(uint32_t begin, uint32_t end, std::string message) {
  diagnostics_.push_back({slug::kSyntaxError, Severity::Error, {file_, {begin, end}}, std::move(message), {}, {}});
}

void LineLexer::lex_line(uint32_t pos, uint32_t end) {
  if (end - pos > kMaxLineBytes) {
    push(TokenKind::Bad, pos, end);
    error(pos, pos, fmt::format("line is {} bytes long; lines longer than {} bytes are not read", end - pos,
                                kMaxLineBytes));
    return;
  }
  pos = blanks(pos, end);
  if (pos < end && text_[pos] == '<') {
    const bool closing = pos + 1 < end && text_[pos + 1] == '/';
    const uint32_t after = pos + (closing ? 2 : 1);
    push(closing ? TokenKind::TagCloseOpen : TokenKind::TagOpen, pos, after);
    pos = tag_body(after, end);
  }
  while (pos < end) {
    const auto c = static_cast<unsigned char>(text_[pos]);
    if (is_blank(c)) pos = blanks(pos, end);
    else if (c == '#') { push(TokenKind::Comment, pos, end); pos = end; }
    else if (c == '"') pos = quoted(pos, end);
    else pos = word(pos, end, false);
  }
}

// Inside a tag a '>' ends the word and the tag; a comment can still follow.
uint32_t LineLexer::tag_body(uint32_t pos, uint32_t end) {
  while (pos < end) {
    const auto c = static_cast<unsigned char>(text_[pos]);
    if (is_blank(c)) pos = blanks(pos, end);
    else if (c == '#') return pos;
    else if (c == '>') { push(TokenKind::TagEnd, pos, pos + 1); return pos + 1; }
    else pos = word(pos, end, true);
  }
  return pos;
}

uint32_t LineLexer::blanks(uint32_t pos, uint32_t end) {
  const uint32_t start = pos;
  while (pos < end && is_blank(static_cast<unsigned char>(text_[pos]))) ++pos;
  if (pos > start) push(TokenKind::Whitespace, start, pos);
  return pos;
}

uint32_t LineLexer::word(uint32_t pos, uint32_t end, bool in_tag) {
  const uint32_t start = pos;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
  while (pos < end) {
    const unsigned char c = bytes[pos];
    if (is_blank(c) || c == '#' || (in_tag && c == '>')) break;
    if (is_control(c)) break;
    if (c < 0x80) { ++pos; continue; }
    const size_t n = utf8_length(bytes + pos, bytes + end);
    if (n == 0) break;
    pos += static_cast<uint32_t>(n);
  }
  if (pos > start) {
    push(TokenKind::Word, start, pos);
    return pos;
  }
  return bad_bytes(pos, end);
}

uint32_t LineLexer::bad_bytes(uint32_t pos, uint32_t end) {
  const uint32_t start = pos;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
  while (pos < end) {
    const unsigned char c = bytes[pos];
    if (is_control(c) || (c >= 0x80 && utf8_length(bytes + pos, bytes + end) == 0)) ++pos;
    else break;
  }
  push(TokenKind::Bad, start, pos);
  const unsigned char first = bytes[start];
  if (first == 0)
    error(start, pos, "NUL byte in a configuration file; PMTA reads text, not binary data");
  else if (first < 0x80)
    error(start, pos, fmt::format("control character 0x{:02X}; only tabs and spaces may separate words", first));
  else
    error(start, pos, fmt::format("invalid UTF-8 (byte 0x{:02X}); PMTA reads configuration files as UTF-8", first));
  return pos;
}

// A double-quoted value with backslash escapes. A '#' ends it like any other line, because
// PMTA removes comments before it reads values.
uint32_t LineLexer::quoted(uint32_t pos, uint32_t end) {
  const uint32_t start = pos++;
  while (pos < end) {
    const char c = text_[pos];
    if (c == '\\' && pos + 1 < end && text_[pos + 1] != '#') { pos += 2; continue; }
    if (c == '"') {
      push(TokenKind::Quoted, start, pos + 1);
      return pos + 1;
    }
    if (c == '#') break;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
    if (is_control(bytes[pos]) || (bytes[pos] >= 0x80 && utf8_length(bytes + pos, bytes + end) == 0)) break;
    pos += bytes[pos] < 0x80 ? 1 : static_cast<uint32_t>(utf8_length(bytes + pos, bytes + end));
  }
  push(TokenKind::Quoted, start, pos);
  if (pos < end && text_[pos] == '#')
    error(start, pos, "quoted value is cut by '#': a '#' starts a comment even inside quotes");
  else
    error(start, pos, "unterminated quoted value: missing closing '\"'");
  return pos;
}

LexResult lex(std::string_view text, FileId file) {
  LexResult result;
  result.tokens.reserve(text.size() / 4 + 16);  // about one token per four bytes of config text
  LineLexer lexer(text, file, result.diagnostics);
  while (!lexer.done()) lexer.next_line(result.tokens);
  return result;
}

}  // namespace pmtalint
