// Reply rules (smtp-pattern-list) and pattern-list lines are tried in order and the first match
// wins, so a rule that only matches what an earlier rule already matches never takes effect.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <memory>
#include <optional>
#include <unordered_map>

#include "base/text.h"
#include "checks/rules/rate_conflict.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

struct PatternLine {
  const ModelDirective* directive;
  std::string selector;  // "reply", "mail-from", "rcpt-to", or "header NAME"
  std::string_view regex;
  std::string_view result;
};

std::optional<PatternLine> read_line(const Model& model, const ModelDirective& d) {
  const std::string_view value = model.value(d);
  if (check_value(d.info->value, value)) return std::nullopt;  // invalid-value reports it
  const auto rule = split_regex_rule(value);
  if (!rule) return std::nullopt;
  std::string selector = to_lower(model.name(d));
  if (selector == "header") selector += " " + to_lower(rule->before);
  return PatternLine{&d, std::move(selector), rule->regex, rule->after};
}

// The text a regex matches when it is a plain literal (escaped punctuation allowed).
std::optional<std::string> literal_text(std::string_view regex) {
  std::string out;
  for (size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      if (i + 1 >= regex.size()) return std::nullopt;
      const char next = regex[++i];
      if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9')) return std::nullopt;
      out += next;
    } else if (std::string_view("^$.|?*+()[]{}").find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

// Matching costs are bounded per run: a hostile list of thousands of rules cannot make the
// pairwise check quadratic in regex work.
constexpr size_t kMaxMatches = 200'000;

bool context_sensitive(std::string_view regex) {
  for (std::string_view marker : {"^", "$", "\\b", "\\B", "\\A", "\\z", "\\Z", "\\G", "(?", "\\K"})
    if (regex.find(marker) != std::string_view::npos) return true;
  return false;
}

using Code = std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)>;

// One list's rules so far, with what the shadowing test needs computed once per rule.
struct Seen {
  PatternLine line;
  bool free_of_context;  // unanchored, no look-arounds: a match inside a literal is a match anywhere
  Code code{nullptr, pcre2_code_free};
};

// Whether `earlier` matches inside the literal text of a later rule; compiles it on first use.
bool matches_literal(Seen& earlier, const std::string& literal, bool caseless, size_t& budget) {
  if (!earlier.free_of_context || budget == 0) return false;
  --budget;
  if (!earlier.code) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    earlier.code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(earlier.line.regex.data()), earlier.line.regex.size(),
                                     caseless ? PCRE2_CASELESS : 0, &error, &offset, nullptr));
    if (!earlier.code) {
      earlier.free_of_context = false;
      return false;
    }
  }
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
      pcre2_match_data_create_from_pattern(earlier.code.get(), nullptr), pcre2_match_data_free);
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> limits(pcre2_match_context_create(nullptr),
                                                                                   pcre2_match_context_free);
  pcre2_set_match_limit(limits.get(), 100'000);  // a hostile regex costs a bounded amount of work
  return pcre2_match(earlier.code.get(), reinterpret_cast<PCRE2_SPTR>(literal.data()), literal.size(), 0, 0,
                     match.get(), limits.get()) >= 0;
}

void report(const Model& model, const PatternLine& earlier, const PatternLine& later, bool replies,
            Findings& out) {
  const bool same = earlier.result == later.result;
  Diagnostic& diag = out.add(Severity::Warning, model.where(*later.directive),
                  fmt::format("this rule never takes effect: every {} it matches is matched first by the earlier rule "
                              "/{}/{}; PMTA applies '{}'{}",
                              replies ? "reply" : "message", earlier.regex, same ? " with the same result" : "",
                              earlier.result, same ? ", so this line is redundant" : " instead of '" + std::string(later.result) + "'"));
  diag.notes.push_back({model.where(*earlier.directive), "the earlier, broader rule"});
}

}  // namespace

// A later rule is shadowed when every text containing a match of it also contains a match of
// an earlier rule: the earlier regex is empty or identical, or it is free of anchors and
// look-arounds and matches the literal the later regex is. Other cases are not decided.
void find_shadowed_patterns(const Model& model, Findings& out) {
  size_t budget = kMaxMatches;
  for (const ModelBlock& block : model.blocks()) {
    const bool replies = block.kind == "smtp-pattern-list";
    if (!block.known || (!replies && block.kind != "pattern-list")) continue;
    std::vector<Seen> seen;
    std::unordered_map<std::string, size_t> first_with;  // selector + regex → index in seen
    std::unordered_map<std::string, size_t> empty_for;   // selector → index of an empty regex
    for (const uint32_t index : block.directives) {
      const ModelDirective& d = model.directives()[index];
      if (!d.info) continue;
      auto line = read_line(model, d);
      if (!line) continue;
      std::optional<size_t> by;
      if (const auto it = empty_for.find(line->selector); it != empty_for.end()) by = it->second;
      else if (const auto same = first_with.find(line->selector + '\n' + std::string(line->regex)); same != first_with.end())
        by = same->second;
      else if (const auto literal = literal_text(line->regex))
        for (size_t i = 0; i < seen.size() && !by; ++i)
          if (seen[i].line.selector == line->selector && matches_literal(seen[i], *literal, replies, budget)) by = i;
      if (by) report(model, seen[*by].line, *line, replies, out);
      const size_t at = seen.size();
      if (line->regex.empty()) empty_for.emplace(line->selector, at);
      first_with.emplace(line->selector + '\n' + std::string(line->regex), at);
      const bool free_of_context = !context_sensitive(line->regex);
      seen.push_back({std::move(*line), free_of_context});
    }
  }
}

}  // namespace pmtalint
