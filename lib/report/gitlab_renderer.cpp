// GitLab Code Quality (the `codequality` report of a CI job, shown in merge requests), plus the
// path and fingerprint helpers it shares with SARIF.
#include <openssl/evp.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <tuple>

#include "base/text.h"
#include "checks/registry.h"
#include "checks/secrets.h"
#include "report/formats.h"

namespace pmtalint {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string percent_encode(std::string_view text, bool keep_slash) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

// GitLab's five levels: a security rule's error is critical; other errors major.
std::string_view gitlab_severity(const Diagnostic& d) {
  const Rule* rule = find_rule(d.rule);
  if (d.severity == Severity::Error) return rule && !rule->suppressible ? "critical" : "major";
  return d.severity == Severity::Warning ? "minor" : "info";
}

}  // namespace

ReportPath report_path(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const fs::path root = fs::current_path(ec);
  const fs::path relative = absolute.lexically_relative(root);
  if (!ec && !relative.empty() && *relative.begin() != ".." && relative != ".") return {relative.string(), true};
  return {absolute.string(), false};
}

std::string file_uri(const std::string& absolute_path) { return "file://" + percent_encode(absolute_path, true); }

std::string uri_reference(const std::string& relative_path) { return percent_encode(relative_path, true); }

std::string project_root_uri() {
  std::error_code ec;
  std::string root = fs::current_path(ec).string();
  if (!root.ends_with('/')) root += '/';
  return file_uri(root);
}

std::vector<std::string> fingerprints(const ReportInput& in) {
  std::vector<std::string> out;
  std::map<std::string, size_t> seen;
  // A hash of a password line could be guessed back: the line is hashed with secrets masked.
  const Redactions redactions = Redactions::find(in.workspace, in.diagnostics);
  for (const Diagnostic& d : in.diagnostics) {
    const SourceFile& file = in.workspace.file(d.where.file);
    const uint32_t number = file.position(d.where.span.begin).line;
    const std::string masked = redactions.mask(d.where.file, file.line_start(number), file.line_text(number));
    const std::string_view line = trim(masked);
    std::string key = fmt::format("{}\n{}\n{}\n{}", d.rule, report_path(file.path()).path, line, d.message);
    const size_t occurrence = seen[key]++;
    out.push_back(sha256_hex(fmt::format("{}\n{}", key, occurrence)).substr(0, 32));
  }
  return out;
}

void render_gitlab(std::ostream& out, const ReportInput& in) {
  const std::vector<std::string> prints = fingerprints(in);
  json issues = json::array();
  for (size_t i = 0; i < in.diagnostics.size(); ++i) {
    const Diagnostic& d = in.diagnostics[i];
    const SourceFile& file = in.workspace.file(d.where.file);
    const Position begin = file.position(d.where.span.begin);
    const Position end = file.position(d.where.span.end);
    issues.push_back({{"description", fmt::format("{} [{}]", d.message, d.rule)},
                      {"check_name", std::string(d.rule)},
                      {"fingerprint", prints[i]},
                      {"severity", gitlab_severity(d)},
                      {"location", {{"path", report_path(file.path()).path}, {"lines", {{"begin", begin.line}, {"end", end.line}}}}}});
  }
  out << issues.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace pmtalint
