// `pmtalint send --dry-run CONFIG --workload W`: what the configuration's throttles will do
// to a campaign — per queue, how long it drains, how many connections open, when backoff
// starts and which limit holds the queue back — from the simulator or a test SMTP server.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "base/output_file.h"
#include "base/text.h"
#include "commands.h"
#include "load_config.h"
#include "delivery/engine.h"
#include "delivery/plan.h"
#include "delivery/report.h"
#include "delivery/sim_backend.h"
#include "delivery/smtp_backend.h"
#include "dns/resolver.h"
#include "model/model.h"
#include "schema/grammar.h"

namespace pmtalint::cli {
namespace {

using namespace pmtalint::delivery;

// A bar on stderr, only for a person watching a run that takes more than a second.
class ProgressBar {
 public:
  ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}
  ~ProgressBar() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }
  void update(uint64_t done, uint64_t total, double simulated) {
    if (!enabled_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    shown_ = true;
    const auto filled = static_cast<size_t>(30 * done / total);
    std::cerr << fmt::format("\r[{:<30}] {:3}% {}/{} messages final, {} simulated", std::string(filled, '#'), 100 * done / total,
                             done, total, format_duration(simulated))
              << std::flush;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int run_send(const SendOptions& options) {
  if (!options.dry_run) {
    std::cerr << "pmtalint: send only simulates; pass --dry-run (pmtalint never hands mail to PowerMTA)\n";
    return kExitFailure;
  }
  // Messages quote inputs (paths, domain names, server replies): control bytes are escaped.
  const auto fail = [](const std::string& message) {
    std::cerr << "pmtalint: " << printable(message) << '\n';
    return kExitFailure;
  };
  if (options.workload.empty() == options.recipients.empty()) return fail("give either --workload FILE or --recipients FILE");
  if (!options.smtp_server.empty())
    if (auto server = split_smtp_server(options.smtp_server); !server) return fail(server.error());
  auto workload = options.workload.empty() ? read_recipients(options.recipients, options.vmta) : read_workload(options.workload);
  if (!workload) return fail(workload.error());
  auto scenario = options.scenario.empty() ? expected<Scenario, std::string>(standard_scenario()) : read_scenario(options.scenario);
  if (!scenario) return fail(scenario.error());
  double horizon = 0;
  if (const auto seconds = parse_interval_seconds(options.horizon); seconds && *seconds > 0) horizon = static_cast<double>(*seconds);
  else return fail(fmt::format("--horizon: '{}' is not an interval such as 7d or 36h", options.horizon));

  const auto main = load_main_config(options.config, options.root, "PMTA would not start with it; simulating what pmtalint could read");
  if (!main) return kExitFailure;
  const Model& model = *main->model;
  auto dns = requested_resolver(options.dns_zones, options.online, options.resolver);
  if (!dns) return fail(dns.error());
  auto plan = make_plan(model, *workload, *scenario, dns->get());
  if (!plan) return fail(plan.error());

  // Nothing this run read may be overwritten by --plot (the workload named as the picture, say).
  if (!options.plot.empty()) {
    std::vector<InputFile> inputs{{options.config, "the configuration"}};
    if (!options.workload.empty()) inputs.push_back({options.workload, "the workload"});
    if (!options.recipients.empty()) inputs.push_back({options.recipients, "the recipient list"});
    if (!options.scenario.empty()) inputs.push_back({options.scenario, "the scenario"});
    for (const std::string& zone : options.dns_zones) inputs.push_back({zone, "the zone file"});
    if (!options.starttls_ca.empty()) inputs.push_back({options.starttls_ca, "the CA file"});
    std::vector<FileKey> read;
    const Workspace& workspace = main->analysis->loaded.workspace;
    for (FileId f = 0; f < workspace.size(); ++f) read.push_back({workspace.identity(f).device, workspace.identity(f).inode});
    if (auto ok = refuse_if_input("--plot", options.plot, inputs, read); !ok) return fail(ok.error());
  }

  std::unique_ptr<Backend> backend;
  if (options.backend == "smtp") {
    if (options.smtp_server.empty()) return fail("--backend smtp needs --smtp-server HOST:PORT");
    auto smtp = make_smtp_backend({options.smtp_server, options.allow_remote, options.speed, options.starttls_ca, horizon});
    if (!smtp) return fail(smtp.error());
    backend = std::move(*smtp);
  } else {
    backend = std::make_unique<SimBackend>(*scenario, options.seed);
  }

  ProgressBar bar;
  EngineOptions engine{options.seed, horizon, !options.plot.empty(), [&](uint64_t done, uint64_t total, double simulated) {
                         bar.update(done, total, simulated);
                       }};
  const Result result = delivery::run(*plan, *scenario, *backend, engine);

  if (!options.plot.empty()) {
    std::ostringstream svg;
    render_svg(result, svg);
    if (auto written = write_output_file(options.plot, svg.str()); !written)
      return fail(fmt::format("cannot write {}: {}", options.plot, written.error()));
  }
  if (options.format == "json") render_json(result, std::cout);
  else render_text(result, std::cout);
  return kExitClean;
}

}  // namespace pmtalint::cli
