#include "schema/knowledge.h"

#include <algorithm>

#include "base/text.h"
#include "schema/knowledge_tables.h"

namespace pmtalint {

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

std::string keyword_of(std::string_view line) {
  size_t start = line.starts_with('<') ? 1 : 0;
  size_t end = line.find_first_of(" \t>=:", start);
  return to_lower(line.substr(start, end == std::string_view::npos ? line.size() - start : end - start));
}

}  // namespace

KnowledgeBase::KnowledgeBase()
    : directives_(generated::directives()), blocks_(generated::blocks()), invented_(generated::invented_lines()) {
  // Sized up front: the index is built on every run, and rehashing it as it grows cost more than the inserts.
  size_t names = directives_.size();
  for (const DirectiveInfo& directive : directives_) names += directive.aliases.size();
  directive_index_.reserve(names);
  block_index_.reserve(blocks_.size());
  for (size_t i = 0; i < directives_.size(); ++i) {
    directive_index_.emplace(directives_[i].name, i);
    for (const std::string& alias : directives_[i].aliases) directive_index_.emplace(alias, i);
  }
  for (size_t i = 0; i < blocks_.size(); ++i) block_index_.emplace(blocks_[i].name, i);
  for (InventedLine& line : invented_) line.keyword = keyword_of(line.line);
}

const KnowledgeBase& KnowledgeBase::get() {
  // Never destroyed: freeing its thousands of strings at exit took a tenth of a small run
  // (issue #17), and the process is ending anyway. Still reachable, so no leak is reported.
  static const KnowledgeBase& kb = *new KnowledgeBase();
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
