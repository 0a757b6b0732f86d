#pragma once
// The machine format, version 1, described by schemas/report.schema.json. Positions are
// 1-based; end columns are exclusive.
#include <ostream>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "report/summary.h"
#include "syntax/workspace.h"

namespace pmtalint {

void render_json(std::ostream& out, const Workspace& workspace, const std::vector<Diagnostic>& diagnostics,
                 const Summary& summary, std::string_view tool_version);

}  // namespace pmtalint
