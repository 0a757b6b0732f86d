#pragma once
// The one place that decides which `expected` the project uses. tl-expected is not packaged
// for Debian 12, and GCC 12 ships C++23 std::expected, so the alias points there. Clang 14
// (Debian's, used for the libFuzzer builds) cannot compile libstdc++ 12's <expected>, so for
// it alone this header carries the small subset pmtalint uses.
#include <version>

#if defined(__cpp_lib_expected)
#include <expected>

namespace pmtalint {

template <class T, class E>
using expected = std::expected<T, E>;

template <class E>
using unexpected = std::unexpected<E>;

}  // namespace pmtalint

#else
#include <utility>
#include <variant>

namespace pmtalint {

template <class E>
class unexpected {
 public:
  explicit unexpected(E error) : error_(std::move(error)) {}
  const E& error() const& { return error_; }
  E& error() & { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

template <class E>
unexpected(E) -> unexpected<E>;

template <class T, class E>
class expected {
 public:
  expected() : state_(std::in_place_index<0>) {}
  expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  template <class G>
  expected(unexpected<G> u) : state_(std::in_place_index<1>, std::move(u).error()) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& operator*() & { return std::get<0>(state_); }
  const T& operator*() const& { return std::get<0>(state_); }
  T&& operator*() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  const E& error() const& { return std::get<1>(state_); }
  E& error() & { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

template <class E>
class expected<void, E> {
 public:
  expected() = default;
  template <class G>
  expected(unexpected<G> u) : error_(std::move(u).error()), failed_(true) {}

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  const E& error() const& { return error_; }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace pmtalint
#endif
