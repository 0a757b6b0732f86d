#include <fmt/format.h>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/rule_lines.h"

namespace pmtalint {
namespace {

void report(const Tree& tree, FileId file, const Node& node, Findings& out) {
  const std::string_view name = tree.text(node.name);
  const std::string lower = to_lower(name);
  Diagnostic& d = out.add({file, node.name},
                          fmt::format("'{}' works (keywords ignore case) but is written '{}' everywhere else", name, lower));
  d.fix = Fix{fmt::format("write '{}'", lower), {TextEdit{{file, node.name}, lower}}, /*safe=*/true};
  if (node.kind == NodeKind::Block && !node.close.empty()) {
    const std::string_view close = tree.text(node.close);
    const size_t at = close.find(name.size() ? name.front() : '\0', 2);
    if (at != std::string_view::npos && iequals(close.substr(at, name.size()), name))
      d.fix->edits.push_back({{file, {node.close.begin + static_cast<uint32_t>(at),
                                      node.close.begin + static_cast<uint32_t>(at + name.size())}}, lower});
  }
}

void each_directive(const CheckContext& ctx, const ModelDirective& d, Findings& out) {
  if (!d.info || !has_upper(ctx.model.written_name(d)) || is_rule_line(ctx.model, d)) return;
  report(ctx.workspace.tree(d.file), d.file, ctx.model.node(d), out);
}

void each_block(const CheckContext& ctx, uint32_t index, Findings& out) {
  const ModelBlock& b = ctx.model.block(index);
  if (!has_upper(ctx.model.written_name(b)) || !KnowledgeBase::get().block(b.kind)) return;
  report(ctx.workspace.tree(b.file), b.file, ctx.model.node(b), out);
}

}  // namespace

extern const Rule kNonLowercaseKeyword{
    .code = "PMT0107",
    .slug = "non-lowercase-keyword",
    .severity = Severity::Info,
    .origin = RuleOrigin::Check,
    .summary = "A keyword or tag written with capitals",
    .why = "PMTA matches keywords without regard to case, so `Pickup` and `<Domain *>` work. Every "
           "document and example writes them in lower case, though, and mixed spellings make a "
           "configuration hard to search (`grep max-smtp-out` misses `Max-SMTP-Out`). The fix lower-cases "
           "the keyword, and both tags of a block.",
    .bad = "<Domain *>\n    Max-SMTP-Out 20\n</Domain>\n",
    .good = "<domain *>\n    max-smtp-out 20\n</domain>\n",
    .each_directive = each_directive,
    .each_block = each_block,
};

}  // namespace pmtalint
