#pragma once
// Runs every check over a loaded workspace and returns all findings, the loader's and parser's
// included, in a stable order (file load order, then position).
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "dns/resolver.h"
#include "schema/version.h"
#include "syntax/loader.h"

namespace pmtalint {

struct LintOptions {
  PmtaVersion pmta_version = kLatestPmta;
  std::string root;
  Resolver* resolver = nullptr;
};

std::vector<Diagnostic> lint(const LoadResult& loaded, const LintOptions& options = {});

}  // namespace pmtalint
