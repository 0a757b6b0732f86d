#include "checks/baseline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <unordered_map>

#include "base/text.h"
#include "checks/secrets.h"

namespace pmtalint {
namespace {

uint64_t fnv1a(std::string_view text, uint64_t hash = 0xcbf29ce484222325ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// Version 2 hashes the flagged line with its secrets replaced (Redactions::redact): an unsalted
// hash of `password zebra77` would give the password away to a dictionary attack. Version 1
// hashed the raw line; its baselines are still read, matching by either fingerprint (the two
// differ only on lines that hold a secret).
std::string line_fingerprint(const Workspace& ws, const Diagnostic& d, std::string_view line) {
  const SourceFile& file = ws.file(d.where.file);
  uint64_t h = fnv1a(d.rule);
  h = fnv1a("\x1f", h);
  h = fnv1a(file.path(), h);
  h = fnv1a("\x1f", h);
  h = fnv1a(trim(line), h);
  h = fnv1a("\x1f", h);
  h = fnv1a(d.message, h);
  return fmt::format("{:016x}", h);
}

std::string fingerprint(const Workspace& ws, const Diagnostic& d, const Redactions& redactions) {
  const SourceFile& file = ws.file(d.where.file);
  const uint32_t line = file.position(d.where.span.begin).line;
  return line_fingerprint(ws, d, redactions.redact(d.where.file, file.line_start(line), file.line_text(line)));
}

std::string legacy_fingerprint(const Workspace& ws, const Diagnostic& d) {
  const SourceFile& file = ws.file(d.where.file);
  return line_fingerprint(ws, d, file.line_text(file.position(d.where.span.begin).line));
}

}  // namespace

std::string fingerprint(const Workspace& ws, const Diagnostic& d) { return fingerprint(ws, d, Redactions::find(ws, {d})); }

void write_baseline(std::ostream& out, const Workspace& ws, const std::vector<Diagnostic>& diagnostics) {
  const Redactions redactions = Redactions::find(ws, diagnostics);
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const Diagnostic& d : diagnostics)
    entries.push_back({{"fingerprint", fingerprint(ws, d, redactions)}, {"rule", d.rule}, {"file", ws.file(d.where.file).path()}});
  nlohmann::ordered_json doc = {{"version", 2}, {"tool", "pmtalint"}, {"findings", entries}};
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

expected<size_t, std::string> apply_baseline(std::string_view baseline_json, const Workspace& ws,
                                             std::vector<Diagnostic>& diagnostics) {
  std::unordered_map<std::string, size_t> budget;
  int version = 0;
  try {
    const auto doc = nlohmann::json::parse(baseline_json);
    version = doc.is_object() ? doc.value("version", 0) : 0;
    if (version != 1 && version != 2) return unexpected(std::string("not a version 1 or 2 pmtalint baseline"));
    for (const auto& entry : doc.at("findings")) ++budget[entry.at("fingerprint").get<std::string>()];
  } catch (const nlohmann::json::exception& e) {
    return unexpected(std::string("not a pmtalint baseline: ") + e.what());
  }
  const Redactions redactions = Redactions::find(ws, diagnostics);
  size_t removed = 0;
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    auto it = budget.find(fingerprint(ws, d, redactions));
    if ((it == budget.end() || it->second == 0) && version == 1) it = budget.find(legacy_fingerprint(ws, d));
    if (it == budget.end() || it->second == 0) return false;
    --it->second;
    ++removed;
    return true;
  });
  return removed;
}

}  // namespace pmtalint
