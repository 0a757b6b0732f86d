#pragma once
// Lines inside rule blocks that are data, not keyword lines: `/regex/ category` in
// <bounce-category-patterns>, `* RESULT` in <pattern-list>. Keyword rules skip them.
#include "model/model.h"

namespace pmtalint {

inline bool is_rule_line(const Model& model, const ModelDirective& d) {
  const std::string_view context = model.context(d);
  const std::string_view name = model.written_name(d);
  return (context == "bounce-category-patterns" && name.starts_with('/')) || (context == "pattern-list" && name == "*");
}

}  // namespace pmtalint
