// `pmtalint diff OLD NEW` and `pmtalint diff --git REV[..REV] PATH`: what a change of
// configuration does to PMTA (lib/diff). Exit 0 when nothing changed in meaning, 1 when
// something did (or, with --fail-on, something of that kind), 2 when the two could not be
// compared.
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/analysis.h"
#include "commands.h"
#include "diff/diff.h"

extern char** environ;

namespace pmtalint::cli {
namespace {

namespace fs = std::filesystem;

// A revision's tree is checked out only when it is this small.
constexpr uint64_t kMaxCheckoutBytes = 256ull << 20;
constexpr uint64_t kMaxCheckoutFiles = 20'000;

// Runs a program (no shell) with standard output into `out_file` (or discarded); the exit
// status, or -1 when it could not be started.
int run_program(const std::vector<std::string>& argv, const std::string& out_file, std::string* err_text = nullptr) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.empty() ? "/dev/null" : out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const std::string err_file = out_file.empty() ? std::string() : out_file + ".err";
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.empty() ? "/dev/null" : err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (err_text && !err_file.empty()) {
    std::ifstream in(err_file);
    std::stringstream s;
    s << in.rdbuf();
    *err_text = s.str();
    while (!err_text->empty() && (err_text->back() == '\n' || err_text->back() == '\r')) err_text->pop_back();
  }
  if (!err_file.empty()) fs::remove(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/pmtalint-diff-XXXXXX";
    if (::mkdtemp(pattern.data())) path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

struct Repo {
  std::string top;       // the work tree's top directory
  std::string relative;  // PATH from there
};

expected<Repo, std::string> find_repo(const std::string& path, const std::string& scratch) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const std::string out = scratch + "/toplevel";
  std::string err;
  const int status = run_program({"git", "-C", absolute.parent_path().string(), "rev-parse", "--show-toplevel"}, out, &err);
  if (status == -1) return unexpected(std::string("cannot run git"));
  if (status != 0) return unexpected(fmt::format("{} is not in a git work tree ({})", path, err));
  std::string top = read_all(out);
  while (!top.empty() && (top.back() == '\n' || top.back() == '\r')) top.pop_back();
  const fs::path real_top = fs::canonical(top, ec);
  const fs::path real_dir = fs::canonical(absolute.parent_path(), ec);
  const fs::path relative = (real_dir / absolute.filename()).lexically_relative(real_top);
  if (relative.empty() || relative.string().starts_with("..")) return unexpected(fmt::format("{} is outside {}", path, top));
  return Repo{real_top.string(), relative.string()};
}

// The tree of `rev` (or, when the whole tree is too large, the folder of the configuration)
// written under `into`.
expected<void, std::string> checkout(const Repo& repo, const std::string& rev, const std::string& into, const std::string& scratch) {
  if (rev.empty() || rev.starts_with('-')) return unexpected(fmt::format("'{}' is not a revision", rev));
  const std::string listing = scratch + "/ls-tree";
  std::string err;
  std::string subtree;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<std::string> argv{"git", "-C", repo.top, "ls-tree", "-r", "-l", "-z", rev + "^{tree}"};
    if (!subtree.empty()) argv.insert(argv.end(), {"--", subtree});
    const int status = run_program(argv, listing, &err);
    if (status != 0) return unexpected(fmt::format("git cannot read revision '{}': {}", rev, err));
    const std::string text = read_all(listing);
    uint64_t bytes = 0, files = 0;
    for (size_t begin = 0; begin < text.size();) {
      size_t end = text.find('\0', begin);
      if (end == std::string::npos) end = text.size();
      // "<mode> blob <object> <size>\t<path>"
      const std::string entry = text.substr(begin, end - begin);
      std::istringstream fields(entry);
      std::string mode, type, object, size;
      fields >> mode >> type >> object >> size;
      if (type == "blob") ++files, bytes += std::strtoull(size.c_str(), nullptr, 10);
      begin = end + 1;
    }
    if (bytes <= kMaxCheckoutBytes && files <= kMaxCheckoutFiles) break;
    if (attempt == 1 || fs::path(repo.relative).parent_path().empty())
      return unexpected(fmt::format("revision '{}' holds {} files ({} bytes), more than pmtalint checks out ({} files, {} bytes)",
                                    rev, files, bytes, kMaxCheckoutFiles, kMaxCheckoutBytes));
    subtree = fs::path(repo.relative).parent_path().string();
  }
  const std::string archive = scratch + "/tree.tar";
  std::vector<std::string> argv{"git", "-C", repo.top, "archive", "--format=tar", "-o", archive, rev};
  if (!subtree.empty()) argv.insert(argv.end(), {"--", subtree});
  if (run_program(argv, scratch + "/archive.out", &err) != 0) return unexpected(fmt::format("git archive {}: {}", rev, err));
  fs::create_directories(into);
  if (run_program({"tar", "-xf", archive, "-C", into}, scratch + "/tar.out", &err) != 0)
    return unexpected(fmt::format("cannot unpack revision '{}': {}", rev, err));
  fs::remove(archive);
  return {};
}

// The root of a side checked out from git: a --root inside the work tree is taken from the
// revision too; one outside (such as /) is kept.
std::string root_in(const std::string& root, const Repo& repo, const std::string& checkout_dir) {
  if (root.empty()) return root;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(fs::absolute(root, ec), ec);
  const fs::path relative = real.lexically_relative(repo.top);
  if (relative.empty() || relative.string().starts_with("..")) return root;
  return (fs::path(checkout_dir) / relative).lexically_normal().string();
}

expected<std::unique_ptr<Analysis>, std::string> analyze_side(const std::string& path, const std::string& root) {
  AnalysisRequest request;
  request.inputs.push_back({path, std::nullopt});
  request.root = root;
  request.main = path;
  auto analysis = analyze(request);
  if (!analysis) return unexpected(analysis.error());
  if ((*analysis)->failed() || (*analysis)->named.empty() || !(*analysis)->configuration_of((*analysis)->named.front())) {
    std::string why;
    for (const std::string& f : (*analysis)->loaded.failures) why += (why.empty() ? "" : "; ") + f;
    return unexpected(why.empty() ? fmt::format("{}: not read", path) : why);
  }
  return std::move(*analysis);
}

}  // namespace

