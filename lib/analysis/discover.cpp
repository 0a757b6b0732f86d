#include "analysis/discover.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "syntax/file_reader.h"

namespace pmtalint {
namespace {

namespace fs = std::filesystem;

bool excluded(const fs::path& path, const ProjectConfig& project) {
  if (project.exclude.empty()) return false;
  std::error_code ec;
  const fs::path base = project.path.empty() ? fs::current_path(ec) : fs::absolute(project.path, ec).parent_path();
  const std::string relative = fs::absolute(path, ec).lexically_normal().lexically_relative(base).string();
  const std::string name = path.filename().string();
  return std::any_of(project.exclude.begin(), project.exclude.end(), [&](const std::string& pattern) {
    return ::fnmatch(pattern.c_str(), relative.c_str(), 0) == 0 || ::fnmatch(pattern.c_str(), path.string().c_str(), 0) == 0 ||
           ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
  });
}

bool is_text_configuration(const std::string& path) {
  auto contents = read_regular_file(path);
  return contents && binary_reason(contents->text).empty() && key_material_kind(contents->text).empty();
}

}  // namespace

bool is_configuration_path(const std::string& path) {
  static const std::regex pattern(R"((^|/)(config|[^/]*\.pmta|[^/]*pmta[^/]*\.conf)$|(^|/)etc/pmta/)");
  std::error_code ec;
  return std::regex_search(fs::absolute(path, ec).lexically_normal().string(), pattern);
}

std::vector<std::string> configuration_files_under(const std::string& dir, const ProjectConfig& project) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    const bool hidden = path.filename().string().starts_with('.');
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      if (hidden || it->is_symlink(type_ec) || excluded(path, project)) it.disable_recursion_pending();
      continue;
    }
    if (hidden || !it->is_regular_file(type_ec)) continue;
    const std::string shown = path.lexically_normal().string();
    if (is_configuration_path(shown) && !excluded(path, project) && is_text_configuration(shown)) out.push_back(shown);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace pmtalint
