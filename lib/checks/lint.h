#pragma once
// Runs every check over the configurations of a loaded workspace and returns all findings, the
// loader's and parser's included, in a stable order (by file path, then position) that does not
// depend on the order the files were named in.
#include <functional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "dns/resolver.h"
#include "model/model.h"
#include "schema/version.h"
#include "syntax/loader.h"

namespace pmtalint {

struct LintOptions {
  PmtaVersion pmta_version = kLatestPmta;
  std::string root;
  Resolver* resolver = nullptr;
  std::string main;  // the main configuration, when one was named (for what fragments are told)
  // Asked between rules: true stops the run (an editor's newer text made it stale).
  std::function<bool()> interrupted;
  // Threads for the checks of a large configuration; 0: as many as help on this machine. The
  // findings are the same whatever the number.
  unsigned threads = 0;
};

struct LintResult {
  std::vector<Diagnostic> diagnostics;
  // Claims of absence not made because part of a configuration was not read (suppressions
  // written for them are not unused).
  std::vector<Diagnostic> withheld;
  bool interrupted = false;  // the run stopped early; its findings are incomplete
};

LintResult lint(const LoadResult& loaded, const std::vector<Model>& configurations, const LintOptions& options = {});

}  // namespace pmtalint
