#include "model/model.h"

#include <algorithm>

#include "base/text.h"

namespace pmtalint {

namespace {

// FNV-1a: stable across runs and cheap on short names.
uint64_t hash_bytes(uint64_t h, std::string_view s, bool fold_case) {
  for (const char c : s) h = (h ^ static_cast<unsigned char>(fold_case ? ascii_lower(c) : c)) * 0x100000001b3ULL;
  return h;
}

constexpr uint64_t kHashBasis = 0xcbf29ce484222325ULL;

uint64_t definition_hash(std::string_view kind, std::string_view name) {
  return hash_bytes(hash_bytes(kHashBasis, kind, false) * 31, name, true);
}

uint64_t domain_hash(uint32_t owner, std::string_view suffix) {
  return hash_bytes(kHashBasis ^ (uint64_t{owner} * 0x9E3779B97F4A7C15ULL), suffix, false);
}

bool is_macro_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

Model::Model(const Workspace& workspace, std::vector<FileId> roots, bool whole)
    : workspace_(workspace), roots_(std::move(roots)), whole_(whole) {
  if (!whole_ && !roots_.empty()) {
    gap_by_block_.emplace(kGlobalBlock, 0);
    gaps_.push_back({Gap::Kind::Fragment, kGlobalBlock, {roots_.front(), {0, 0}}, workspace_.file(roots_.front()).path()});
  }
  build();
  list_block_contents();
  collect_definitions();
  check_macro_loops();
  expand_domains();
  check_macro_uses();
}

// One pass in PMTA's reading order: included files are spliced in where their include line
// stands, inside the block that holds it.
void Model::build() {
  const auto& kb = KnowledgeBase::get();
  ModelBlock global;
  global.kind = "global";
  blocks_.push_back(std::move(global));
  struct Frame {
    FileId file;
    NodeId next;
    uint32_t block;
  };
  std::vector<Frame> stack;
  const size_t nodes = workspace_.node_count();
  // The nodes of the files this configuration reads, each once: an upper bound for its blocks
  // and directives unless a file is read into several blocks. Reserving for the whole workspace
  // instead made each of N fragments named together allocate for all N.
  size_t reached_nodes = 0;
  std::vector<bool> seen(workspace_.size(), false);
  for (std::vector<FileId> todo(roots_); !todo.empty();) {
    const FileId f = todo.back();
    todo.pop_back();
    if (seen[f]) continue;
    seen[f] = true;
    reached_nodes += workspace_.tree(f).size();
    for (const FileId t : workspace_.includes_of(f)) todo.push_back(t);
  }
  seen.assign(seen.size(), false);
  blocks_.reserve(reached_nodes / 4 + 1);
  directives_.reserve(reached_nodes);
  std::unordered_map<uint64_t, Location> spliced;  // (block, file) → the include line that read it
  size_t spliced_nodes = 0;
  auto enter = [&](FileId file) {
    if (!seen[file]) files_.push_back(file);
    seen[file] = true;
  };
  for (auto root = roots_.rbegin(); root != roots_.rend(); ++root) {
    enter(*root);
    const Tree& tree = workspace_.tree(*root);
    stack.push_back({*root, tree.node(tree.root()).first_child, kGlobalBlock});
  }
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == kNoNode) {
      stack.pop_back();
      continue;
    }
    const FileId file = top.file;
    const uint32_t parent = top.block;
    const Tree& tree = workspace_.tree(file);
    const NodeId id = top.next;
    const Node& node = tree.node(id);
    top.next = node.next_sibling;
    if (node.kind == NodeKind::Block) {
      ModelBlock block;
      block.file = file;
      block.node = id;
      block.parent = parent;
      block.kind = to_lower(tree.name(id));
      block.argument = trim(tree.argument(id));
      block.known = blocks_[parent].known && kb.block(block.kind) != nullptr;
      const auto index = static_cast<uint32_t>(blocks_.size());
      blocks_.push_back(std::move(block));
      stack.push_back({file, node.first_child, index});
    } else if (node.kind == NodeKind::Directive) {
      directives_.push_back({file, id, parent, kb.directive(tree.name(id))});
      if (const std::string* unread = workspace_.unread(file, id)) {
        gap_by_block_.try_emplace(parent, static_cast<uint32_t>(gaps_.size()));
        gaps_.push_back({Gap::Kind::Unread, parent, {file, node.head}, *unread});
      }
      const auto& targets = workspace_.included_by(file, id);
      for (auto t = targets.rbegin(); t != targets.rend(); ++t) {
        const Tree& included = workspace_.tree(*t);
        const Location here{file, node.head};
        // A file is read once into each block: a second include of it there repeats every
        // definition it holds (and repeated diamonds would grow without bound).
        const auto [first, fresh] = spliced.try_emplace((uint64_t{parent} << 32) | *t, here);
        if (!fresh) {
          repeated_includes_.push_back({here, first->second, workspace_.file(*t).path()});
          continue;
        }
        spliced_nodes += included.size();
        if (spliced_nodes > nodes + kMaxExtraNodes) {
          gap_by_block_.try_emplace(parent, static_cast<uint32_t>(gaps_.size()));
          gaps_.push_back({Gap::Kind::TooLarge, parent, here, workspace_.file(*t).path()});
          continue;
        }
        enter(*t);
        stack.push_back({*t, included.node(included.root()).first_child, parent});
      }
    }
  }
}

