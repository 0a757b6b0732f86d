#include "report/json_renderer.h"

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

}  // namespace

void render_json(std::ostream& out, const Workspace& ws, const std::vector<Diagnostic>& diagnostics,
                 const Summary& summary, std::string_view tool_version) {
  json report;
  report["version"] = 1;
  report["tool"] = {{"name", "pmtalint"}, {"version", tool_version}};
  json files = json::array();
  for (FileId f = 0; f < ws.size(); ++f) {
    const bool root = std::find(ws.roots().begin(), ws.roots().end(), f) != ws.roots().end();
    files.push_back({{"path", ws.file(f).path()}, {"included", !root}});
  }
  report["files"] = files;
  json list = json::array();
  for (const Diagnostic& d : diagnostics) {
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
      fixes.push_back({{"title", d.fix->title}, {"edits", edits}});
    }
    item["fixes"] = fixes;
    list.push_back(item);
  }
  report["diagnostics"] = list;
  report["summary"] = {{"files", summary.files},
                       {"errors", summary.errors},
                       {"warnings", summary.warnings},
                       {"infos", summary.infos}};
  // Invalid UTF-8 from a broken file must not abort the run: replace it.
  out << report.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace pmtalint
