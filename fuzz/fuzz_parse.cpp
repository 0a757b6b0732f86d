// libFuzzer: lexer + parser on arbitrary bytes. The tree must always exist and the tokens
// must reproduce the input exactly.
#include <cstdlib>
#include <string>

#include "syntax/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const pmtalint::SourceFile file("fuzz", std::string(reinterpret_cast<const char*>(data), size));
  const auto parsed = pmtalint::parse(file, 0);
  size_t covered = 0;
  for (const auto& token : parsed.tree.tokens()) covered += token.span.size();
  if (covered != size) std::abort();
  for (const auto& d : parsed.diagnostics)
    if (d.where.span.end > size || d.where.span.begin > d.where.span.end) std::abort();
  return 0;
}