// Directives and child blocks were numbered in reading order, so a stable counting sort by
// their block gives each block its list in reading order, all in one array.
void Model::list_block_contents() {
  block_contents_.resize(directives_.size() + blocks_.size() - 1);
  std::vector<uint32_t> next(blocks_.size() + 1);
  // Items first..last-1 (directives or blocks), `block_of` each, listed from `base` on.
  auto list = [&](uint32_t first, uint32_t last, auto block_of, uint32_t base, std::span<const uint32_t> ModelBlock::*field) {
    std::fill(next.begin(), next.end(), 0);
    for (uint32_t i = first; i < last; ++i) ++next[block_of(i) + 1];
    for (size_t b = 1; b < next.size(); ++b) next[b] += next[b - 1];
    for (size_t b = 0; b < blocks_.size(); ++b)
      blocks_[b].*field = std::span<const uint32_t>(block_contents_).subspan(base + next[b], next[b + 1] - next[b]);
    for (uint32_t i = first; i < last; ++i) block_contents_[base + next[block_of(i)]++] = i;
  };
  list(0, static_cast<uint32_t>(directives_.size()), [&](uint32_t d) { return directives_[d].block; }, 0,
       &ModelBlock::directives);
  // Block 0, the top level, is no one's child.
  list(1, static_cast<uint32_t>(blocks_.size()), [&](uint32_t b) { return blocks_[b].parent; },
       static_cast<uint32_t>(directives_.size()), &ModelBlock::children);
}

