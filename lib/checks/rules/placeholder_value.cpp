// Values left in from a tutorial or a generated example: `1.2.3.X`, `YOUR_IP`,
// `mail.your-domain.com`, `password changeme`. The forms come from the web examples collected
// in the reference (not-pmta.tsv: `mail.yourdomain.com`, `@yourdomain.com`,
// `your_strong_password`; language-notes §1: `password "changeme"` of an old sample config).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "base/text.h"
#include "checks/rule.h"
#include "checks/secrets.h"

namespace pmtalint {
namespace {

bool digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }
bool letters(std::string_view s) {
  return !s.empty() && s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char c) { return ascii_lower(c) >= 'a' && ascii_lower(c) <= 'z'; });
}

// `1.2.3.X`, `192.168.1.xxx`, `x.x.x.x`: a dotted quad with letters where digits belong.
bool letter_address(std::string_view word) {
  word = word.substr(0, word.find('/'));
  if (const size_t colon = word.rfind(':'); colon != std::string_view::npos && digits(word.substr(colon + 1)))
    word = word.substr(0, colon);
  if (word.starts_with('[') && word.ends_with(']')) word = word.substr(1, word.size() - 2);
  // Most words are not dotted quads: rule them out before splitting allocates.
  if (std::count(word.begin(), word.end(), '.') != 3) return false;
  const auto parts = split_fields(word, '.');
  if (parts.size() != 4) return false;
  size_t numbers = 0, xs = 0;
  for (const Field& p : parts) {
    if (digits(p.text)) ++numbers;
    else if (!letters(p.text)) return false;
    else if (to_lower(p.text).find_first_not_of('x') == std::string::npos) ++xs;
  }
  return (numbers >= 2 && numbers < 4) || xs == 4;
}

// Placeholder words, matched case-insensitively at the start of a name segment.
constexpr std::array<std::string_view, 18> kYour = {
    "domain", "ip", "ipaddress", "ip-address", "ip_address", "server", "host", "hostname", "company",
    "site", "password", "pass", "key", "apikey", "api-key", "selector", "email", "vmta"};

bool segment_start(std::string_view s, size_t at) {
  return at == 0 || std::string_view(".-_@/:,=").find(s[at - 1]) != std::string_view::npos;
}

// Every placeholder below has three dots (a dotted quad) or "your", "domain" or "change" in any
// case: one pass over the word rules out nearly every value before anything is copied.
bool may_be_placeholder(std::string_view word) {
  size_t dots = 0;
  for (size_t i = 0; i < word.size(); ++i) switch (ascii_lower(word[i])) {
      case '.': ++dots; break;
      case 'y': if (iequals(word.substr(i, 4), "your")) return true; break;
      case 'd': if (iequals(word.substr(i, 6), "domain")) return true; break;
      case 'c': if (iequals(word.substr(i, 6), "change")) return true; break;
      default: break;
    }
  return dots >= 3;
}

// Which kind of placeholder `word` is, if it is one.
std::optional<std::string_view> placeholder(std::string_view word) {
  if (!may_be_placeholder(word)) return std::nullopt;
  if (letter_address(word)) return "letters stand for digits in this address";
  // Runs for every word of every directive: one buffer per thread instead of a string per word.
  thread_local std::string lower;
  lower.assign(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), ascii_lower);
  for (size_t at = lower.find("your"); at != std::string::npos; at = lower.find("your", at + 1)) {
    if (!segment_start(lower, at)) continue;
    // `YOUR_IP`, `YOUR-SERVER`: written in capitals as a slot to fill in.
    if (word.substr(at, 5) == "YOUR_" || word.substr(at, 5) == "YOUR-") return "a slot to fill in";
    std::string_view rest = std::string_view(lower).substr(at + 4);
    if (!rest.empty() && (rest[0] == '-' || rest[0] == '_' || rest[0] == '.')) rest.remove_prefix(1);
    for (std::string_view w : kYour)
      if (rest.starts_with(w) && (rest.size() == w.size() || std::string_view(".-_@/:,").find(rest[w.size()]) != std::string_view::npos))
        return "a tutorial's stand-in name";
  }
  // Every stem below contains "domain" or "change", and most words hold neither.
  if (lower.find("domain") == std::string::npos && lower.find("change") == std::string::npos) return std::nullopt;
  for (std::string_view stem : {"example-domain", "example_domain", "exampledomain", "mydomain", "my-domain", "domain.tld",
                                "changeme", "change-me", "change_me"}) {
    for (size_t at = lower.find(stem); at != std::string::npos; at = lower.find(stem, at + 1)) {
      const size_t end = at + stem.size();
      if (segment_start(lower, at) && (end == lower.size() || std::string_view(".-_@/:,").find(lower[end]) != std::string_view::npos))
        return "a tutorial's stand-in name";
    }
  }
  return std::nullopt;
}

