#pragma once
// What a configuration defines, read once from the workspace in PMTA's reading order: every
// block with its directives, named definitions (virtual MTAs, pools, lists, sources, …),
// domain macros and their expansions, and the `<domain>` blocks of each scope with their parsed
// patterns. Checks and `show settings` ask this model instead of walking the trees again.
//
// Nothing here copies configuration text in bulk: directives are (file, node) references into
// the workspace's trees, which the model must not outlive.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/domain_pattern.h"
#include "schema/knowledge.h"
#include "syntax/workspace.h"

namespace pmtalint {

inline constexpr uint32_t kGlobalBlock = 0;
inline constexpr uint32_t kNoBlock = UINT32_MAX;

struct ModelDirective {
  FileId file;
  NodeId node;
  uint32_t block;               // the enclosing block (kGlobalBlock at the top level)
  const DirectiveInfo* info;    // nullptr when PMTA has no such directive
};

struct ModelBlock {
  FileId file = 0;
  NodeId node = kNoNode;        // kNoNode for the global scope
  uint32_t parent = kNoBlock;
  bool known = true;            // false for a block PMTA does not have, and everything inside it
  std::string kind;             // lower-case tag name; "global" for the top level
  std::string_view argument;    // as written, trimmed
  // Views into one array the model owns: hundreds of thousands of blocks with two small
  // vectors each cost more than the tree they come from.
  std::span<const uint32_t> directives;  // indexes into Model::directives(), in reading order
  std::span<const uint32_t> children;
};

struct DomainMacro {
  std::string name;
  std::vector<std::string> values;  // as written, split at commas and blanks
  uint32_t directive;
};

// A `<domain>` block as PMTA sees it after macro expansion: one entry per expanded pattern.
struct DomainEntry {
  uint32_t block;
  uint32_t owner;     // kGlobalBlock, or the enclosing <virtual-mta> / <virtual-mta-pool>
  DomainPattern pattern;
  bool from_macro;    // the tag argument used a $macro
};

struct MacroProblem {
  enum class Kind : uint8_t { Undefined, Loop, TooLarge, OverBudget, TooDeep };
  Kind kind;
  Location where;
  std::string name;                // the macro
  std::vector<std::string> chain;  // for loops: the names in the cycle, in order
};

// A part of the configuration that was not read: whatever it holds is unknown, so nothing may
// be claimed absent from the block it stands in (or, for a fragment, from the whole).
struct Gap {
  // Fragment: the roots are not a main configuration. Unread: an include whose file could not
  // be read. TooLarge: includes that would repeat the configuration past the model's budget.
  enum class Kind : uint8_t { Fragment, Unread, TooLarge };
  Kind kind;
  uint32_t block;     // the block the missing text belongs to (kGlobalBlock: the top level)
  Location where;     // the include line; for a fragment, the start of the file
  std::string path;   // the file that was not read, or the fragment
};

// A file included a second time into the same block: PMTA reads it again there.
struct RepeatedInclude {
  Location where;  // the include line that repeats it
  Location first;  // the include line that read it first
  std::string path;
};

class Model {
 public:
  // One configuration: the root files and everything they include. `whole` says the roots are
  // PMTA's main configuration; otherwise they are a fragment of one that was not read.
  Model(const Workspace& workspace, std::vector<FileId> roots, bool whole = true);
  // Blocks view arrays of the model: a move keeps them where they are, a copy would not.
  Model(Model&&) = default;
  Model(const Model&) = delete;

  const Workspace& workspace() const { return workspace_; }
  const std::vector<FileId>& roots() const { return roots_; }
  const std::vector<FileId>& files() const { return files_; }  // roots and included files
  const std::vector<ModelBlock>& blocks() const { return blocks_; }
  const std::vector<ModelDirective>& directives() const { return directives_; }
  const ModelBlock& block(uint32_t index) const { return blocks_[index]; }