void Model::collect_definitions() {
  for (const uint32_t d : blocks_[kGlobalBlock].directives) global_last_[to_lower(name(directives_[d]))] = d;
  std::vector<Hashed> named;
  for (uint32_t i = 1; i < blocks_.size(); ++i) {
    const ModelBlock& b = blocks_[i];
    by_kind_[b.kind].push_back(i);
    if (b.argument.empty()) continue;
    named.push_back({definition_hash(b.kind, b.argument), i});
    named_by_kind_[b.kind].push_back(i);
    if (b.kind != "virtual-mta-pool") continue;
    for (const uint32_t d : b.directives) {
      const ModelDirective& member = directives_[d];
      if (!member.info || member.info->name != "virtual-mta") continue;
      pool_members_.push_back({hash_bytes(kHashBasis, trim(value(member)), true), i, d});
    }
  }
  std::sort(pool_members_.begin(), pool_members_.end());
  group_definitions(std::move(named));
  for (const uint32_t d : blocks_[kGlobalBlock].directives) {
    const ModelDirective& directive = directives_[d];
    if (!directive.info || directive.info->name != "domain-macro") continue;
    const auto w = words(directive);
    if (w.empty()) continue;
    DomainMacro macro{std::string(text(directive, w[0].span)), {}, d};
    for (size_t i = 1; i < w.size(); ++i) {
      std::string_view item = text(directive, w[i].span);
      while (!item.empty()) {
        const size_t comma = item.find(',');
        const std::string_view value = trim(item.substr(0, comma));
        if (!value.empty()) macro.values.emplace_back(value);
        if (comma == std::string_view::npos) break;
        item.remove_prefix(comma + 1);
      }
    }
    if (macro_index_.contains(macro.name)) continue;  // a redefinition is duplicate-directive's finding
    macro_index_.emplace(macro.name, macros_.size());
    macros_.push_back(std::move(macro));
  }
}

// `named` holds (hash, block) for every named block. Sorted, the blocks of one kind and name
// are in reading order; the rare other names under the same hash are moved behind them.
void Model::group_definitions(std::vector<Hashed> named) {
  std::sort(named.begin(), named.end());
  definition_hashes_.reserve(named.size());
  definition_blocks_.reserve(named.size());
  std::vector<bool> placed;
  for (size_t run = 0; run < named.size();) {
    size_t end = run;
    while (end < named.size() && named[end].hash == named[run].hash) ++end;
    placed.assign(end - run, false);
    for (size_t k = run; k < end; ++k) {
      if (placed[k - run]) continue;
      const ModelBlock& b = blocks_[named[k].index];
      for (size_t same = k; same < end; ++same) {
        const ModelBlock& other = blocks_[named[same].index];
        if (placed[same - run] || other.kind != b.kind || !iequals(other.argument, b.argument)) continue;
        placed[same - run] = true;
        definition_hashes_.push_back(named[same].hash);
        definition_blocks_.push_back(named[same].index);
      }
    }
    run = end;
  }
}

// A macro whose values reach back to itself makes PMTA refuse the configuration; each cycle is
// reported once, at the definition that closes it.
void Model::check_macro_loops() {
  enum class State : uint8_t { New, Open, Done };
  std::vector<State> state(macros_.size(), State::New);
  std::vector<size_t> path;
  auto references = [&](size_t m) {
    std::vector<size_t> out;
    for (const std::string& value : macros_[m].values)
      for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '$') continue;
        size_t end = i + 1;
        while (end < value.size() && is_macro_char(value[end])) ++end;
        if (auto it = macro_index_.find(value.substr(i + 1, end - i - 1)); it != macro_index_.end()) out.push_back(it->second);
        i = end - 1;
      }
    return out;
  };
  struct Step {
    size_t macro;
    std::vector<size_t> next;
    size_t at = 0;
  };
  for (size_t start = 0; start < macros_.size(); ++start) {
    if (state[start] != State::New) continue;
    std::vector<Step> dfs{{start, references(start)}};
    state[start] = State::Open;
    while (!dfs.empty()) {
      Step& step = dfs.back();
      if (step.at == step.next.size()) {
        state[step.macro] = State::Done;
        dfs.pop_back();
        continue;
      }
      const size_t next = step.next[step.at++];
      if (state[next] == State::Open) {
        MacroProblem problem{MacroProblem::Kind::Loop, where(directives_[macros_[step.macro].directive]),
                             macros_[step.macro].name, {}};
        auto from = std::find_if(dfs.begin(), dfs.end(), [&](const Step& s) { return s.macro == next; });
        for (; from != dfs.end(); ++from) problem.chain.push_back(macros_[from->macro].name);
        problem.chain.push_back(macros_[next].name);
        macro_problems_.push_back(std::move(problem));
      } else if (state[next] == State::New) {
        state[next] = State::Open;
        dfs.push_back({next, references(next)});
      }
    }
  }
}

