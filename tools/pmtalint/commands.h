#pragma once
// The subcommands. main.cpp only wires CLI11 options to these; each returns the exit code.
#include <string>
#include <vector>

namespace pmtalint::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitFailure = 2;

struct ConfigOptions {
  std::vector<std::string> files;
  std::string format = "text";
  std::string output;  // empty: standard output
  std::string color = "auto";
  std::string root;
  std::string main;  // --main: the main configuration the named files belong to
  std::string stdin_filename = "<stdin>";
  std::string fail_on;       // empty: from .pmtalint.toml, else "error"
  std::string pmta_version;  // empty: the latest release
  std::string baseline;        // report only findings not in this baseline
  std::string write_baseline;  // record today's findings here and pass
  bool quiet = false;
  std::string config_file;  // --config
  bool no_config = false;
  bool show_config = false;
  std::vector<std::string> dns_zones;  // --dns-zone: answer DNS checks from these zone files
  bool online = false;                 // --online: ask a live DNS server
  std::string resolver;                // --resolver IP[:PORT] for --online
  bool fix = false;           // apply the safe fixes in place
  bool unsafe_fixes = false;  // … and those that change meaning (implies --fix unless --diff)
  bool diff = false;          // print what fixing would change; write nothing
  std::vector<std::string> select;  // --select: only these rules (slugs or codes)
  std::vector<std::string> ignore;  // --ignore: not these rules
  bool exit_zero = false;     // findings do not make the exit code 1
  bool statistics = false;    // counts per rule instead of the findings
  std::string docs_url;       // base of the rule pages linked from SARIF and the LSP
};

struct FormatOptions {
  std::vector<std::string> files;
  bool check = false;  // exit 1 when a file would change; write nothing
  bool diff = false;   // print the changes; write nothing
  int indent = 4;
  bool tabs = false;
  std::string stdin_filename = "<stdin>";
};

struct ShowSettingsOptions {
  std::string queue;  // DOMAIN or DOMAIN/VMTA
  std::string file;
  std::string format = "text";
  std::string root;
  bool only_set = false;
  std::vector<std::string> dns_zones;  // MX hosts for <mx-rollup-list>, as `send` looks them up
  bool online = false;
  std::string resolver;
  std::string scenario;  // … else the MX host of the domain's provider in this scenario
};

struct SendOptions {
  std::string config;
  bool dry_run = false;
  std::string workload;
  std::string recipients;
  std::string vmta;  // for --recipients
  std::string scenario;
  std::string backend = "sim";
  std::string smtp_server;
  bool allow_remote = false;
  double speed = 1;         // smtp: simulated seconds per wall-clock second
  std::string starttls_ca;  // smtp: verify the server's certificate against this CA file
  uint64_t seed = 1;
  std::string horizon = "30d";
  std::string format = "text";
  std::string plot;
  std::string root;
  std::vector<std::string> dns_zones;  // MX hosts for <mx-rollup-list> and mx_patterns from these zone files
  bool online = false;                 // … or from live DNS
  std::string resolver;
};

struct DiffOptions {
  std::vector<std::string> files;  // OLD NEW, or PATH with --git
  std::string git;                 // REV or REV..REV: the old side (and the new one) from git
  std::string format = "text";
  std::string root, old_root, new_root;
  std::string fail_on;      // empty: any change; "restart", "security" or "any"
  std::string only_queues;  // glob over DOMAIN or DOMAIN/VMTA
};

int run_config(const ConfigOptions& options);
int run_format(const FormatOptions& options);
int run_diff(const DiffOptions& options);
int run_show_settings(const ShowSettingsOptions& options);
int run_send(const SendOptions& options);
int run_rules(const std::string& docs_dir);
int run_explain(const std::string& topic);
int run_explain_list();

}  // namespace pmtalint::cli
