#pragma once
// Every machine-readable output, fed by the one Diagnostic model. `format_names()` is the list
// the CLI offers; text has its own renderer because it needs colour and snippets.
#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "report/summary.h"
#include "syntax/workspace.h"

namespace pmtalint {

struct ReportInput {
  const Workspace& workspace;
  const std::vector<Diagnostic>& diagnostics;
  Summary summary;
  std::string_view tool_version;
};

using Renderer = void (*)(std::ostream&, const ReportInput&);

std::span<const std::string_view> format_names();  // "text" first
Renderer find_renderer(std::string_view format);     // nullptr for "text" and unknown names

void render_json(std::ostream& out, const ReportInput& in);
void render_json_lines(std::ostream& out, const ReportInput& in);
void render_gcc(std::ostream& out, const ReportInput& in);
void render_github(std::ostream& out, const ReportInput& in);
void render_checkstyle(std::ostream& out, const ReportInput& in);
void render_junit(std::ostream& out, const ReportInput& in);
void render_sarif(std::ostream& out, const ReportInput& in);

// Where a rule's documentation page lives (SARIF helpUri, LSP codeDescription).
std::string rule_doc_url(std::string_view slug);

}  // namespace pmtalint
