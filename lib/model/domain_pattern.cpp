#include "model/domain_pattern.h"

#include "base/text.h"

namespace pmtalint {

DomainPattern parse_domain_pattern(std::string_view written) {
  const std::string lower = to_lower(trim(written));
  if (lower == "*") return {PatternForm::Any, ""};
  if (lower.starts_with("[*.]")) return {PatternForm::SelfAndSubs, lower.substr(4)};
  if (lower.starts_with("*.")) return {PatternForm::Subdomains, lower.substr(2)};
  return {PatternForm::Exact, lower};
}

bool DomainPattern::matches(std::string_view domain) const {
  const auto below = [&] {
    return domain.size() > suffix.size() && domain.ends_with(suffix) && domain[domain.size() - suffix.size() - 1] == '.';
  };
  switch (form) {
    case PatternForm::Any: return true;
    case PatternForm::SelfAndSubs: return domain == suffix || below();
    case PatternForm::Subdomains: return below();
    case PatternForm::Exact: return domain == suffix;
  }
  return false;
}

std::string DomainPattern::text() const {
  switch (form) {
    case PatternForm::Any: return "*";
    case PatternForm::SelfAndSubs: return "[*.]" + suffix;
    case PatternForm::Subdomains: return "*." + suffix;
    case PatternForm::Exact: return suffix;
  }
  return suffix;
}

std::string DomainPattern::representative() const {
  switch (form) {
    case PatternForm::Any: return "example.invalid";
    case PatternForm::Subdomains: return "sub." + suffix;
    case PatternForm::SelfAndSubs:
    case PatternForm::Exact: return suffix;
  }
  return suffix;
}

}  // namespace pmtalint
