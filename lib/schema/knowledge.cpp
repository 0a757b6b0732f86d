#include "schema/knowledge.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/text.h"

namespace pmtalint {

namespace embedded {
extern const std::string_view kDirectivesJson;
extern const std::string_view kBlocksJson;
extern const std::string_view kNotPmtaJson;
}  // namespace embedded

std::optional<PmtaVersion> PmtaVersion::parse(std::string_view text) {
  PmtaVersion v;
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size() || text.size() > 8) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i)
    if (i != dot && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  v.major = std::stoi(std::string(text.substr(0, dot)));
  v.minor = std::stoi(std::string(text.substr(dot + 1)));
  return v;
}

namespace {

using nlohmann::json;

std::optional<std::string> optional_string(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<std::string>();
}

std::optional<PmtaVersion> optional_version(const json& j) {
  if (j.is_null()) return std::nullopt;
  return PmtaVersion::parse(j.get<std::string>());
}

Grammar read_grammar(const json& j) {
  Grammar g;
  g.kind = grammar_kind_from_name(j.at("kind").get<std::string>());
  if (j.contains("min")) g.min = j["min"].get<int64_t>();
  if (j.contains("max")) g.max = j["max"].get<int64_t>();
  g.unlimited = j.value("unlimited", false);
  g.auto_value = j.value("auto", false);
  g.never = j.value("never", false);
  g.zero = j.value("zero", false);
  g.empty = j.value("empty", false);
  g.header = j.value("header", false);
  if (j.contains("values")) g.values = j["values"].get<std::vector<std::string>>();
  if (j.contains("fields"))
    for (const json& f : j["fields"]) g.fields.push_back(read_grammar(f));
  return g;
}

InventedKind invented_kind(const std::string& s) {
  if (s == "directive") return InventedKind::Directive;
  if (s == "block") return InventedKind::Block;
  if (s == "value") return InventedKind::Value;
  if (s == "context") return InventedKind::Context;
  if (s == "syntax") return InventedKind::Syntax;
  if (s == "deprecated") return InventedKind::Deprecated;
  return InventedKind::Real;
}

std::string keyword_of(std::string_view line) {
  size_t start = line.starts_with('<') ? 1 : 0;
  size_t end = line.find_first_of(" \t>=:", start);
  return to_lower(line.substr(start, end == std::string_view::npos ? line.size() - start : end - start));
}

}  // namespace

KnowledgeBase::KnowledgeBase() {
  const json directives = json::parse(embedded::kDirectivesJson);
  for (const json& d : directives.at("directives")) {
    DirectiveInfo info;
    info.name = d.at("name");
    info.aliases = d.at("aliases").get<std::vector<std::string>>();
    info.contexts = d.at("contexts").get<std::vector<std::string>>();
    info.value = read_grammar(d.at("value"));
    info.value_text = d.at("value_text");
    info.default_value = optional_string(d.at("default"));
    info.repeatable = d.at("repeatable");
    info.repeat_distinct = !d.at("repeat_distinct").is_null();
    if (const json& r = d.at("on_repeat"); !r.is_null()) {
      info.on_repeat = r.at("text").get<std::string>();
      info.on_repeat_source = r.at("source").get<std::string>();
    }
    if (!d.at("deprecated").is_null()) {
      info.replacement = d["deprecated"].at("replacement").get<std::string>();
      if (d["deprecated"].contains("rewrite")) info.rewrite = d["deprecated"]["rewrite"].get<std::string>();
    }
    info.since = optional_version(d.at("since"));
    info.removed = optional_version(d.at("removed"));
    info.restart = d.at("restart");
    if (d.contains("restart_if")) info.restart_if = d["restart_if"].get<std::string>();
    info.example = optional_string(d.at("example"));
    info.source = d.at("source");
    info.description = d.at("description");
    directives_.push_back(std::move(info));
  }
  for (size_t i = 0; i < directives_.size(); ++i) {
    directive_index_.emplace(directives_[i].name, i);
    for (const std::string& alias : directives_[i].aliases) directive_index_.emplace(alias, i);
  }
  const json blocks = json::parse(embedded::kBlocksJson);
  for (const json& b : blocks.at("blocks")) {
    BlockInfo info;
    info.name = b.at("name");
    const std::string argument = b.at("argument");
    info.argument = argument == "none" ? BlockArgument::None
                    : argument == "optional" ? BlockArgument::Optional
                                             : BlockArgument::Required;
    info.parents = b.at("parents").get<std::vector<std::string>>();
    info.line_syntax = b.at("line_syntax");
    info.unique = b.at("unique");
    info.since = optional_version(b.at("since"));
    info.removed = optional_version(b.at("removed"));
    info.description = b.at("description");
    block_index_.emplace(info.name, blocks_.size());
    blocks_.push_back(std::move(info));
  }
  const json invented = json::parse(embedded::kNotPmtaJson);
  for (const json& e : invented.at("entries")) {
    InventedLine line;
    line.line = e.at("line");
    line.context = e.at("context");
    line.kind = invented_kind(e.at("kind"));
    line.keyword = keyword_of(line.line);
    line.real = e.at("real");
    line.mention = e.at("mention");
    line.reason = e.at("reason");
    invented_.push_back(std::move(line));
  }
}

const KnowledgeBase& KnowledgeBase::get() {
  static const KnowledgeBase kb;
  return kb;
}

bool DirectiveInfo::valid_in(std::string_view context) const {
  return std::find(contexts.begin(), contexts.end(), context) != contexts.end();
}

namespace {

// Keywords are matched without regard to case; only the rare capitalised one is copied.
template <class Index>
typename Index::const_iterator find_name(const Index& index, std::string_view name) {
  if (!has_upper(name)) return index.find(name);
  return index.find(std::string_view(to_lower(name)));
}

}  // namespace

const DirectiveInfo* KnowledgeBase::directive(std::string_view name) const {
  auto it = find_name(directive_index_, name);
  return it == directive_index_.end() ? nullptr : &directives_[it->second];
}

const BlockInfo* KnowledgeBase::block(std::string_view name) const {
  auto it = find_name(block_index_, name);
  return it == block_index_.end() ? nullptr : &blocks_[it->second];
}

const InventedLine* KnowledgeBase::invented(std::string_view keyword, std::string_view context, bool tag) const {
  const std::string key = to_lower(keyword);
  const InventedLine* any = nullptr;
  for (const InventedLine& line : invented_) {
    if (line.keyword != key || line.kind == InventedKind::Real) continue;
    if ((line.kind == InventedKind::Block) != tag) continue;
    if (line.context == context) return &line;
    if (!any) any = &line;
  }
  return any;
}

bool is_known_keyword(std::string_view keyword) {
  const auto& kb = KnowledgeBase::get();
  return kb.directive(keyword) != nullptr || kb.block(keyword) != nullptr;
}

bool is_top_level_only_block(std::string_view tag) {
  const BlockInfo* block = KnowledgeBase::get().block(tag);
  return block && block->parents.size() == 1 && block->parents.front() == "global";
}

std::string describe_context(std::string_view context) {
  if (context == "global") return "at the top level";
  return "inside <" + std::string(context) + ">";
}

std::string describe_contexts(const std::vector<std::string>& contexts) {
  std::string out;
  for (size_t i = 0; i < contexts.size(); ++i) {
    if (i > 0) out += i + 1 == contexts.size() ? " or " : ", ";
    out += describe_context(contexts[i]);
  }
  return out;
}

}  // namespace pmtalint
