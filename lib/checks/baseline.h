#pragma once
// A baseline records today's findings so that only new ones fail a build. Findings are matched
// by a fingerprint of rule, file, the text of the flagged line and the message, never by line
// number, so inserting lines above a finding does not make it "new".
#include <iosfwd>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/expected.h"
#include "syntax/workspace.h"

namespace pmtalint {

std::string fingerprint(const Workspace& workspace, const Diagnostic& diagnostic);

void write_baseline(std::ostream& out, const Workspace& workspace, const std::vector<Diagnostic>& diagnostics);

// Removes the findings the baseline already holds (each baseline entry absorbs one finding);
// returns how many were removed, or why the baseline could not be read.
expected<size_t, std::string> apply_baseline(std::string_view baseline_json, const Workspace& workspace,
                                             std::vector<Diagnostic>& diagnostics);

}  // namespace pmtalint
