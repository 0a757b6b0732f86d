#pragma once
// The human format: `file:line:col: severity: message [slug]`, the source line with a caret
// and tildes under the span, then each note the same way. Control bytes from the file are
// shown escaped, never sent to the terminal, and secrets are masked.
#include <ostream>
#include <vector>

#include "base/diagnostic.h"
#include "checks/secrets.h"
#include "report/summary.h"
#include "syntax/workspace.h"

namespace pmtalint {

struct TextStyle {
  bool color = false;
  bool snippets = true;
};

void render_text(std::ostream& out, const Workspace& workspace, const std::vector<Diagnostic>& diagnostics,
                 const Redactions& redactions, const TextStyle& style);
void render_text_summary(std::ostream& out, const Summary& summary, const TextStyle& style);

}  // namespace pmtalint
