// One-line-per-finding formats: gcc (editors, grep), GitHub workflow commands.
#include <fmt/format.h>

#include "report/formats.h"

namespace pmtalint {
namespace {

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
std::string github_escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

// Messages quote file text; keep terminal control bytes out of line formats.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02X}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

void render_gcc(std::ostream& out, const ReportInput& in) {
  for (const Diagnostic& d : in.diagnostics) {
    const SourceFile& file = in.workspace.file(d.where.file);
    const Position p = file.position(d.where.span.begin);
    out << fmt::format("{}:{}:{}: {}: {} [{}]\n", file.path(), p.line, p.column, severity_name(d.severity),
                       printable(d.message), d.rule);
  }
}

void render_github(std::ostream& out, const ReportInput& in) {
  for (const Diagnostic& d : in.diagnostics) {
    const SourceFile& file = in.workspace.file(d.where.file);
    const Position b = file.position(d.where.span.begin);
    const Position e = file.position(d.where.span.end);
    const std::string_view level = d.severity == Severity::Error ? "error"
                                   : d.severity == Severity::Warning ? "warning"
                                                                     : "notice";
    out << fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", level,
                       github_escape(file.path(), true), b.line, b.column, e.line, e.column,
                       github_escape(std::string(d.rule), true), github_escape(d.message, false));
  }
}

}  // namespace pmtalint
