#include "syntax/loader.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <fmt/format.h>

#include "base/slugs.h"
#include "base/text.h"
#include "syntax/parser.h"

namespace pmtalint {
namespace {

namespace fs = std::filesystem;

struct ChainLink {
  FileIdentity identity;
  FileId file;
  std::optional<Location> included_at;  // the include line that opened this file
};

bool has_wildcard(std::string_view path) { return path.find_first_of("*?[") != std::string_view::npos; }

class Loader {
 public:
  explicit Loader(const LoadOptions& options) : options_(options) {}

  LoadResult run(const std::vector<LoadInput>& inputs) {
    for (const LoadInput& input : inputs) {
      const size_t roots = result_.workspace.roots().size();
      load_root(input);
      result_.input_files.push_back(result_.workspace.roots().size() > roots ? result_.workspace.roots().back() : kNoNode);
    }
    return std::move(result_);
  }

 private:
  void load_root(const LoadInput& input) {
    FileContents contents;
    if (input.text) {
      contents.text = *input.text;
    } else {
      auto read = this->read(input.path);
      if (!read) {
        result_.failures.push_back(fmt::format("{}: {}", input.path, read.error()));
        return;
      }
      contents = std::move(*read);
      if (FileId seen = result_.workspace.find(contents.identity); seen != kNoNode) {
        result_.workspace.add_root(seen);
        return;
      }
    }
    if (std::string reason = binary_reason(contents.text); !reason.empty()) {
      result_.failures.push_back(fmt::format("{}: {}; not linted", input.path, reason));
      return;
    }
    if (std::string kind = key_material_kind(contents.text); !kind.empty()) {
      result_.failures.push_back(fmt::format("{} holds {}, not a PowerMTA configuration; not linted", input.path, kind));
      return;
    }
    std::vector<ChainLink> chain;
    result_.workspace.add_root(load_file(input.path, std::move(contents), chain, std::nullopt));
  }

  FileId load_file(const std::string& path, FileContents contents, std::vector<ChainLink>& chain,
                   std::optional<Location> included_at) {
    Workspace& ws = result_.workspace;
    const FileId id = ws.add(path, std::move(contents.text), contents.identity);
    ParseResult parsed = parse(ws.file(id), id, options_.parse);
    for (auto& d : parsed.diagnostics) result_.diagnostics.push_back(std::move(d));
    ws.set_tree(id, std::move(parsed.tree));
    chain.push_back({contents.identity, id, included_at});
    const Tree& tree = ws.tree(id);
    // Nodes are stored in file order, so a linear scan visits includes in reading order.
    for (NodeId n = 1; n < tree.size(); ++n) {
      const Node& node = tree.node(n);
      if (node.kind == NodeKind::Directive && node.foreign == Foreign::None && iequals(tree.name(n), "include"))
        resolve(id, n, chain);
    }
    chain.pop_back();
    return id;
  }

  Diagnostic& report(FileId file, NodeId node, Severity severity, std::string message,
                     const std::vector<ChainLink>& chain) {
    const Tree& tree = result_.workspace.tree(file);
    result_.diagnostics.push_back({slug::kIncludeError, severity, {file, tree.node(node).head}, std::move(message), {}, {}});
    Diagnostic& d = result_.diagnostics.back();
    for (auto link = chain.rbegin(); link != chain.rend(); ++link)
      if (link->included_at)
        d.notes.push_back({*link->included_at, fmt::format("'{}' is included from here",
                                                           result_.workspace.file(link->file).path())});
    return d;
  }

  // An editor's unsaved text stands in for the file on disk (which still gives the identity).
  expected<FileContents, std::string> read(const std::string& path) const {
    if (!options_.overlays.empty()) {
      std::error_code ec;
      const auto overlay = options_.overlays.find(fs::absolute(path, ec).lexically_normal().string());
      if (overlay != options_.overlays.end()) {
        auto on_disk = read_identity(path);
        return FileContents{overlay->second, on_disk ? *on_disk : FileIdentity{}};
      }
    }
    return read_regular_file(path);
  }

