#pragma once
// The single diagnostic model. Every stage (parser, include loader, checks) produces these and
// every output (text, JSON, later SARIF and LSP) consumes them, so a finding reads the same
// wherever it is shown.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/span.h"

namespace pmtalint {

enum class Severity : uint8_t { Info = 0, Warning = 1, Error = 2 };

std::string_view severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view name);

struct Note {
  Location where;
  std::string message;
};

struct TextEdit {
  Location where;
  std::string replacement;
};

// A fix is safe when the configuration means the same to PMTA afterwards (a keyword's case, a
// mechanical rewrite of a deprecated directive): `pmtalint config --fix` applies it. An unsafe
// fix changes what PMTA reads (a did-you-mean rename) and needs --unsafe-fixes. Every rule that
// makes a fix says which it is.
struct Fix {
  std::string title;
  std::vector<TextEdit> edits;
  bool safe = false;
};

struct Diagnostic {
  std::string_view rule;  // the stable slug; always a string literal from the rule registry
  Severity severity = Severity::Error;
  Location where;
  std::string message;
  std::vector<Note> notes;
  std::optional<Fix> fix;
};

}  // namespace pmtalint