int run_diff(const DiffOptions& options) {
  const std::string old_root = options.old_root.empty() ? options.root : options.old_root;
  const std::string new_root = options.new_root.empty() ? options.root : options.new_root;
  std::string old_path, new_path;
  diff::Side old_side, new_side;
  TempDir scratch, old_tree, new_tree;
  std::string old_side_root = old_root, new_side_root = new_root;

  if (!options.git.empty()) {
    if (options.files.size() != 1) {
      std::cerr << "pmtalint: diff --git REV[..REV] takes one PATH, the configuration in the work tree\n";
      return kExitFailure;
    }
    if (scratch.path.empty() || old_tree.path.empty() || new_tree.path.empty()) {
      std::cerr << "pmtalint: cannot create a temporary directory\n";
      return kExitFailure;
    }
    const auto repo = find_repo(options.files.front(), scratch.path);
    if (!repo) {
      std::cerr << "pmtalint: " << repo.error() << '\n';
      return kExitFailure;
    }
    const size_t dots = options.git.find("..");
    const std::string old_rev = options.git.substr(0, dots);
    const std::string new_rev = dots == std::string::npos ? "" : options.git.substr(dots + 2);
    if (auto ok = checkout(*repo, old_rev, old_tree.path, scratch.path); !ok) {
      std::cerr << "pmtalint: " << ok.error() << '\n';
      return kExitFailure;
    }
    old_path = (fs::path(old_tree.path) / repo->relative).string();
    old_side_root = root_in(old_root, *repo, old_tree.path);
    old_side.label = old_rev + ":" + repo->relative;
    old_side.path_prefix = old_tree.path + "/";
    old_side.shown_prefix = old_rev + ":";
    if (new_rev.empty()) {
      new_path = options.files.front();
      new_side.label = new_path;
    } else {
      if (auto ok = checkout(*repo, new_rev, new_tree.path, scratch.path); !ok) {
        std::cerr << "pmtalint: " << ok.error() << '\n';
        return kExitFailure;
      }
      new_path = (fs::path(new_tree.path) / repo->relative).string();
      new_side_root = root_in(new_root, *repo, new_tree.path);
      new_side.label = new_rev + ":" + repo->relative;
      new_side.path_prefix = new_tree.path + "/";
      new_side.shown_prefix = new_rev + ":";
    }
    if (!fs::exists(old_path)) {
      std::cerr << fmt::format("pmtalint: {} does not exist in revision {}\n", repo->relative, old_rev);
      return kExitFailure;
    }
  } else {
    if (options.files.size() != 2) {
      std::cerr << "pmtalint: diff needs OLD and NEW (or --git REV[..REV] PATH)\n";
      return kExitFailure;
    }
    old_path = options.files[0];
    new_path = options.files[1];
    old_side.label = old_path;
    new_side.label = new_path;
  }

  auto old_analysis = analyze_side(old_path, old_side_root);
  if (!old_analysis) {
    std::cerr << "pmtalint: cannot compare: " << old_side.shown(old_analysis.error()) << '\n';
    return kExitFailure;
  }
  auto new_analysis = analyze_side(new_path, new_side_root);
  if (!new_analysis) {
    std::cerr << "pmtalint: cannot compare: " << new_side.shown(new_analysis.error()) << '\n';
    return kExitFailure;
  }
  old_side.analysis = old_analysis->get();
  old_side.model = old_side.analysis->configuration_of(old_side.analysis->named.front());
  new_side.analysis = new_analysis->get();
  new_side.model = new_side.analysis->configuration_of(new_side.analysis->named.front());

  diff::Options diff_options;
  diff_options.only_queues = options.only_queues;
  const diff::Report report = diff::compare(old_side, new_side, diff_options);
  if (options.format == "json") std::cout << diff::render_json(report);
  else if (options.format == "markdown") std::cout << diff::render_markdown(report);
  else std::cout << diff::render_text(report);
  std::cout.flush();

  bool fail = report.semantic_change();
  if (options.fail_on == "restart") fail = report.apply() != diff::Apply::Reload;
  else if (options.fail_on == "security") fail = report.widens();
  return fail ? kExitFindings : kExitClean;
}

}  // namespace pmtalint::cli
