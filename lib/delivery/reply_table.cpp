#include "delivery/backend.h"

namespace pmtalint::delivery {

ReplyId ReplyTable::intern(std::string_view text) {
  if (const auto it = index_.find(std::string(text)); it != index_.end()) return it->second;
  const auto id = static_cast<ReplyId>(texts_.size());
  texts_.emplace_back(text);
  int code = 0;
  if (text.size() >= 3 && text[0] >= '1' && text[0] <= '5' && text[1] >= '0' && text[1] <= '9' && text[2] >= '0' && text[2] <= '9')
    code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
  codes_.push_back(code);
  index_.emplace(std::string(text), id);
  return id;
}

}  // namespace pmtalint::delivery
