// The three forms of a diff report: text for a terminal, Markdown for a pull-request comment,
// JSON (schemas/diff.schema.json) for tools. All three list security first.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "diff/diff.h"

namespace pmtalint::diff {
namespace {

std::string at(const Origin& o) { return o.file.empty() ? "default" : fmt::format("{}:{}", o.file, o.line); }
std::string at(const Value& v) { return v.at.file.empty() && !v.note.empty() ? "default, " + v.note : at(v.at); }

std::string shown_text(const std::string& text) { return text.empty() ? "\"\"" : text; }

std::string bound(double value) {
  if (std::isinf(value)) return "unlimited";
  return value >= 100 ? fmt::format("{:.0f}/h", value) : fmt::format("{:.3g}/h", value);
}

std::string bound_with(double value, const std::string& by) {
  return by.empty() ? bound(value) : fmt::format("{} ({})", bound(value), by);
}

std::string apply_note(const Change& c) {
  if (c.apply == Apply::Restart) return "restart";
  if (c.apply == Apply::RestartIf) return "restart if " + c.apply_if;
  return "";
}

std::string queue_set(const QueueSet& q) {
  std::string out = q.domain;
  if (!q.old_queue.empty() || !q.new_queue.empty()) {
    if (q.old_queue == q.new_queue) out += " (queue " + q.new_queue + ")";
    else out += fmt::format(" (queue {} → {})", q.old_queue, q.new_queue);
  }
  out += " on ";
  for (size_t i = 0; i < q.vmtas.size(); ++i) out += (i ? ", " : "") + q.vmtas[i];
  if (q.more > 0) out += fmt::format(" and {} more", q.more);
  return out;
}

char status_mark(Status s) { return s == Status::Added ? '+' : s == Status::Removed ? '-' : '~'; }

std::string_view status_word(Status s) {
  return s == Status::Added ? "added" : s == Status::Removed ? "removed" : "changed";
}

// "500/h (old:3) → 800/h (new:3)", "+ 0/0 admin (new:7)", "- mta2 (old:8)".
std::string change_text(const Change& c) {
  const Value& o = c.old_value;
  const Value& n = c.new_value;
  if (o.present && n.present) return fmt::format("{} ({}) → {} ({})", shown_text(o.text), at(o), shown_text(n.text), at(n));
  if (n.present) return fmt::format("+ {} ({})", shown_text(n.text), at(n));
  if (o.present) return fmt::format("- {} ({})", shown_text(o.text), at(o));
  return "(no value on either side)";
}

std::string summary_line(const Report& r) {
  std::vector<std::string> parts;
  if (!r.semantic_change()) parts.push_back("no semantic change");
  if (!r.queues.empty()) parts.push_back(fmt::format("{} queue group{} changed", r.queues.size(), r.queues.size() == 1 ? "" : "s"));
  if (!r.names.empty()) parts.push_back(fmt::format("{} name{} added, removed or changed", r.names.size(), r.names.size() == 1 ? "" : "s"));
  if (!r.settings.empty())
    parts.push_back(fmt::format("{} top-level setting{} changed", r.settings.size(), r.settings.size() == 1 ? "" : "s"));
  if (r.widens()) parts.push_back(fmt::format("{} widen{} exposure", r.security.size(), r.security.size() == 1 ? "s" : ""));
  if (r.semantic_change()) {
    const Apply a = r.apply();
    parts.push_back(a == Apply::Restart     ? "needs a restart"
                    : a == Apply::RestartIf ? "may need a restart"
                                            : "pmta reload applies it");
  }
  parts.push_back(fmt::format("findings: {} new, {} fixed", r.new_findings.size(), r.fixed_findings.size()));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

std::string finding_text(const Finding& f) {
  return fmt::format("{}:{}:{}: {}: {} [{}]", f.file, f.line, f.column, f.severity, f.message, f.rule);
}

// Markdown table cells: pipes escaped, code spans for configuration text.
std::string cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string code(const std::string& text) {
  if (text.empty()) return "`\"\"`";
  return "`" + cell(text) + "`";
}

std::string md_value(const Value& v) {
  if (!v.present) return "—";
  return fmt::format("{} ({})", code(v.text), v.at.file.empty() ? at(v) : "`" + at(v.at) + "`");
}

nlohmann::ordered_json origin_json(const Origin& o) {
  if (o.file.empty()) return nullptr;
  return {{"file", o.file}, {"line", o.line}};
}

nlohmann::ordered_json value_json(const Value& v) {
  if (!v.present) return nullptr;
  nlohmann::ordered_json out{{"value", v.text}, {"from", v.at.file.empty() ? "default" : "config"},
                             {"file", v.at.file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(v.at.file)},
                             {"line", v.at.file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(v.at.line)}};
  if (!v.note.empty()) out["note"] = v.note;
  return out;
}

nlohmann::ordered_json change_json(const Change& c) {
  nlohmann::ordered_json out{{"name", c.name}, {"old", value_json(c.old_value)}, {"new", value_json(c.new_value)},
                             {"apply", apply_name(c.apply)}};
  if (c.apply == Apply::RestartIf) out["restart_if"] = c.apply_if;
  out["widens"] = c.widens.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(c.widens);
  return out;
}

nlohmann::ordered_json bound_json(double value) { return std::isinf(value) ? nlohmann::ordered_json() : nlohmann::ordered_json(value); }

nlohmann::ordered_json finding_json(const Finding& f) {
  return {{"rule", f.rule}, {"severity", f.severity}, {"file", f.file}, {"line", f.line}, {"column", f.column}, {"message", f.message}};
}

}  // namespace

std::string render_text(const Report& r) {
  std::string out = fmt::format("pmtalint diff {} → {}\n", r.old_label, r.new_label);
  out += fmt::format("queues compared: {} domain{} on {{default}} and {} virtual MTA{} both sides define\n", r.domains,
                     r.domains == 1 ? "" : "s", r.vmtas, r.vmtas == 1 ? "" : "s");
  for (const std::string& note : r.notes) out += "note: " + note + "\n";
  if (!r.security.empty()) {
    out += "\nSECURITY: changes that widen exposure\n";
    for (const SecurityItem& s : r.security)
      out += fmt::format("  ! {}: {} {}\n      {}\n", s.subject, s.change.name, change_text(s.change), s.change.widens);
  }
  auto change_line = [](const Change& c, size_t width) {
    std::string line = fmt::format("{}{:<{}}  {}", c.widens.empty() ? "  " : "! ", c.name, width, change_text(c));
    if (const std::string note = apply_note(c); !note.empty()) line += "  [" + note + "]";
    return line + "\n";
  };
  if (!r.queues.empty()) {
    out += fmt::format("\nQUEUES: {} group{} of queues changed\n", r.queues.size(), r.queues.size() == 1 ? "" : "s");
    for (const QueueChange& q : r.queues) {
      out += "\n";
      for (const QueueSet& set : q.queues) out += "  " + queue_set(set) + "\n";
      size_t width = q.throughput ? 10 : 0;
      for (const Change& c : q.changes) width = std::max(width, c.name.size());
      for (const Change& c : q.changes) out += "    " + change_line(c, width);
      if (q.throughput)
        out += fmt::format("      {:<{}}  {} → {}\n", "throughput", width, bound_with(q.throughput->old_bound, q.throughput->old_by),
                           bound_with(q.throughput->new_bound, q.throughput->new_by));
    }
  }
  if (!r.names.empty()) {
    out += "\nNAMES\n";
    for (const NameChange& n : r.names) {
      const bool line = n.changes.size() == 1 && n.changes.front().name == n.kind;
      if (line) {
        out += fmt::format("  {} {} {}: {}", status_mark(n.status), n.kind, n.name, change_text(n.changes.front()));
        if (const std::string note = apply_note(n.changes.front()); !note.empty()) out += "  [" + note + "]";
        out += "\n";
        continue;
      }
      const std::string where = n.status == Status::Added     ? at(n.new_at)
                                : n.status == Status::Removed ? at(n.old_at)
                                                              : fmt::format("{} → {}", at(n.old_at), at(n.new_at));
      out += fmt::format("  {} <{}{}{}> {} ({})\n", status_mark(n.status), n.kind, n.name.empty() ? "" : " ", n.name,
                         status_word(n.status), where);
      size_t width = 0;
      for (const Change& c : n.changes) width = std::max(width, c.name.size());
      for (const Change& c : n.changes) out += "    " + change_line(c, width);
    }
  }
  if (!r.settings.empty()) {
    out += "\nTOP-LEVEL SETTINGS\n";
    size_t width = 0;
    for (const Change& c : r.settings) width = std::max(width, c.name.size());
    for (const Change& c : r.settings) out += "  " + change_line(c, width);
  }
  if (!r.new_findings.empty()) {
    out += fmt::format("\nFINDINGS NEW IN {}\n", r.new_label);
    for (const Finding& f : r.new_findings) out += "  " + finding_text(f) + "\n";
  }
  if (!r.fixed_findings.empty()) {
    out += fmt::format("\nFINDINGS FIXED BY {}\n", r.new_label);
    for (const Finding& f : r.fixed_findings) out += "  " + finding_text(f) + "\n";
  }
  out += "\n" + summary_line(r) + "\n";
  return out;
}

std::string render_markdown(const Report& r) {
  std::string out = fmt::format("### pmtalint diff `{}` → `{}`\n\n**{}**\n\n", cell(r.old_label), cell(r.new_label), summary_line(r));
  out += fmt::format("<sub>queues compared: {} domains on `{{default}}` and {} virtual MTAs both sides define</sub>\n",
                     r.domains, r.vmtas);
  for (const std::string& note : r.notes) out += "\n> " + note + "\n";
  auto row = [](const Change& c) {
    std::string apply = apply_note(c);
    return fmt::format("| {}{} | {} | {} | {} |\n", c.widens.empty() ? "" : "⚠️ ", code(c.name), md_value(c.old_value),
                       md_value(c.new_value), apply.empty() ? "reload" : "**" + apply + "**");
  };
  constexpr std::string_view kHeader = "| setting | old | new | applied by |\n|---|---|---|---|\n";
  if (!r.security.empty()) {
    out += "\n#### ⚠️ Security: changes that widen exposure\n\n";
    for (const SecurityItem& s : r.security)
      out += fmt::format("- **{}**: {} {} — {}\n", cell(s.subject), code(s.change.name), cell(change_text(s.change)), cell(s.change.widens));
  }
  if (!r.queues.empty()) {
    out += "\n#### Queues\n";
    for (const QueueChange& q : r.queues) {
      out += "\n";
      for (const QueueSet& set : q.queues) out += "- " + cell(queue_set(set)) + "\n";
      out += "\n" + std::string(kHeader);
      for (const Change& c : q.changes) out += row(c);
      if (q.throughput)
        out += fmt::format("| throughput bound | {} | {} | |\n", cell(bound_with(q.throughput->old_bound, q.throughput->old_by)),
                           cell(bound_with(q.throughput->new_bound, q.throughput->new_by)));
    }
  }
  if (!r.names.empty()) {
    out += "\n#### Names\n\n| | name | setting | old | new | applied by |\n|---|---|---|---|---|---|\n";
    for (const NameChange& n : r.names) {
      const std::string subject = n.changes.size() == 1 && n.changes.front().name == n.kind
                                      ? fmt::format("{} {}", n.kind, n.name)
                                      : fmt::format("<{}{}{}>", n.kind, n.name.empty() ? "" : " ", n.name);
      if (n.changes.empty()) {
        out += fmt::format("| {} | {} | | | | reload |\n", status_word(n.status), code(subject));
        continue;
      }
      for (const Change& c : n.changes) out += fmt::format("| {} | {} ", status_word(n.status), code(subject)) + row(c);
    }
  }
  if (!r.settings.empty()) {
    out += "\n#### Top-level settings\n\n" + std::string(kHeader);
    for (const Change& c : r.settings) out += row(c);
  }
  auto findings = [&](std::string_view title, const std::vector<Finding>& list) {
    if (list.empty()) return;
    out += fmt::format("\n#### {}\n\n", title);
    for (const Finding& f : list)
      out += fmt::format("- `{}:{}` **{}** {} (`{}`)\n", cell(f.file), f.line, f.severity, cell(f.message), f.rule);
  };
  findings(fmt::format("Findings new in `{}`", cell(r.new_label)), r.new_findings);
  findings(fmt::format("Findings fixed by `{}`", cell(r.new_label)), r.fixed_findings);
  return out;
}

std::string render_json(const Report& r) {
  nlohmann::ordered_json out;
  out["version"] = 1;
  out["old"] = r.old_label;
  out["new"] = r.new_label;
  out["semantic_change"] = r.semantic_change();
  out["widens_exposure"] = r.widens();
  out["apply"] = r.semantic_change() ? apply_name(r.apply()) : "none";
  out["compared"] = {{"domains", r.domains}, {"virtual_mtas", r.vmtas}};
  out["security"] = nlohmann::ordered_json::array();
  for (const SecurityItem& s : r.security) out["security"].push_back({{"subject", s.subject}, {"change", change_json(s.change)}});
  out["queues"] = nlohmann::ordered_json::array();
  for (const QueueChange& q : r.queues) {
    nlohmann::ordered_json group;
    group["queues"] = nlohmann::ordered_json::array();
    for (const QueueSet& set : q.queues) {
      nlohmann::ordered_json s{{"domain", set.domain}};
      if (!set.old_queue.empty() || !set.new_queue.empty()) s["queue"] = {{"old", set.old_queue}, {"new", set.new_queue}};
      s["vmtas"] = set.vmtas;
      s["more_vmtas"] = set.more;
      group["queues"].push_back(std::move(s));
    }
    group["changes"] = nlohmann::ordered_json::array();
    for (const Change& c : q.changes) group["changes"].push_back(change_json(c));
    if (q.throughput)
      group["throughput"] = {{"unit", "messages/hour"},
                             {"old", {{"bound", bound_json(q.throughput->old_bound)}, {"by", q.throughput->old_by}}},
                             {"new", {{"bound", bound_json(q.throughput->new_bound)}, {"by", q.throughput->new_by}}}};
    out["queues"].push_back(std::move(group));
  }
  out["names"] = nlohmann::ordered_json::array();
  for (const NameChange& n : r.names) {
    nlohmann::ordered_json item{{"kind", n.kind}, {"name", n.name}, {"status", status_word(n.status)}, {"old", origin_json(n.old_at)},
                                {"new", origin_json(n.new_at)}};
    item["changes"] = nlohmann::ordered_json::array();
    for (const Change& c : n.changes) item["changes"].push_back(change_json(c));
    out["names"].push_back(std::move(item));
  }
  out["settings"] = nlohmann::ordered_json::array();
  for (const Change& c : r.settings) out["settings"].push_back(change_json(c));
  out["findings"] = {{"new", nlohmann::ordered_json::array()}, {"fixed", nlohmann::ordered_json::array()}};
  for (const Finding& f : r.new_findings) out["findings"]["new"].push_back(finding_json(f));
  for (const Finding& f : r.fixed_findings) out["findings"]["fixed"].push_back(finding_json(f));
  out["notes"] = r.notes;
  return out.dump(2) + "\n";
}

}  // namespace pmtalint::diff
