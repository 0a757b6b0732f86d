// Hover, completion, quick fixes and formatting: what the knowledge base says about the text
// under the cursor, and edits that never change what PMTA reads.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"
#include "checks/registry.h"
#include "lsp/protocol.h"
#include "model/effective.h"
#include "schema/knowledge.h"
#include "syntax/format.h"

namespace pmtalint::lsp {

namespace {

std::string context_of(const NodeAt& at) {
  if (at.block == kNoNode) return "global";
  return to_lower(at.tree->name(at.block));
}

std::string directive_markdown(const DirectiveInfo& d) {
  std::string out = fmt::format("**{}** `{}`\n\n{}\n\n", d.name, d.value_text, d.description);
  out += "Accepted " + describe_contexts(d.contexts) + ".";
  if (d.default_value) out += fmt::format(" Default: `{}`.", *d.default_value);
  if (d.repeatable) out += " May be given several times.";
  if (d.deprecated()) out += fmt::format("\n\nDeprecated: use {}.", *d.replacement);
  if (d.since) out += fmt::format("\n\nSince PowerMTA {}.", d.since->str());
  if (d.example) out += fmt::format("\n\n```\n{}\n```", *d.example);
  return out;
}

std::string block_markdown(const BlockInfo& b) {
  std::string out = fmt::format("**<{}>**\n\n{}", b.name, b.description);
  if (!b.parents.empty()) out += "\n\nAllowed " + describe_contexts(b.parents) + ".";
  return out;
}

json markdown(std::string text) { return {{"kind", "markdown"}, {"value", std::move(text)}}; }

// What `show settings` would say of the queue a <domain> tag configures, from the same
// resolution (queue-to; rollups by MX are only noted: the editor does not look up DNS).
std::string queue_markdown(const Model& model, const Tree& tree, NodeId block) {
  const Node& n = tree.node(block);
  const std::string written = to_lower(trim(tree.file().text().substr(n.argument.begin, n.argument.size())));
  if (written.empty() || written.find('$') != std::string::npos) return "";
  const std::string domain = parse_domain_pattern(written).representative();
  std::string vmta;
  if (n.parent != kNoNode && tree.node(n.parent).kind == NodeKind::Block) {
    const std::string owner = to_lower(tree.name(n.parent));
    const Node& p = tree.node(n.parent);
    if (owner == "virtual-mta" || owner == "virtual-mta-pool")
      vmta = std::string(trim(tree.file().text().substr(p.argument.begin, p.argument.size())));
  }
  const QueueSettings q = effective_settings(model, domain, vmta);
  std::string out = fmt::format("**Queue** `{}/{}` for {}\n\n", q.queue, q.vmta,
                                written == domain ? domain : fmt::format("a domain matching `{}` (computed for {})", written, domain));
  for (const ModelDirective* hop : q.routing) {
    const Location at = model.where(*hop);
    const SourceFile& file = model.workspace().file(at.file);
    out += fmt::format("queue-to at {}:{}\n\n", file.path(), file.position(at.span.begin).line);
  }
  for (const std::string& note : q.notes) out += note + "\n\n";
  out += "| setting | value |\n|---|---|\n";
  for (std::string_view name : {"max-smtp-out", "backoff-max-smtp-out", "max-msg-rate", "backoff-max-msg-rate", "max-connect-rate",
                                "max-msg-per-connection", "retry-after", "bounce-after", "smtp-pattern-list"})
    if (const EffectiveSetting* s = q.find(name)) out += fmt::format("| {} | `{}`{} |\n", name, s->value, s->directive ? "" : " (default)");
  return out;
}

}  // namespace

json hover(const Analysis& a, const TextDocument& doc, const json& params) {
  const size_t offset = doc.offset(position_from(params.at("position")));
  const NodeAt at = node_at(a, offset);
  if (at.node == kNoNode) return nullptr;
  const Tree& tree = *at.tree;
  const Node& n = tree.node(at.node);
  const auto& kb = KnowledgeBase::get();
  const auto in = [&](Span s) { return s.begin <= offset && offset <= s.end; };
  if (in(n.name)) {
    std::string text;
    if (n.kind == NodeKind::Directive) {
      if (const DirectiveInfo* d = kb.directive(tree.name(at.node))) text = directive_markdown(*d);
    } else if (const BlockInfo* b = kb.block(tree.name(at.node))) {
      text = block_markdown(*b);
    }
    if (text.empty()) return nullptr;
    return {{"contents", markdown(std::move(text))}, {"range", range_json(doc, n.name.begin, n.name.end)}};
  }
  if (n.kind == NodeKind::Block && in(n.argument) && to_lower(tree.name(at.node)) == "domain")
    if (std::string text = queue_markdown(a.model(), tree, at.node); !text.empty())
      return {{"contents", markdown(std::move(text))}, {"range", range_json(doc, n.argument.begin, n.argument.end)}};
  // A name in a value or tag argument: show where (and how) it is defined.
  const auto where = definition_at(a, doc, offset);
  if (!where) return nullptr;
  const SourceFile& file = a.workspace().file(where->file);
  const uint32_t line = file.position(where->span.begin).line;
  return {{"contents", markdown(fmt::format("Defined at {}:{}\n\n```\n{}\n```", file.path(), line,
                                            trim(file.line_text(line))))}};
}

json completion(const Analysis& a, const TextDocument& doc, const json& params) {
  const size_t offset = doc.offset(position_from(params.at("position")));
  const std::string_view text = doc.text();
  const size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1) == std::string_view::npos
                                ? 0
                                : text.rfind('\n', offset - 1) + 1;
  const std::string_view prefix = text.substr(line_start, offset - line_start);
  const std::string_view typed = prefix.substr(std::min(prefix.size(), prefix.find_first_not_of(" \t")));
  const NodeAt at = node_at(a, offset);
  const std::string context = context_of(at);
  const auto& kb = KnowledgeBase::get();
  json items = json::array();
  auto add = [&](std::string label, int kind, std::string detail, std::string doc_text = "") {
    json item{{"label", std::move(label)}, {"kind", kind}, {"detail", std::move(detail)}};
    if (!doc_text.empty()) item["documentation"] = markdown(std::move(doc_text));
    items.push_back(std::move(item));
  };
  // CompletionItemKind: 6 Variable, 7 Class, 10 Property, 12 Value, 14 Keyword, 21 Constant.
  if (typed.find_first_of(" \t") == std::string_view::npos && !typed.starts_with('$')) {
    if (typed.starts_with('<')) {
      if (context != "global") add("</" + context + ">", 14, "close the enclosing block");
      for (const BlockInfo& b : kb.blocks())
        if (std::find(b.parents.begin(), b.parents.end(), context) != b.parents.end())
          add("<" + b.name, 7, "block", block_markdown(b));
      return items;
    }
    for (const DirectiveInfo& d : kb.directives())
      if (d.valid_in(context) && !d.deprecated()) add(d.name, 10, d.value_text, directive_markdown(d));
    return items;
  }
  const Model& model = a.model();
  const size_t word_begin = prefix.find_last_of(" \t,=") == std::string_view::npos ? 0 : prefix.find_last_of(" \t,=") + 1;
  if (prefix.substr(word_begin).find('$') != std::string_view::npos) {
    for (const DomainMacro& m : model.macros()) {
      std::string values;
      for (const std::string& v : m.values) values += (values.empty() ? "" : ", ") + v;
      add(m.name, 6, "domain-macro", values);
    }
    return items;
  }
  const std::string keyword = to_lower(typed.substr(0, typed.find_first_of(" \t")));
  std::vector<std::string_view> kinds;
  if (keyword == "default-virtual-mta" || keyword == "reroute-to-virtual-mta" || keyword == "backoff-reroute-to-virtual-mta" ||
      keyword == "invalid-virtual-mta-fallback")
    kinds = {"virtual-mta", "virtual-mta-pool"};
  else if (keyword == "virtual-mta" || keyword == "cold-virtual-mta") kinds = {"virtual-mta"};
  else if (keyword == "smtp-pattern-list" || keyword == "pattern-list" || keyword == "rewrite-list" ||
           keyword == "source-group")
    kinds = {keyword};
  else if (keyword == "use-proxy") kinds = {"proxy"};
  else if (keyword == "source" && (context == "smtp-user" || context == "smtp-listener")) kinds = {"source"};
  else if (prefix.ends_with("virtual-mta=")) kinds = {"virtual-mta", "virtual-mta-pool"};
  std::set<std::string> seen;
  for (std::string_view kind : kinds)
    for (std::string_view name : model.defined_names(kind))
      if (seen.insert(std::string(name)).second) add(std::string(name), 21, "<" + std::string(kind) + ">");
  if (!kinds.empty()) return items;
  if (const DirectiveInfo* d = kb.directive(keyword)) {
    if (d->value.kind == GrammarKind::Boolean)
      for (const char* v : {"yes", "no"}) add(v, 12, d->name);
    else if (d->value.kind == GrammarKind::Enum || d->value.kind == GrammarKind::EnumList)
      for (const std::string& v : d->value.values) add(v, 12, d->name);
    if (d->value.unlimited) add("unlimited", 12, d->name);
    if (d->value.never) add("never", 12, d->name);
  }
  return items;
}

