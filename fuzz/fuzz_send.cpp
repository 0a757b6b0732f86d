// The dry-run engine on arbitrary inputs: the bytes are split at lines "---" into a
// configuration, a workload and a scenario. Whatever parses is planned and simulated for at
// most one simulated hour and a few hundred messages, which must end without a crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "delivery/engine.h"
#include "delivery/plan.h"
#include "delivery/sim_backend.h"
#include "model/model.h"
#include "schema/knowledge.h"
#include "analysis/analysis.h"

using namespace pmtalint;
using namespace pmtalint::delivery;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string parts[3];
  size_t part = 0, start = 0;
  while (part < 2) {
    const size_t cut = input.find("\n---\n", start);
    if (cut == std::string_view::npos) break;
    parts[part++] = std::string(input.substr(start, cut - start));
    start = cut + 5;
  }
  parts[part] = std::string(input.substr(start));
  auto workload = parse_workload(parts[1]);
  if (!workload || workload->messages() > 300) return 0;
  auto scenario = parts[2].empty() ? expected<Scenario, std::string>(standard_scenario()) : parse_scenario(parts[2]);
  if (!scenario) return 0;
  AnalysisRequest request;
  request.inputs.push_back({"fuzz.conf", std::string(parts[0])});
  request.no_project_config = true;
  request.main = "fuzz.conf";
  auto analysis = analyze(request);
  if (!analysis || (*analysis)->named.empty()) return 0;
  const Model& model = *(*analysis)->configuration_of((*analysis)->named.front());
  auto plan = make_plan(model, *workload, *scenario);
  if (!plan) return 0;
  SimBackend backend(*scenario, 1);
  run(*plan, *scenario, backend, EngineOptions{1, 3600, true, {}});
  return 0;
}
