#include <CLI/CLI.hpp>
#include <iostream>

#include <malloc.h>
#include <unistd.h>

#include "commands.h"
#include "lsp/server.h"
#include "report/formats.h"
#include "version.h"

namespace {

// --dns-zone, --online and --resolver: where a command's DNS answers come from (zone files or a
// live server, not both).
void add_dns_options(CLI::App* command, std::vector<std::string>& zones, bool& online, std::string& resolver,
                     const std::string& zones_help, const std::string& online_help, const std::string& resolver_help) {
  auto* zone_files = command->add_option("--dns-zone", zones, zones_help);
  auto* live = command->add_flag("--online", online, online_help);
  command->add_option("--resolver", resolver, resolver_help)->needs(live);
  live->excludes(zone_files);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pmtalint::cli;
  // Large buffers (a file's text, a model's tables) go straight to the system and back when
  // freed: glibc otherwise raises this threshold as they are freed and keeps the space, and on a
  // million-line configuration what it kept was about 5 % of the peak memory (issue #17).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  CLI::App app{"pmtalint: lint and explain PowerMTA configuration files"};
  app.set_version_flag("--version", std::string(pmtalint::kVersion));
  app.require_subcommand(1);

  // A subcommand's options are declared when it is the one being parsed (CLI11 calls its
  // preparse callback first): declaring all of them cost a quarter of a small `config` run
  // (issue #17). Help shows one subcommand's options at most, so it reads the same.
  ConfigOptions config;
  auto* config_cmd = app.add_subcommand("config", "Lint PMTA configuration files and what they include");
  config_cmd->alias("check");
  config_cmd->preparse_callback([&](std::size_t) {
    config_cmd->add_option("files", config.files, "Files to lint ('-' reads standard input)")->required();
    const auto formats = pmtalint::format_names();
    config_cmd->add_option("--format", config.format, "Output format")
        ->check(CLI::IsMember(std::vector<std::string>(formats.begin(), formats.end())))
        ->capture_default_str();
    config_cmd->add_option("-o,--output", config.output, "Write the report to FILE instead of standard output");
    config_cmd->add_option("--color", config.color, "Colour the text output")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    config_cmd->add_option("--root", config.root, "Open absolute paths in the configuration under DIR");
    config_cmd->add_option("--main", config.main,
                           "The main configuration (PMTA's config): named files it includes are checked as part of it");
    config_cmd->add_option("--stdin-filename", config.stdin_filename, "Name to show for standard input");
    config_cmd->add_option("--fail-on", config.fail_on, "Lowest severity that makes the exit code 1 (default: error)")
        ->check(CLI::IsMember({"error", "warning", "info"}));
    auto* config_file = config_cmd->add_option("--config", config.config_file, "Use this .pmtalint.toml instead of searching");
    config_cmd->add_flag("--no-config", config.no_config, "Ignore .pmtalint.toml files")->excludes(config_file);
    config_cmd->add_flag("--show-config", config.show_config, "Print the merged settings and where each came from");
    config_cmd->add_option("--pmta-version", config.pmta_version,
                           "Check against this PowerMTA release (MAJOR.MINOR; default: the latest, 6.0)");
    config_cmd->add_option("--baseline", config.baseline, "Report only findings that FILE (from --write-baseline) does not hold");
    config_cmd->add_option("--write-baseline", config.write_baseline, "Record the current findings in FILE and exit 0");
    config_cmd->add_flag("-q,--quiet", config.quiet, "Print findings only, no summary line");
    add_dns_options(config_cmd, config.dns_zones, config.online, config.resolver,
                    "Check reverse DNS and DKIM records against this zone file (repeatable; offline)",
                    "Check reverse DNS and DKIM records with live DNS lookups",
                    "DNS server for --online, IP[:PORT] (default: /etc/resolv.conf)");
    auto* fix = config_cmd->add_flag("--fix", config.fix, "Apply the safe fixes in place (atomically; symlinks are followed)");
    auto* unsafe = config_cmd->add_flag("--unsafe-fixes", config.unsafe_fixes,
                                        "Also apply fixes that change what PMTA reads (did-you-mean renames); implies --fix unless --diff");
    auto* diff_flag = config_cmd->add_flag("--diff", config.diff,
                                      "Print the changes --fix would make as a unified diff, write nothing; exit 1 when there are any");
    diff_flag->excludes(fix);
    auto* write_baseline = config_cmd->get_option("--write-baseline");
    for (auto* o : {fix, unsafe, diff_flag}) o->excludes(write_baseline);
    config_cmd->add_option("--select", config.select, "Report only these rules (slugs or codes, comma-separated; repeatable)");
    config_cmd->add_option("--ignore", config.ignore, "Do not report these rules (slugs or codes, comma-separated; repeatable)");
    config_cmd->add_flag("--exit-zero", config.exit_zero, "Exit 0 even when findings are reported (2 still means could not lint)");
    config_cmd->add_flag("--statistics", config.statistics, "Print the number of findings per rule instead of the findings");
    config_cmd->add_option("--docs-url", config.docs_url,
                           "Link rule pages from SARIF at this base URL (BASE/SLUG.md, or {slug} replaced); default: no links");
  });

  FormatOptions format;
  auto* format_cmd = app.add_subcommand("format", "Re-indent PMTA configuration files by block depth (nothing else changes)");
  format_cmd->preparse_callback([&](std::size_t) {
    format_cmd->add_option("files", format.files, "Files or directories to format ('-' filters standard input)")->required();
    auto* check = format_cmd->add_flag("--check", format.check, "Write nothing; exit 1 when a file would change");
    format_cmd->add_flag("--diff", format.diff, "Print the changes as a unified diff; write nothing; exit 1 when a file would change")
        ->excludes(check);
    format_cmd->add_option("--indent", format.indent, "Spaces per block level")->capture_default_str();
    format_cmd->add_flag("--tabs", format.tabs, "Indent with one tab per block level");
    format_cmd->add_option("--stdin-filename", format.stdin_filename, "Name to show for standard input");
  });

  ShowSettingsOptions show;
  auto* show_cmd = app.add_subcommand("show", "Show what a configuration does, without running PMTA");
  show_cmd->require_subcommand(1);
  auto* settings_cmd =
      show_cmd->add_subcommand("settings", "Every setting of one queue, its value, and the line it comes from (or default)");
  settings_cmd->preparse_callback([&](std::size_t) {
    settings_cmd->add_option("queue", show.queue, "DOMAIN or DOMAIN/VMTA, such as gmail.com/mta1")->required();
    settings_cmd->add_option("file", show.file, "The main configuration file")->required();
    settings_cmd->add_option("--format", show.format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    settings_cmd->add_option("--root", show.root, "Open absolute paths in the configuration under DIR");
    settings_cmd->add_flag("--only-set", show.only_set, "Leave out settings that keep their default");
    add_dns_options(settings_cmd, show.dns_zones, show.online, show.resolver,
                    "Look up the domain's MX host in this zone file (repeatable; for <mx-rollup-list>)",
                    "Look up the MX host with live DNS", "DNS server for --online, IP[:PORT]");
    settings_cmd->add_option("--scenario", show.scenario,
                             "A send scenario: its provider's mx host stands in for DNS, as in `send`");
  });

  SendOptions send;
  auto* send_cmd = app.add_subcommand("send", "Simulate a campaign through the configuration's queues and throttles (--dry-run)");
  send_cmd->preparse_callback([&](std::size_t) {
    send_cmd->add_option("config", send.config, "The main configuration file")->required();
    send_cmd->add_flag("--dry-run", send.dry_run, "Required: nothing is ever handed to PowerMTA");
    auto* workload = send_cmd->add_option("--workload", send.workload, "Messages per domain (JSON or CSV, schemas/workload.schema.json)");
    auto* recipients = send_cmd->add_option("--recipients", send.recipients, "One recipient address per line, a message each");
    workload->excludes(recipients);
    send_cmd->add_option("--vmta", send.vmta, "Virtual MTA or pool for --recipients")->needs(recipients);
    send_cmd->add_option("--scenario", send.scenario, "How providers answer (JSON, schemas/scenario.schema.json); default: 250 to all");
    send_cmd->add_option("--backend", send.backend, "sim: simulated, virtual clock; smtp: real SMTP to --smtp-server")
        ->check(CLI::IsMember({"sim", "smtp"}))
        ->capture_default_str();
    send_cmd->add_option("--smtp-server", send.smtp_server, "HOST:PORT every queue connects to with --backend smtp");
    send_cmd->add_flag("--allow-remote", send.allow_remote, "Let --backend smtp connect to an address other than loopback");
    send_cmd->add_option("--speed", send.speed, "smtp: simulated seconds per real second for timers (retries, rates)")
        ->check(CLI::Range(0.001, 1e6))
        ->capture_default_str();
    send_cmd->add_option("--starttls-ca", send.starttls_ca, "smtp: verify the server's STARTTLS certificate against this CA file");
    send_cmd->add_option("--seed", send.seed, "Seed of the simulator's random draws")->capture_default_str();
    send_cmd->add_option("--horizon", send.horizon, "Stop after this much simulated time")->capture_default_str();
    send_cmd->add_option("--format", send.format, "Report format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    send_cmd->add_option("--plot", send.plot, "Also draw queue depth and delivery rate over time into FILE.svg");
    send_cmd->add_option("--root", send.root, "Open absolute paths in the configuration under DIR");
    add_dns_options(send_cmd, send.dns_zones, send.online, send.resolver,
                    "Look up each domain's MX host in this zone file (repeatable; for <mx-rollup-list>)",
                    "Look up MX hosts with live DNS", "DNS server for --online, IP[:PORT]");
  });

  DiffOptions diff;
  auto* diff_cmd = app.add_subcommand("diff", "What a configuration change does to PMTA, queue by queue (models, not text)");
  diff_cmd->preparse_callback([&](std::size_t) {
    diff_cmd->add_option("files", diff.files, "OLD NEW, or with --git the configuration PATH in the work tree")->required();
    diff_cmd->add_option("--git", diff.git, "Read the old side (REV) or both (REV..REV) from git, includes from the same revision");
    diff_cmd->add_option("--format", diff.format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}))->capture_default_str();
    diff_cmd->add_option("--root", diff.root, "Open absolute paths in both configurations under DIR");
    diff_cmd->add_option("--old-root", diff.old_root, "--root for OLD only");
    diff_cmd->add_option("--new-root", diff.new_root, "--root for NEW only");
    diff_cmd->add_option("--fail-on", diff.fail_on, "Exit 1 only for changes of this kind (default: any)")
        ->check(CLI::IsMember({"restart", "security", "any"}));
    diff_cmd->add_option("--only-queues", diff.only_queues, "Compare only queues whose DOMAIN (or DOMAIN/VMTA) matches this glob");
  });

  auto* lsp_cmd = app.add_subcommand("lsp", "Run the Language Server (JSON-RPC over standard input and output)");
  bool stdio = true;  // clients pass --stdio; it is the only transport
  pmtalint::lsp::ServerSettings lsp_settings;
  std::string lsp_docs_url;
  lsp_cmd->preparse_callback([&](std::size_t) {
    lsp_cmd->add_flag("--stdio", stdio, "Use standard input and output (the default and only transport)");
    lsp_cmd->add_option("--root", lsp_settings.root, "Open absolute paths in the configuration under DIR");
    lsp_cmd->add_option("--pmta-version", lsp_settings.pmta_version, "Check against this PowerMTA release (MAJOR.MINOR)");
    lsp_cmd->add_option("--main", lsp_settings.main, "The main configuration the open files belong to");
    lsp_cmd->add_option("--docs-url", lsp_docs_url, "Link each finding to its rule page at this base URL (BASE/SLUG.md, or {slug} replaced)");
  });

  std::string docs_dir;
  auto* rules_cmd = app.add_subcommand("rules", "List every rule with its code, slug and default severity");
  rules_cmd->add_option("--write-docs", docs_dir, "Write one Markdown page per rule into DIR (docs/rules)")
      ->check(CLI::ExistingDirectory);
  std::string topic;
  auto* explain_cmd =
      app.add_subcommand("explain", "Explain a rule (why, bad and good example) or a directive or block (syntax, where, default)");
  bool explain_list = false;
  auto* topic_option = explain_cmd->add_option("topic", topic, "Rule slug or code, directive name, or <block>");
  explain_cmd->add_flag("--list", explain_list, "List every topic (rule slugs, directives, <blocks>), one a line")->excludes(topic_option);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitFailure;
  }

  try {
    if (*config_cmd) return run_config(config);
    if (*settings_cmd) return run_show_settings(show);
    if (*send_cmd) return run_send(send);
    if (*format_cmd) return run_format(format);
    if (*diff_cmd) return run_diff(diff);
    if (*lsp_cmd && !lsp_docs_url.empty()) pmtalint::set_rule_docs_base(lsp_docs_url);
    if (*lsp_cmd) return pmtalint::lsp::serve(STDIN_FILENO, STDOUT_FILENO, pmtalint::kVersion.data(), lsp_settings);
    if (*rules_cmd) return run_rules(docs_dir);
    if (*explain_cmd && !explain_list && topic.empty()) {
      std::cerr << "pmtalint: explain needs a rule, directive or <block> (or --list)\n";
      return kExitFailure;
    }
    if (*explain_cmd) return explain_list ? run_explain_list() : run_explain(topic);
  } catch (const std::exception& e) {
    std::cerr << "pmtalint: internal error: " << e.what() << '\n';
    return kExitFailure;
  }
  return kExitFailure;
}
