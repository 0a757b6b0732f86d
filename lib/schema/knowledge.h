#pragma once
// The knowledge base: every PMTA directive and block kind, and lines seen on the web that PMTA
// rejects. Its source is the JSON files in schemas/, turned into C++ initialisers at build time
// (cmake/gen_knowledge.py), so checks, `explain`, and the LSP all answer from the same data.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schema/grammar.h"
#include "schema/version.h"

namespace pmtalint {

struct DirectiveInfo {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> contexts;  // "global", "domain", "source", "virtual-mta", …
  Grammar value;
  std::string value_text;
  std::optional<std::string> default_value;
  bool repeatable = false;
  // Repeatable, but each line must differ in its first field (a domain-macro NAME, a record type).
  bool repeat_distinct = false;
  // For a single-valued directive: what the reference says about giving it twice, and where.
  std::optional<std::string> on_repeat;
  std::optional<std::string> on_repeat_source;
  std::optional<std::string> replacement;  // set when deprecated
  std::optional<std::string> rewrite;      // mechanical replacement, "{value}" marks the old value
  std::optional<PmtaVersion> since;
  std::optional<PmtaVersion> removed;
  bool restart = false;
  std::optional<std::string> restart_if;  // a change needs a restart when this holds
  std::optional<std::string> example;
  std::string source;  // the guide section or reference row the entry comes from
  std::string description;

  bool deprecated() const { return replacement.has_value(); }
  bool valid_in(std::string_view context) const;
};

enum class BlockArgument : uint8_t { None, Optional, Required };

struct BlockInfo {
  std::string name;
  BlockArgument argument = BlockArgument::Required;
  std::vector<std::string> parents;  // "global" for the top level
  bool line_syntax = false;          // holds rule lines (reply, mx, /regex/ …) instead of directives
  bool unique = false;
  std::optional<PmtaVersion> since;
  std::optional<PmtaVersion> removed;
  std::string description;
};

enum class InventedKind : uint8_t { Directive, Block, Value, Context, Syntax, Deprecated, Real };

struct InventedLine {
  std::string line;
  std::string context;
  InventedKind kind;
  std::string keyword;  // lower-case first word, or tag name without '<'
  std::string real;
  std::string mention;
  std::string reason;
};

class KnowledgeBase {
 public:
  static const KnowledgeBase& get();

  const DirectiveInfo* directive(std::string_view name) const;  // any case; aliases resolve
  const BlockInfo* block(std::string_view name) const;
  // A web-invented line with this keyword (or tag), preferring one seen in this context.
  const InventedLine* invented(std::string_view keyword, std::string_view context, bool tag) const;

  const std::vector<DirectiveInfo>& directives() const { return directives_; }
  const std::vector<BlockInfo>& blocks() const { return blocks_; }
  const std::vector<InventedLine>& invented_lines() const { return invented_; }

 private:
  KnowledgeBase();
  std::vector<DirectiveInfo> directives_;
  std::vector<BlockInfo> blocks_;
  std::vector<InventedLine> invented_;
  // Transparent hashing: lookups by string_view allocate nothing (they run for every line).
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, size_t, NameHash, std::equal_to<>>;
  Index directive_index_;
  Index block_index_;
};

// Whether a tag may only stand at the top level (for the parser's recovery).
bool is_top_level_only_block(std::string_view tag);
bool is_known_keyword(std::string_view keyword);

// "at the top level", "inside <domain>" — for messages.
std::string describe_context(std::string_view context);
std::string describe_contexts(const std::vector<std::string>& contexts);

}  // namespace pmtalint
