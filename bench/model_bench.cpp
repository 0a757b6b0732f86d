// Construction time of the semantic model (lib/model) on one loaded configuration: the file is
// read and parsed once, then the model is built repeatedly and the best run is reported.
//   model_bench FILE [REPEATS]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "model/model.h"
#include "schema/knowledge.h"
#include "syntax/loader.h"

// Peak resident memory so far (VmHWM), in MB: what the load and the model cost in memory.
static double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long kb = 0;
  while (status >> key)
    if (key == "VmHWM:" && status >> kb) break;
  return static_cast<double>(kb) / 1024;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: model_bench FILE [REPEATS]\n");
    return 2;
  }
  using namespace pmtalint;
  KnowledgeBase::get();  // loaded once per process; not part of the model's cost
  const LoadResult loaded = load({{argv[1], std::nullopt}}, {"", {is_top_level_only_block, nullptr, /*keep_tokens=*/false}, {}});
  if (!loaded.failures.empty()) {
    std::fprintf(stderr, "model_bench: %s\n", loaded.failures.front().c_str());
    return 2;
  }
  const double loaded_rss = peak_rss_mb();
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  uint32_t lines = 0;
  for (FileId f = 0; f < loaded.workspace.size(); ++f) lines += loaded.workspace.file(f).line_count();
  double best = 1e30;
  size_t blocks = 0, directives = 0, domains = 0;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const Model model(loaded.workspace, loaded.workspace.roots());
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
    blocks = model.blocks().size();
    directives = model.directives().size();
    domains = model.domains().size();
  }
  std::printf("lines %u  blocks %zu  directives %zu  domain entries %zu  best %.4f s  %.0f ns/line  "
              "peak RSS %.0f MB after loading, %.0f MB with the model\n",
              lines, blocks, directives, domains, best, best * 1e9 / lines, loaded_rss, peak_rss_mb());
  return 0;
}
