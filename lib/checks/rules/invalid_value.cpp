#include <fmt/format.h>

#include "checks/rule.h"
#include "checks/walk.h"

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

void run(const CheckContext& ctx, std::vector<Diagnostic>& out) {
  const auto& kb = KnowledgeBase::get();
  walk(ctx.workspace, ctx.model.roots(), [&](const Visit& v) {
    if (v.node.kind == NodeKind::Block) {
      const BlockInfo* block = kb.block(v.name());
      if (!block || v.node.foreign != Foreign::None) return;
      const std::string_view argument = v.tree.argument(v.id);
      if (auto p = check_block_argument(*block, argument)) {
        const Span span = argument.empty() ? v.node.head
                                           : Span{static_cast<uint32_t>(v.node.argument.begin + p->offset),
                                                  static_cast<uint32_t>(v.node.argument.begin + p->offset +
                                                                        std::max<size_t>(p->length, 1))};
        out.push_back({"invalid-value", Severity::Error, v.at(span), p->message, {}, {}});
      }
      return;
    }
    if (v.node.kind != NodeKind::Directive) return;
    if (v.context == "bounce-category-patterns" && v.name().starts_with('/')) {
      const std::string_view line = v.tree.text(v.node.head);
      if (auto p = check_category_line(line)) {
        const auto begin = static_cast<uint32_t>(v.node.head.begin + p->offset);
        out.push_back({"invalid-value", Severity::Error, v.at({begin, begin + static_cast<uint32_t>(std::max<size_t>(p->length, 1))}),
                       p->message, {}, {}});
      }
      return;
    }
    const DirectiveInfo* d = kb.directive(v.name());
    if (!d) return;
    if (d->value.kind == GrammarKind::PatternRule && v.context != "pattern-list") return;  // e.g. rewrite-list mail-from
    const std::string_view value = v.tree.value(v.id);
    auto p = check_value(d->value, value);
    if (!p) return;
    std::string message = fmt::format("invalid value for '{}': {}", d->name, p->message);
    if (d->example) message += fmt::format(" (example: {})", *d->example);
    out.push_back({"invalid-value", Severity::Error, v.at(problem_span(v.node, *p, value.size())), std::move(message), {}, {}});
  });
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
    .run = run,
};

}  // namespace pmtalint
