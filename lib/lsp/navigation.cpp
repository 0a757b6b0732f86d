// Outline, folding, go-to-definition and references: what the semantic model knows about names.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "base/text.h"
#include "lsp/protocol.h"

namespace pmtalint::lsp {

namespace {

// Kinds whose blocks are referred to by name elsewhere in a configuration.
constexpr std::string_view kNamedKinds[] = {"virtual-mta", "virtual-mta-pool", "pattern-list", "smtp-pattern-list",
                                            "rewrite-list", "source-group", "proxy", "source", "address-list",
                                            "smtp-user", "domain-key-list"};

bool name_char(char c) { return !(c == ' ' || c == '\t' || c == ',' || c == '"' || c == '\r' || c == '\n' || c == '<' || c == '>'); }

// The name-like word around an offset: `virtual-mta=mta1` yields mta1, `$isp.$tld` the macro.
std::pair<size_t, size_t> word_at(std::string_view text, size_t offset) {
  size_t begin = std::min(offset, text.size()), end = begin;
  while (begin > 0 && name_char(text[begin - 1]) && text[begin - 1] != '=') --begin;
  while (end < text.size() && name_char(text[end]) && text[end] != '=') ++end;
  return {begin, end};
}

json location(const Analysis& a, const TextDocument& doc, Location where) {
  const SourceFile& file = a.workspace().file(where.file);
  if (where.file == a.document()) return {{"uri", doc.uri()}, {"range", range_json(doc, where.span.begin, where.span.end)}};
  return {{"uri", path_to_uri(file.path())}, {"range", range_in_file(file, where.span)}};
}

// The definition (block head or domain-macro line) a word names, if any.
std::optional<Location> definition_of(const Analysis& a, std::string_view word) {
  const Model& model = a.model();
  if (word.starts_with('$')) {
    std::string_view name = word.substr(1);
    name = name.substr(0, std::min(name.size(), name.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")));
    if (const DomainMacro* m = model.macro(name)) return model.where(model.directives()[m->directive]);
    return std::nullopt;
  }
  for (std::string_view kind : kNamedKinds)
    if (const auto& defs = model.definitions(kind, word); !defs.empty()) return model.head(defs.front());
  if (const auto& defs = model.definitions("domain", word); !defs.empty()) return model.head(defs.front());
  return std::nullopt;
}

std::string_view word_under(const TextDocument& doc, const json& params, size_t& begin) {
  const size_t offset = doc.offset(position_from(params.at("position")));
  const auto [b, e] = word_at(doc.text(), offset);
  begin = b;
  return std::string_view(doc.text()).substr(b, e - b);
}

json symbol(const Tree& tree, const TextDocument& doc, NodeId id) {
  const Node& n = tree.node(id);
  std::string name = "<" + std::string(tree.name(id));
  if (!tree.argument(id).empty()) name += " " + std::string(trim(tree.argument(id)));
  name += ">";
  json children = json::array();
  for (NodeId c = n.first_child; c != kNoNode; c = tree.node(c).next_sibling)
    if (tree.node(c).kind == NodeKind::Block) children.push_back(symbol(tree, doc, c));
  const std::string kind = to_lower(tree.name(id));
  // LSP SymbolKind: 3 Namespace, 5 Class, 7 Property, 12 Function, 18 Array.
  const int symbol_kind = kind == "domain" ? 3 : kind == "virtual-mta" || kind == "virtual-mta-pool" ? 5
                          : kind.ends_with("list") ? 18 : kind == "source" ? 12 : 7;
  return {{"name", name},
          {"kind", symbol_kind},
          {"range", range_json(doc, n.span.begin, n.span.end)},
          {"selectionRange", range_json(doc, n.head.begin, n.head.end)},
          {"children", std::move(children)}};
}

}  // namespace

json document_symbols(const Analysis& a, const TextDocument& doc) {
  json out = json::array();
  const Tree& tree = a.workspace().tree(a.document());
  for (NodeId c = tree.node(tree.root()).first_child; c != kNoNode; c = tree.node(c).next_sibling)
    if (tree.node(c).kind == NodeKind::Block) out.push_back(symbol(tree, doc, c));
  return out;
}

json folding_ranges(const Analysis& a, const TextDocument& doc) {
  json out = json::array();
  const Tree& tree = a.workspace().tree(a.document());
  for (NodeId id = 1; id < tree.size(); ++id) {
    const Node& n = tree.node(id);
    if (n.kind != NodeKind::Block) continue;
    const uint32_t first = doc.position(n.span.begin).line;
    const uint32_t last = doc.position(n.close.empty() ? n.span.end : n.close.begin).line;
    if (last > first) out.push_back({{"startLine", first}, {"endLine", last}, {"kind", "region"}});
  }
  return out;
}

std::optional<Location> definition_at(const Analysis& a, const TextDocument& doc, size_t offset) {
  const auto [b, e] = word_at(doc.text(), offset);
  if (e == b) return std::nullopt;
  return definition_of(a, std::string_view(doc.text()).substr(b, e - b));
}

json definition(const Analysis& a, const TextDocument& doc, const json& params) {
  if (const auto where = definition_at(a, doc, doc.offset(position_from(params.at("position")))))
    return location(a, doc, *where);
  return nullptr;
}

json references(const Analysis& a, const TextDocument& doc, const json& params) {
  size_t begin = 0;
  std::string_view word = word_under(doc, params, begin);
  if (word.empty()) return json::array();
  const bool include_declaration = params.contains("context") && params["context"].value("includeDeclaration", false);
  const Model& model = a.model();
  const bool macro = word.starts_with('$');
  const std::string name = macro ? std::string(word.substr(1)) : std::string(word);
  json out = json::array();
  if (include_declaration)
    if (const auto where = definition_of(a, word)) out.push_back(location(a, doc, *where));
  // Every value token equal to the name (or $name inside a domain argument or value).
  for (const ModelDirective& d : model.directives()) {
    const std::string_view value = model.value(d);
    const Node& node = model.workspace().tree(d.file).node(d.node);
    if (node.continued) continue;  // offsets in joined values do not map onto one line
    for (size_t i = 0; i < value.size();) {
      const auto [b, e] = word_at(value, i);
      if (e == b) {
        ++i;
        continue;
      }
      std::string_view token = value.substr(b, e - b);
      bool hit = macro ? token.find("$" + name) != std::string_view::npos : iequals(token, name);
      if (macro && hit) {
        const size_t at = token.find("$" + name);
        const char after = at + 1 + name.size() < token.size() ? token[at + 1 + name.size()] : '.';
        hit = !(std::isalnum(static_cast<unsigned char>(after)) || after == '_');
      }
      if (hit && !(d.info && d.info->name == "domain-macro" && b == 0))
        out.push_back(location(a, doc, model.value_at(d, b, e - b)));
      i = std::max(e, i + 1);  // at a '=' the word ends where it started: always move on
    }
  }
  for (const ModelBlock& b : model.blocks()) {
    if (b.node == kNoNode || b.argument.empty()) continue;
    const bool hit = macro ? b.argument.find("$" + name) != std::string_view::npos : false;
    if (hit) out.push_back(location(a, doc, model.head(b)));
  }
  return out;
}

namespace {

// The byte offset of a view into a file's text.
uint32_t offset_in(const SourceFile& file, std::string_view part) {
  return static_cast<uint32_t>(part.data() - file.text().data());
}

// Every `$name` in `text` (a view into `file`), as the span of `name` after the '$'.
void macro_uses(const SourceFile& file, FileId id, std::string_view text, std::string_view name, std::vector<Location>& out) {
  for (size_t at = text.find('$'); at != std::string_view::npos; at = text.find('$', at + 1)) {
    const std::string_view rest = text.substr(at + 1);
    if (rest.size() < name.size() || !iequals(rest.substr(0, name.size()), name)) continue;
    if (rest.size() > name.size() && (std::isalnum(static_cast<unsigned char>(rest[name.size()])) || rest[name.size()] == '_')) continue;
    const uint32_t begin = offset_in(file, rest);
    out.push_back({id, {begin, begin + static_cast<uint32_t>(name.size())}});
  }
}

}  // namespace

// Renames a virtual MTA, pool, list (any named block kind) or domain macro in every file of the
// configuration: its definitions and each use (the same tokens find-references reports).
json rename(const Analysis& a, const TextDocument& doc, const json& params) {
  const std::string new_name = params.at("newName").get<std::string>();
  size_t begin = 0;
  std::string_view word = word_under(doc, params, begin);
  if (word.empty()) return nullptr;
  const Model& model = a.model();
  const Workspace& ws = a.workspace();
  std::vector<Location> spans;
  // A macro: `$name` at a use, or the name on its domain-macro line.
  std::string macro;
  if (word.starts_with('$')) {
    std::string_view n = word.substr(1);
    size_t len = 0;
    while (len < n.size() && (std::isalnum(static_cast<unsigned char>(n[len])) || n[len] == '_')) ++len;
    macro = std::string(n.substr(0, len));
  } else if (model.macro(word)) {
    for (const DomainMacro& m : model.macros()) {
      const ModelDirective& d = model.directives()[m.directive];
      if (d.file == a.document() && iequals(m.name, word) && begin == model.node(d).argument.begin) macro = m.name;
    }
  }
  const auto valid = [&](std::string_view name, bool is_macro) {
    if (name.empty()) return false;
    for (char c : name)
      if (is_macro ? !(std::isalnum(static_cast<unsigned char>(c)) || c == '_') : !name_char(c) || c == '=' || c == '#' || c == '$')
        return false;
    return true;
  };
  if (!macro.empty()) {
    if (!valid(new_name, true)) throw std::invalid_argument("'" + new_name + "' is not a macro name (letters, digits, '_')");
    const DomainMacro* m = model.macro(macro);
    if (!m) return nullptr;
    const ModelDirective& def = model.directives()[m->directive];
    const uint32_t at = model.node(def).argument.begin;  // the name is the first word of the value
    spans.push_back({def.file, {at, at + static_cast<uint32_t>(m->name.size())}});
    for (const ModelDirective& d : model.directives()) {
      if (model.node(d).continued) continue;  // offsets in joined values do not map onto one line
      macro_uses(ws.file(d.file), d.file, model.value(d), macro, spans);
    }
    for (const ModelBlock& b : model.blocks())
      if (b.node != kNoNode && !b.argument.empty()) macro_uses(ws.file(b.file), b.file, b.argument, macro, spans);
  } else {
    std::string_view kind;
    for (std::string_view k : kNamedKinds)
      if (!model.definitions(k, word).empty()) {
        kind = k;
        break;
      }
    if (kind.empty()) return nullptr;
    if (!valid(new_name, false)) throw std::invalid_argument("'" + new_name + "' cannot be a name in a PMTA tag");
    for (uint32_t index : model.definitions(kind, word)) {
      const ModelBlock& b = model.block(index);
      const uint32_t at = offset_in(ws.file(b.file), b.argument);
      spans.push_back({b.file, {at, at + static_cast<uint32_t>(b.argument.size())}});
    }
    for (const ModelDirective& d : model.directives()) {
      if (model.node(d).continued) continue;
      const std::string_view value = model.value(d);
      for (size_t i = 0; i < value.size();) {
        const auto [b, e] = word_at(value, i);
        if (e > b && iequals(value.substr(b, e - b), word) && !(d.info && d.info->name == "domain-macro" && b == 0))
          spans.push_back(model.value_at(d, b, e - b));
        i = std::max(e, i + 1);
      }
    }
  }
  json changes = json::object();
  std::set<std::pair<FileId, uint32_t>> seen;
  for (const Location& where : spans) {
    if (!seen.emplace(where.file, where.span.begin).second) continue;
    const json at = location(a, doc, where);
    changes[at["uri"].get<std::string>()].push_back({{"range", at["range"]}, {"newText", new_name}});
  }
  return {{"changes", std::move(changes)}};
}

}  // namespace pmtalint::lsp
