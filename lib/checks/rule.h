#pragma once
// A rule is data plus, for semantic rules, a function. Its text (summary, why, bad and good
// examples) is the single source of `pmtalint explain`, `pmtalint rules` and the rule pages.
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "checks/domain_settings.h"
#include "dns/resolver.h"
#include "model/model.h"
#include "schema/version.h"
#include "syntax/workspace.h"

namespace pmtalint {

enum class RuleOrigin : uint8_t {
  Parser,  // findings come from the lexer, parser or include loader
  Check,   // findings come from the rule's own functions over the model
  Suppressions,  // findings about suppression comments themselves
};

struct CheckContext {
  const Workspace& workspace;
  const Model& model;
  PmtaVersion pmta_version = kLatestPmta;
  std::string root;             // --root: where absolute paths (key files) are opened
  Resolver* resolver = nullptr;  // DNS rules run only with one (--dns-zone or --online)
  std::string main;              // the main configuration named for this run, if any
  DomainSettings& domain_settings;  // of this model, shared by the rules that compare <domain> chains
};

struct Rule;

// A claim not made because a gap in the configuration might hold what it calls missing.
struct WithheldClaim {
  const Gap* gap;
  Diagnostic claim;  // as it would have been reported
};
using WithheldClaims = std::vector<WithheldClaim>;

// Where a check's findings go. The slug and default severity come from the rule's record, so no
// call site spells them again.
class Findings {
 public:
  Findings(const Rule& rule, const Model& model, std::vector<Diagnostic>& out, WithheldClaims& withheld)
      : rule_(rule), model_(model), out_(out), withheld_(withheld) {}

  // The returned reference is valid until the next finding is added.
  Diagnostic& add(Location where, std::string message);
  Diagnostic& add(Severity severity, Location where, std::string message);
  // A claim that something is missing from `block` (with `or_around`, from it and the blocks it
  // inherits from). When a part of the configuration that was not read could hold it, the claim
  // is withheld (kept with that gap, never reported) and nullptr is returned.
  Diagnostic* absent(uint32_t block, bool or_around, Location where, std::string message);
  // The same when the caller has found the gap (nullptr: none, the claim is made).
  Diagnostic* absent(const Gap* gap, Severity severity, Location where, std::string message);

 private:
  const Rule& rule_;
  const Model& model_;
  std::vector<Diagnostic>& out_;
  WithheldClaims& withheld_;
};

// A whole-configuration check, or one called for each directive or each block (not the top
// level) of the model in a single pass shared by every rule.
using CheckFunction = void (*)(const CheckContext&, Findings&);
using DirectiveCheck = void (*)(const CheckContext&, const ModelDirective&, Findings&);
using BlockCheck = void (*)(const CheckContext&, uint32_t block, Findings&);

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
  DirectiveCheck each_directive = nullptr;
  BlockCheck each_block = nullptr;
  bool suppressible = true;  // security rules: only the project configuration may lower them
};

}  // namespace pmtalint
