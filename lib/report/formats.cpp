#include "report/formats.h"

#include <array>
#include <utility>

namespace pmtalint {
namespace {

constexpr std::array<std::pair<std::string_view, Renderer>, 8> kFormats = {{
    {"text", nullptr},
    {"json", render_json},
    {"json-lines", render_json_lines},
    {"gcc", render_gcc},
    {"github", render_github},
    {"sarif", render_sarif},
    {"checkstyle", render_checkstyle},
    {"junit", render_junit},
}};

constexpr std::array<std::string_view, kFormats.size()> kNames = [] {
  std::array<std::string_view, kFormats.size()> names{};
  for (size_t i = 0; i < kFormats.size(); ++i) names[i] = kFormats[i].first;
  return names;
}();

}  // namespace

std::span<const std::string_view> format_names() { return kNames; }

Renderer find_renderer(std::string_view format) {
  for (const auto& [name, renderer] : kFormats)
    if (name == format) return renderer;
  return nullptr;
}

std::string rule_doc_url(std::string_view slug) {
  return "https://github.com/pmtalint/pmtalint/blob/main/docs/rules/" + std::string(slug) + ".md";
}

}  // namespace pmtalint
