#pragma once
// Where secrets sit in the files (SMTP AUTH passwords, API keys, vault tokens), so that every
// output that shows source text can mask them. Findings never quote these values. A secret
// directive's value is secret to the end of its line, comment included: PMTA cuts a value at
// '#', so `password "S3cr3t#PART2"` leaves half the password in what reads as a comment.
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "syntax/workspace.h"

namespace pmtalint {

class Redactions {
 public:
  // Only files that a finding or note points into are scanned: nothing else is ever shown.
  static Redactions find(const Workspace& workspace, const std::vector<Diagnostic>& shown);
  // `line` is the text of the line starting at byte `line_start` of `file`. Each secret byte
  // becomes '*' (columns stay aligned for the underline).
  std::string mask(FileId file, uint32_t line_start, std::string_view line) const;
  // The same line with each secret replaced by the fixed text "<secret>", so that nothing of
  // the secret, not even its length, is left (baseline fingerprints hash this).
  std::string redact(FileId file, uint32_t line_start, std::string_view line) const;

 private:
  std::vector<std::vector<Span>> secret_spans_;  // per file, in order
};

bool is_secret_directive(std::string_view keyword);

}  // namespace pmtalint
