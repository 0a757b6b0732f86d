#include <fmt/format.h>

#include <unordered_map>

#include "base/text.h"
#include "checks/rule.h"

namespace pmtalint {
namespace {

// Record types have a short and a long name (language-notes §9); both name the same type.
std::string record_type(std::string_view word) {
  static constexpr std::pair<std::string_view, std::string_view> kLong[] = {
      {"delivery", "d"}, {"bounce", "b"},        {"transient", "t"},      {"transient-queue", "tq"},
      {"receipt", "r"},  {"feedback-loop", "f"}, {"remote-bounce", "rb"}, {"remote-status", "rs"}};
  std::string lower = to_lower(word);
  for (const auto& [long_name, short_name] : kLong)
    if (lower == long_name) return std::string(short_name);
  return lower;
}

// What the repeated line does, in the reference's words where it has them.
std::string consequence(const DirectiveInfo& d) {
  if (d.on_repeat) return fmt::format("{} ({})", *d.on_repeat, d.on_repeat_source.value_or(d.source));
  return "the PowerMTA documentation does not say which of the two values applies, so keep one";
}

// Per block: the block's own directives (from every file it spans) are all in the model.
void each_block_or_top(const Model& model, uint32_t index, Findings& out) {
  const ModelBlock& b = model.block(index);
  if (!b.known) return;
  if (const BlockInfo* block = KnowledgeBase::get().block(b.kind); block && block->line_syntax) return;
  std::unordered_map<const DirectiveInfo*, const ModelDirective*> first;
  std::unordered_map<std::string, const ModelDirective*> first_key;  // name + '\n' + first field
  for (const uint32_t i : b.directives) {
    const ModelDirective& md = model.directives()[i];
    const DirectiveInfo* d = md.info;
    if (!d || !d->valid_in(b.kind) || model.node(md).foreign != Foreign::None) continue;
    if (d->repeatable && d->repeat_distinct) {
      // Each line adds an entry named by its first field: a domain-macro NAME, a record type.
      const auto words = model.words(md);
      if (words.empty()) continue;
      const std::string_view field = model.text(md, words[0].span);
      const bool records = d->name == "record-fields";
      const std::string key = d->name + '\n' + (records ? record_type(field) : to_lower(field));
      auto [it, inserted] = first_key.try_emplace(key, &md);
      if (inserted) continue;
      Diagnostic& diag = out.add(
          {md.file, words[0].span},
          records ? fmt::format("record-fields for record type '{}' is already given in this accounting file; the "
                                "reference allows one record-fields line per record type, so merge the field lists",
                                field)
                  : fmt::format("domain-macro '{}' is already defined; each macro needs its own name, and the "
                                "PowerMTA documentation does not say which definition applies, so merge the lists",
                                field));
      diag.notes.push_back({model.where(*it->second), "first defined here"});
      continue;
    }
    if (d->repeatable) continue;
    auto [it, inserted] = first.try_emplace(d, &md);
    if (inserted) continue;
    Diagnostic& diag = out.add(model.where(md), fmt::format("'{}' is already set in this block: {}", d->name, consequence(*d)));
    diag.notes.push_back({model.where(*it->second), "first set here"});
  }
}

// `domain-macro NAME a.com, b.com, a.com`: the same value twice in one macro.
void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  if (!md.info || md.info->name != "domain-macro") return;
  const Model& model = ctx.model;
  const auto words = model.words(md);
  std::unordered_map<std::string, Location> seen;
  for (size_t w = 1; w < words.size(); ++w) {
    const std::string_view word = model.text(md, words[w].span);
    for (const Field& f : split_fields(word, ',')) {
      if (f.text.empty()) continue;
      const auto begin = static_cast<uint32_t>(words[w].span.begin + f.offset);
      const Location at{md.file, {begin, begin + static_cast<uint32_t>(f.text.size())}};
      auto [it, inserted] = seen.try_emplace(to_lower(f.text), at);
      if (inserted) continue;
      Diagnostic& diag = out.add(at, fmt::format("'{}' is listed twice in domain-macro '{}'; remove one",
                                                 f.text, model.text(md, words[0].span)));
      diag.notes.push_back({it->second, "first listed here"});
    }
  }
}

void run(const CheckContext& ctx, Findings& out) {
  for (uint32_t b = 0; b < ctx.model.blocks().size(); ++b) each_block_or_top(ctx.model, b, out);
}

}  // namespace

extern const Rule kDuplicateDirective{
    .code = "PMT0106",
    .slug = "duplicate-directive",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A single-valued directive given twice in a block, or a repeat where each line must differ",
    .why = "Most directives hold one value per block. The PowerMTA documentation does not say which value "
           "applies when one is written twice (a few cases are documented: `records` once per accounting "
           "file, one `pattern-list` per source, one `smtp-pattern-list` per queue, one `pickup` directory), "
           "so the file no longer says what it does. The usual cause is a block edited by several people or "
           "assembled from snippets. Directives that add to a list (`smtp-source-host`, `domain-key`, "
           "`include`, `postmaster`, `domain` in `<address-list>`, …) may repeat; `domain-macro` may repeat "
           "with different names and `record-fields` once per record type, and a macro should not list the "
           "same domain twice.",
    .bad = "<domain gmail.com>\n    max-smtp-out 10\n    max-msg-rate 100/h\n    max-smtp-out 20\n</domain>\n"
           "domain-macro yahoo yahoo.com, ymail.com, yahoo.com\n",
    .good = "<domain gmail.com>\n    max-smtp-out 20\n    max-msg-rate 100/h\n</domain>\n"
            "domain-macro yahoo yahoo.com, ymail.com\n",
    .run = run,
    .each_directive = each_directive,
};

}  // namespace pmtalint