  // The directive's canonical name when PMTA knows it (aliases resolved), else as written.
  std::string_view name(const ModelDirective& d) const;
  std::string_view value(const ModelDirective& d) const;
  std::span<const Word> words(const ModelDirective& d) const;
  std::string_view text(const ModelDirective& d, Span span) const;
  Location where(const ModelDirective& d) const;     // keyword through last value
  Location keyword(const ModelDirective& d) const;
  Location value_at(const ModelDirective& d, size_t offset, size_t length) const;
  Location head(const ModelBlock& b) const;          // the opening tag
  Location head(uint32_t block) const { return head(blocks_[block]); }
  // "<virtual-mta mta1>" / "the top level", for messages.
  std::string describe(uint32_t block) const;
  // The last directive of that name directly inside the block.
  const ModelDirective* last(uint32_t block, std::string_view name) const;

  // Blocks of a kind with that argument (case-insensitive), in reading order.
  std::span<const uint32_t> definitions(std::string_view kind, std::string_view name) const;
  // Every argument defined for a kind, as written, for "did you mean".
  std::vector<std::string_view> defined_names(std::string_view kind) const;
  size_t defined_count(std::string_view kind) const;
  // Every block of a kind, named or not, in reading order: a configuration can have tens of
  // thousands of top-level blocks, so nothing that runs per <domain> may scan them.
  const std::vector<uint32_t>& blocks_of_kind(std::string_view kind) const;
  // Pools that list the virtual MTA as a member, in reading order.
  std::vector<uint32_t> pools_of(std::string_view vmta) const;

  const DomainMacro* macro(std::string_view name) const;
  const std::vector<DomainMacro>& macros() const { return macros_; }
  // Cross-product expansion of every $name in `text`. Problems are appended with their position
  // (`at` is where `text` starts in its file); loops are reported at the definitions instead.
  std::vector<std::string> expand(std::string_view text, Location at, std::vector<MacroProblem>* problems) const;
  // Undefined macros at every use site, loops at the definitions, oversized expansions.
  const std::vector<MacroProblem>& macro_problems() const { return macro_problems_; }

  // Whether the roots are a main configuration (not a fragment of one).
  bool whole() const { return whole_; }
  const std::vector<Gap>& gaps() const { return gaps_; }
  const std::vector<RepeatedInclude>& repeated_includes() const { return repeated_includes_; }
  // A gap that may hold what `block` seems to lack: one in the block itself, or with `or_around`
  // also in a block around it (for settings a block inherits). Fragments have theirs at the top.
  const Gap* gap_in(uint32_t block, bool or_around) const;
  const Gap* any_gap() const { return gaps_.empty() ? nullptr : &gaps_.front(); }

  // The lower-case kind of the block a directive stands in ("global" at the top level), and
  // whether PMTA knows that block and every block around it.
  std::string_view context(const ModelDirective& d) const { return blocks_[d.block].kind; }
  bool context_known(const ModelDirective& d) const { return blocks_[d.block].known; }
  const Node& node(const ModelDirective& d) const { return workspace_.tree(d.file).node(d.node); }
  const Node& node(const ModelBlock& b) const { return workspace_.tree(b.file).node(b.node); }
  // The keyword or tag as written.
  std::string_view written_name(const ModelDirective& d) const { return workspace_.tree(d.file).name(d.node); }
  std::string_view written_name(const ModelBlock& b) const { return workspace_.tree(b.file).name(b.node); }

  const std::vector<DomainEntry>& domains() const { return domains_; }
  // Entries of one owner whose pattern matches the domain, from the most general to the most
  // specific; at equal specificity macro-expanded entries come first, so explicit ones win.
  std::vector<const DomainEntry*> matching(uint32_t owner, std::string_view domain) const;

  static constexpr size_t kMaxExpansion = 10'000;         // names from one macro use
  static constexpr size_t kMaxExpansionBytes = 4 << 20;   // bytes of those names
  static constexpr size_t kMaxMacroDepth = 256;          // macros expanded inside one another
  static constexpr size_t kMaxExpandedBytes = 64 << 20;   // bytes of all expanded <domain> names
  static constexpr size_t kMaxDomainEntries = 200'000;   // <domain> entries in all, after expansion
  // Nodes the model may hold beyond those of the files themselves: files included into many
  // blocks (a DKIM list in every VMTA) are read once per block, but nested repetition cannot
  // multiply the configuration without bound.
  static constexpr size_t kMaxExtraNodes = 2'000'000;

