#pragma once
// `pmtalint config --fix / --unsafe-fixes / --diff`: the fixes of one analysis applied to the
// texts in memory, the analysis run again on the result (as overlays), until no fix applies or
// ten rounds have passed — so that a second run has nothing left to change. Nothing is written
// here; the caller writes the changed files (base/atomic_write) or prints their diff.
#include <memory>
#include <string>
#include <vector>

#include "analysis/analysis.h"

namespace pmtalint {

struct FixRequest {
  bool unsafe = false;  // also the fixes that change what PMTA reads
  size_t max_rounds = 10;
};

struct FixedFile {
  std::string path;      // as the workspace names it (the file opened)
  std::string original;  // as read in the first round
  std::string fixed;
};

struct FixResult {
  std::unique_ptr<Analysis> analysis;  // of the fixed texts: what is left
  std::vector<FixedFile> files;        // the files whose text changed, in path order
  size_t applied = 0;                  // fixes applied over all rounds
  size_t unsafe_left = 0;              // fixes left that only --unsafe-fixes applies
};

// The edits of the fixes chosen, applied to `text` (edits in any order; a fix whose edits overlap
// one taken earlier in file order is left out whole). Returns how many fixes were applied.
size_t apply_fixes(const std::vector<const Fix*>& fixes, FileId file, std::string& text);

expected<FixResult, std::string> analyze_and_fix(AnalysisRequest request, const FixRequest& options);

}  // namespace pmtalint
