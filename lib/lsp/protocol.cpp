#include "lsp/protocol.h"

#include "checks/registry.h"
#include "report/formats.h"

namespace pmtalint::lsp {

json to_json(Position p) { return {{"line", p.line}, {"character", p.character}}; }

Position position_from(const json& j) {
  const auto field = [&](const char* name) {
    if (!j.is_object() || !j.contains(name) || !j[name].is_number_unsigned() || j[name].get<uint64_t>() > UINT32_MAX)
      throw json::type_error::create(302, std::string("a position needs a non-negative '") + name + "'", nullptr);
    return j[name].get<uint32_t>();
  };
  return {field("line"), field("character")};
}

json range_json(const TextDocument& doc, size_t begin, size_t end) {
  return {{"start", to_json(doc.position(begin))}, {"end", to_json(doc.position(end))}};
}

json range_in_file(const SourceFile& file, Span span) {
  const auto at = [&](uint32_t offset) {
    const pmtalint::Position p = file.position(offset);  // 1-based line, byte column
    const uint32_t start = file.line_start(p.line);
    return json{{"line", p.line - 1}, {"character", utf16_units(file.text().substr(start, offset - start))}};
  };
  return {{"start", at(span.begin)}, {"end", at(span.end)}};
}

namespace {

int severity_code(Severity s) {
  switch (s) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    case Severity::Info: return 3;
  }
  return 3;
}

}  // namespace

json diagnostic_json(const Analysis& a, const TextDocument& doc, const Diagnostic& d) {
  const bool here = d.where.file == a.document();
  json out{{"range", here ? range_json(doc, d.where.span.begin, d.where.span.end)
                          : range_in_file(a.workspace().file(d.where.file), d.where.span)},
           {"severity", severity_code(d.severity)},
           {"source", "pmtalint"},
           {"code", std::string(d.rule)},
           {"message", d.message}};
  if (const std::string url = rule_doc_url(d.rule); !url.empty()) out["codeDescription"] = {{"href", url}};
  if (const Rule* rule = find_rule(d.rule)) out["data"] = {{"ruleCode", std::string(rule->code)}};
  json related = json::array();
  for (const Note& note : d.notes) {
    const SourceFile& file = a.workspace().file(note.where.file);
    related.push_back({{"location",
                        {{"uri", note.where.file == a.document() ? doc.uri() : path_to_uri(file.path())},
                         {"range", note.where.file == a.document() ? range_json(doc, note.where.span.begin, note.where.span.end)
                                                                 : range_in_file(file, note.where.span)}}},
                       {"message", note.message}});
  }
  if (!related.empty()) out["relatedInformation"] = std::move(related);
  return out;
}

}  // namespace pmtalint::lsp
