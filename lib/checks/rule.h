#pragma once
// A rule is data plus, for semantic rules, a function. Its text (summary, why, bad and good
// examples) is the single source of `pmtalint explain`, `pmtalint rules` and the rule pages.
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "dns/resolver.h"
#include "model/model.h"
#include "schema/version.h"
#include "syntax/workspace.h"

namespace pmtalint {

enum class RuleOrigin : uint8_t {
  Parser,  // findings come from the lexer, parser or include loader
  Check,   // findings come from the rule's own function over the workspace
  Suppressions,  // findings about suppression comments themselves
};

struct CheckContext {
  const Workspace& workspace;
  const Model& model;
  PmtaVersion pmta_version = kLatestPmta;
  std::string root;             // --root: where absolute paths (key files) are opened
  Resolver* resolver = nullptr;  // DNS rules run only with one (--dns-zone or --online)
};

using CheckFunction = void (*)(const CheckContext&, std::vector<Diagnostic>&);

struct Rule {
  std::string_view code;  // "PMT0001"; never reused
  std::string_view slug;  // "syntax-error"; a public contract
  Severity severity;      // default severity
  RuleOrigin origin;
  std::string_view summary;  // one line, no final period
  std::string_view why;      // a paragraph: what goes wrong in PMTA, and what to do
  std::string_view bad;      // a configuration excerpt that triggers the rule
  std::string_view good;     // the same excerpt, fixed
  CheckFunction run = nullptr;
  bool suppressible = true;  // security rules: only the project configuration may lower them
};

}  // namespace pmtalint