namespace {

// Whether the client asked for this kind of action (no `only`: every kind).
bool wants(const json& params, std::string_view kind) {
  if (!params.contains("context") || !params["context"].contains("only")) return true;
  for (const json& only : params["context"]["only"]) {
    const std::string k = only.get<std::string>();
    if (kind == k || kind.starts_with(k + ".")) return true;
  }
  return false;
}

// Every safe fix of the document at once (what `pmtalint config --fix` applies to this file).
json fix_all(const Analysis& a, const TextDocument& doc) {
  std::vector<const Diagnostic*> chosen;
  for (const Diagnostic& d : a.diagnostics())
    if (d.fix && d.fix->safe && !d.fix->edits.empty() &&
        std::all_of(d.fix->edits.begin(), d.fix->edits.end(), [&](const TextEdit& e) { return e.where.file == a.document(); }))
      chosen.push_back(&d);
  std::sort(chosen.begin(), chosen.end(),
            [](const Diagnostic* x, const Diagnostic* y) { return x->where.span.begin < y->where.span.begin; });
  std::vector<Span> taken;
  json edits = json::array();
  for (const Diagnostic* d : chosen) {
    const bool overlaps = std::any_of(d->fix->edits.begin(), d->fix->edits.end(), [&](const TextEdit& e) {
      return std::any_of(taken.begin(), taken.end(), [&](Span t) { return !(e.where.span.end <= t.begin || t.end <= e.where.span.begin); });
    });
    if (overlaps) continue;
    for (const TextEdit& e : d->fix->edits) {
      taken.push_back(e.where.span);
      edits.push_back({{"range", range_json(doc, e.where.span.begin, e.where.span.end)}, {"newText", e.replacement}});
    }
  }
  if (edits.empty()) return nullptr;
  return {{"title", "Fix all safely fixable pmtalint findings"},
          {"kind", "source.fixAll.pmtalint"},
          {"edit", {{"changes", {{doc.uri(), std::move(edits)}}}}}};
}

}  // namespace

