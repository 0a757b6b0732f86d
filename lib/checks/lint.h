#pragma once
// Runs every check over a loaded workspace and returns all findings, the loader's and parser's
// included, in a stable order (file load order, then position).
#include <vector>

#include "base/diagnostic.h"
#include "syntax/loader.h"

namespace pmtalint {

std::vector<Diagnostic> lint(const LoadResult& loaded);

}  // namespace pmtalint
