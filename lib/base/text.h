#pragma once
// Small string helpers shared by every stage. PMTA keywords are ASCII and matched without
// regard to case, so these stay ASCII-only on purpose (no locale surprises).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pmtalint {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
bool has_upper(std::string_view s);
std::string_view trim(std::string_view s);  // spaces and tabs at both ends
// Fields of a separated list ("s1, example.com ,/k.pem"), trimmed, with the offset of each
// field's first character (of its position when empty) within `s`.
struct Field {
  size_t offset;
  std::string_view text;
};
std::vector<Field> split_fields(std::string_view s, char separator);

// Length of the valid UTF-8 sequence at the start of `s` (1..4), or 0 when those bytes are not
// one (overlong forms, surrogates and truncated sequences included).
size_t utf8_sequence_length(std::string_view s);

// Text from inputs as a terminal or a log may show it: C0 control bytes (except those listed in
// `keep`), DEL, C1 controls (U+0080–U+009F, which some terminals obey as CSI/OSC) and bytes that
// are not valid UTF-8 become \xNN; valid UTF-8 stays. The one escaping used by every
// human-readable output (text, gcc, the send report, the SVG plot, XML formats).
std::string printable(std::string_view text, std::string_view keep = {});
// printable(text, "\t\n") with XML's markup characters as entities: well-formed XML 1.0 text
// or attribute content whatever the input (XML cannot carry most control characters at all).
std::string xml_escape(std::string_view text);

// Damerau-Levenshtein distance (optimal string alignment: an adjacent transposition costs one),
// giving up (returning limit + 1) once the distance exceeds `limit`,
// so suggestions stay cheap even against hundreds of candidates.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit);

}  // namespace pmtalint
