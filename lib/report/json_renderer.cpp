#include "report/formats.h"

#include <nlohmann/json.hpp>

#include "checks/registry.h"

namespace pmtalint {
namespace {

using json = nlohmann::ordered_json;

json location(const Workspace& ws, const Location& where) {
  const SourceFile& file = ws.file(where.file);
  const Position begin = file.position(where.span.begin);
  const Position end = file.position(where.span.end);
  return {{"file", file.path()},
          {"line", begin.line},
          {"column", begin.column},
          {"end_line", end.line},
          {"end_column", end.column}};
}

json diagnostic_json(const Workspace& ws, const Diagnostic& d) {
  json item = location(ws, d.where);
  item["severity"] = severity_name(d.severity);
  item["rule"] = d.rule;
  const Rule* rule = find_rule(d.rule);
  item["code"] = rule ? rule->code : "";
  item["message"] = d.message;
  json notes = json::array();
  for (const Note& n : d.notes) {
    json note = location(ws, n.where);
    note["message"] = n.message;
    notes.push_back(note);
  }
  item["notes"] = notes;
  json fixes = json::array();
  if (d.fix) {
    json edits = json::array();
    for (const TextEdit& e : d.fix->edits) {
      json edit = location(ws, e.where);
      edit["replacement"] = e.replacement;
      edits.push_back(edit);
    }
    fixes.push_back({{"title", d.fix->title}, {"safe", d.fix->safe}, {"edits", edits}});
  }
  item["fixes"] = fixes;
  return item;
}

// Invalid UTF-8 from a broken file must not abort the run: replace it.
std::string dump(const json& j, int indent) { return j.dump(indent, ' ', false, json::error_handler_t::replace); }

}  // namespace

void render_json_lines(std::ostream& out, const ReportInput& in) {
  for (const Diagnostic& d : in.diagnostics) out << dump(diagnostic_json(in.workspace, d), -1) << '\n';
}

void render_json(std::ostream& out, const ReportInput& in) {
  const Workspace& ws = in.workspace;
  json report;
  report["version"] = 1;
  report["tool"] = {{"name", "pmtalint"}, {"version", in.tool_version}};
  json files = json::array();
  for (FileId f = 0; f < ws.size(); ++f) {
    const bool root = std::find(ws.roots().begin(), ws.roots().end(), f) != ws.roots().end();
    files.push_back({{"path", ws.file(f).path()}, {"included", !root}});
  }
  report["files"] = files;
  json list = json::array();
  for (const Diagnostic& d : in.diagnostics) list.push_back(diagnostic_json(ws, d));
  report["diagnostics"] = list;
  report["summary"] = {{"files", in.summary.files},
                       {"errors", in.summary.errors},
                       {"warnings", in.summary.warnings},
                       {"infos", in.summary.infos},
                       {"suppressed", in.summary.suppressed},
                       {"notices", in.summary.notices}};
  out << dump(report, 2) << '\n';
}

}  // namespace pmtalint
