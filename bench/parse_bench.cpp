// Parse throughput of lib/syntax on one file: lex + parse, repeated, best run reported.
//   parse_bench FILE [REPEATS]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "syntax/parser.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_bench FILE [REPEATS]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const pmtalint::SourceFile file(argv[1], buffer.str());
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  double best = 1e30;
  size_t nodes = 0;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto parsed = pmtalint::parse(file, 0);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
    nodes = parsed.tree.size();
  }
  const double mb = static_cast<double>(file.text().size()) / 1e6;
  std::printf("bytes %zu  lines %u  nodes %zu  best %.4f s  %.1f MB/s  %.0f ns/line\n", file.text().size(),
              file.line_count(), nodes, best, mb / best, best * 1e9 / file.line_count());
  return 0;
}
