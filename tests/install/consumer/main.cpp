// Lints a buffer through the installed library (the one analysis every front end runs) and
// prints how many findings it got.
#include <cstdio>

#include "analysis/analysis.h"

int main() {
  pmtalint::AnalysisRequest request;
  request.inputs.push_back({"inline.conf", std::string("<domain *>\n  max-conn 5\n</domain>\n")});
  request.no_project_config = true;
  const auto analysis = pmtalint::analyze(request);
  if (!analysis) return 1;
  std::printf("%zu\n", (*analysis)->diagnostics.size());
  return 0;
}
