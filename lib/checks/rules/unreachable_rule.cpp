// Ordered pattern lists (smtp-pattern-list reply rules, pattern-list lines, bounce-category
// patterns) are tried in order and the first match wins (language-notes §6, §7, §10), so a rule
// that only matches what an earlier rule already matches never takes effect.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <memory>
#include <optional>
#include <unordered_map>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/rule_lines.h"
#include "schema/grammar.h"

namespace pmtalint {
namespace {

struct PatternLine {
  const ModelDirective* directive;
  std::string selector;  // "reply", "mail-from", "rcpt-to", or "header NAME"
  std::string_view regex;
  std::string_view result;
  bool star = false;  // `* RESULT`: matches every message, whatever the selector
};

std::optional<PatternLine> read_line(const Model& model, const ModelDirective& d) {
  const std::string_view context = model.context(d);
  const std::string_view written = model.written_name(d);
  if (context == "bounce-category-patterns") {
    // `/regex/ category`: the whole line is the rule.
    if (!written.starts_with('/')) return std::nullopt;
    const auto rule = split_regex_rule(model.text(d, model.node(d).head));
    if (!rule || !rule->before.empty() || rule->after.empty()) return std::nullopt;
    return PatternLine{&d, "", rule->regex, rule->after, false};
  }
  if (context == "pattern-list" && written == "*")  // a sub-list's catch-all line
    return PatternLine{&d, "", "", trim(model.value(d)), true};
  if (!d.info || (d.info->value.kind != GrammarKind::ReplyRule && d.info->value.kind != GrammarKind::PatternRule))
    return std::nullopt;
  const std::string_view value = model.value(d);
  if (check_value(d.info->value, value)) return std::nullopt;  // invalid-value reports it
  const auto rule = split_regex_rule(value);
  if (!rule) return std::nullopt;
  std::string selector = to_lower(model.name(d));
  if (selector == "header") selector += " " + to_lower(rule->before);
  return PatternLine{&d, std::move(selector), rule->regex, rule->after, false};
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

// Literal runs every match of `regex` must contain: `^452 .* quota exceeded` gives "452 " and
// " quota exceeded". Only the top-level sequence is read; a top-level alternation gives nothing,
// and groups, classes, escapes that are not punctuation and optional atoms end a run.
std::vector<std::string> mandatory_literals(std::string_view regex) {
  std::vector<std::string> out;
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') { ++i; continue; }
    if (in_class) { in_class = c != ']'; continue; }
    if (c == '[') in_class = true;
    else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == '|' && depth == 0) return {};
  }
  std::string run;
  const auto flush = [&] {
    if (!run.empty()) out.push_back(std::move(run));
    run.clear();
  };
  const auto optional_after = [&](size_t next) {
    if (next >= regex.size()) return false;
    const char q = regex[next];
    return q == '?' || q == '*' || (q == '{' && next + 1 < regex.size() && regex[next + 1] == '0');
  };
  const auto quantified = [&](size_t next) {
    return next < regex.size() && (regex[next] == '+' || regex[next] == '{' || regex[next] == '?' || regex[next] == '*');
  };
  for (size_t i = 0; i < regex.size();) {
    const char c = regex[i];
    if (c == '(' || c == '[') {  // skip the group or class: it ends the run
      flush();
      if (c == '[') {
        size_t j = i + 1;
        if (j < regex.size() && regex[j] == '^') ++j;
        if (j < regex.size() && regex[j] == ']') ++j;
        while (j < regex.size() && regex[j] != ']') j += regex[j] == '\\' ? 2 : 1;
        i = j + 1;
      } else {
        int level = 0;
        size_t j = i;
        for (; j < regex.size(); ++j) {
          if (regex[j] == '\\') { ++j; continue; }
          if (regex[j] == '(') ++level;
          else if (regex[j] == ')' && --level == 0) break;
        }
        i = j + 1;
      }
      continue;
    }
    char literal = 0;
    size_t next = i + 1;
    if (c == '\\') {
      if (i + 1 >= regex.size()) break;
      const char e = regex[i + 1];
      next = i + 2;
      if (std::string_view("^$.|?*+()[]{}\\/-#@ ").find(e) != std::string_view::npos) literal = e;
    } else if (std::string_view("^$.|?*+)]{}").find(c) == std::string_view::npos) {
      literal = c;
    }
    if (!literal || optional_after(next)) {
      flush();
    } else {
      run += literal;
      if (quantified(next)) flush();  // `a+`: one `a` is certain, what follows is not adjacent
    }
    i = next;
    while (i < regex.size() && std::string_view("?*+").find(regex[i]) != std::string_view::npos) ++i;
    if (i < regex.size() && regex[i] == '{') {
      const size_t close = regex.find('}', i);
      i = close == std::string_view::npos ? regex.size() : close + 1;
    }
  }
  flush();
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

// What every match of a run shares: the work budget, one match context and one match block.
struct Matcher {
  size_t budget = kMaxMatches;
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> limits{pcre2_match_context_create(nullptr),
                                                                                   pcre2_match_context_free};
  // One pair suffices: only whether a match exists is asked (pcre2_match then returns 0, not -1).
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match{pcre2_match_data_create(1, nullptr),
                                                                            pcre2_match_data_free};
  Matcher() { pcre2_set_match_limit(limits.get(), 100'000); }  // a hostile regex costs a bounded amount of work
};

// Whether `earlier` matches inside the literal text of a later rule; compiles it on first use.
bool matches_literal(Seen& earlier, const std::string& literal, bool caseless, Matcher& matcher) {
  if (!earlier.free_of_context || matcher.budget == 0) return false;
  --matcher.budget;
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
  return pcre2_match(earlier.code.get(), reinterpret_cast<PCRE2_SPTR>(literal.data()), literal.size(), 0, 0,
                     matcher.match.get(), matcher.limits.get()) >= 0;
}

void report(const Model& model, const PatternLine& earlier, const PatternLine& later, bool replies, bool everything,
            Findings& out) {
  const bool same = earlier.result == later.result;
  const std::string by = earlier.star ? std::string("the catch-all line '*'")
                                      : fmt::format("the earlier rule /{}/{}", earlier.regex,
                                                    everything ? ", which matches everything" : "");
  Diagnostic& diag = out.add(model.where(*later.directive),
                  fmt::format("this rule can never take effect: every {} it matches is matched first by {}{}; the "
                              "first match wins, so PMTA applies '{}'{}",
                              replies ? "reply" : "text", by, same ? " with the same result" : "",
                              earlier.result, same ? " and this line is redundant" : " instead of '" + std::string(later.result) + "'"));
  diag.notes.push_back({model.where(*earlier.directive), everything ? "the catch-all rule" : "the earlier, broader rule"});
}

// Literal runs every match of the line's regex contains (the whole text for a plain literal).
std::vector<std::string> required_text(std::string_view regex) {
  if (auto literal = literal_text(regex)) return {std::move(*literal)};
  return mandatory_literals(regex);
}

// A regex free of anchors and look-arounds that matches the empty string matches every text:
// `//`, `/@*/`, `/.*/`. One that requires some text cannot, and is not compiled to find out.
bool matches_everything(Seen& rule, const std::vector<std::string>& required, bool caseless, Matcher& matcher) {
  if (rule.line.star || rule.line.regex.empty()) return true;
  for (const std::string& text : required)
    if (!text.empty()) return false;
  return matches_literal(rule, std::string(), caseless, matcher);
}

void find_shadowed(const Model& model, Findings& out) {
  Matcher matcher;
  for (const ModelBlock& block : model.blocks()) {
    const bool replies = block.kind == "smtp-pattern-list";
    if (!block.known || (!replies && block.kind != "pattern-list" && block.kind != "bounce-category-patterns")) continue;
    std::vector<Seen> seen;
    std::unordered_map<std::string, size_t> first_with;  // selector + regex → index in seen
    std::unordered_map<std::string, size_t> all_for;     // selector → a rule matching everything
    std::unordered_map<std::string, std::vector<size_t>> with_selector;  // selector → indices in seen
    std::optional<size_t> star;                          // `* RESULT` line
    for (const uint32_t index : block.directives) {
      const ModelDirective& d = model.directives()[index];
      auto line = read_line(model, d);
      if (!line) continue;
      std::optional<size_t> by;
      bool everything = false;
      const std::vector<std::string> literals = line->star ? std::vector<std::string>() : required_text(line->regex);
      if (star) by = star, everything = true;
      else if (const auto it = all_for.find(line->selector); it != all_for.end()) by = it->second, everything = true;
      else if (const auto same = first_with.find(line->selector + '\n' + std::string(line->regex)); same != first_with.end())
        by = same->second;
      else {
        // Once the budget is spent no pair is tried: the scan itself would be quadratic.
        const auto same_selector = with_selector.find(line->selector);
        if (same_selector != with_selector.end() && matcher.budget > 0)
          for (const size_t i : same_selector->second) {
            if (by || matcher.budget == 0) break;
            for (const std::string& literal : literals)
              if (matches_literal(seen[i], literal, replies, matcher)) {
                by = i;
                break;
              }
          }
      }
      if (by) report(model, seen[*by].line, *line, replies, everything, out);
      const size_t at = seen.size();
      first_with.emplace(line->selector + '\n' + std::string(line->regex), at);
      const bool free_of_context = !context_sensitive(line->regex);
      if (free_of_context) with_selector[line->selector].push_back(at);
      seen.push_back({std::move(*line), free_of_context});
      if (seen.back().line.star) star = star.value_or(at);
      else if (!all_for.contains(seen.back().line.selector) && matches_everything(seen.back(), literals, replies, matcher))
        all_for.emplace(seen.back().line.selector, at);
    }
  }
}

}  // namespace

extern const Rule kUnreachableRule{
    .code = "PMT0212",
    .slug = "unreachable-rule",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A pattern rule that can never match because an earlier rule in the same list matches first",
    .why = "Reply rules of an `<smtp-pattern-list>`, the lines of a `<pattern-list>` and the patterns of "
           "`<bounce-category-patterns>` are tried in order and the first match wins. A rule after a "
           "catch-all (`// other`, `reply //`, `/@*/`, a sub-list's `* RESULT` line), after the same "
           "pattern, or after a broader pattern that is contained in every text it matches (`/quota/` "
           "before `/^452 .* quota exceeded/`) never takes effect, and its result is never applied. "
           "pmtalint reports a rule only when the shadowing is certain: the earlier pattern has no anchors "
           "or look-arounds and matches a literal that every match of the later pattern must contain. "
           "Move the narrower rule before the broader one, or delete it.",
    .bad = "<bounce-category-patterns>\n    /quota/ quota-issues\n    // other\n    /spam/ spam-related\n"
           "</bounce-category-patterns>\n",
    .good = "<bounce-category-patterns>\n    /quota/ quota-issues\n    /spam/ spam-related\n    // other\n"
            "</bounce-category-patterns>\n",
    .run = [](const CheckContext& ctx, Findings& out) { find_shadowed(ctx.model, out); },
};

}  // namespace pmtalint
