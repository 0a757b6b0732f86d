// Fixing (analysis/fixes), formatting (syntax/format), the unified diff and the atomic write
// behind `pmtalint config --fix/--diff` and `pmtalint format`.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "analysis/fixes.h"
#include "base/atomic_write.h"
#include "base/unified_diff.h"
#include "schema/knowledge.h"
#include "syntax/file_reader.h"
#include "syntax/format.h"
#include "syntax/parser.h"
#include "test_support.h"

using namespace pmtalint;
namespace fs = std::filesystem;

namespace {

// What a configuration means, as far as the model says: every block (kind, argument, parent)
// and every directive (name, value, block) in reading order.
std::vector<std::string> model_summary(const Analysis& a) {
  std::vector<std::string> out;
  for (const Model& m : a.configurations) {
    out.push_back("configuration");
    for (const ModelBlock& b : m.blocks()) out.push_back(fmt::format("block {} '{}' in {}", b.kind, b.argument, b.parent));
    for (const ModelDirective& d : m.directives())
      out.push_back(fmt::format("directive {} '{}' in {}", m.name(d), m.value(d), d.block));
    for (const DomainMacro& macro : m.macros()) out.push_back(fmt::format("macro {} {}", macro.name, fmt::join(macro.values, ",")));
  }
  return out;
}

// Findings by rule, line, severity and message: formatting moves columns, nothing else.
std::multiset<std::string> findings(const Analysis& a) {
  std::multiset<std::string> out;
  for (const Diagnostic& d : a.diagnostics) {
    const SourceFile& f = a.loaded.workspace.file(d.where.file);
    out.insert(fmt::format("{}:{} {} {} {}", f.path(), f.position(d.where.span.begin).line, severity_name(d.severity), d.rule,
                           d.message));
  }
  return out;
}

std::string format_text(const std::string& path, const std::string& text) {
  const SourceFile file(path, text);
  const ParseResult parsed = parse(file, 0, ParseOptions{is_top_level_only_block});
  return apply_indent(text, reindent(parsed.tree, IndentStyle{}));
}

std::vector<fs::path> configuration_fixtures() {
  std::vector<fs::path> out;
  for (const fs::path& dir : {test::source_dir() / "tests/fixtures", test::source_dir() / "examples", test::source_dir() / "tests/cli/cases"})
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      if (!(entry.path().extension() == ".conf" || name == "config" || entry.path().extension() == ".pmta")) continue;
      auto contents = read_regular_file(entry.path().string());
      if (!contents || !binary_reason(contents->text).empty() || !key_material_kind(contents->text).empty()) continue;
      out.push_back(entry.path());
    }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("formatting every fixture keeps its model and its findings, and formatting again changes nothing") {
  size_t formatted = 0, fixtures = 0;
  for (const fs::path& path : configuration_fixtures()) {
    INFO(path.string());
    ++fixtures;
    const std::string text = test::read_file(path);
    AnalysisRequest request;
    request.inputs.push_back({path.string(), std::nullopt});
    request.no_project_config = true;
    if (text.find("# fixture: main") != std::string::npos) request.main = path.string();
    const auto before = test::analyze(request);
    // The fixture as written, and the same with every line's indentation removed (most fixtures
    // are indented already): formatting either gives the same model and the same findings.
    std::string flat;
    for (size_t at = 0; at < text.size();) {
      const size_t end = std::min(text.find('\n', at), text.size());
      const std::string_view line = std::string_view(text).substr(at, end - at);
      flat += line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
      if (end < text.size()) flat += '\n';
      at = end + 1;
    }
    for (const std::string& input : {text, flat}) {
      const std::string after_text = format_text(path.string(), input);
      CHECK(format_text(path.string(), after_text) == after_text);
      formatted += input != after_text;
      if (after_text == text) continue;  // indentation restored exactly
      request.overlays[fs::absolute(path).lexically_normal().string()] = after_text;
      const auto after = test::analyze(request);
      CHECK(model_summary(*after) == model_summary(*before));
      CHECK(findings(*after) == findings(*before));
    }
  }
  INFO(fmt::format("{} fixtures, {} inputs changed by formatting", fixtures, formatted));
  CHECK(fixtures > 50);
  CHECK(formatted > 50);
}

TEST_CASE("formatting re-indents by block depth, continuation lines one deeper, comments with their block") {
  const std::string text =
      "<virtual-mta a>\n"
      "smtp-source-host 192.0.2.1 a.example\n"
      "   <domain *>\n"
      "max-smtp-out 1\n"
      "# inside\n"
      "</domain>\n"
      "  </virtual-mta>\n"
      "  domain-macro m a.example,\n"
      "b.example\n"
      "\n"
      "\t# top\n";
  CHECK(format_text("t.conf", text) ==
        "<virtual-mta a>\n"
        "    smtp-source-host 192.0.2.1 a.example\n"
        "    <domain *>\n"
        "        max-smtp-out 1\n"
        "        # inside\n"
        "    </domain>\n"
        "</virtual-mta>\n"
        "domain-macro m a.example,\n"
        "    b.example\n"
        "\n"
        "# top\n");
  const SourceFile file("t.conf", text);
  const ParseResult parsed = parse(file, 0, ParseOptions{is_top_level_only_block});
  const auto some = reindent(parsed.tree, IndentStyle{2, false}, 2, 3);  // a range: lines 2-3 only
  REQUIRE(some.size() == 2);
  CHECK(some[0].text == "  ");
  CHECK(some[1].text == "  ");
}

TEST_CASE("fixes: safe ones by default, unsafe ones on request, overlapping ones left for the next round") {
  const std::string text = "<Domain *>\n    Max-SMTP-Out 20\n    max-msg-per-hour 500\n    max-smtp-ot 10\n</Domain>\n";
  test::ScratchDir dir;
  const fs::path file = dir / "fixable.conf";
  test::write_file(file, text);
  AnalysisRequest request;
  request.inputs.push_back({file.string(), std::nullopt});
  request.no_project_config = true;

  auto safe = analyze_and_fix(request, FixRequest{false});
  REQUIRE(safe);
  REQUIRE(safe->files.size() == 1);
  CHECK(safe->files[0].original == text);
  CHECK(safe->files[0].fixed == "<domain *>\n    max-smtp-out 20\n    max-msg-rate 500/h\n    max-smtp-ot 10\n</domain>\n");
  CHECK(safe->applied == 3);
  CHECK(safe->unsafe_left == 1);

  auto unsafe = analyze_and_fix(request, FixRequest{true});
  REQUIRE(unsafe);
  REQUIRE(unsafe->files.size() == 1);
  CHECK(unsafe->files[0].fixed == "<domain *>\n    max-smtp-out 20\n    max-msg-rate 500/h\n    max-smtp-out 10\n</domain>\n");
  CHECK(test::read_file(file) == text);  // nothing is written here

  // Idempotent: the fixed text has nothing left to fix.
  test::write_file(file, unsafe->files[0].fixed);
  auto again = analyze_and_fix(request, FixRequest{true});
  REQUIRE(again);
  CHECK(again->files.empty());
  CHECK(again->applied == 0);

  // Two fixes touching the same bytes: the first in file order is applied, the other waits.
  std::string shared = "abcdef";
  const Fix first{"one", {TextEdit{{0, {1, 3}}, "X"}}, true};
  const Fix second{"two", {TextEdit{{0, {2, 4}}, "Y"}}, true};
  const Fix third{"three", {TextEdit{{0, {4, 4}}, "+"}, TextEdit{{0, {5, 6}}, "F"}}, true};
  CHECK(apply_fixes({&first, &second, &third}, 0, shared) == 2);
  CHECK(shared == "aXd+eF");
}

TEST_CASE("unified diff") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "x").empty());
  CHECK(unified_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nV\n6\n7\n8\n9\n", "f", "f") ==
        "--- f\n+++ f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+V\n 6\n 7\n 8\n");
  CHECK(unified_diff("a\nb", "a\nc", "f", "f") ==
        "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
  CHECK(unified_diff("", "x\n", "f", "f") == "--- f\n+++ f\n@@ -0,0 +1,1 @@\n+x\n");
  // Changes far apart are separate hunks.
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += fmt::format("{}\n", i);
    after += i == 2 || i == 18 ? fmt::format("{}!\n", i) : fmt::format("{}\n", i);
  }
  const std::string diff = unified_diff(before, after, "f", "f");
  CHECK(diff.find("@@ -1,5 +1,5 @@") != std::string::npos);
  CHECK(diff.find("@@ -15,6 +15,6 @@") != std::string::npos);
}