std::vector<std::string> Model::expand(std::string_view text, Location at, std::vector<MacroProblem>* problems) const {
  std::unordered_set<const DomainMacro*> open;
  bool too_deep = false;
  return expand_impl(text, at, problems, open, too_deep);
}

std::vector<std::string> Model::expand_impl(std::string_view text, Location at, std::vector<MacroProblem>* problems,
                                            std::unordered_set<const DomainMacro*>& open, bool& too_deep) const {
  std::vector<std::string> results{""};
  for (size_t i = 0; i < text.size(); ++i) {
    // Text up to the next '$' is copied in one piece (a per-byte scan of a long name is
    // quadratic).
    if (text[i] != '$') {
      const size_t next = std::min(text.find('$', i), text.size());
      for (std::string& r : results) r.append(text.substr(i, next - i));
      i = next - 1;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && is_macro_char(text[end])) ++end;
    if (end == i + 1) {
      for (std::string& r : results) r += '$';
      continue;
    }
    const std::string name(text.substr(i + 1, end - i - 1));
    const DomainMacro* m = macro(name);
    const Location use{at.file, {at.span.begin + static_cast<uint32_t>(i), at.span.begin + static_cast<uint32_t>(end)}};
    const bool looping = open.contains(m);
    if (!m || looping) {
      if (!m && problems) problems->push_back({MacroProblem::Kind::Undefined, use, name, {}});
      for (std::string& r : results) r.append(text.substr(i, end - i));
      i = end - 1;
      continue;
    }
    // Each level is a frame of this function: a chain of thousands of macros, each defined by
    // the next, would exhaust the stack. No configuration nests so deep; expansion stops there.
    if (open.size() >= kMaxMacroDepth) {
      too_deep = true;
      for (std::string& r : results) r.append(text.substr(i, end - i));
      i = end - 1;
      continue;
    }
    open.insert(m);
    std::vector<std::string> values;
    for (const std::string& value : m->values) {
      // Values are expanded without positions: a problem inside them belongs to the definition.
      auto expanded = expand_impl(value, use, nullptr, open, too_deep);
      values.insert(values.end(), std::make_move_iterator(expanded.begin()), std::make_move_iterator(expanded.end()));
      if (values.size() > kMaxExpansion) break;  // nested macros must not multiply without bound
    }
    open.erase(m);
    if (too_deep && problems) {  // said at the use written in the configuration, once
      problems->push_back({MacroProblem::Kind::TooDeep, use, name, {}});
      too_deep = false;
    }
    if (values.empty()) values.emplace_back();
    // The product costs its count and its bytes: 10 000 names of 20 KB are 200 MB.
    size_t result_bytes = 0, value_bytes = 0;
    for (const std::string& r : results) result_bytes += r.size();
    for (const std::string& v : values) value_bytes += v.size();
    if (results.size() * values.size() > kMaxExpansion ||
        result_bytes * values.size() + value_bytes * results.size() > kMaxExpansionBytes) {
      if (problems) problems->push_back({MacroProblem::Kind::TooLarge, use, name, {}});
      return results;
    }
    std::vector<std::string> product;
    product.reserve(results.size() * values.size());
    for (const std::string& r : results)
      for (const std::string& v : values) product.push_back(r + v);
    results = std::move(product);
    i = end - 1;
  }
  return results;
}

