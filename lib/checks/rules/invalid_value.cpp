#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"

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
  if (category.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string_view::npos)
    return ValueProblem{close + 1 + start, category.size(),
                        fmt::format("'{}' is not a category name (letters, digits, '-' and '_')", category)};
  return std::nullopt;
}

void each_block(const CheckContext& ctx, uint32_t index, Findings& out) {
  const ModelBlock& b = ctx.model.block(index);
  const BlockInfo* block = KnowledgeBase::get().block(b.kind);
  const Node& node = ctx.model.node(b);
  if (!block || node.foreign != Foreign::None) return;
  const std::string_view argument = ctx.workspace.tree(b.file).argument(b.node);
  const auto p = check_block_argument(*block, argument);
  if (!p) return;
  const Span span = argument.empty() ? node.head
                                     : Span{static_cast<uint32_t>(node.argument.begin + p->offset),
                                            static_cast<uint32_t>(node.argument.begin + p->offset + std::max<size_t>(p->length, 1))};
  out.add({b.file, span}, p->message);
}

void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  const Model& model = ctx.model;
  const Node& node = model.node(md);
  const std::string_view context = model.context(md);
  if (context == "bounce-category-patterns" && model.written_name(md).starts_with('/')) {
    const std::string_view line = model.text(md, node.head);
    if (auto p = check_category_line(line)) {
      const auto begin = static_cast<uint32_t>(node.head.begin + p->offset);
      out.add({md.file, {begin, begin + static_cast<uint32_t>(std::max<size_t>(p->length, 1))}}, p->message);
    }
    return;
  }
  const DirectiveInfo* d = md.info;
  if (!d) return;
  if (d->value.kind == GrammarKind::PatternRule && context != "pattern-list") return;  // e.g. rewrite-list mail-from
  const std::string_view value = model.value(md);
  auto p = check_value(d->value, value);
  if (!p) return;
  std::string message = fmt::format("invalid value for '{}': {}", d->name, p->message);
  if (d->example) message += fmt::format(" (example: {})", *d->example);
  out.add({md.file, problem_span(node, *p, value.size())}, std::move(message));
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
           "cannot read stops it from starting. The message shows the expected form and an example.",
    .bad = "<domain *>\n    max-msg-rate 3000/hour\n    connect-timeout 60\n    use-starttls if-available\n</domain>\n",
    .good = "<domain *>\n    max-msg-rate 3000/h\n    connect-timeout 1m\n    use-starttls yes\n</domain>\n",
    .each_directive = each_directive,
    .each_block = each_block,
};

}  // namespace pmtalint
