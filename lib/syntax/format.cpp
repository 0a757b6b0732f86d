#include "syntax/format.h"

#include <algorithm>
#include <map>

namespace pmtalint {

std::vector<IndentEdit> reindent(const Tree& tree, const IndentStyle& style, uint32_t first_line, uint32_t last_line) {
  const SourceFile& file = tree.file();
  const std::string unit = style.tabs ? std::string("\t") : std::string(static_cast<size_t>(std::clamp(style.width, 1, 16)), ' ');
  const auto line_of = [&](uint32_t offset) { return file.position(offset).line; };
  std::map<uint32_t, int> depth;   // line → depth, for lines that start a node or close a block
  std::map<uint32_t, int> inside;  // line → depth of the innermost block around it, for comments
  std::vector<std::pair<NodeId, int>> stack{{tree.root(), -1}};
  while (!stack.empty()) {
    const auto [id, d] = stack.back();
    stack.pop_back();
    for (NodeId c = tree.node(id).first_child; c != kNoNode; c = tree.node(c).next_sibling) {
      const Node& n = tree.node(c);
      depth.emplace(line_of(n.span.begin), d + 1);
      if (n.kind != NodeKind::Block) {
        const uint32_t last = line_of(n.span.end);  // continuation lines sit one deeper
        for (uint32_t l = line_of(n.span.begin) + 1; l <= last; ++l) depth.emplace(l, d + 2);
        continue;
      }
      if (!n.close.empty()) depth.emplace(line_of(n.close.begin), d + 1);
      const uint32_t first = line_of(n.head.end) + 1;
      const uint32_t last = n.close.empty() ? line_of(n.span.end) : line_of(n.close.begin);
      for (uint32_t l = first; l < last; ++l) inside[l] = d + 2;  // deeper blocks overwrite later
      stack.push_back({c, d + 1});
    }
  }
  std::vector<IndentEdit> edits;
  const std::string_view text = file.text();
  const uint32_t stop = std::min(last_line, file.line_count());
  for (uint32_t line = std::max<uint32_t>(first_line, 1); line <= stop; ++line) {
    const uint32_t start = file.line_start(line);
    const std::string_view content = file.line_text(line);
    const size_t lead = content.find_first_not_of(" \t");
    if (lead == std::string_view::npos || content[lead] == '\r') continue;  // blank lines stay as they are
    int want = -1;
    if (const auto it = depth.find(line); it != depth.end()) want = it->second;
    else if (content[lead] == '#') want = inside.contains(line) ? inside[line] : 0;
    if (want < 0) continue;
    std::string indent;
    for (int i = 0; i < want; ++i) indent += unit;
    if (text.substr(start, lead) != indent)
      edits.push_back({{start, start + static_cast<uint32_t>(lead)}, std::move(indent)});
  }
  return edits;
}

std::string apply_indent(std::string_view text, const std::vector<IndentEdit>& edits) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (const IndentEdit& e : edits) {
    out.append(text.substr(at, e.span.begin - at));
    out += e.text;
    at = e.span.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace pmtalint