void Model::expand_domains() {
  for (uint32_t i = 1; i < blocks_.size(); ++i) {
    const ModelBlock& b = blocks_[i];
    if (b.kind != "domain" || !b.known || b.argument.empty()) continue;
    const uint32_t owner =
        (blocks_[b.parent].kind == "virtual-mta" || blocks_[b.parent].kind == "virtual-mta-pool") ? b.parent
                                                                                                     : kGlobalBlock;
    const bool from_macro = b.argument.find('$') != std::string_view::npos;
    const Location at{b.file, workspace_.tree(b.file).node(b.node).argument};
    if (from_macro && (domains_.size() >= kMaxDomainEntries || expanded_bytes_ >= kMaxExpandedBytes)) {
      // A hostile or runaway file cannot make the model grow without bound.
      if (over_budget_) continue;
      over_budget_ = true;
      macro_problems_.push_back({MacroProblem::Kind::OverBudget, at, "", {}});
      continue;
    }
    for (const std::string& expanded : expand(b.argument, at, &macro_problems_)) {
      expanded_bytes_ += expanded.size();
      DomainPattern pattern = parse_domain_pattern(expanded);
      domain_index_.push_back({domain_hash(owner, pattern.suffix), static_cast<uint32_t>(domains_.size())});
      domains_.push_back({i, owner, std::move(pattern), from_macro});
    }
  }
  std::sort(domain_index_.begin(), domain_index_.end());
}

// Macros are also used outside <domain> tags: relay-domain, the domain of a domain-key, and
// domain lines of an address list.
void Model::check_macro_uses() {
  for (const DomainMacro& m : macros_) {
    const ModelDirective& d = directives_[m.directive];
    const auto w = words(d);
    for (size_t i = 1; i < w.size(); ++i) expand(text(d, w[i].span), {d.file, w[i].span}, &macro_problems_);
  }
  for (const ModelDirective& d : directives_) {
    if (!d.info) continue;
    const std::string_view n = d.info->name;
    const std::string_view v = value(d);
    if (v.find('$') == std::string_view::npos) continue;
    if (n == "relay-domain" || (n == "domain" && blocks_[d.block].kind == "address-list")) {
      expand(v, value_at(d, 0, v.size()), &macro_problems_);
    } else if (n == "domain-key") {
      const auto fields = split_fields(v, ',');
      if (fields.size() < 2 || fields[1].text.empty()) continue;
      expand(fields[1].text, value_at(d, fields[1].offset, fields[1].text.size()), &macro_problems_);
    }
  }
}

const Gap* Model::gap_in(uint32_t block, bool or_around) const {
  if (gaps_.empty()) return nullptr;
  for (uint32_t b = block; b != kNoBlock; b = or_around ? blocks_[b].parent : kNoBlock)
    if (const auto it = gap_by_block_.find(b); it != gap_by_block_.end()) return &gaps_[it->second];
  return nullptr;
}

bool main_config_name(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  const std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  return name == "config" || (name.starts_with("config.") && name.size() > 7);
}

bool named_config(const Workspace& workspace, FileId file) { return main_config_name(workspace.file(file).path()); }

namespace {

// The strongly connected components of the include graph (Tarjan, without recursion): files
// that include each other (an include cycle) share one. A component is numbered after every
// component it reaches.
std::vector<uint32_t> include_components(const Workspace& workspace) {
  constexpr uint32_t kUnvisited = UINT32_MAX;
  std::vector<uint32_t> index(workspace.size(), kUnvisited), low(workspace.size()), component(workspace.size(), kUnvisited);
  std::vector<FileId> open;
  struct Frame {
    FileId file;
    size_t edge;
  };
  std::vector<Frame> dfs;
  uint32_t next_index = 0, next_component = 0;
  const auto visit = [&](FileId f) {
    index[f] = low[f] = next_index++;
    open.push_back(f);
    dfs.push_back({f, 0});
  };
  for (FileId start = 0; start < workspace.size(); ++start) {
    if (index[start] != kUnvisited) continue;
    visit(start);
    while (!dfs.empty()) {
      const FileId f = dfs.back().file;
      const auto& targets = workspace.includes_of(f);
      if (dfs.back().edge < targets.size()) {
        const FileId t = targets[dfs.back().edge++];
        if (index[t] == kUnvisited) visit(t);
        else if (component[t] == kUnvisited) low[f] = std::min(low[f], index[t]);
        continue;
      }
      dfs.pop_back();
      if (!dfs.empty()) low[dfs.back().file] = std::min(low[dfs.back().file], low[f]);
      if (low[f] != index[f]) continue;
      for (FileId member = kUnvisited; member != f;) {
        member = open.back();
        open.pop_back();
        component[member] = next_component;
      }
      ++next_component;
    }
  }
  return component;
}

}  // namespace