 private:
  // Hundreds of thousands of named blocks and <domain> entries are looked up by text: tables
  // of (hash, index) sorted by hash cost 16 bytes a name where a map of strings cost ten times
  // that. A hash is only a candidate; the lookup compares the text itself.
  struct Hashed {
    uint64_t hash;
    uint32_t index;
    friend bool operator<(const Hashed& a, const Hashed& b) { return a.hash != b.hash ? a.hash < b.hash : a.index < b.index; }
  };

  void build();
  void list_block_contents();
  void collect_definitions();
  void group_definitions(std::vector<Hashed> named);
  void check_macro_loops();
  void expand_domains();
  void check_macro_uses();
  // `open`: the macros being expanded (a use inside one of them is a loop, left as written). A
  // set, not a search of the names: deep nesting stays quadratic, not cubic. `too_deep`: a use
  // was left as written because kMaxMacroDepth macros were open.
  std::vector<std::string> expand_impl(std::string_view text, Location at, std::vector<MacroProblem>* problems,
                                       std::unordered_set<const DomainMacro*>& open, bool& too_deep) const;

  const Workspace& workspace_;
  std::vector<FileId> roots_;
  std::vector<FileId> files_;
  std::vector<ModelBlock> blocks_;
  std::vector<ModelDirective> directives_;
  std::vector<uint32_t> block_contents_;  // every block's directives, then every block's children
  std::vector<DomainMacro> macros_;
  std::unordered_map<std::string, size_t> macro_index_;
  // Every named block under the hash of its kind and lower-case name, ascending; the blocks of
  // one kind and name stand together, in reading order.
  std::vector<uint64_t> definition_hashes_;
  std::vector<uint32_t> definition_blocks_;
  std::unordered_map<std::string, std::vector<uint32_t>> named_by_kind_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_kind_;
  // The top level can hold tens of thousands of lines (macros, listeners); its last-of-name
  // lookups are indexed, other blocks are small enough to scan.
  std::unordered_map<std::string, uint32_t> global_last_;
  // Pools by member: one sorted table, where a map of names held a vector for each VMTA.
  struct PoolMember {
    uint64_t hash;       // of the lower-case VMTA name
    uint32_t pool;
    uint32_t directive;  // its `virtual-mta` line
    friend bool operator<(const PoolMember& a, const PoolMember& b) {
      return a.hash != b.hash ? a.hash < b.hash : a.pool != b.pool ? a.pool < b.pool : a.directive < b.directive;
    }
  };
  std::vector<PoolMember> pool_members_;
  std::vector<DomainEntry> domains_;
  std::vector<Hashed> domain_index_;  // (owner, suffix, "" for '*') → domains_
  std::vector<MacroProblem> macro_problems_;
  bool over_budget_ = false;
  size_t expanded_bytes_ = 0;
  bool whole_ = true;
  std::vector<Gap> gaps_;
  std::vector<RepeatedInclude> repeated_includes_;
  std::unordered_map<uint32_t, uint32_t> gap_by_block_;  // block → its first gap
};

// The configurations of a lint run: each root of the workspace is one, unless another root
// includes it, directly or not (then it is read as part of that one, as PMTA would read it),
// whatever the order the files were named in. `is_main` says which roots are PMTA's main
// configuration; the others are fragments.
std::vector<Model> configurations(const Workspace& workspace, const std::function<bool(FileId)>& is_main);
// PMTA starts from a file named `config`; `config.new` or `config.mx1` (a configuration about
// to replace it, or one per server) is one too.
bool main_config_name(std::string_view path);
bool named_config(const Workspace& workspace, FileId file);

}  // namespace pmtalint
