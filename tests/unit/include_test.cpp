#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "syntax/loader.h"
#include "test_support.h"

using namespace pmtalint;
using test::ScratchDir;
using test::write_file;

namespace {

LoadResult load_one(const std::filesystem::path& path, const std::string& root = {}) {
  return load({{path.string(), std::nullopt}}, LoadOptions{root, {}, {}});
}

std::vector<const Diagnostic*> include_errors(const LoadResult& r) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : r.diagnostics)
    if (d.rule == "include-error") out.push_back(&d);
  return out;
}

std::vector<std::string> included_names(const LoadResult& r, FileId file) {
  std::vector<std::string> out;
  const Tree& tree = r.workspace.tree(file);
  for (NodeId n = 1; n < tree.size(); ++n)
    for (FileId target : r.workspace.included_by(file, n))
      out.push_back(std::filesystem::path(r.workspace.file(target).path()).filename().string());
  return out;
}

}  // namespace

TEST_CASE("wildcards expand in sorted order, relative to the including file") {
  ScratchDir dir;
  write_file(dir / "conf.d/b.conf", "postmaster b@example.com\n");
  write_file(dir / "conf.d/a.conf", "postmaster a@example.com\n");
  write_file(dir / "conf.d/c.conf", "postmaster c@example.com\n");
  write_file(dir / "conf.d/skip.txt", "x\n");
  write_file(dir / "config", "include conf.d/*.conf\n");
  const auto r = load_one(dir / "config");
  CHECK(r.diagnostics.empty());
  CHECK(included_names(r, 0) == std::vector<std::string>{"a.conf", "b.conf", "c.conf"});
}

TEST_CASE("absolute include paths are re-rooted under the --root directory") {
  ScratchDir dir;
  write_file(dir / "etc/pmta/isp.conf", "<domain gmail.com>\n</domain>\n");
  write_file(dir / "etc/pmta/config", "include /etc/pmta/isp.conf\n");
  const auto rooted = load_one(dir / "etc/pmta/config", dir.path().string());
  CHECK(rooted.diagnostics.empty());
  CHECK(rooted.workspace.size() == 2);

  write_file(dir / "etc/pmta/config2", "include " + (dir / "etc/pmta/nothere.conf").string() + "\n");
  const auto unrooted = load_one(dir / "etc/pmta/config2");
  REQUIRE(include_errors(unrooted).size() == 1);
  CHECK(include_errors(unrooted)[0]->message.find("no such file") != std::string::npos);
}

TEST_CASE("an include cycle is reported on the include line that closes it, with the chain as notes") {
  ScratchDir dir;
  write_file(dir / "a.conf", "include b.conf\n");
  write_file(dir / "b.conf", "postmaster x@example.com\ninclude a.conf\n");
  const auto r = load_one(dir / "a.conf");
  const auto errors = include_errors(r);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]->message.find("include cycle") != std::string::npos);
  CHECK(r.workspace.file(errors[0]->where.file).path().ends_with("b.conf"));
  CHECK(r.workspace.file(errors[0]->where.file).position(errors[0]->where.span.begin).line == 2);
  REQUIRE(errors[0]->notes.size() == 1);
  CHECK(r.workspace.file(errors[0]->notes[0].where.file).path().ends_with("a.conf"));
}

TEST_CASE("a file including itself is a cycle") {
  ScratchDir dir;
  write_file(dir / "self.conf", "include self.conf\n");
  const auto r = load_one(dir / "self.conf");
  REQUIRE(include_errors(r).size() == 1);
}

TEST_CASE("missing files, directories and FIFOs are include errors, and linting continues") {
  ScratchDir dir;
  std::filesystem::create_directories(dir / "adir");
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  write_file(dir / "config",
             "include missing.conf\ninclude adir\ninclude fifo\n<domain *>\n</domian>\n");
  const auto r = load_one(dir / "config");
  const auto errors = include_errors(r);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0]->message.find("no such file") != std::string::npos);
  CHECK(errors[1]->message.find("is a directory") != std::string::npos);
  CHECK(errors[2]->message.find("FIFO") != std::string::npos);
  bool later = false;
  for (const Diagnostic& d : r.diagnostics) later |= d.rule == "mismatched-close-tag";
  CHECK(later);
}

TEST_CASE("includes nested deeper than 64 stop with one error") {
  ScratchDir dir;
  constexpr int kFiles = 70;
  for (int i = 0; i < kFiles; ++i)
    write_file(dir / ("f" + std::to_string(i) + ".conf"), "include f" + std::to_string(i + 1) + ".conf\n");
  write_file(dir / ("f" + std::to_string(kFiles) + ".conf"), "postmaster x@example.com\n");
  const auto r = load_one(dir / "f0.conf");
  const auto errors = include_errors(r);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]->message.find("nested more than 64") != std::string::npos);
  CHECK(r.workspace.size() == kMaxIncludeDepth + 1);
  CHECK(errors[0]->notes.size() == kMaxIncludeDepth);
}

