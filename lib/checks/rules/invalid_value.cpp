#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/secrets.h"
#include "syntax/template_text.h"

namespace pmtalint {
namespace {

Span problem_span(const Node& node, const ValueProblem& p, size_t value_size) {
  if (node.continued || node.argument.empty()) {
    const uint32_t at = node.argument.empty() ? node.name.end : node.argument.begin;
    return {at, node.argument.empty() ? at : node.argument.end};
  }
  const auto begin = static_cast<uint32_t>(node.argument.begin + std::min(p.offset, value_size));
  const auto length = static_cast<uint32_t>(std::max<size_t>(p.length, 1));
  return {begin, std::min(begin + length, std::max(node.argument.end, begin + 1))};
}

std::optional<ValueProblem> check_block_argument(const BlockInfo& block, std::string_view argument) {
  if (block.argument == BlockArgument::Required && argument.empty())
    return ValueProblem{0, 0, fmt::format("'<{}>' needs an argument", block.name)};
  if (block.argument == BlockArgument::None && !argument.empty())
    return ValueProblem{0, argument.size(), fmt::format("'<{}>' takes no argument", block.name)};
  if (block.name == "domain") return check_domain_pattern(argument);
  if (block.name == "smtp-listener" || block.name == "transmissions-api-listener") {
    Grammar listener;
    listener.kind = GrammarKind::Listener;
    return check_value(listener, argument);
  }
  return std::nullopt;
}

// `/regex/ category` lines of <bounce-category-patterns>.
std::optional<ValueProblem> check_category_line(std::string_view line) {
  size_t close = 0;
  if (auto p = check_regex(line, close)) return p;
  std::string_view category = line.substr(close + 1);
  const size_t start = category.find_first_not_of(" \t");
  if (start == std::string_view::npos) return ValueProblem{0, line.size(), "the pattern has no category after it"};
  category.remove_prefix(start);
  if (category.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string_view::npos) {
    // Category names are free-form in real files and the block is not in the guide copy
    // (language-notes §10): a name of another shape is unverified, not known to be refused.
    const bool blank = category.find_first_of(" \t") != std::string_view::npos;
    ValueProblem p{close + 1 + start, category.size(),
                   blank ? fmt::format("'{}' is not one category name: a line is /regex/ CATEGORY", category)
                         : fmt::format("category '{}' has characters other than letters, digits, '-' and '_', the "
                                       "shape of every documented category; whether PowerMTA accepts it is unverified",
                                       category)};
    p.unverified = !blank;
    return p;
  }
  return std::nullopt;
}

void each_block(const CheckContext& ctx, uint32_t index, Findings& out) {
  const ModelBlock& b = ctx.model.block(index);
  const BlockInfo* block = KnowledgeBase::get().block(b.kind);
  const Node& node = ctx.model.node(b);
  if (!block || node.foreign != Foreign::None) return;
  const std::string_view argument = ctx.workspace.tree(b.file).argument(b.node);
  if (has_template_syntax(argument)) return;  // `<virtual-mta {{name}}>`: template-file reports the file
  const auto p = check_block_argument(*block, argument);
  if (!p) return;
  const Span span = argument.empty() ? node.head
                                     : Span{static_cast<uint32_t>(node.argument.begin + p->offset),
                                            static_cast<uint32_t>(node.argument.begin + p->offset + std::max<size_t>(p->length, 1))};
  out.add({b.file, span}, p->message);
}

// A regular expression broken over lines: the parser gave the directive the lines that continue
// it (its span runs past its head). One note per continuation line, no finding of their own.
void note_continuation(const CheckContext& ctx, const ModelDirective& md, Diagnostic& d) {
  const Node& node = ctx.model.node(md);
  if (node.span.end <= node.head.end) return;
  const std::string_view text = ctx.workspace.file(md.file).text();
  uint32_t at = node.head.end;
  while (at < node.span.end) {
    const size_t newline = text.find('\n', at);
    const uint32_t end = static_cast<uint32_t>(std::min<size_t>(newline == std::string_view::npos ? text.size() : newline, node.span.end));
    std::string_view line = text.substr(at, end - at);
    const size_t comment = line.find('#');
    if (comment != std::string_view::npos) line = line.substr(0, comment);
    const size_t lead = line.find_first_not_of(" \t\r");
    if (lead != std::string_view::npos) {
      const size_t last = line.find_last_not_of(" \t\r");
      d.notes.push_back({{md.file, {static_cast<uint32_t>(at + lead), static_cast<uint32_t>(at + last + 1)}},
                         "the pattern continues on this line, but PMTA reads one line per directive: write the "
                         "whole rule on one line"});
    }
    at = end + 1;
  }
}

void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  const Model& model = ctx.model;
  const Node& node = model.node(md);
  const std::string_view context = model.context(md);
  if (context == "bounce-category-patterns" && model.written_name(md).starts_with('/')) {
    const std::string_view line = model.text(md, node.head);
    if (auto p = check_category_line(line)) {
      const auto begin = static_cast<uint32_t>(node.head.begin + p->offset);
      note_continuation(ctx, md,
                        out.add(p->unverified ? Severity::Warning : Severity::Error,
                                {md.file, {begin, begin + static_cast<uint32_t>(std::max<size_t>(p->length, 1))}},
                                p->message));
    }
    return;
  }
  const DirectiveInfo* d = md.info;
  if (!d) return;
  if (d->value.kind == GrammarKind::PatternRule && context != "pattern-list") return;  // e.g. rewrite-list mail-from
  const std::string_view value = model.value(md);
  // A secret with nothing left once the comment is stripped (`password # to be set`): PMTA reads
  // the line without its argument. (`""`, which clears an inherited value, is a value.)
  if (d->value.kind == GrammarKind::Any && trim(value).empty() && is_secret_directive(d->name)) {
    const std::string_view line = ctx.workspace.file(md.file).text().substr(node.span.begin);
    const bool comment = line.substr(0, line.find('\n')).find('#') != std::string_view::npos;
    out.add({md.file, node.name}, fmt::format("'{}' has no value{}: a value is required", d->name,
                                              comment ? " (everything from '#' on is a comment, even a password)" : ""));
    return;
  }
  auto p = check_value(d->value, value);
  if (!p) return;
  std::string message = fmt::format("invalid value for '{}': {}", d->name, p->message);
  if (d->example) message += fmt::format(" (example: {})", *d->example);
  note_continuation(ctx, md,
                    out.add(p->unverified ? Severity::Warning : Severity::Error,
                            {md.file, problem_span(node, *p, value.size())}, std::move(message)));
}

}  // namespace