std::vector<Model> configurations(const Workspace& workspace, const std::function<bool(FileId)>& is_main) {
  const std::vector<FileId>& roots = workspace.roots();
  // A root that another root reads is part of that configuration, unless it reads that root
  // back (an include cycle, reported; both stay configurations): it is dropped when a root in
  // another component reaches its component. Reachability per root cost N x N for N fragments.
  const std::vector<uint32_t> component = include_components(workspace);
  const size_t components = component.empty() ? 0 : *std::max_element(component.begin(), component.end()) + 1;
  std::vector<bool> holds_root(components, false), below_root(components, false);
  for (const FileId root : roots) holds_root[component[root]] = true;
  // Highest component first: everything that reaches a component has passed its mark on by then.
  std::vector<FileId> order(workspace.size());
  for (FileId f = 0; f < order.size(); ++f) order[f] = f;
  std::sort(order.begin(), order.end(), [&](FileId a, FileId b) { return component[a] > component[b]; });
  for (const FileId f : order) {
    const uint32_t c = component[f];
    if (!holds_root[c] && !below_root[c]) continue;
    for (const FileId t : workspace.includes_of(f))
      if (component[t] != c) below_root[component[t]] = true;
  }
  std::vector<Model> out;
  std::vector<bool> taken(workspace.size(), false);
  for (const FileId root : roots) {
    if (taken[root] || below_root[component[root]]) continue;  // named twice, or part of another
    taken[root] = true;
    out.emplace_back(workspace, std::vector<FileId>{root}, is_main(root));
  }
  return out;
}

std::string_view Model::name(const ModelDirective& d) const {
  return d.info ? std::string_view(d.info->name) : workspace_.tree(d.file).name(d.node);
}

std::string_view Model::value(const ModelDirective& d) const { return workspace_.tree(d.file).value(d.node); }

std::span<const Word> Model::words(const ModelDirective& d) const { return workspace_.tree(d.file).words(d.node); }

std::string_view Model::text(const ModelDirective& d, Span span) const { return workspace_.tree(d.file).text(span); }

Location Model::where(const ModelDirective& d) const { return {d.file, workspace_.tree(d.file).node(d.node).head}; }

Location Model::keyword(const ModelDirective& d) const { return {d.file, workspace_.tree(d.file).node(d.node).name}; }

// Offsets inside a value continued over several lines do not map onto one line; such findings
// point at the whole directive.
Location Model::value_at(const ModelDirective& d, size_t offset, size_t length) const {
  const Node& node = workspace_.tree(d.file).node(d.node);
  if (node.continued || offset + length > node.argument.size()) return {d.file, node.head};
  const uint32_t begin = node.argument.begin + static_cast<uint32_t>(offset);
  return {d.file, {begin, begin + static_cast<uint32_t>(length)}};
}

Location Model::head(const ModelBlock& b) const {
  if (b.node == kNoNode) return {};
  return {b.file, workspace_.tree(b.file).node(b.node).head};
}

std::string Model::describe(uint32_t block) const {
  const ModelBlock& b = blocks_[block];
  if (block == kGlobalBlock) return "the top level";
  if (b.argument.empty()) return "<" + b.kind + ">";
  return "<" + b.kind + " " + std::string(b.argument) + ">";
}

const ModelDirective* Model::last(uint32_t block, std::string_view name) const {
  if (block == kGlobalBlock) {
    const auto it = global_last_.find(to_lower(name));
    return it == global_last_.end() ? nullptr : &directives_[it->second];
  }
  const auto& list = blocks_[block].directives;
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    if (iequals(this->name(directives_[*it]), name)) return &directives_[*it];
  return nullptr;
}

