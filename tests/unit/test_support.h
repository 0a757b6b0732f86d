#pragma once
// Helpers shared by the unit tests: fixture paths, reading files, scratch directories.
#include <cstdint>
#include <filesystem>
#include <set>
#include <tuple>
#include <string>
#include <vector>

namespace pmtalint::test {

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
