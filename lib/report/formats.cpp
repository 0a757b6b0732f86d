#include "report/formats.h"

#include <array>
#include <utility>

namespace pmtalint {
namespace {

constexpr std::array<std::pair<std::string_view, Renderer>, 9> kFormats = {{
    {"text", nullptr},
    {"json", render_json},
    {"json-lines", render_json_lines},
    {"gcc", render_gcc},
    {"github", render_github},
    {"sarif", render_sarif},
    {"checkstyle", render_checkstyle},
    {"junit", render_junit},
    {"gitlab", render_gitlab},
}};

constexpr std::array<std::string_view, kFormats.size()> kNames = [] {
  std::array<std::string_view, kFormats.size()> names{};
  for (size_t i = 0; i < kFormats.size(); ++i) names[i] = kFormats[i].first;
  return names;
}();

std::string& docs_base() {
  static std::string base;
  return base;
}

}  // namespace

std::span<const std::string_view> format_names() { return kNames; }

Renderer find_renderer(std::string_view format) {
  for (const auto& [name, renderer] : kFormats)
    if (name == format) return renderer;
  return nullptr;
}

void set_rule_docs_base(std::string base) { docs_base() = std::move(base); }

std::string rule_doc_url(std::string_view slug) {
  std::string url = docs_base();
  if (url.empty()) return url;
  if (const size_t at = url.find("{slug}"); at != std::string::npos) return url.replace(at, 6, slug);
  if (!url.ends_with('/')) url += '/';
  return url + std::string(slug) + ".md";
}

}  // namespace pmtalint