  // An include whose file was not read leaves a gap in the configuration (the model must not
  // claim that anything is absent from the block around it). The same path is reported once:
  // later include lines of it become notes of the first finding.
  void report_unread(FileId file, NodeId node, Severity severity, std::string message, const std::vector<ChainLink>& chain,
                     const std::string& path) {
    result_.workspace.add_unread(file, node, path);
    const Location site{file, result_.workspace.tree(file).node(node).head};
    if (auto first = unread_reported_.find(path); first != unread_reported_.end()) {
      result_.diagnostics[first->second].notes.push_back({site, "included here too"});
      return;
    }
    unread_reported_.emplace(path, result_.diagnostics.size());
    report(file, node, severity, std::move(message), chain);
  }

  std::string target_path(FileId from, std::string_view written) const {
    return resolve_include_path(result_.workspace.file(from).path(), written, options_.root);
  }

  void resolve(FileId file, NodeId node, std::vector<ChainLink>& chain) {
    const Tree& tree = result_.workspace.tree(file);
    const auto words = tree.words(node);
    if (words.empty()) {
      report(file, node, Severity::Error, "'include' needs the path of a file to include", chain);
      return;
    }
    const std::string written = unquote(tree.text(words.front().span));
    if (written.starts_with("http://") || written.starts_with("https://")) {
      report_unread(file, node, Severity::Warning,
                    fmt::format("remote include '{}' is not fetched; its contents are not checked", written), chain, written);
      return;
    }
    const std::string path = target_path(file, written);
    std::vector<std::string> targets;
    if (has_wildcard(written)) {
      targets = expand(path);
      if (targets.empty()) {
        report_unread(file, node, Severity::Warning, fmt::format("'{}' matches no files", path), chain, path);
        return;
      }
      if (targets.size() > kMaxWildcardFiles) {
        report_unread(file, node, Severity::Error,
                      fmt::format("'{}' matches {} files; only the first {} are read", path, targets.size(), kMaxWildcardFiles),
                      chain, path);
        targets.resize(kMaxWildcardFiles);
      }
    } else {
      targets.push_back(path);
    }
    // Under --root the files stand for a copy of /etc/pmta: an absolute include, or any include
    // from a file inside the root, must not lead out of it (`/../../etc/shadow`, a symlink to
    // the real /etc), or this machine's files would be read and quoted as configuration.
    const bool confined = !options_.root.empty() && (fs::path(written).is_absolute() || inside_root(ws_path(file)));
    for (const std::string& target : targets) {
      if (confined && !inside_root(target)) {
        report_unread(file, node, Severity::Error,
                      fmt::format("'{}' leads outside the root '{}'; it is not read", written, options_.root), chain, target);
        continue;
      }
      if (!include_one(file, node, target, chain)) break;
    }
  }

  const std::string& ws_path(FileId file) const { return result_.workspace.file(file).path(); }

  // Whether an included file reads as configuration, with or without mistakes: half of its first
  // 200 lines (blank, comment and pattern-rule lines aside) start with a PMTA keyword or tag.
  bool looks_like_configuration(std::string_view text) const {
    if (!options_.parse.known_keyword) return true;
    size_t lines = 0, known = 0, neutral = 0;
    for (size_t start = 0; start < text.size() && lines < 200;) {
      const size_t end = std::min(text.find('\n', start), text.size());
      std::string_view line = trim(text.substr(start, end - start));
      start = end + 1;
      if (line.empty() || line.front() == '#') continue;
      if (line.front() == '/' || line.front() == '*') {  // rule lines of pattern blocks weigh nothing
        ++neutral;
        continue;
      }
      ++lines;
      if (line.front() == '<') line.remove_prefix(line.size() > 1 && line[1] == '/' ? 2 : 1);  // a tag: its name
      if (options_.parse.known_keyword(line.substr(0, line.find_first_of(" \t>")))) ++known;
    }
    // Configuration, even full of mistakes, is mostly PMTA keywords and tags; a system file or
    // a data list that happens to hold an `include` or `alias` line is not.
    return lines == 0 ? neutral == 0 : known * 2 >= lines;
  }

  // Whether `path`, symlinks resolved, lies in the --root directory.
  bool inside_root(const std::string& path) const {
    std::error_code ec;
    if (root_real_.empty()) root_real_ = fs::weakly_canonical(options_.root, ec).string();
    const std::string real = fs::weakly_canonical(path, ec).string();
    if (ec) return false;
    return real == root_real_ || (real.starts_with(root_real_) && real[root_real_.size()] == '/') || root_real_ == "/";
  }