json code_actions(const Analysis& a, const TextDocument& doc, const json& params) {
  if (!wants(params, "quickfix")) {
    json actions = json::array();
    if (wants(params, "source.fixAll.pmtalint"))
      if (json all = fix_all(a, doc); !all.is_null()) actions.push_back(std::move(all));
    return actions;
  }
  const json& range = params.at("range");
  const size_t from = doc.offset(position_from(range.at("start"))), to = doc.offset(position_from(range.at("end")));
  json actions = json::array();
  std::set<std::pair<std::string, uint32_t>> suppressions;
  for (const Diagnostic& d : a.diagnostics()) {
    if (d.where.file != a.document() || d.where.span.end < from || d.where.span.begin > to) continue;
    const json diag = diagnostic_json(a, doc, d);
    if (d.fix) {
      json edits = json::array();
      bool local = true;
      for (const TextEdit& e : d.fix->edits) {
        local &= e.where.file == a.document();
        edits.push_back({{"range", range_json(doc, e.where.span.begin, e.where.span.end)}, {"newText", e.replacement}});
      }
      if (local)
        actions.push_back({{"title", d.fix->title},
                           {"kind", "quickfix"},
                           {"isPreferred", true},
                           {"diagnostics", {diag}},
                           {"edit", {{"changes", {{doc.uri(), std::move(edits)}}}}}});
    }
    const Rule* rule = find_rule(d.rule);
    if (!rule || !rule->suppressible) continue;
    const Position p = doc.position(d.where.span.begin);
    if (!suppressions.emplace(std::string(d.rule), p.line).second) continue;
    // A comment alone on the line above covers the next directive; the reason is left to fill in.
    const size_t line_start = doc.offset({p.line, 0});
    const std::string_view line = std::string_view(doc.text()).substr(line_start);
    const std::string indent(line.substr(0, line.find_first_not_of(" \t")));
    const std::string comment = fmt::format("{}# pmtalint: disable={} -- REASON\n", indent, d.rule);
    actions.push_back({{"title", fmt::format("Suppress {} here (with a reason)", d.rule)},
                       {"kind", "quickfix"},
                       {"diagnostics", {diag}},
                       {"edit", {{"changes", {{doc.uri(), {{{"range", range_json(doc, line_start, line_start)}, {"newText", comment}}}}}}}}});
  }
  if (params.contains("context") && params["context"].contains("only") && wants(params, "source.fixAll.pmtalint"))
    if (json all = fix_all(a, doc); !all.is_null()) actions.push_back(std::move(all));
  return actions;
}

namespace {

json indent_edits(const Analysis& a, const TextDocument& doc, const json& params, uint32_t first, uint32_t last) {
  const json options = params.value("options", json::object());
  const IndentStyle style{options.value("tabSize", 4), !options.value("insertSpaces", true)};
  json edits = json::array();
  for (const IndentEdit& e : reindent(a.workspace().tree(a.document()), style, first, last))
    edits.push_back({{"range", range_json(doc, e.span.begin, e.span.end)}, {"newText", e.text}});
  return edits;
}

}  // namespace

// Re-indents directive, tag and comment lines by block depth (lib/syntax/format, as `pmtalint
// format` does). Only leading blanks change, and PMTA ignores those.
json formatting(const Analysis& a, const TextDocument& doc, const json& params) {
  return indent_edits(a, doc, params, 1, std::numeric_limits<uint32_t>::max());
}

// The same for the lines a range touches (LSP lines are 0-based, ours 1-based).
json range_formatting(const Analysis& a, const TextDocument& doc, const json& params) {
  const Position start = position_from(params.at("range").at("start"));
  Position end = position_from(params.at("range").at("end"));
  // A selection ending at column 0 of a line does not include that line.
  if (end.character == 0 && end.line > start.line) --end.line;
  return indent_edits(a, doc, params, start.line + 1, end.line + 1);
}

}  // namespace pmtalint::lsp
