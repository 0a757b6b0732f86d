#include "checks/baseline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <unordered_map>

#include "base/text.h"

namespace pmtalint {
namespace {

uint64_t fnv1a(std::string_view text, uint64_t hash = 0xcbf29ce484222325ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace

std::string fingerprint(const Workspace& ws, const Diagnostic& d) {
  const SourceFile& file = ws.file(d.where.file);
  const std::string_view line = trim(file.line_text(file.position(d.where.span.begin).line));
  uint64_t h = fnv1a(d.rule);
  h = fnv1a("\x1f", h);
  h = fnv1a(file.path(), h);
  h = fnv1a("\x1f", h);
  h = fnv1a(line, h);
  h = fnv1a("\x1f", h);
  h = fnv1a(d.message, h);
  return fmt::format("{:016x}", h);
}

void write_baseline(std::ostream& out, const Workspace& ws, const std::vector<Diagnostic>& diagnostics) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const Diagnostic& d : diagnostics)
    entries.push_back({{"fingerprint", fingerprint(ws, d)}, {"rule", d.rule}, {"file", ws.file(d.where.file).path()}});
  nlohmann::ordered_json doc = {{"version", 1}, {"tool", "pmtalint"}, {"findings", entries}};
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

expected<size_t, std::string> apply_baseline(std::string_view baseline_json, const Workspace& ws,
                                             std::vector<Diagnostic>& diagnostics) {
  std::unordered_map<std::string, size_t> budget;
  try {
    const auto doc = nlohmann::json::parse(baseline_json);
    if (doc.value("version", 0) != 1) return unexpected(std::string("not a version 1 pmtalint baseline"));
    for (const auto& entry : doc.at("findings")) ++budget[entry.at("fingerprint").get<std::string>()];
  } catch (const nlohmann::json::exception& e) {
    return unexpected(std::string("not a pmtalint baseline: ") + e.what());
  }
  size_t removed = 0;
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    auto it = budget.find(fingerprint(ws, d));
    if (it == budget.end() || it->second == 0) return false;
    --it->second;
    ++removed;
    return true;
  });
  return removed;
}

}  // namespace pmtalint