TEST_CASE("atomic rewrite: through symlinks, mode and owner kept, refused when changed, read-only or special") {
  test::ScratchDir dir;
  const fs::path target = dir / "config";
  test::write_file(target, "old\n");
  ::chmod(target.c_str(), 0640);
  const fs::path link = dir / "link";
  fs::create_symlink("config", link);
  struct stat before{};
  REQUIRE(::stat(target.c_str(), &before) == 0);

  REQUIRE(replace_file_contents(link.string(), "old\n", "new\n"));
  CHECK(fs::is_symlink(link));
  CHECK(test::read_file(target) == "new\n");
  struct stat after{};
  REQUIRE(::stat(target.c_str(), &after) == 0);
  CHECK((after.st_mode & 07777) == 0640);
  CHECK(after.st_uid == before.st_uid);
  CHECK(after.st_gid == before.st_gid);
  CHECK(after.st_ino != before.st_ino);  // a new file renamed into place, never a half-written one
  size_t leftovers = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) leftovers += e.path().filename().string().starts_with(".");
  CHECK(leftovers == 0);

  // Changed between read and write: refused, and left as the other writer left it.
  test::write_file(target, "someone else's\n");
  auto changed = replace_file_contents(target.string(), "new\n", "mine\n");
  REQUIRE(!changed);
  CHECK(changed.error().find("changed since it was read") != std::string::npos);
  CHECK(test::read_file(target) == "someone else's\n");

  ::chmod(target.c_str(), 0444);
  auto read_only = replace_file_contents(target.string(), "someone else's\n", "mine\n");
  REQUIRE(!read_only);
  CHECK(read_only.error().find("read-only") != std::string::npos);
  ::chmod(target.c_str(), 0644);

  const fs::path fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  auto special = replace_file_contents(fifo.string(), "", "x");
  REQUIRE(!special);
  CHECK(special.error().find("not a regular file") != std::string::npos);
  CHECK(!replace_file_contents("/dev/null", "", "x"));

  const fs::path hard = dir / "hard";
  fs::create_hard_link(target, hard);
  auto linked = replace_file_contents(target.string(), "someone else's\n", "mine\n");
  REQUIRE(!linked);
  CHECK(linked.error().find("hard links") != std::string::npos);
}
