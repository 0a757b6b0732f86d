#pragma once
// The knowledge base's entries, generated at build time from schemas/*.json by
// cmake/gen_knowledge.py (the JSON files stay the single source of truth).
#include <vector>

#include "schema/knowledge.h"

namespace pmtalint::generated {

std::vector<DirectiveInfo> directives();
std::vector<BlockInfo> blocks();
std::vector<InventedLine> invented_lines();

}  // namespace pmtalint::generated
