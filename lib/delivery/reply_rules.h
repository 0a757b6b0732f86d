#pragma once
// An <smtp-pattern-list> compiled for the engine: each `reply /regex/ actions` rule with its
// PCRE2 code, tried in order, first match wins — what PMTA does with every reply it gets.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace pmtalint::delivery {

struct ReplyAction {
  bool backoff = false;            // mode=backoff
  bool normal = false;             // mode=normal
  bool bounce_rcpt = false;
  bool bounce_queue = false;
  bool defer_queue = false;
  bool disable_source_ip = false;
  bool skip_mx = false;
  std::optional<double> backoff_to_normal_after;  // seconds; the rule's own, over the queue's
  std::optional<double> reenable_after;
  std::string rule;                // "config:41 reply /421 4\.7\.0/ mode=backoff", for reports
};

class ReplyRules {
 public:
  // The `reply` rules of the list; rules PMTA would reject (invalid-value) are left out.
  ReplyRules(const Model& model, uint32_t block);
  ReplyRules(ReplyRules&&) noexcept;
  ~ReplyRules();

  // The first rule matching the reply text ("421 4.7.0 [TSS04] …"), if any.
  const ReplyAction* match(std::string_view reply) const;
  const std::string& name() const { return name_; }

 private:
  struct Compiled;
  std::string name_;
  std::vector<std::unique_ptr<Compiled>> rules_;
};

}  // namespace pmtalint::delivery
