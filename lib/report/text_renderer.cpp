#include "report/text_renderer.h"

#include <algorithm>

#include "base/text.h"
#include <fmt/format.h>

namespace pmtalint {
namespace {

constexpr size_t kMaxShownBytes = 200;

struct Palette {
  std::string_view bold, reset, error, warning, info, note, caret;
};

Palette palette(bool color) {
  if (!color) return {};
  return {"\x1b[1m", "\x1b[0m", "\x1b[1;31m", "\x1b[1;35m", "\x1b[1;36m", "\x1b[1;36m", "\x1b[1;32m"};
}

std::string_view severity_color(const Palette& p, Severity s) {
  switch (s) {
    case Severity::Error: return p.error;
    case Severity::Warning: return p.warning;
    case Severity::Info: return p.info;
  }
  return p.error;
}

// A line as it is shown: tabs expanded to 8 columns, control bytes (C0, DEL, C1) and non-UTF-8
// bytes as \xNN (as printable() shows them).
// `column_at[i]` is the display column of byte i, so the underline lines up.
struct ShownLine {
  std::string text;
  std::vector<size_t> column_at;
};

ShownLine show(std::string_view line) {
  ShownLine shown;
  shown.column_at.reserve(line.size() + 1);
  size_t column = 0;
  for (size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    shown.column_at.push_back(column);
    if (c == '\t') {
      const size_t width = 8 - column % 8;
      shown.text.append(width, ' ');
      column += width;
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      shown.text += fmt::format("\\x{:02X}", c);
      column += 4;
      ++i;
    } else if (c < 0x80) {
      shown.text.push_back(static_cast<char>(c));
      ++column;
      ++i;
    } else {
      const size_t n = utf8_sequence_length(line.substr(i));
      // Not UTF-8, or a C1 control (U+0080–U+009F, which terminals may obey as CSI/OSC): the
      // bytes as printable() shows them.
      const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(line[i + 1]) < 0xA0;
      if (n == 0 || c1) {
        const std::string escaped = printable(line.substr(i, c1 ? 2 : 1));
        if (c1) shown.column_at.push_back(column + 4);
        shown.text += escaped;
        column += escaped.size();
        i += c1 ? 2 : 1;
        continue;
      }
      for (size_t k = 1; k < n; ++k) shown.column_at.push_back(column);
      shown.text.append(line.substr(i, n));
      ++column;
      i += n;
    }
  }
  shown.column_at.push_back(column);
  return shown;
}

void snippet(std::ostream& out, const Workspace& ws, const Location& where, const Redactions& redactions,
             const Palette& p) {
  const SourceFile& file = ws.file(where.file);
  const Position pos = file.position(where.span.begin);
  const uint32_t line_start = file.line_start(pos.line);
  std::string_view raw = file.line_text(pos.line);
  uint32_t from = pos.column - 1;
  // Very long lines are shown around the span only.
  size_t window_begin = from > kMaxShownBytes / 2 ? from - kMaxShownBytes / 2 : 0;
  // Do not cut a UTF-8 sequence in half.
  while (window_begin > 0 && (static_cast<unsigned char>(raw[window_begin]) & 0xC0) == 0x80) --window_begin;
  std::string masked = redactions.mask(where.file, line_start, raw);
  std::string_view line(masked);
  size_t window_end = std::min(line.size(), window_begin + kMaxShownBytes);
  while (window_end < line.size() && (static_cast<unsigned char>(line[window_end]) & 0xC0) == 0x80) ++window_end;
  const ShownLine shown = show(line.substr(window_begin, window_end - window_begin));
  const std::string number = fmt::format("{:>5}", pos.line);
  const std::string gutter(number.size(), ' ');
  const std::string_view before = window_begin > 0 ? "…" : "";
  const std::string_view after = window_end < line.size() ? "…" : "";
  out << fmt::format(" {} | {}{}{}\n", number, before, shown.text, after);

  const size_t rel_begin = std::min<size_t>(from - window_begin, shown.column_at.size() - 1);
  const uint32_t span_end_in_line =
      std::min<uint32_t>(where.span.end, line_start + static_cast<uint32_t>(raw.size())) - line_start;
  const size_t rel_end = std::clamp<size_t>(span_end_in_line > window_begin ? span_end_in_line - window_begin : 0,
                                            rel_begin, shown.column_at.size() - 1);
  const size_t col_begin = shown.column_at[rel_begin];
  const size_t col_end = std::max(shown.column_at[rel_end], col_begin + 1);
  std::string underline(col_begin + (before.empty() ? 0 : 1), ' ');
  underline += '^';
  underline.append(col_end - col_begin - 1, '~');
  out << fmt::format(" {} | {}{}{}\n", gutter, p.caret, underline, p.reset);
}

void headline(std::ostream& out, const Workspace& ws, const Location& where, std::string_view severity_text,
              std::string_view color, std::string_view message, std::string_view rule, const Palette& p) {
  const SourceFile& file = ws.file(where.file);
  const Position pos = file.position(where.span.begin);
  // The path and the message quote inputs (file names, values): control bytes never reach the
  // terminal, so no line can be forged or recoloured.
  out << fmt::format("{}{}:{}:{}:{} {}{}:{} {}", p.bold, printable(file.path()), pos.line, pos.column, p.reset, color,
                     severity_text, p.reset, printable(message));
  if (!rule.empty()) out << fmt::format(" [{}]", rule);
  out << '\n';
}

}  // namespace

void render_text(std::ostream& out, const Workspace& ws, const std::vector<Diagnostic>& diagnostics,
                 const Redactions& redactions, const TextStyle& style) {
  const Palette p = palette(style.color);
  for (const Diagnostic& d : diagnostics) {
    headline(out, ws, d.where, severity_name(d.severity), severity_color(p, d.severity), d.message, d.rule, p);
    if (style.snippets) snippet(out, ws, d.where, redactions, p);
    for (const Note& n : d.notes) {
      headline(out, ws, n.where, "note", p.note, n.message, {}, p);
      if (style.snippets) snippet(out, ws, n.where, redactions, p);
    }
    if (d.fix && style.snippets) out << fmt::format("  = fix available: {}\n", printable(d.fix->title));
  }
}

void render_text_summary(std::ostream& out, const Summary& s, const TextStyle& style) {
  const Palette p = palette(style.color);
  auto plural = [](size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  for (const std::string& notice : s.notices) out << fmt::format("{}note:{} {}\n", p.note, p.reset, printable(notice));
  const std::string silenced = s.suppressed ? fmt::format(" ({} suppressed)", s.suppressed) : std::string();
  if (s.errors + s.warnings + s.infos == 0) {
    out << fmt::format("{}no problems found{} in {}{}\n", p.bold, p.reset, plural(s.files, "file"), silenced);
    return;
  }
  out << fmt::format("{}{}, {}, {}{} in {}{}\n", p.bold, plural(s.errors, "error"), plural(s.warnings, "warning"),
                     plural(s.infos, "info"), p.reset, plural(s.files, "file"), silenced);
}

}  // namespace pmtalint
