#include "delivery/reply_rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include "base/text.h"
#include "schema/grammar.h"

namespace pmtalint::delivery {

struct ReplyRules::Compiled {
  ReplyAction action;
  pcre2_code* code = nullptr;
  pcre2_match_data* data = nullptr;
  pcre2_match_context* limits = nullptr;
  ~Compiled() {
    pcre2_match_context_free(limits);
    pcre2_match_data_free(data);
    pcre2_code_free(code);
  }
};

namespace {

std::optional<double> interval_after(std::string_view action, std::string_view key) {
  if (!action.starts_with(key)) return std::nullopt;
  const std::string_view value = action.substr(key.size());
  if (value == "never") return std::numeric_limits<double>::infinity();
  const auto seconds = parse_interval_seconds(value);
  return seconds ? std::optional<double>(static_cast<double>(*seconds)) : std::nullopt;
}

ReplyAction read_actions(std::string_view text) {
  ReplyAction a;
  for (const Field& f : split_fields(text, ',')) {
    const std::string action = to_lower(f.text);
    a.backoff |= action == "mode=backoff";
    a.normal |= action == "mode=normal";
    a.bounce_rcpt |= action == "bounce-rcpt";
    a.bounce_queue |= action == "bounce-queue";
    a.defer_queue |= action == "defer-queue";
    a.disable_source_ip |= action == "disable-source-ip";
    a.skip_mx |= action == "skip-mx";
    if (auto t = interval_after(action, "backoff-to-normal-after=")) a.backoff_to_normal_after = t;
    if (auto t = interval_after(action, "reenable-after=")) a.reenable_after = t;
  }
  return a;
}

}  // namespace

ReplyRules::ReplyRules(const Model& model, uint32_t block) : name_(model.block(block).argument) {
  for (const uint32_t index : model.block(block).directives) {
    const ModelDirective& d = model.directives()[index];
    if (!d.info || d.info->name != "reply") continue;
    const std::string_view value = model.value(d);
    if (check_value(d.info->value, value)) continue;  // invalid-value reports it; PMTA would not start
    const auto parts = split_regex_rule(value);
    if (!parts) continue;
    auto rule = std::make_unique<Compiled>();
    const std::string_view regex = parts->regex;
    int error = 0;
    PCRE2_SIZE offset = 0;
    rule->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(regex.data()), regex.size(), PCRE2_CASELESS, &error, &offset, nullptr);
    if (!rule->code) continue;
    rule->data = pcre2_match_data_create_from_pattern(rule->code, nullptr);
    rule->limits = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(rule->limits, 100'000);  // a pathological regex costs bounded work per reply
    rule->action = read_actions(parts->after);
    const SourceFile& file = model.workspace().file(d.file);
    rule->action.rule = fmt::format("{}:{} reply {}", file.path(), file.position(model.where(d).span.begin).line, trim(value));
    rules_.push_back(std::move(rule));
  }
}

ReplyRules::ReplyRules(ReplyRules&&) noexcept = default;
ReplyRules::~ReplyRules() = default;

const ReplyAction* ReplyRules::match(std::string_view reply) const {
  for (const auto& rule : rules_)
    if (pcre2_match(rule->code, reinterpret_cast<PCRE2_SPTR>(reply.data()), reply.size(), 0, 0, rule->data, rule->limits) >= 0)
      return &rule->action;
  return nullptr;
}

}  // namespace pmtalint::delivery
