// libFuzzer: the whole `pmtalint config` pipeline on one buffer (parse, every check,
// suppressions, the text and SARIF renderers).
#include <sstream>
#include <string>

#include "checks/lint.h"
#include "checks/secrets.h"
#include "checks/suppressions.h"
#include "report/formats.h"
#include "report/text_renderer.h"
#include "schema/knowledge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pmtalint;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const LoadResult loaded = load({{"fuzz.conf", text}}, {"", {is_top_level_only_block}});
  SuppressionResult checked = apply_suppressions(loaded.workspace, lint(loaded));
  std::ostringstream out;
  render_text(out, loaded.workspace, checked.kept, Redactions::find(loaded.workspace, checked.kept), {});
  render_sarif(out, {loaded.workspace, checked.kept, summarize(checked.kept, 1), "fuzz"});
  return 0;
}
