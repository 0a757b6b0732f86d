#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <iostream>

#include "base/text.h"
#include "checks/registry.h"
#include "checks/suggest.h"
#include "report/rule_docs.h"
#include "schema/knowledge.h"
#include "commands.h"

namespace pmtalint::cli {

int run_rules(const std::string& docs_dir) {
  if (!docs_dir.empty()) {
    for (const Rule* rule : all_rules()) {
      const std::string path = docs_dir + "/" + std::string(rule->slug) + ".md";
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << rule_markdown(*rule);
      if (!out.flush()) {
        std::cerr << "pmtalint: cannot write " << path << '\n';
        return kExitFailure;
      }
    }
    return kExitClean;
  }
  for (const Rule* rule : all_rules())
    std::cout << fmt::format("{:<8} {:<22} {:<8} {}\n", rule->code, rule->slug, severity_name(rule->severity),
                             rule->summary);
  return kExitClean;
}


void explain_directive(const DirectiveInfo& d) {
  std::cout << fmt::format("{}\n\n{}\n\n", d.name, d.description);
  std::cout << fmt::format("  value:      {}\n", d.value_text);
  std::cout << fmt::format("  where:      {}\n", describe_contexts(d.contexts));
  std::cout << fmt::format("  default:    {}\n", d.default_value.value_or("(none)"));
  std::cout << fmt::format("  repeatable: {}\n", d.repeatable ? "yes, each line adds a value" : "no");
  if (!d.aliases.empty()) std::cout << fmt::format("  also named: {}\n", fmt::join(d.aliases, ", "));
  if (d.since) std::cout << fmt::format("  since:      PowerMTA {}\n", d.since->str());
  if (d.removed) std::cout << fmt::format("  removed:    PowerMTA {}\n", d.removed->str());
  if (d.deprecated()) std::cout << fmt::format("  deprecated: use {}\n", *d.replacement);
  if (d.restart) std::cout << "  a change needs a restart, not a reload\n";
  if (d.restart_if) std::cout << "  a change needs a restart, not a reload, when " << *d.restart_if << '\n';
  std::cout << fmt::format("  source:     {}\n", d.source);
  if (d.example) std::cout << fmt::format("\nExample:\n\n    {}\n", *d.example);
}

void explain_block(const BlockInfo& b) {
  static constexpr std::string_view kArgument[] = {"none", "optional", "required"};
  std::cout << fmt::format("<{}>\n\n{}\n\n", b.name, b.description);
  std::cout << fmt::format("  argument:   {}\n", kArgument[static_cast<int>(b.argument)]);
  std::cout << fmt::format("  where:      {}\n", describe_contexts(b.parents));
  std::vector<std::string_view> inside;
  for (const auto& d : KnowledgeBase::get().directives())
    if (d.valid_in(b.name)) inside.push_back(d.name);
  if (!inside.empty()) std::cout << fmt::format("  directives: {}\n", fmt::join(inside, ", "));
  if (b.since) std::cout << fmt::format("  since:      PowerMTA {}\n", b.since->str());
  if (b.removed) std::cout << fmt::format("  removed:    PowerMTA {}\n", b.removed->str());
}

namespace {

// Did you mean: the real name of a known invention (`max-conn`), the nearest name by edit
// distance, or the names the topic is the start of (`max-smtp`).
std::string suggestion(std::string_view name, bool tag) {
  const auto& kb = KnowledgeBase::get();
  if (const InventedLine* line = kb.invented(name, "global", tag); line && !line->mention.empty())
    return fmt::format("; did you mean '{}'? ({})", line->mention, line->reason);
  std::vector<std::string_view> names;
  if (!tag)
    for (const auto& d : kb.directives()) names.push_back(d.name);
  for (const auto& b : kb.blocks()) names.push_back(b.name);
  if (!tag)
    for (const Rule* rule : all_rules()) names.push_back(rule->slug);
  if (const auto guess = closest(name, names)) return fmt::format("; did you mean '{}'?", *guess);
  std::vector<std::string_view> longer;
  const std::string prefix = to_lower(name) + "-";
  for (std::string_view n : names)
    if (n.starts_with(prefix) && longer.size() < 5) longer.push_back(n);
  if (longer.empty()) return "";
  return fmt::format("; did you mean {}?", fmt::join(longer, ", "));
}

}  // namespace

// Every topic, one a line: rule slugs, directives, <blocks> (for shell completion).
int run_explain_list() {
  for (const Rule* r : all_rules()) std::cout << r->slug << '\n';
  for (const auto& d : KnowledgeBase::get().directives()) std::cout << d.name << '\n';
  for (const auto& b : KnowledgeBase::get().blocks()) std::cout << '<' << b.name << ">\n";
  return kExitClean;
}

int run_explain(const std::string& topic) {
  const Rule* rule = find_rule(topic);
  if (!rule) {
    const auto& kb = KnowledgeBase::get();
    std::string_view name = topic;
    const bool tag = name.starts_with('<');
    if (tag) name = name.substr(1, name.size() - 1 - (name.ends_with('>') ? 1 : 0));
    if (const DirectiveInfo* d = tag ? nullptr : kb.directive(name)) {
      explain_directive(*d);
      return kExitClean;
    }
    if (const BlockInfo* b = kb.block(name)) {
      explain_block(*b);
      return kExitClean;
    }
    std::cerr << fmt::format("pmtalint: '{}' is neither a rule nor a PowerMTA directive or block{} (see 'pmtalint rules')\n",
                             topic, suggestion(name, tag));
    return kExitFailure;
  }
  std::cout << rule_markdown(*rule);
  return kExitClean;
}

}  // namespace pmtalint::cli
