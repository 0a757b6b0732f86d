#pragma once
// Helpers shared by the unit tests: fixture paths, reading files, scratch directories.
#include <cstdint>
#include <filesystem>
#include <set>
#include <tuple>
#include <string>
#include <memory>
#include <vector>

#include "analysis/analysis.h"

namespace pmtalint::test {

// A request for text held in memory (no .pmtalint.toml is looked up). With `main`, the text is
// the main configuration itself, so names and required settings are checked; otherwise a file
// not named `config` is a fragment, as on the command line.
AnalysisRequest text_request(const std::string& text, const std::string& name = "t.conf", bool main = false);
// Runs the analysis every front end runs; fails the test when the request itself is refused.
std::unique_ptr<Analysis> analyze(const AnalysisRequest& request);

std::filesystem::path source_dir();
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);
std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir);

// Expectations written in fixtures as comments:
//   `# expect: slug@COLUMN [slug@COLUMN…]`   findings on this line
//   `# expect@LINE: slug@COLUMN`             a finding on another line
using Finding = std::tuple<std::string, uint32_t, uint32_t>;  // slug, line, column
std::multiset<Finding> expectations(const std::string& text);

// A fresh directory under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace pmtalint::test
