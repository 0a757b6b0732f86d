#pragma once
// Template languages that generate PMTA configurations: Handlebars/Mustache `{{…}}`, Jinja
// `{% … %}` and `{{ … }}`, and shell/Ansible-style `${NAME}`. A file holding them is a template,
// not a configuration; its rendered output is what PMTA reads.
#include <string_view>

namespace pmtalint {

// Whether a line (raw text, comments included: `{{#each}}` would otherwise read as a comment)
// holds template syntax.
inline bool has_template_syntax(std::string_view line) {
  for (size_t at = line.find("{{"); at != std::string_view::npos; at = line.find("{{", at + 1))
    if (line.find("}}", at + 2) != std::string_view::npos) return true;
  if (const size_t at = line.find("{%"); at != std::string_view::npos && line.find("%}", at + 2) != std::string_view::npos)
    return true;
  for (size_t at = line.find("${"); at != std::string_view::npos; at = line.find("${", at + 1)) {
    // `${NAME}` / `${NAME:-default}`; `${1,3}` in a regex is a quantifier, not a variable.
    size_t i = at + 2;
    if (i >= line.size() || !(line[i] == '_' || ((line[i] | 0x20) >= 'a' && (line[i] | 0x20) <= 'z'))) continue;
    while (i < line.size() && (line[i] == '_' || line[i] == '.' || (line[i] >= '0' && line[i] <= '9') ||
                               ((line[i] | 0x20) >= 'a' && (line[i] | 0x20) <= 'z')))
      ++i;
    if (i < line.size() && (line[i] == '}' || line[i] == ':')) return true;
  }
  return false;
}

}  // namespace pmtalint
