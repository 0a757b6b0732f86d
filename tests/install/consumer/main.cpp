// Lints a buffer through the installed library and prints how many findings it got.
#include <cstdio>

#include "checks/lint.h"

int main() {
  const auto loaded = pmtalint::load({{"inline.conf", std::string("<domain *>\n  max-conn 5\n</domain>\n")}}, {});
  std::printf("%zu\n", pmtalint::lint(loaded).size());
  return 0;
}
