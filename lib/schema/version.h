#pragma once
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace pmtalint {

// A PMTA release as MAJOR.MINOR (e.g. 5.0). Revisions (r1…r8) do not change the language.
struct PmtaVersion {
  int major = 0;
  int minor = 0;
  friend auto operator<=>(const PmtaVersion&, const PmtaVersion&) = default;
  std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
  static std::optional<PmtaVersion> parse(std::string_view text);
};

inline constexpr PmtaVersion kLatestPmta{6, 0};

}  // namespace pmtalint
