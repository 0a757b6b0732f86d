#include "base/absolute_path.h"

#include <filesystem>
#include <string_view>

namespace pmtalint {

namespace {

bool normal_absolute(std::string_view path) {
  if (!path.starts_with('/')) return false;
  for (const std::string_view odd : {"//", "/./", "/../"})
    if (path.find(odd) != std::string_view::npos) return false;
  return !path.ends_with("/.") && !path.ends_with("/..");
}

}  // namespace

std::string absolute_path(const std::string& path) {
  if (normal_absolute(path)) return path;
  std::error_code ec;
  return std::filesystem::absolute(path, ec).lexically_normal().string();
}

}  // namespace pmtalint
