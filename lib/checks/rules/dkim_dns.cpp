#include <fmt/format.h>

#include <map>

#include "base/text.h"
#include "checks/rule.h"
#include "dkim/key_file.h"
#include "syntax/loader.h"

namespace pmtalint {
namespace {

// Tags of a DKIM key record (RFC 6376 §3.6.1): "v=DKIM1; k=rsa; p=MIIB…". Values lose their
// folding whitespace.
std::map<std::string, std::string> tags(std::string_view record) {
  std::map<std::string, std::string> out;
  while (!record.empty()) {
    const size_t semicolon = record.find(';');
    const std::string_view item = trim(record.substr(0, semicolon));
    if (const size_t eq = item.find('='); eq != std::string_view::npos) {
      std::string value;
      for (char c : item.substr(eq + 1))
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') value += c;
      out[to_lower(trim(item.substr(0, eq)))] = value;
    }
    if (semicolon == std::string_view::npos) break;
    record.remove_prefix(semicolon + 1);
  }
  return out;
}

void check_key(const CheckContext& ctx, const ModelDirective& d, Findings& out) {
  const Model& model = ctx.model;
  const std::string_view value = model.value(d);
  std::vector<std::string_view> f;
  for (const Field& field : split_fields(value, ',')) f.push_back(field.text);
  if (f.size() != 3 || f[0].empty() || f[1].empty()) return;
  if (f[1].find_first_of("*$") != std::string_view::npos) return;  // no single DNS name to ask
  const std::string name = fmt::format("{}._domainkey.{}", to_lower(f[0]), to_lower(f[1]));
  auto report = [&](Severity severity, std::string message) {
    out.add(severity, model.where(d), std::move(message));
  };
  Resolver& dns = *ctx.resolver;
  const DnsAnswer& txt = dns.lookup(name, RecordType::TXT);
  if (txt.status == DnsStatus::Failure)
    return report(Severity::Warning, fmt::format("the DKIM record {} could not be checked: {}", name, txt.error));
  std::optional<std::map<std::string, std::string>> record;
  for (const std::string& r : txt.records)
    if (auto t = tags(r); t.contains("p")) record = std::move(t);
  if (!record)
    return report(Severity::Error,
                  fmt::format("no DKIM key record at {} ({}): receivers cannot verify what PMTA signs with selector "
                              "{}, so the signature counts as failed. Publish the public key as TXT \"v=DKIM1; k=rsa; p=…\"",
                              name, txt.records.empty() ? "no TXT record in " + dns.describe() : "TXT without p=", f[0]));
  const std::string& published = record->at("p");
  if (published.empty())
    return report(Severity::Error, fmt::format("the DKIM record {} has an empty p=: the key is revoked, and every "
                                               "signature with selector {} fails",
                                               name, f[0]));
  if (f[2].starts_with("{vault}")) return;
  const std::string path = resolve_include_path(model.workspace().file(d.file).path(), f[2], ctx.root);
  const auto file = read_key_file(path);
  if (!file) return;  // dkim-key reports the file itself
  const KeyInfo& key = file->key;
  if (key.kind != KeyKind::Rsa && key.kind != KeyKind::Ed25519) return;
  const std::string k = record->contains("k") ? to_lower(record->at("k")) : "rsa";
  const std::string expected_k = key.kind == KeyKind::Rsa ? "rsa" : "ed25519";
  if (k != expected_k)
    return report(Severity::Error, fmt::format("the DKIM record {} says k={}, but {} is an {} key: receivers try the "
                                               "wrong algorithm and the signature fails",
                                               name, k, path, expected_k == "rsa" ? "RSA" : "Ed25519"));
  if (published != dkim_public_key_base64(key))
    report(Severity::Error, fmt::format("the public key published at {} does not belong to the private key {}: "
                                        "every message signed with selector {} fails DKIM. Publish the key's public "
                                        "half or point domain-key at the right file",
                                        name, path, f[0]));
}

void run(const CheckContext& ctx, Findings& out) {
  if (!ctx.resolver) return;
  for (const ModelDirective& d : ctx.model.directives())
    if (d.info && d.info->name == "domain-key" && ctx.model.block(d.block).known) check_key(ctx, d, out);
}

}  // namespace

extern const Rule kDkimDns{
    .code = "PMT0303",
    .slug = "dkim-dns",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A DKIM selector whose DNS record is missing, revoked, or does not match the key file",
    .why = "A DKIM signature only counts when the receiver finds the matching public key at "
           "SELECTOR._domainkey.DOMAIN. A missing TXT record, an empty p= (revoked key), a k= that names another "
           "algorithm, or a published key that belongs to a different private key all make every signature "
           "fail, which Gmail, Yahoo and Microsoft treat like unsigned mail. Records split into several "
           "strings are joined before comparing. Checked against zone files (--dns-zone) or live DNS "
           "(--online); without either the rule does not run.",
    .bad = "# s2025._domainkey.example.net TXT \"v=DKIM1; k=rsa; p=\" (revoked)\n"
           "domain-key s2025,example.net,/etc/pmta/dkim/example.net.pem\n",
    .good = "# s2025._domainkey.example.net TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkq…\" (the key's public half)\n"
            "domain-key s2025,example.net,/etc/pmta/dkim/example.net.pem\n",
    .run = run,
};

}  // namespace pmtalint
