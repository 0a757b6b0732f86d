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
void render_gitlab(std::ostream& out, const ReportInput& in);

// Where a rule's documentation page lives (SARIF helpUri, LSP codeDescription): empty unless a
// base was set (`--docs-url`): BASE with `{slug}` replaced, or BASE/SLUG.md.
void set_rule_docs_base(std::string base);
std::string rule_doc_url(std::string_view slug);

// A path as reports for code-review tools show it: relative to the project root (the working
// directory, where CI runs in the checkout) when the file lies under it, else absolute.
struct ReportPath {
  std::string path;     // relative ("etc/pmta/config") or absolute ("/etc/pmta/config")
  bool relative = false;
};
ReportPath report_path(const std::string& path);
std::string project_root_uri();           // file:///…/ of the working directory, with a final '/'
std::string file_uri(const std::string& absolute_path);  // file:// URI, percent-encoded
std::string uri_reference(const std::string& relative_path);  // percent-encoded relative reference

// One fingerprint per diagnostic, stable when lines are inserted above a finding: a hash of the
// rule, the report path, the text of the flagged line (trimmed), the message, and which
// occurrence of that combination it is.
std::vector<std::string> fingerprints(const ReportInput& in);

}  // namespace pmtalint