void report(Findings& out, Location at, std::string_view word, std::string_view kind, bool secret,
            std::string_view what) {
  if (secret)
    out.add(at, fmt::format("the {} looks like a placeholder left from an example ({}): set the real value", what, kind));
  else
    out.add(at, fmt::format("'{}' looks like a placeholder left from an example ({}): put the real value here", word, kind));
}

bool separator(char c) { return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '"'; }

// Each whitespace- or comma-separated piece of a value. Runs over every value of the file: the
// separators are tested inline rather than through find_first_of's search of a set per byte.
template <class F>
void each_piece(std::string_view text, uint32_t base, F&& f) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) ++i;
    if (i == text.size()) return;
    const size_t start = i;
    while (i < text.size() && !separator(text[i])) ++i;
    f(text.substr(start, i - start), base + static_cast<uint32_t>(start));
  }
}

void each_directive(const CheckContext& ctx, const ModelDirective& md, Findings& out) {
  const Model& model = ctx.model;
  if (model.node(md).foreign != Foreign::None) return;
  const std::string_view keyword = model.written_name(md);
  for (const Word& w : model.words(md)) {
    bool done = false;  // one finding per word
    each_piece(model.text(md, w.span), w.span.begin, [&](std::string_view piece, uint32_t at) {
      if (done) return;
      if (const auto kind = placeholder(piece)) {
        // Only asked once there is a finding: the edit-distance test is costly and most lines have none.
        const bool secret = is_secret_directive(keyword);
        report(out, {md.file, {at, at + static_cast<uint32_t>(piece.size())}}, piece, *kind, secret,
               fmt::format("value of '{}'", keyword));
        done = true;
      }
    });
  }
}

void each_block(const CheckContext& ctx, uint32_t index, Findings& out) {
  const ModelBlock& b = ctx.model.block(index);
  const Node& node = ctx.model.node(b);
  if (node.foreign != Foreign::None || node.argument.empty()) return;
  const std::string_view argument = ctx.workspace.tree(b.file).argument(b.node);
  if (const auto kind = placeholder(argument)) report(out, {b.file, node.argument}, argument, *kind, false, "");
}

}  // namespace

extern const Rule kPlaceholderValue{
    .code = "PMT0108",
    .slug = "placeholder-value",
    .severity = Severity::Warning,
    .origin = RuleOrigin::Check,
    .summary = "A placeholder left in from a tutorial or example (1.2.3.X, YOUR_IP, mail.your-domain.com)",
    .why = "Configurations copied from articles and generators keep their stand-ins: addresses with letters "
           "for digits (`1.2.3.X`), capitalised slots (`YOUR_IP`), and names such as `mail.yourdomain.com`, "
           "`@yourdomain.com`, `your_strong_password` or `changeme` (forms collected from the web examples in "
           "the reference). PMTA may accept some of them as they are (a host name is a host name), and then "
           "greets, signs or authenticates with a name that is not yours. The finding names the placeholder "
           "(never a secret's value) and comes in addition to any invalid-value finding on the same line.",
    .bad = "smtp-source-host 1.2.3.X mail.your-domain.com\n",
    .good = "smtp-source-host 192.0.2.10 mta1.example.net\n",
    .each_directive = each_directive,
    .each_block = each_block,
};

}  // namespace pmtalint
