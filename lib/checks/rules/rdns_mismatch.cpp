#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "base/text.h"
#include "checks/rule.h"

namespace pmtalint {
namespace {

std::string listed(const std::vector<std::string>& records) { return fmt::format("{}", fmt::join(records, ", ")); }

bool contains(const std::vector<std::string>& records, std::string_view value) {
  return std::any_of(records.begin(), records.end(), [&](const std::string& r) { return iequals(r, value); });
}

std::string without_dot(std::string_view name) {
  std::string out = to_lower(name);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

void check_source_host(const CheckContext& ctx, const ModelDirective& d, Findings& out) {
  const Model& model = ctx.model;
  const auto words = model.words(d);
  if (words.size() < 2) return;
  const std::string ip(model.text(d, words[0].span));
  const std::string host = without_dot(model.text(d, words[1].span));
  const std::string reverse = reverse_name(ip);
  if (reverse.empty()) return;  // a range or not an address: nothing to look up
  const Location ip_at{d.file, words[0].span}, host_at{d.file, words[1].span};
  auto report = [&](Severity severity, Location at, std::string message, std::vector<Note> notes = {}) {
    out.add(severity, at, std::move(message)).notes = std::move(notes);
  };
  Resolver& dns = *ctx.resolver;
  const DnsAnswer& ptr = dns.lookup(reverse, RecordType::PTR);
  if (ptr.status == DnsStatus::Failure)
    return report(Severity::Warning, ip_at, fmt::format("reverse DNS of {} could not be checked: {}", ip, ptr.error));
  if (ptr.status == DnsStatus::NoRecord)
    return report(Severity::Error, ip_at,
                  fmt::format("{} has no PTR record ({} in {}): many receivers refuse or junk mail from IPs "
                              "without reverse DNS. Publish {} PTR {}",
                              ip, reverse, dns.describe(), reverse, host));
  if (!contains(ptr.records, host))
    report(Severity::Warning, host_at,
           fmt::format("the PTR record of {} names {}, not {}, the name this line announces the IP with (it is "
                       "also that source's HELO name): receivers expect the two to agree",
                       ip, listed(ptr.records), host));
  const DnsAnswer& forward = dns.lookup(host, ip.find(':') == std::string::npos ? RecordType::A : RecordType::AAAA);
  if (forward.status == DnsStatus::Failure)
    report(Severity::Warning, host_at, fmt::format("forward DNS of {} could not be checked: {}", host, forward.error));
  else if (!contains(forward.records, ip))
    report(Severity::Error, host_at,
           fmt::format("{} does not resolve back to {} ({}): forward-confirmed reverse DNS fails, which receivers "
                       "treat like a missing PTR",
                       host, ip, forward.records.empty() ? "no address records" : "it resolves to " + listed(forward.records)));
}

void run(const CheckContext& ctx, Findings& out) {
  if (!ctx.resolver) return;
  for (const ModelDirective& d : ctx.model.directives()) {
    if (!d.info || d.info->name != "smtp-source-host") continue;
    const std::string_view block = ctx.model.block(d.block).kind;
    if (d.block == kGlobalBlock || block == "virtual-mta") check_source_host(ctx, d, out);
  }
}

}  // namespace

extern const Rule kRdnsMismatch{
    .code = "PMT0302",
    .slug = "rdns-mismatch",
    .severity = Severity::Error,
    .origin = RuleOrigin::Check,
    .summary = "A sending IP whose reverse DNS is missing or does not match its host name",
    .why = "Mailbox providers look up the PTR record of every connecting IP and resolve that name back "
           "(forward-confirmed reverse DNS). An IP without PTR, or whose host name does not resolve back to it, "
           "is commonly refused or junked; a PTR naming another host than the one the IP is announced with "
           "costs reputation. `smtp-source-host IP HOSTNAME` names the IP and also sets its HELO name "
           "(directives.tsv), so each IP is compared with the HOSTNAME of its own line, not with `host-name`. "
           "The lines are checked against zone files (--dns-zone) or live DNS (--online); without either the "
           "rule does not run. A lookup that fails is a warning naming the source, never a mismatch.",
    .bad = "# 192.0.2.10 has PTR other.example.net\nsmtp-source-host 192.0.2.10 mta1.example.net\n",
    .good = "# 192.0.2.10 PTR mta1.example.net, and mta1.example.net A 192.0.2.10\nsmtp-source-host 192.0.2.10 mta1.example.net\n",
    .run = run,
};

}  // namespace pmtalint
