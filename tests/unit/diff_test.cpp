// `pmtalint diff` reads two models; the CLI goldens show its report on chosen cases. These are
// the properties every pair must have: a configuration compared with itself changes nothing, and
// swapping the two sides swaps every old and new value.
#include <catch2/catch.hpp>

#include "diff/diff.h"
#include "test_support.h"

namespace pmtalint {

namespace {

struct Loaded {
  std::unique_ptr<Analysis> analysis;
  diff::Side side;
};

Loaded side_of(const std::filesystem::path& path) {
  AnalysisRequest request;
  request.inputs.push_back({path.string(), std::nullopt});
  request.no_project_config = true;
  request.main = path.string();
  Loaded out{test::analyze(request), {}};
  out.side.analysis = out.analysis.get();
  out.side.model = out.analysis->configuration_of(out.analysis->named.front());
  out.side.label = path.filename().string();
  return out;
}

diff::Report compare(const Loaded& old_side, const Loaded& new_side) {
  return diff::compare(old_side.side, new_side.side, {});
}

std::vector<std::filesystem::path> fixtures() {
  std::vector<std::filesystem::path> out;
  for (const char* dir : {"tests/fixtures/rules", "tests/cli/cases/diff"})
    for (const auto& path : test::files_in(test::source_dir() / dir))
      if (path.extension() == ".conf") out.push_back(path);
  out.push_back(test::source_dir() / "examples/production/config");
  return out;
}

// The same changes, each with its old and new value exchanged.
void check_swapped(const std::vector<diff::Change>& forward, const std::vector<diff::Change>& back) {
  REQUIRE(forward.size() == back.size());
  for (size_t i = 0; i < forward.size(); ++i) {
    CHECK(forward[i].name == back[i].name);
    CHECK(forward[i].old_value.text == back[i].new_value.text);
    CHECK(forward[i].new_value.text == back[i].old_value.text);
  }
}

}  // namespace

TEST_CASE("a configuration compared with itself changes nothing") {
  const auto paths = fixtures();
  REQUIRE(paths.size() > 20);
  for (const auto& path : paths) {
    INFO(path.string());
    const Loaded a = side_of(path);
    const Loaded b = side_of(path);
    REQUIRE(a.side.model != nullptr);
    const diff::Report report = compare(a, b);
    CHECK_FALSE(report.semantic_change());
    CHECK_FALSE(report.widens());
    CHECK(report.new_findings.empty());
    CHECK(report.fixed_findings.empty());
    CHECK(report.apply() == diff::Apply::Reload);
  }
}

TEST_CASE("swapping the sides of a diff swaps every old and new value") {
  const auto dir = test::source_dir() / "tests/cli/cases/diff";
  const Loaded base = side_of(dir / "base.conf");
  size_t compared = 0;
  for (const auto& path : test::files_in(dir)) {
    if (path.extension() != ".conf" || path.filename() == "base.conf") continue;
    INFO(path.string());
    const Loaded other = side_of(path);
    const diff::Report forward = compare(base, other);
    const diff::Report back = compare(other, base);
    REQUIRE(forward.semantic_change());
    CHECK(back.semantic_change());
    // A change that widens exposure one way narrows it the other.
    CHECK((!forward.widens() || !back.widens()));
    CHECK(forward.new_findings.size() == back.fixed_findings.size());
    CHECK(forward.fixed_findings.size() == back.new_findings.size());

    check_swapped(forward.settings, back.settings);
    REQUIRE(forward.names.size() == back.names.size());
    for (size_t i = 0; i < forward.names.size(); ++i) {
      const diff::NameChange& f = forward.names[i];
      const diff::NameChange& b = back.names[i];
      CHECK(f.kind == b.kind);
      const diff::Status swapped = b.status == diff::Status::Added     ? diff::Status::Removed
                                   : b.status == diff::Status::Removed ? diff::Status::Added
                                                                       : diff::Status::Changed;
      CHECK(f.status == swapped);
    }
    REQUIRE(forward.queues.size() == back.queues.size());
    for (size_t i = 0; i < forward.queues.size(); ++i) {
      const auto& f = forward.queues[i];
      const auto& b = back.queues[i];
      check_swapped(f.changes, b.changes);
      REQUIRE(f.throughput.has_value() == b.throughput.has_value());
      if (f.throughput) {
        CHECK(f.throughput->old_bound == b.throughput->new_bound);
        CHECK(f.throughput->new_bound == b.throughput->old_bound);
      }
    }
    ++compared;
  }
  CHECK(compared >= 5);
}

}  // namespace pmtalint