std::span<const uint32_t> Model::definitions(std::string_view kind, std::string_view name) const {
  const uint64_t hash = definition_hash(kind, name);
  const auto same = [&](size_t k) {
    const ModelBlock& b = blocks_[definition_blocks_[k]];
    return definition_hashes_[k] == hash && b.kind == kind && iequals(b.argument, name);
  };
  size_t first = static_cast<size_t>(std::lower_bound(definition_hashes_.begin(), definition_hashes_.end(), hash) -
                                     definition_hashes_.begin());
  while (first < definition_hashes_.size() && definition_hashes_[first] == hash && !same(first)) ++first;
  size_t end = first;
  while (end < definition_hashes_.size() && same(end)) ++end;
  return std::span<const uint32_t>(definition_blocks_).subspan(first, end - first);
}

std::vector<std::string_view> Model::defined_names(std::string_view kind) const {
  std::vector<std::string_view> out;
  if (const auto it = named_by_kind_.find(std::string(kind)); it != named_by_kind_.end())
    for (const uint32_t i : it->second) out.push_back(blocks_[i].argument);
  return out;
}

size_t Model::defined_count(std::string_view kind) const {
  const auto it = named_by_kind_.find(std::string(kind));
  return it == named_by_kind_.end() ? 0 : it->second.size();
}

const std::vector<uint32_t>& Model::blocks_of_kind(std::string_view kind) const {
  static const std::vector<uint32_t> none;
  const auto it = by_kind_.find(std::string(kind));
  return it == by_kind_.end() ? none : it->second;
}

std::vector<uint32_t> Model::pools_of(std::string_view vmta) const {
  std::vector<uint32_t> out;
  const uint64_t hash = hash_bytes(kHashBasis, vmta, true);
  for (auto it = std::lower_bound(pool_members_.begin(), pool_members_.end(), PoolMember{hash, 0, 0});
       it != pool_members_.end() && it->hash == hash; ++it)
    if ((out.empty() || out.back() != it->pool) && iequals(trim(value(directives_[it->directive])), vmta))
      out.push_back(it->pool);
  return out;
}

const DomainMacro* Model::macro(std::string_view name) const {
  const auto it = macro_index_.find(std::string(name));
  return it == macro_index_.end() ? nullptr : &macros_[it->second];
}

std::vector<const DomainEntry*> Model::matching(uint32_t owner, std::string_view domain) const {
  std::vector<const DomainEntry*> out;
  if (domain_index_.empty()) return out;
  // Domain names are short: lower-cased on the stack, they cost no allocation per lookup.
  char buffer[256];
  std::string heap;
  std::string_view lower;
  if (domain.size() <= sizeof buffer) {
    for (size_t i = 0; i < domain.size(); ++i) buffer[i] = ascii_lower(domain[i]);
    lower = std::string_view(buffer, domain.size());
  } else {
    heap = to_lower(domain);
    lower = heap;
  }
  auto collect = [&](std::string_view suffix) {
    const uint64_t hash = domain_hash(owner, suffix);
    for (auto it = std::lower_bound(domain_index_.begin(), domain_index_.end(), Hashed{hash, 0});
         it != domain_index_.end() && it->hash == hash; ++it) {
      const DomainEntry& e = domains_[it->index];
      if (e.owner == owner && e.pattern.suffix == suffix && e.pattern.matches(lower)) out.push_back(&e);
    }
  };
  collect("");
  for (std::string_view rest = lower;;) {
    collect(rest);
    const size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  std::stable_sort(out.begin(), out.end(), [](const DomainEntry* a, const DomainEntry* b) {
    if (a->pattern.specificity() != b->pattern.specificity()) return a->pattern.specificity() < b->pattern.specificity();
    return a->from_macro && !b->from_macro;
  });
  return out;
}

}  // namespace pmtalint
