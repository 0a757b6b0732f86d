#pragma once
// A `<domain …>` argument after macro expansion, and how PMTA picks among several that match:
// the most specific wins, from `*` through `[*.]d` and `*.d` to `d` itself, longer suffixes
// before shorter ones.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pmtalint {

enum class PatternForm : uint8_t {
  Any,          // *
  SelfAndSubs,  // [*.]example.com
  Subdomains,   // *.example.com (not example.com itself)
  Exact,        // example.com, [192.0.2.1], {sparkpost}
};

struct DomainPattern {
  PatternForm form = PatternForm::Exact;
  std::string suffix;  // lower case; empty for Any

  bool matches(std::string_view domain) const;  // domain in lower case
  // Higher is more specific; equal values tie.
  uint64_t specificity() const { return suffix.size() * 4 + static_cast<uint64_t>(form); }
  std::string text() const;
  // A name this pattern matches and no more specific pattern of the same suffix does.
  std::string representative() const;
};

DomainPattern parse_domain_pattern(std::string_view written);

}  // namespace pmtalint
