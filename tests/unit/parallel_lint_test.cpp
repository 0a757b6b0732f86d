// The checks of a large configuration run on several threads; the report must not depend on
// how many. Every rule fixture is joined into one configuration, repeated past the size where
// threads start, and linted on one thread and on three.
#include <catch2/catch.hpp>

#include "checks/lint.h"
#include "test_support.h"

namespace pmtalint {

namespace {

std::string many_fixtures() {
  std::string one;
  for (const auto& path : test::files_in(test::source_dir() / "tests/fixtures/rules"))
    if (path.extension() == ".conf") one += test::read_file(path) + "\n";
  std::string text;
  while (text.size() < 40 * one.size() && text.size() < (size_t{4} << 20)) text += one;
  return text;
}

LintResult lint_on(unsigned threads, const LoadResult& loaded, const std::vector<Model>& models) {
  LintOptions options;
  options.threads = threads;
  return lint(loaded, models, options);
}

}  // namespace

TEST_CASE("the checks give the same report on one thread as on several") {
  const LoadResult loaded = load({{"config", many_fixtures()}}, {});
  const std::vector<Model> models = configurations(loaded.workspace, [](FileId) { return true; });
  REQUIRE(models.size() == 1);
  REQUIRE(models.front().directives().size() > 10000);
  const LintResult one = lint_on(1, loaded, models);
  const LintResult three = lint_on(3, loaded, models);
  REQUIRE(one.diagnostics.size() > 1000);
  REQUIRE(three.diagnostics.size() == one.diagnostics.size());
  for (size_t i = 0; i < one.diagnostics.size(); ++i) {
    const Diagnostic& a = one.diagnostics[i];
    const Diagnostic& b = three.diagnostics[i];
    INFO("finding " << i << ": " << a.rule << " " << a.message);
    REQUIRE(a.rule == b.rule);
    REQUIRE(a.where.file == b.where.file);
    REQUIRE(a.where.span.begin == b.where.span.begin);
    REQUIRE(a.where.span.end == b.where.span.end);
    REQUIRE(a.message == b.message);
  }
  REQUIRE(three.withheld.size() == one.withheld.size());
  for (size_t i = 0; i < one.withheld.size(); ++i) REQUIRE(three.withheld[i].message == one.withheld[i].message);
}

TEST_CASE("an editor's stop request reaches checks running on several threads") {
  const LoadResult loaded = load({{"config", many_fixtures()}}, {});
  const std::vector<Model> models = configurations(loaded.workspace, [](FileId) { return true; });
  LintOptions options;
  options.threads = 3;
  size_t asked = 0;
  options.interrupted = [&] { return ++asked >= 3; };
  const LintResult stopped = lint(loaded, models, options);
  CHECK(stopped.interrupted);
  CHECK(asked == 3);
}

}  // namespace pmtalint