extern const Rule kInvalidValue{
    .code = "PMT0104",
    .slug = "invalid-value",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A value that does not match what the directive or block accepts",
    .why = "PMTA parses every value by type: times need a unit (`10m`, not `600`), rates are `N/unit` with "
           "units d, h, m, s (not `hour`), booleans are yes/no/true/false, `domain-key` has exactly three "
           "fields, and reply rules need a valid regular expression and known actions. A value PMTA "
           "cannot read stops it from starting. The message shows the expected form and an example. Forms seen "
           "in real configurations that the reference marks as unverified (an undocumented listener parameter "
           "such as `tls=no`, a bounce category with a dot) are warnings: PMTA may or may not accept them. A "
           "secret (`password`, `auth-password`, `api-key`, `http-api-key`, …) left empty, often because the "
           "value was a comment such as `password # to be set`, is reported too: `#` starts a comment "
           "anywhere on a line, and the guide says passwords cannot contain it.",
    .bad = "<domain *>\n    max-msg-rate 3000/hour\n    connect-timeout 60\n    use-starttls if-available\n</domain>\n",
    .good = "<domain *>\n    max-msg-rate 3000/h\n    connect-timeout 1m\n    use-starttls yes\n</domain>\n",
    .each_directive = each_directive,
    .each_block = each_block,
};

}  // namespace pmtalint
