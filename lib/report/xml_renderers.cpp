// Checkstyle and JUnit XML, the two formats most CI servers import.
#include <fmt/format.h>

#include <map>

#include "base/text.h"

#include "report/formats.h"

namespace pmtalint {
namespace {

// XML 1.0 text: markup characters escaped; control bytes and invalid UTF-8 (which XML cannot
// carry) shown as \xNN.
std::string xml(std::string_view text) { return xml_escape(text); }

std::string_view checkstyle_severity(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "info";
}

}  // namespace

void render_checkstyle(std::ostream& out, const ReportInput& in) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (FileId f = 0; f < in.workspace.size(); ++f) {
    const SourceFile& file = in.workspace.file(f);
    out << fmt::format("  <file name=\"{}\">\n", xml(file.path()));
    for (const Diagnostic& d : in.diagnostics) {
      if (d.where.file != f) continue;
      const Position p = file.position(d.where.span.begin);
      out << fmt::format("    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"pmtalint.{}\"/>\n",
                         p.line, p.column, checkstyle_severity(d.severity), xml(d.message), d.rule);
    }
    out << "  </file>\n";
  }
  out << "</checkstyle>\n";
}

// One test case per file and rule that found something there, and one passing case for each
// file without findings, so a clean run still shows what was checked.
void render_junit(std::ostream& out, const ReportInput& in) {
  std::map<std::pair<FileId, std::string_view>, std::vector<const Diagnostic*>> cases;
  for (const Diagnostic& d : in.diagnostics) cases[{d.where.file, d.rule}].push_back(&d);
  size_t tests = 0;
  for (FileId f = 0; f < in.workspace.size(); ++f) {
    bool any = false;
    for (const auto& [key, list] : cases) any |= key.first == f;
    tests += any ? 0 : 1;
  }
  tests += cases.size();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"pmtalint\" tests=\"{}\" failures=\"{}\">\n", tests, cases.size());
  out << fmt::format("  <testsuite name=\"pmtalint\" tests=\"{}\" failures=\"{}\">\n", tests, cases.size());
  for (FileId f = 0; f < in.workspace.size(); ++f) {
    const SourceFile& file = in.workspace.file(f);
    bool any = false;
    for (const auto& [key, list] : cases) {
      if (key.first != f) continue;
      any = true;
      std::string body;
      for (const Diagnostic* d : list) {
        const Position p = file.position(d->where.span.begin);
        body += fmt::format("{}:{}:{}: {}: {}\n", file.path(), p.line, p.column, severity_name(d->severity), d->message);
      }
      out << fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", xml(file.path()), key.second);
      out << fmt::format("      <failure message=\"{} finding(s) of {}\" type=\"{}\">{}</failure>\n", list.size(),
                         key.second, key.second, xml(body));
      out << "    </testcase>\n";
    }
    if (!any) out << fmt::format("    <testcase classname=\"{}\" name=\"pmtalint\"/>\n", xml(file.path()));
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace pmtalint
