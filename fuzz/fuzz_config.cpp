// libFuzzer: the whole `pmtalint config` pipeline on one buffer (the one analysis: parse, every
// check, suppressions), then the text and SARIF renderers.
#include <sstream>
#include <string>

#include "analysis/analysis.h"
#include "checks/secrets.h"
#include "report/formats.h"
#include "report/text_renderer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pmtalint;
  AnalysisRequest request;
  request.inputs.push_back({"fuzz.conf", std::string(reinterpret_cast<const char*>(data), size)});
  request.no_project_config = true;
  request.main = "fuzz.conf";  // a whole configuration: every check, absence claims included
  auto analysis = analyze(request);
  if (!analysis) return 0;
  const Analysis& a = **analysis;
  std::ostringstream out;
  render_text(out, a.loaded.workspace, a.diagnostics, Redactions::find(a.loaded.workspace, a.diagnostics), {});
  render_sarif(out, {a.loaded.workspace, a.diagnostics, summarize(a.diagnostics, 1), "fuzz"});
  return 0;
}
