#pragma once
// The delivery tests' one way to run the engine: a configuration, a workload and a scenario in,
// the result out, on the simulator.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "delivery/engine.h"
#include "delivery/plan.h"
#include "delivery/report.h"
#include "delivery/sim_backend.h"
#include "dns/resolver.h"
#include "model/model.h"
#include "syntax/loader.h"
#include "test_support.h"

namespace pmtalint::test {

using namespace pmtalint::delivery;  // NOLINT: the tests' vocabulary

inline Result simulate(const std::string& config, const std::string& workload, const std::string& scenario_json = "", uint64_t seed = 1,
                       const std::string& zone = "") {
  const test::ScratchDir dir;
  test::write_file(dir / "w.json", workload);
  std::unique_ptr<Resolver> dns;
  if (!zone.empty()) {
    test::write_file(dir / "mx.zone", zone);
    auto made = zone_resolver({(dir / "mx.zone").string()});
    REQUIRE(made.has_value());
    dns = std::move(*made);
  }
  const LoadResult loaded = load({{"dry.conf", config}}, {"", {is_top_level_only_block}, {}});
  REQUIRE(loaded.failures.empty());
  const Model model(loaded.workspace, loaded.workspace.roots());
  const auto load_workload = read_workload((dir / "w.json").string());
  REQUIRE(load_workload.has_value());
  const auto scenario = scenario_json.empty() ? expected<Scenario, std::string>(standard_scenario()) : parse_scenario(scenario_json);
  REQUIRE(scenario.has_value());
  const auto plan = make_plan(model, *load_workload, *scenario, dns.get());
  if (!plan) FAIL(plan.error());
  SimBackend backend(*scenario, seed);
  return run(*plan, *scenario, backend, EngineOptions{seed, 30 * 86400.0, true, {}});
}

inline const QueueResult& queue(const Result& r, std::string_view name) {
  for (const QueueResult& q : r.queues)
    if (q.name == name) return q;
  FAIL("no queue " << name);
  return r.queues.front();
}

// connect 0.1 s, message 0.2 s: the simulator's defaults, spelled out for the arithmetic.
inline const std::string kPlainScenario = R"({"default": {"connect_latency": 0.1, "message_latency": 0.2}})";

}  // namespace pmtalint::test
