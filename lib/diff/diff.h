#pragma once
// `pmtalint diff`: what a change of configuration does to PMTA, read from the two models, not
// from the text. Reordered blocks, comments, whitespace, keyword case and a split into includes
// change nothing here; a macro edit that moves a domain to other limits does.
//
//   queues    every domain named in either side's <domain> blocks (after macro expansion;
//             `*`, `*.d` as themselves) on {default} and on every virtual MTA both sides define:
//             each effective setting that changed, old → new with the line on each side, and
//             the queue's throughput bound when a limit changed (the planner's reading).
//             Queues that changed identically are one group.
//   names     blocks other than <domain> by kind and name (virtual MTAs, pools and their
//             members, sources, listeners, pattern lists, …) and the top level's named lines
//             (domain-macro, domain-key, smtp-listener): added, removed, changed.
//   settings  the other top-level directives.
//   security  changes that widen who can reach or use PMTA (http-access, relaying, AUTH,
//             public listeners), listed first.
//   apply     reload, or restart where the knowledge base says so (`restart`, `restart_if`).
//   findings  lint findings new in NEW, and those NEW fixed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.h"

namespace pmtalint::diff {

// How PMTA takes a change: `pmta reload`, or a restart (always, or when a condition holds).
enum class Apply : uint8_t { Reload, RestartIf, Restart };

struct Origin {
  std::string file;  // empty: a default, or nothing
  uint32_t line = 0;
};

struct Value {
  bool present = false;  // false: no such line (an added or removed line), or no value at all
  std::string text;      // as written, blanks collapsed; secrets masked; for queues the default
  Origin at;             // where it is set; empty for a default
  std::string note;      // how a default was derived ("follows max-msg-rate"), when it was
};

struct Change {
  std::string name;  // the directive; "queue" for a routing change
  Value old_value, new_value;
  Apply apply = Apply::Reload;
  std::string apply_if;  // the condition of Apply::RestartIf
  std::string widens;    // why the change widens exposure; empty when it does not
};

// The most messages per hour a queue can send in normal mode (infinity: no bound).
struct Throughput {
  double old_bound = 0, new_bound = 0;
  std::string old_by, new_by;  // "max-msg-rate", "max-connect-rate × max-msg-per-connection", ""
};

struct QueueSet {
  std::string domain;              // recipient domain, "*" or "*.d" for every other one
  std::string old_queue, new_queue;  // the queue its mail goes into (queue-to), when not itself
  std::vector<std::string> vmtas;  // "{default}" first, then virtual MTAs by name
  size_t more = 0;                 // virtual MTAs left out of `vmtas`
};

struct QueueChange {
  std::vector<QueueSet> queues;
  std::vector<Change> changes;
  std::optional<Throughput> throughput;
};

enum class Status : uint8_t { Added, Removed, Changed };

struct NameChange {
  std::string kind;  // block kind, or domain-macro / domain-key / smtp-listener for top-level lines
  std::string name;  // as written on the side that has it (NEW when both)
  Status status = Status::Changed;
  Origin old_at, new_at;
  std::vector<Change> changes;
};

struct Finding {
  std::string rule;
  std::string severity;
  std::string file;
  uint32_t line = 0, column = 0;
  std::string message;
};

struct SecurityItem {
  std::string subject;  // "<source 0/0>", "the top level"
  Change change;
};

struct Report {
  std::string old_label, new_label;
  std::vector<SecurityItem> security;
  std::vector<QueueChange> queues;
  std::vector<NameChange> names;
  std::vector<Change> settings;  // top level
  std::vector<Finding> new_findings, fixed_findings;
  std::vector<std::string> notes;
  size_t domains = 0, vmtas = 0;  // what the queue comparison covered

  bool semantic_change() const { return !queues.empty() || !names.empty() || !settings.empty(); }
  bool widens() const { return !security.empty(); }
  Apply apply() const;  // the strongest of every change
};

// One side: its analysis, and how to show its paths (a git revision checked out in a temporary
// directory is shown as REV:path).
struct Side {
  const Analysis* analysis = nullptr;
  const Model* model = nullptr;
  std::string label;         // OLD or NEW as named on the command line
  std::string path_prefix;   // replaced by `shown_prefix` in every path shown
  std::string shown_prefix;
  std::string shown(const std::string& path) const;
};

struct Options {
  std::string only_queues;  // glob over DOMAIN, or DOMAIN/VMTA when it holds a '/'
  size_t vmta_list = 20;    // virtual MTAs named per domain in a group before "and N more"
};

Report compare(const Side& old_side, const Side& new_side, const Options& options);

std::string render_text(const Report& report);
std::string render_markdown(const Report& report);
std::string render_json(const Report& report);  // schemas/diff.schema.json

std::string_view apply_name(Apply apply);  // "reload", "restart-if", "restart"

}  // namespace pmtalint::diff
