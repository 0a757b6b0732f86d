#include "test_support.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace pmtalint::test {

std::filesystem::path source_dir() { return PMTALINT_SOURCE_DIR; }

AnalysisRequest text_request(const std::string& text, const std::string& name, bool main) {
  AnalysisRequest r;
  r.inputs.push_back({name, text});
  r.no_project_config = true;
  if (main) r.main = name;
  return r;
}

std::unique_ptr<Analysis> analyze(const AnalysisRequest& request) {
  auto a = pmtalint::analyze(request);
  if (!a) throw std::runtime_error("analysis refused: " + a.error());
  return std::move(*a);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file()) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::multiset<Finding> expectations(const std::string& text) {
  std::multiset<Finding> out;
  static const std::regex marker(R"(#\s*expect(?:@(\d+))?:\s*(.*)$)");
  static const std::regex item(R"(([a-z-]+)@(\d+))");
  std::istringstream lines(text);
  std::string line;
  for (uint32_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::smatch m;
    if (!std::regex_search(line, m, marker)) continue;
    const uint32_t target = m[1].matched ? static_cast<uint32_t>(std::stoul(m[1])) : number;
    const std::string list = m[2];
    for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator(); ++it)
      out.insert({(*it)[1], target, static_cast<uint32_t>(std::stoul((*it)[2]))});
  }
  return out;
}

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pmtalint-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace pmtalint::test
