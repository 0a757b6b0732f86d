// One-line-per-finding formats: gcc (editors, grep), GitHub workflow commands.
#include <fmt/format.h>

#include "base/text.h"
#include "report/formats.h"

namespace pmtalint {
namespace {

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','. Other control
// bytes are shown as \xNN (printable), as in every human-readable format.
std::string github_escape(std::string_view raw, bool property) {
  std::string out;
  for (char c : printable(raw, "\r\n")) {
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

}  // namespace

void render_gcc(std::ostream& out, const ReportInput& in) {
  for (const Diagnostic& d : in.diagnostics) {
    const SourceFile& file = in.workspace.file(d.where.file);
    const Position p = file.position(d.where.span.begin);
    // Paths and messages quote inputs; control bytes would forge lines (printable escapes them).
    out << fmt::format("{}:{}:{}: {}: {} [{}]\n", printable(file.path()), p.line, p.column, severity_name(d.severity),
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
