// libFuzzer: every value grammar on arbitrary values. The first byte picks the directive.
#include <string_view>

#include "schema/knowledge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pmtalint;
  if (size == 0) return 0;
  const auto& directives = KnowledgeBase::get().directives();
  const DirectiveInfo& d = directives[data[0] % directives.size()];
  const std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  if (auto problem = check_value(d.value, value); problem && problem->offset > value.size()) __builtin_trap();
  (void)check_domain_pattern(value);
  (void)parse_ip_range(value);
  size_t close = 0;
  (void)check_regex(value, close);
  return 0;
}
