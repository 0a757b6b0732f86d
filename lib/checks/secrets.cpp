#include "checks/secrets.h"

#include <algorithm>
#include <array>
#include <span>
#include <unordered_map>

#include "base/text.h"

namespace pmtalint {

// Misspelt keywords hold secrets too (`pasword hunter2` is exactly the line that gets reported),
// so near misses and anything named like a credential are masked as well.
bool is_secret_directive(std::string_view keyword) {
  static constexpr std::array<std::string_view, 9> kSecret = {
      "password",   "auth-password",      "imprinter-password", "access-token",           "api-key",
      "http-api-key", "smtp-server-tls-certificate", "tls-certificate", "http-webhook-extra-headers",
  };
  const std::string lower = to_lower(keyword);
  for (std::string_view marker : {"pass", "secret", "token", "credential"})
    if (lower.find(marker) != std::string::npos) return true;
  // Lengths further apart than the distance allowed cannot be within it: most keywords stop there.
  return std::any_of(kSecret.begin(), kSecret.end(), [&](std::string_view s) {
    const size_t gap = s.size() > keyword.size() ? s.size() - keyword.size() : keyword.size() - s.size();
    return gap <= 2 && edit_distance(s, keyword, 2) <= 2;
  });
}

Redactions Redactions::find(const Workspace& workspace, const std::vector<Diagnostic>& shown) {
  Redactions r;
  r.secret_spans_.resize(workspace.size());
  std::vector<bool> needed(workspace.size(), false);
  for (const Diagnostic& d : shown) {
    needed[d.where.file] = true;
    for (const Note& n : d.notes) needed[n.where.file] = true;
  }
  // A file has few distinct keywords but may have a hundred thousand lines, and the near-miss
  // test costs several edit distances: each keyword as written is tested once.
  std::unordered_map<std::string_view, bool> secret;
  for (FileId f = 0; f < workspace.size(); ++f) {
    if (!needed[f]) continue;
    const Tree& tree = workspace.tree(f);
    for (NodeId n = 1; n < tree.size(); ++n) {
      const Node& node = tree.node(n);
      if (node.kind != NodeKind::Directive) continue;
      const auto [known, fresh] = secret.try_emplace(tree.name(n));
      if (fresh) known->second = is_secret_directive(tree.name(n));
      if (!known->second) continue;
      auto words = tree.words(n);
      // A certificate line is "PATH [PASSWORD]": only the password (and the comment) is secret.
      const bool certificate = iequals(tree.name(n), "smtp-server-tls-certificate") || iequals(tree.name(n), "tls-certificate");
      uint32_t begin = node.name.end;
      if (certificate && words.size() > 1) begin = words[1].span.begin;
      else if (certificate && words.size() == 1) begin = words[0].span.end;
      else if (!words.empty()) begin = words[0].span.begin;
      // To the end of the directive's last line: a comment after the value may hold the rest
      // of the secret (PMTA cuts values at '#').
      const SourceFile& file = workspace.file(f);
      const uint32_t last = std::max({node.head.end, node.name.end, words.empty() ? 0u : words.back().span.end});
      const uint32_t line = file.position(last > node.head.begin ? last - 1 : last).line;
      const uint32_t end = file.line_start(line) + static_cast<uint32_t>(file.line_text(line).size());
      if (end > begin) r.secret_spans_[f].push_back({begin, end});
    }
  }
  return r;
}

namespace {

// The spans that overlap [line_start, line_end). Each snippet is one line of a file that may
// hold a hundred thousand secrets. A secret runs from inside one directive to the end of its
// last line, and directives do not share lines, so the spans ascend in both begin and end.
std::span<const Span> on_line(const std::vector<Span>& spans, uint32_t line_start, uint32_t line_end) {
  const auto first = std::partition_point(spans.begin(), spans.end(), [&](const Span& s) { return s.end <= line_start; });
  const auto last = std::partition_point(first, spans.end(), [&](const Span& s) { return s.begin < line_end; });
  return {first, last};
}

}  // namespace

std::string Redactions::mask(FileId file, uint32_t line_start, std::string_view line) const {
  std::string out(line);
  if (file >= secret_spans_.size()) return out;
  const uint32_t line_end = line_start + static_cast<uint32_t>(line.size());
  for (const Span& s : on_line(secret_spans_[file], line_start, line_end)) {
    const uint32_t b = std::max(s.begin, line_start) - line_start;
    const uint32_t e = std::min(s.end, line_end) - line_start;
    for (uint32_t i = b; i < e; ++i) out[i] = '*';
  }
  return out;
}

std::string Redactions::redact(FileId file, uint32_t line_start, std::string_view line) const {
  if (file >= secret_spans_.size()) return std::string(line);
  std::string out;
  const uint32_t line_end = line_start + static_cast<uint32_t>(line.size());
  uint32_t at = 0;
  for (const Span& s : on_line(secret_spans_[file], line_start, line_end)) {
    const uint32_t b = std::max(s.begin, line_start) - line_start;
    const uint32_t e = std::min(s.end, line_end) - line_start;
    if (b < at) continue;
    out.append(line.substr(at, b - at));
    out += "<secret>";
    at = e;
  }
  out.append(line.substr(at));
  return out;
}

}  // namespace pmtalint
