#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "base/text.h"
#include "checks/rule.h"
#include "dkim/key_file.h"
#include "model/effective.h"
#include "schema/grammar.h"
#include "syntax/loader.h"

namespace pmtalint {
namespace {

struct Inspected {
  std::string error;  // could not read the file
  KeyInfo key;
  unsigned mode = 0;
};

class Checker {
 public:
  Checker(const CheckContext& ctx, Findings& out)
      : ctx_(ctx), model_(ctx.model), out_(out), key_in_(ctx.model.blocks().size(), -1) {}

  void run() {
    for (const ModelDirective& d : model_.directives()) {
      if (!d.info || !model_.block(d.block).known) continue;
      if (d.info->name == "domain-key") key_line(d);
      if ((d.info->name == "dkim-algorithm" || d.info->name == "second-dkim-algorithm") &&
          iequals(trim(model_.value(d)), "rsa-sha1"))
        report(Severity::Warning, model_.where(d),
               fmt::format("{} rsa-sha1: RFC 8301 forbids SHA-1 for DKIM, and receivers treat such signatures as "
                           "absent. Use rsa-sha256 (the default)",
                           d.info->name));
    }
    ed25519_without_rsa();
    signing_without_keys();
    identity_without_key();
  }

 private:
  void report(Severity severity, Location where, std::string message, std::vector<Note> notes = {}) {
    out_.add(severity, where, std::move(message)).notes = std::move(notes);
  }

  const Inspected& inspect(const std::string& path) {
    if (const auto it = cache_.find(path); it != cache_.end()) return it->second;
    Inspected result;
    if (auto file = read_key_file(path)) {
      result.key = std::move(file->key);
      result.mode = file->mode;
    } else {
      result.error = file.error();
    }
    return cache_.emplace(path, std::move(result)).first->second;
  }

  void key_line(const ModelDirective& d) {
    const std::string_view value = model_.value(d);
    const auto f = split_fields(value, ',');
    if (f.size() > 3 || check_value(d.info->value, value)) return;  // invalid-value explains it
    if (f.size() < 3 || f[2].text.empty()) {
      report(Severity::Error, model_.where(d),
             "domain-key needs three fields, SELECTOR,DOMAIN,PATH; without the key file PMTA cannot sign for this "
             "domain");
      return;
    }
    const std::string selector = to_lower(f[0].text), domain = to_lower(f[1].text);
    const auto [first, fresh] = declared_.emplace(std::tuple{d.block, selector, domain}, &d);
    if (!fresh)
      report(Severity::Warning, model_.where(d),
             fmt::format("selector '{}' for {} is declared twice here; PMTA uses the first declaration's key", f[0].text,
                         f[1].text),
             {{model_.where(*first->second), "the declaration that is used"}});
    const std::string_view written = f[2].text;
    if (written.starts_with("{vault}")) return;  // fetched from the vault at run time
    const std::string path = resolve_include_path(model_.workspace().file(d.file).path(), written, ctx_.root);
    const Location at = model_.value_at(d, f[2].offset, written.size());
    const Inspected& file = inspect(path);
    if (!file.error.empty()) {
      report(Severity::Error, at, fmt::format("DKIM key file {}: {}; PMTA cannot sign for {}", path, file.error, f[1].text));
      return;
    }
    const KeyInfo& key = file.key;
    switch (key.kind) {
      case KeyKind::NotAKey:
        return report(Severity::Error, at, fmt::format("{} is not a PEM private key; PMTA cannot sign for {}", path, f[1].text));
      case KeyKind::Certificate:
        return report(Severity::Error, at, fmt::format("{} holds a certificate, not a private key", path));
      case KeyKind::PublicKey:
        return report(Severity::Error, at,
                      fmt::format("{} holds a public key; domain-key needs the private key (the public one belongs in DNS)", path));
      case KeyKind::Encrypted:
        return report(Severity::Error, at,
                      fmt::format("{} is protected by a passphrase, which PMTA cannot enter; store it unencrypted with "
                                  "tight permissions",
                                  path));
      case KeyKind::OtherAlgorithm:
        return report(Severity::Error, at,
                      fmt::format("{} is a {} key; DKIM signs with RSA or Ed25519 only", path, key.algorithm));
      case KeyKind::Rsa:
        rsa_domains_.insert(domain);
        if (key.bits < 1024)
          report(Severity::Error, at,
                 fmt::format("{} is a {}-bit RSA key; RFC 8301 requires at least 1024 bits and receivers ignore such "
                             "signatures. Use 2048 bits",
                             path, key.bits));
        else if (key.bits < 2048)
          report(Severity::Warning, at,
                 fmt::format("{} is a {}-bit RSA key; 1024-bit keys are considered breakable, use 2048 bits", path, key.bits));
        break;
      case KeyKind::Ed25519: ed25519_.emplace_back(&d, domain); break;
    }
    if ((file.mode & 0027) != 0)
      report(Severity::Warning, at,
             fmt::format("{} is readable or writable by other users (mode {:04o}); a DKIM private key should be 0600 "
                         "or 0640 (group pmta)",
                         path, file.mode));
  }

  // Many receivers cannot verify Ed25519 yet; a second, RSA signature keeps mail authenticated.
  void ed25519_without_rsa() {
    for (const auto& [d, domain] : ed25519_)
      if (!rsa_domains_.contains(domain))
        report(Severity::Info, model_.where(*d),
               "this Ed25519 key is the only key for its domain; many receivers cannot verify Ed25519 signatures yet, "
               "so also sign with an RSA key (second-dkim-sign)");
  }

