// The simulator's throughput: a generated configuration of 100 virtual MTAs, a workload of
// `queues` domains × `per_queue` messages, every reply 250 (or 2 % 4xx and a 1000/m rate with
// --realistic). Prints simulated deliveries per second of engine time against the goal of
// 10 M/s (issue #17), and peak memory.
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "delivery/engine.h"
#include "delivery/plan.h"
#include "delivery/sim_backend.h"
#include "model/model.h"
#include "syntax/loader.h"

using namespace pmtalint;
using namespace pmtalint::delivery;

int main(int argc, char** argv) {
  const uint64_t queues = argc > 1 ? std::stoull(argv[1]) : 10'000;
  const uint64_t per_queue = argc > 2 ? std::stoull(argv[2]) : 1'000;
  const bool realistic = argc > 3 && std::strcmp(argv[3], "--realistic") == 0;
  std::string config = "total-max-smtp-out 20000\n";
  for (int v = 0; v < 100; ++v) config += "<virtual-mta v" + std::to_string(v) + ">\n</virtual-mta>\n";
  config += realistic ? "<domain *>\n  max-smtp-out 10\n  max-msg-rate 1000/m\n  retry-recipients-after 5m\n</domain>\n"
                      : "<domain *>\n  max-smtp-out 10\n</domain>\n";
  const LoadResult loaded = load({{"bench.conf", config}}, {"", {is_top_level_only_block}, {}});
  const Model model(loaded.workspace, loaded.workspace.roots());
  Workload workload;
  for (uint64_t i = 0; i < queues; ++i)
    workload.streams.push_back({"d" + std::to_string(i) + ".test", per_queue, "v" + std::to_string(i % 100), "", 0, 0, 1});
  Scenario scenario = standard_scenario();
  if (realistic) scenario.providers.back().replies = {{0.98, "250 2.0.0 ok"}, {0.02, "451 4.7.1 try again later"}};

  const auto t0 = std::chrono::steady_clock::now();
  auto plan = make_plan(model, workload, scenario);
  if (!plan) {
    std::fprintf(stderr, "%s\n", plan.error().c_str());
    return 2;
  }
  const auto t1 = std::chrono::steady_clock::now();
  const std::clock_t cpu1 = std::clock();
  SimBackend backend(scenario, 1);
  const Result result = run(*plan, scenario, backend, EngineOptions{1, 30 * 86400.0, false, {}});
  const auto t2 = std::chrono::steady_clock::now();
  // On a shared machine the process may wait for a core: its CPU time says what the engine
  // costs when the wall clock says mostly how busy the machine was.
  const double cpu_s = static_cast<double>(std::clock() - cpu1) / CLOCKS_PER_SEC;

  uint64_t delivered = 0, attempts = 0;
  for (const QueueResult& q : result.queues) {
    delivered += q.delivered;
    attempts += q.delivered + q.deferrals + q.bounced;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double plan_s = std::chrono::duration<double>(t1 - t0).count();
  const double run_s = std::chrono::duration<double>(t2 - t1).count();
  std::printf("%s: %llu queues x %llu messages: plan %.3f s, run %.3f s, %llu delivered (%llu attempts), "
              "%.2f M deliveries/s (goal 10, ratio %.2f; by CPU time %.3f s: %.2f M/s), simulated %.0f s, peak RSS %ld MB\n",
              realistic ? "realistic" : "all-250", static_cast<unsigned long long>(queues), static_cast<unsigned long long>(per_queue),
              plan_s, run_s, static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(attempts),
              static_cast<double>(delivered) / run_s / 1e6, static_cast<double>(delivered) / run_s / 10e6, cpu_s,
              static_cast<double>(delivered) / cpu_s / 1e6, result.end_time, usage.ru_maxrss / 1024);
  return delivered == queues * per_queue ? 0 : 1;
}
