#pragma once
#include <cstdint>

namespace pmtalint {

// A half-open byte range [begin, end) inside one source file. Offsets are 32-bit because the
// loader refuses files larger than 1 GiB; keeping spans small keeps the token stream compact.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  bool contains(uint32_t offset) const { return begin <= offset && offset < end; }
  friend bool operator==(const Span&, const Span&) = default;
};

using FileId = uint32_t;

struct Location {
  FileId file = 0;
  Span span;
  friend bool operator==(const Location&, const Location&) = default;
};

}  // namespace pmtalint