TEST_CASE("a file included twice (not a cycle) is read once and is not an error") {
  ScratchDir dir;
  write_file(dir / "common.conf", "max-smtp-out 5\n");
  write_file(dir / "config",
             "<virtual-mta a>\n<domain *>\ninclude common.conf\n</domain>\n</virtual-mta>\n"
             "<virtual-mta b>\n<domain *>\ninclude common.conf\n</domain>\n</virtual-mta>\n");
  const auto r = load_one(dir / "config");
  CHECK(r.diagnostics.empty());
  CHECK(r.workspace.size() == 2);
}

TEST_CASE("a top-level file that cannot be read is a failure, not a finding") {
  ScratchDir dir;
  std::filesystem::create_directories(dir / "adir");
  write_file(dir / "bin", std::string("abc\0def", 7));
  const auto r = load({{(dir / "nope").string(), std::nullopt}, {(dir / "adir").string(), std::nullopt},
                       {(dir / "bin").string(), std::nullopt}},
                      {});
  REQUIRE(r.failures.size() == 3);
  CHECK(r.failures[0].find("no such file") != std::string::npos);
  CHECK(r.failures[1].find("is a directory") != std::string::npos);
  CHECK(r.failures[2].find("binary") != std::string::npos);
  CHECK(r.diagnostics.empty());
}

TEST_CASE("remote includes and empty wildcards are warnings") {
  ScratchDir dir;
  write_file(dir / "config", "include https://example.com/x.conf\ninclude nothing/*.conf\n");
  const auto r = load_one(dir / "config");
  const auto errors = include_errors(r);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0]->severity == Severity::Warning);
  CHECK(errors[1]->severity == Severity::Warning);
}

// Property: under --root, whatever the includes say (absolute paths with '..', relative paths
// climbing out, wildcards, symlinks pointing outside), no file outside the root is ever read
// into the workspace, and nothing of the outside file reaches the findings.
TEST_CASE("includes under --root never read a file outside the root (random include trees)") {
  ScratchDir dir;
  const auto root = dir / "root";
  const std::string secret = "outside-secret-line-4b9d";
  write_file(dir / "outside.conf", secret + "\n");
  write_file(dir / "outside-dir/x.conf", secret + "\n");
  std::filesystem::create_directories(root / "etc/pmta/conf.d");
  std::filesystem::create_symlink(dir / "outside.conf", root / "etc/pmta/link-out.conf");
  std::filesystem::create_symlink(dir / "outside-dir", root / "etc/pmta/dir-out");
  write_file(root / "etc/pmta/conf.d/inside.conf", "postmaster a@example.com\n");
  const std::vector<std::string> targets = {
      "/../outside.conf",     "/../../outside.conf",     "../../../outside.conf", "../../../../outside.conf",
      "/etc/pmta/link-out.conf", "link-out.conf",        "/etc/pmta/dir-out/*.conf", "dir-out/x.conf",
      "/etc/pmta/conf.d/*.conf", "conf.d/inside.conf",   "/etc/../../outside.conf", "conf.d/../../../../outside.conf",
      "/*.conf",              "/../*.conf",              "../../../*.conf",       "/etc/pmta/conf.d/../../../../outside-dir/*",
  };
  const std::string canonical_root = std::filesystem::weakly_canonical(root).string();
  uint32_t seed = 12345;
  const auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 8) % 1000; };
  for (int round = 0; round < 200; ++round) {
    std::string main_text, part_text;
    for (int i = 0; i < 4; ++i) main_text += "include " + targets[next() % targets.size()] + "\n";
    for (int i = 0; i < 3; ++i) part_text += "include " + targets[next() % targets.size()] + "\n";
    write_file(root / "etc/pmta/config", main_text);
    write_file(root / "etc/pmta/conf.d/part.conf", part_text + "include /etc/pmta/conf.d/inside.conf\n");
    const LoadResult r = load_one(root / "etc/pmta/config", root.string());
    INFO(main_text << "---\n" << part_text);
    for (FileId f = 0; f < r.workspace.size(); ++f) {
      const std::string real = std::filesystem::weakly_canonical(r.workspace.file(f).path()).string();
      CHECK(real.starts_with(canonical_root + "/"));
      CHECK(r.workspace.file(f).text().find(secret) == std::string_view::npos);
    }
    for (const Diagnostic& d : r.diagnostics) CHECK(d.message.find(secret) == std::string::npos);
  }
}
