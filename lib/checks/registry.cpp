#include "checks/registry.h"

#include <array>

#include "base/text.h"

namespace pmtalint {

extern const Rule kSyntaxError;
extern const Rule kUnclosedBlock;
extern const Rule kMismatchedCloseTag;
extern const Rule kStrayCloseTag;
extern const Rule kForeignSyntax;
extern const Rule kIncludeError;
extern const Rule kIncompleteConfiguration;
extern const Rule kUnknownDirective;
extern const Rule kUnknownBlock;
extern const Rule kWrongContext;
extern const Rule kInvalidValue;
extern const Rule kDeprecated;
extern const Rule kDuplicateDirective;
extern const Rule kNonLowercaseKeyword;
extern const Rule kOpenRelay;
extern const Rule kUndefinedReference;
extern const Rule kDuplicateBlock;
extern const Rule kRateConflict;
extern const Rule kMacroExpansion;
extern const Rule kInsecureHttpAccess;
extern const Rule kRunAsRoot;
extern const Rule kPlaintextAuth;
extern const Rule kHttpWithoutTls;
extern const Rule kMissingRequired;
extern const Rule kIncompatibleSettings;
extern const Rule kDkimKey;
extern const Rule kRdnsMismatch;
extern const Rule kDkimDns;
extern const Rule kUnusedSuppression;
extern const Rule kSuppressionWithoutReason;
extern const Rule kPlaceholderValue;
extern const Rule kUnreachableRule;
extern const Rule kTemplateFile;
extern const Rule kBackoffDefaultLooser;
extern const Rule kLocalDomainOverride;
extern const Rule kReroutedDomainLimits;

namespace {
// Explicit, not self-registering: rules in a static library cannot silently drop out. One rule
// a line (tools/new-rule appends one).
const auto kRules = std::to_array<const Rule*>({
    &kSyntaxError,
    &kUnclosedBlock,
    &kMismatchedCloseTag,
    &kStrayCloseTag,
    &kForeignSyntax,
    &kIncludeError,
    &kIncompleteConfiguration,
    &kTemplateFile,
    &kUnknownDirective,
    &kUnknownBlock,
    &kWrongContext,
    &kInvalidValue,
    &kDeprecated,
    &kDuplicateDirective,
    &kNonLowercaseKeyword,
    &kPlaceholderValue,
    &kOpenRelay,
    &kUndefinedReference,
    &kDuplicateBlock,
    &kRateConflict,
    &kMacroExpansion,
    &kInsecureHttpAccess,
    &kRunAsRoot,
    &kPlaintextAuth,
    &kHttpWithoutTls,
    &kMissingRequired,
    &kIncompatibleSettings,
    &kUnreachableRule,
    &kBackoffDefaultLooser,
    &kLocalDomainOverride,
    &kReroutedDomainLimits,
    &kDkimKey,
    &kRdnsMismatch,
    &kDkimDns,
    &kUnusedSuppression,
    &kSuppressionWithoutReason,
});
}  // namespace

std::span<const Rule* const> all_rules() { return kRules; }

const Rule* find_rule(std::string_view slug_or_code) {
  for (const Rule* rule : kRules)
    if (rule->slug == slug_or_code || iequals(rule->code, slug_or_code)) return rule;
  return nullptr;
}

}  // namespace pmtalint
