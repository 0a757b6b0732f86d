// Reply rules (smtp-pattern-list) and pattern-list lines are tried in order and the first match
// wins, so a rule that only matches what an earlier rule already matches never takes effect.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <memory>
#include <optional>

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
  const size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  size_t closing = 0;
  if (check_regex(value.substr(slash), closing)) return std::nullopt;
  std::string selector = to_lower(model.name(d));
  if (selector == "header") selector += " " + to_lower(trim(value.substr(0, slash)));
  return PatternLine{&d, std::move(selector), value.substr(slash + 1, closing - 1), trim(value.substr(slash + closing + 1))};
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

// Whether every text that contains a match of `later` also contains a match of `earlier`:
// true when `earlier` is empty, identical, or free of anchors and look-arounds and matches the
// literal that `later` is. Other cases are not decided and count as not shadowed.
bool covers(std::string_view earlier, std::string_view later, bool caseless) {
  if (earlier.empty() || earlier == later) return true;
  const auto literal = literal_text(later);
  if (!literal) return false;
  for (std::string_view context_sensitive : {"^", "$", "\\b", "\\B", "\\A", "\\z", "\\Z", "\\G", "(?", "\\K"})
    if (earlier.find(context_sensitive) != std::string_view::npos) return false;
  int error = 0;
  PCRE2_SIZE offset = 0;
  std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)> code(
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(earlier.data()), earlier.size(), caseless ? PCRE2_CASELESS : 0, &error,
                    &offset, nullptr),
      pcre2_code_free);
  if (!code) return false;
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
      pcre2_match_data_create_from_pattern(code.get(), nullptr), pcre2_match_data_free);
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> limits(pcre2_match_context_create(nullptr),
                                                                                   pcre2_match_context_free);
  pcre2_set_match_limit(limits.get(), 100'000);  // a hostile regex costs a bounded amount of work
  return pcre2_match(code.get(), reinterpret_cast<PCRE2_SPTR>(literal->data()), literal->size(), 0, 0, match.get(),
                     limits.get()) >= 0;
}

}  // namespace

void find_shadowed_patterns(const Model& model, std::vector<Diagnostic>& out) {
  for (const ModelBlock& block : model.blocks()) {
    const bool replies = block.kind == "smtp-pattern-list";
    if (!block.known || (!replies && block.kind != "pattern-list")) continue;
    std::vector<PatternLine> lines;
    for (const uint32_t index : block.directives) {
      const ModelDirective& d = model.directives()[index];
      if (!d.info) continue;
      auto line = read_line(model, d);
      if (!line) continue;
      for (const PatternLine& earlier : lines) {
        if (earlier.selector != line->selector || !covers(earlier.regex, line->regex, replies)) continue;
        const bool same = earlier.result == line->result;
        Diagnostic diag{"rate-conflict", Severity::Warning, model.where(d),
                        fmt::format("this rule never takes effect: every {} it matches is matched first by the "
                                    "earlier rule /{}/{}; PMTA applies '{}'{}",
                                    replies ? "reply" : "message", earlier.regex, same ? " with the same result" : "",
                                    earlier.result, same ? ", so this line is redundant" : " instead of '" + std::string(line->result) + "'"),
                        {}, {}};
        diag.notes.push_back({model.where(*earlier.directive), "the earlier, broader rule"});
        out.push_back(std::move(diag));
        break;
      }
      lines.push_back(std::move(*line));
    }
  }
}

}  // namespace pmtalint
