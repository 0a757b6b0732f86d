#pragma once
// Internals shared by the grammar implementation files.
#include <optional>
#include <string>
#include <string_view>

#include "schema/grammar.h"

namespace pmtalint::grammar {

inline ValueProblem problem(size_t offset, size_t length, std::string message) {
  return {offset, length, std::move(message)};
}
inline Grammar interval_grammar(bool never) {
  Grammar g;
  g.kind = GrammarKind::Interval;
  g.never = never;
  return g;
}
inline ValueProblem shifted(ValueProblem p, size_t by) {
  p.offset += by;
  return p;
}

bool all_digits(std::string_view s);
std::optional<uint64_t> parse_number(std::string_view digits);

std::optional<ValueProblem> boolean(std::string_view v);
std::optional<ValueProblem> integer(const Grammar& g, std::string_view v);
std::optional<ValueProblem> interval(const Grammar& g, std::string_view v);
std::optional<ValueProblem> interval_list(std::string_view v);
std::optional<ValueProblem> rate(std::string_view v);
std::optional<ValueProblem> data_rate(std::string_view v);
std::optional<ValueProblem> size(const Grammar& g, std::string_view v);
std::optional<ValueProblem> hostname(std::string_view v);
std::optional<ValueProblem> email(std::string_view v);
std::optional<ValueProblem> host_list(std::string_view v);
std::optional<ValueProblem> listener(std::string_view v);
std::optional<ValueProblem> domain_key(std::string_view v);
std::optional<ValueProblem> reply_rule(std::string_view v);
std::optional<ValueProblem> pattern_rule(std::string_view v, bool header);
std::optional<ValueProblem> daily_limit(std::string_view v);

}  // namespace pmtalint::grammar
