// SARIF 2.1.0 for GitHub code scanning and other static-analysis dashboards.
#include <nlohmann/json.hpp>

#include "checks/registry.h"
#include "report/formats.h"

namespace pmtalint {
namespace {

using json = nlohmann::ordered_json;

// SARIF counts columns in Unicode code points (columnKind below); ours count bytes.
uint32_t code_point_column(const SourceFile& file, uint32_t offset) {
  const Position p = file.position(offset);
  const std::string_view line = file.text().substr(file.line_start(p.line), p.column - 1);
  uint32_t column = 1;
  for (unsigned char c : line) column += (c & 0xC0) != 0x80;
  return column;
}

json region(const SourceFile& file, Span span) {
  const Position b = file.position(span.begin);
  const Position e = file.position(span.end);
  return {{"startLine", b.line},
          {"startColumn", code_point_column(file, span.begin)},
          {"endLine", e.line},
          {"endColumn", code_point_column(file, span.end)}};
}

constexpr std::string_view kRootId = "%SRCROOT%";

// Under the project root (the working directory): a relative reference with the root's
// uriBaseId; elsewhere an absolute file:// URI (SARIF1004 rejects a relative reference that
// starts with '/').
json artifact(const SourceFile& file) {
  const ReportPath path = report_path(file.path());
  if (path.relative) return {{"uri", uri_reference(path.path)}, {"uriBaseId", kRootId}};
  return {{"uri", file_uri(path.path)}};
}

json location(const Workspace& ws, const Location& where) {
  const SourceFile& file = ws.file(where.file);
  return {{"physicalLocation", {{"artifactLocation", artifact(file)}, {"region", region(file, where.span)}}}};
}

std::string_view level(Severity s) { return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note"; }

}  // namespace

void render_sarif(std::ostream& out, const ReportInput& in) {
  json rules = json::array();
  for (const Rule* rule : all_rules()) {
    rules.push_back({{"id", rule->slug},
                     {"shortDescription", {{"text", std::string(rule->summary)}}},
                     {"fullDescription", {{"text", std::string(rule->why)}}},
                     {"defaultConfiguration", {{"level", level(rule->severity)}}},
                     {"properties", {{"code", rule->code}}}});
    if (const std::string url = rule_doc_url(rule->slug); !url.empty()) rules.back()["helpUri"] = url;
  }
  const std::vector<std::string> prints = fingerprints(in);
  json results = json::array();
  for (size_t n = 0; n < in.diagnostics.size(); ++n) {
    const Diagnostic& d = in.diagnostics[n];
    json result = {{"ruleId", d.rule}};
    const auto all = all_rules();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i]->slug == d.rule) result["ruleIndex"] = i;
    result["level"] = level(d.severity);
    result["message"] = {{"text", d.message}};
    result["locations"] = json::array({location(in.workspace, d.where)});
    result["partialFingerprints"] = {{"pmtalint/v1", prints[n]}};
    if (!d.notes.empty()) {
      json related = json::array();
      for (size_t i = 0; i < d.notes.size(); ++i) {
        json note = location(in.workspace, d.notes[i].where);
        note["id"] = i;
        note["message"] = {{"text", d.notes[i].message}};
        related.push_back(note);
      }
      result["relatedLocations"] = related;
    }
    if (d.fix) {
      json changes = json::array();
      for (const TextEdit& e : d.fix->edits) {
        const SourceFile& file = in.workspace.file(e.where.file);
        changes.push_back({{"artifactLocation", artifact(file)},
                           {"replacements", json::array({{{"deletedRegion", region(file, e.where.span)},
                                                          {"insertedContent", {{"text", e.replacement}}}}})}});
      }
      result["fixes"] = json::array({{{"description", {{"text", d.fix->title}}}, {"artifactChanges", changes}}});
    }
    results.push_back(result);
  }
  json artifacts = json::array();
  for (FileId f = 0; f < in.workspace.size(); ++f)
    artifacts.push_back({{"location", artifact(in.workspace.file(f))}});
  json log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({{{"tool", {{"driver", {{"name", "pmtalint"},
                                                  {"version", in.tool_version},
                                                  {"semanticVersion", in.tool_version},
                                                  {"rules", rules}}}}},
                             {"originalUriBaseIds", {{kRootId, {{"uri", project_root_uri()}}}}},
                             {"columnKind", "unicodeCodePoints"},
                             {"artifacts", artifacts},
                             {"results", results}}})},
  };
  out << log.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace pmtalint
