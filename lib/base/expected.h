#pragma once
// The one place that decides which `expected` the project uses. tl-expected is not packaged
// for Debian 12, and GCC 12 ships C++23 std::expected, so the alias points there.
#include <expected>

namespace pmtalint {

template <class T, class E>
using expected = std::expected<T, E>;

template <class E>
using unexpected = std::unexpected<E>;

}  // namespace pmtalint