  // Memoised per block: thousands of <domain> blocks in the virtual MTAs of one large pool would
  // otherwise each rescan the pool.
  bool has_key(uint32_t block) {
    int8_t& known = key_in_[block];
    if (known < 0) known = model_.last(block, "domain-key") != nullptr;
    return known;
  }

  // dkim-sign without any key to sign with. A top-level <domain> serves every VMTA, so any key
  // in the configuration may be the one used; a VMTA's own <domain> sees the VMTA's, its pool's
  // and the global keys. A <domain-key-list> serves every queue.
  void signing_without_keys() {
    bool global_keys = has_key(kGlobalBlock), any_key = false;
    for (const uint32_t child : model_.blocks_of_kind("domain-key-list"))
      global_keys |= model_.block(child).parent == kGlobalBlock;
    if (global_keys) return;
    for (const ModelDirective& d : model_.directives()) any_key |= d.info && d.info->name == "domain-key";
    std::set<uint32_t> reported;
    for (const DomainEntry& entry : model_.domains()) {
      const ModelDirective* sign = model_.last(entry.block, "dkim-sign");
      if (!sign || !parse_boolean(model_.value(*sign)).value_or(false) || !reported.insert(entry.block).second) continue;
      bool keys = entry.owner == kGlobalBlock ? any_key : has_key(entry.owner);
      // Where a key could stand that was not read: anywhere for a top-level <domain>, else in
      // the VMTA (or around it) and its pools.
      const Gap* gap = entry.owner == kGlobalBlock ? model_.any_gap() : model_.gap_in(entry.owner, true);
      if (entry.owner != kGlobalBlock && model_.block(entry.owner).kind == "virtual-mta")
        for (const uint32_t pool : model_.pools_of(model_.block(entry.owner).argument)) {
          keys |= has_key(pool);
          if (!gap) gap = model_.gap_in(pool, false);
        }
      if (!keys)
        out_.absent(gap, Severity::Warning, model_.where(*sign),
                    "dkim-sign yes, but no domain-key is configured for these queues: PMTA sends this mail unsigned, and "
                    "Gmail, Yahoo and Microsoft reject or junk unsigned bulk mail. Add domain-key SELECTOR,DOMAIN,PATH");
    }
  }

  // The sending domain is only known statically where dkim-identity names it (`@esp.example`);
  // a queue that signs (dkim-sign yes) then needs a key for that domain or a `*` key.
  void identity_without_key() {
    std::set<std::string> key_domains;
    for (const ModelDirective& d : model_.directives())
      if (d.info && d.info->name == "domain-key") {
        const auto f = split_fields(model_.value(d), ',');
        if (f.size() >= 2) key_domains.insert(to_lower(f[1].text));
      }
    if (key_domains.contains("*")) return;
    std::set<uint32_t> seen;
    for (const DomainEntry& entry : model_.domains()) {
      const ModelDirective* identity = model_.last(entry.block, "dkim-identity");
      if (!identity || !seen.insert(entry.block).second) continue;
      const auto set = explicit_settings(
          model_, domain_chain(model_, entry.pattern.representative(), entry.owner == kGlobalBlock ? kNoBlock : entry.owner));
      const auto sign = set.find("dkim-sign");
      if (sign == set.end() || !parse_boolean(model_.value(*sign->second)).value_or(false)) continue;
      const std::string_view value = trim(model_.value(*identity));
      const size_t at = value.rfind('@');
      if (at == std::string_view::npos || at + 1 >= value.size()) continue;
      const std::string domain = to_lower(value.substr(at + 1));
      if (key_domains.contains(domain)) continue;
      out_.absent(model_.any_gap(), Severity::Warning, model_.where(*identity),
                  fmt::format("dkim-identity signs as {}, but no domain-key declares a key for {} (or *): this mail "
                              "leaves unsigned. Add domain-key SELECTOR,{},PATH",
                              domain, domain, domain));
    }
  }

  const CheckContext& ctx_;
  const Model& model_;
  Findings& out_;
  std::unordered_map<std::string, Inspected> cache_;
  std::map<std::tuple<uint32_t, std::string, std::string>, const ModelDirective*> declared_;
  std::set<std::string> rsa_domains_;
  std::vector<std::pair<const ModelDirective*, std::string>> ed25519_;
  std::vector<int8_t> key_in_;  // per block: holds a domain-key (1), not (0), not looked at yet (-1)
};

void run(const CheckContext& ctx, Findings& out) { Checker(ctx, out).run(); }

}  // namespace

extern const Rule kDkimKey{
    .code = "PMT0301",
    .slug = "dkim-key",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A DKIM key that is missing, unreadable, not a private key, too weak, or exposed",
    .why = "Gmail, Yahoo and Microsoft reject or junk bulk mail that is not DKIM-signed. PMTA signs with the "
           "private key named by each domain-key line; when that file is missing, unreadable, a certificate or "
           "public key, passphrase-protected, an algorithm DKIM does not use, or an RSA key under 1024 bits "
           "(RFC 8301), the mail leaves unsigned or with a signature receivers ignore. 1024-bit RSA keys draw a "
           "warning (use 2048), as do key files other users can read, a selector declared twice, dkim-sign with "
           "no key at all, and rsa-sha1. Key files are read with OpenSSL; absolute paths honour --root. No key "
           "material is ever printed.",
    .bad = "domain-key s2025,example.net,/etc/pmta/dkim/missing.pem\n<domain *>\n    dkim-algorithm rsa-sha1\n</domain>\n",
    .good = "domain-key s2025,example.net,/etc/pmta/dkim/example.net.pem   # 2048-bit RSA, mode 0600\n<domain *>\n"
            "    dkim-algorithm rsa-sha256\n</domain>\n",
    .run = run,
};

}  // namespace pmtalint