  static std::vector<std::string> expand(const std::string& pattern) {
    glob_t g{};
    std::vector<std::string> out;
    if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g) == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    ::globfree(&g);
    std::sort(out.begin(), out.end());  // byte order, independent of the locale
    return out;
  }

  // Returns false when the remaining matches of a wildcard should not be tried.
  bool include_one(FileId file, NodeId node, const std::string& target, std::vector<ChainLink>& chain) {
    Workspace& ws = result_.workspace;
    if (chain.size() > kMaxIncludeDepth) {
      report_unread(file, node, Severity::Error,
                    fmt::format("includes are nested more than {} deep; '{}' is not read", kMaxIncludeDepth, target), chain,
                    target);
      return false;
    }
    auto contents = read(target);
    if (!contents) {
      report_unread(file, node, Severity::Error, fmt::format("cannot include '{}': {}", target, contents.error()), chain,
                    target);
      return true;
    }
    for (const ChainLink& link : chain) {
      if (link.identity != contents->identity) continue;
      // One finding per file the cycles return to; the other include lines that close a cycle
      // through it are notes (a conf.d where every file includes *.conf closes N² of them).
      const std::string& back_to = ws.file(link.file).path();
      const Location site{file, ws.tree(file).node(node).head};
      if (auto first = cycle_reported_.find(back_to); first != cycle_reported_.end()) {
        result_.diagnostics[first->second].notes.push_back({site, "a cycle back to it closes here too"});
        return true;
      }
      cycle_reported_.emplace(back_to, result_.diagnostics.size());
      report(file, node, Severity::Error, fmt::format("include cycle: '{}' is already being read", back_to), chain);
      return true;
    }
    if (std::string reason = binary_reason(contents->text); !reason.empty()) {
      report_unread(file, node, Severity::Error, fmt::format("cannot include '{}': it {}", target, reason), chain, target);
      return true;
    }
    if (included_bytes_ += contents->text.size(); included_bytes_ > kMaxIncludedBytes) {
      report_unread(file, node, Severity::Error,
                    fmt::format("the included files exceed {} MiB in all; '{}' and the rest are not read",
                                kMaxIncludedBytes >> 20, target), chain, target);
      return false;
    }
    if (std::string kind = key_material_kind(contents->text); !kind.empty()) {
      // Not a gap: key material defines nothing, so no claim is withheld for it.
      report(file, node, Severity::Error,
             fmt::format("cannot include '{}': it holds {}, not PowerMTA configuration", target, kind), chain);
      return true;
    }
    FileId target_id = ws.find(contents->identity);
    if (target_id == kNoNode && !looks_like_configuration(contents->text)) {
      // A system file or a data list reached by a wide wildcard: one finding, nothing quoted.
      report_unread(file, node, Severity::Error,
                    fmt::format("cannot include '{}': its lines are not PowerMTA directives; it is not read", target),
                    chain, target);
      return true;
    }
    if (target_id == kNoNode) {
      const Location site{file, ws.tree(file).node(node).head};
      target_id = load_file(target, std::move(*contents), chain, site);
    }
    ws.add_include(file, node, target_id);
    return true;
  }

  const LoadOptions& options_;
  LoadResult result_;
  std::unordered_map<std::string, size_t> unread_reported_;  // path → its include-error
  std::unordered_map<std::string, size_t> cycle_reported_;
  mutable std::string root_real_;
  size_t included_bytes_ = 0;  // --root with its symlinks resolved, computed on first use   // file a cycle returns to → its include-error
};

}  // namespace

std::string resolve_include_path(const std::string& from_file, std::string_view written, const std::string& root) {
  fs::path target(written);
  if (target.is_absolute()) {
    if (!root.empty()) target = fs::path(root) / target.relative_path();
  } else {
    target = fs::path(from_file).parent_path() / target;
  }
  return target.lexically_normal().string();
}

LoadResult load(const std::vector<LoadInput>& inputs, const LoadOptions& options) {
  return Loader(options).run(inputs);
}

}  // namespace pmtalint
