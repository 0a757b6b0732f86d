#include <catch2/catch.hpp>

#include "schema/grammar.h"
#include "schema/knowledge.h"

using namespace pmtalint;

namespace {

Grammar of(std::string_view directive) {
  const DirectiveInfo* d = KnowledgeBase::get().directive(directive);
  REQUIRE(d != nullptr);
  return d->value;
}

void accepts(std::string_view directive, std::initializer_list<std::string_view> values) {
  const Grammar g = of(directive);
  for (std::string_view v : values) {
    INFO(directive << " " << v);
    const auto p = check_value(g, v);
    CHECK(!p.has_value());
    if (p) INFO(p->message);
  }
}

void rejects(std::string_view directive, std::initializer_list<std::string_view> values) {
  const Grammar g = of(directive);
  for (std::string_view v : values) {
    INFO(directive << " " << v);
    CHECK(check_value(g, v).has_value());
  }
}

std::string message(std::string_view directive, std::string_view value) {
  auto p = check_value(of(directive), value);
  REQUIRE(p.has_value());
  return p->message;
}

}  // namespace

TEST_CASE("booleans") {
  accepts("use-starttls", {"yes", "no", "true", "false", "YES"});
  rejects("use-starttls", {"1", "on", "if-available", "", "yess"});
}

TEST_CASE("integers with ranges, unlimited and overflow") {
  accepts("max-smtp-out", {"0", "20", "9223372036854775807"});
  rejects("max-smtp-out", {"-1", "20k", "ten", "9223372036854775808", "99999999999999999999999999"});
  accepts("max-errors-per-connection", {"unlimited", "5"});
  CHECK(message("max-smtp-out", "99999999999999999999999999").find("too large") != std::string::npos);
}

TEST_CASE("time intervals need units, never where allowed") {
  accepts("bounce-after", {"4d12h", "1w2d12h", "300s", "90m", "1W"});
  rejects("bounce-after", {"4", "4x", "d4", "4d12", "", "999999999999999999999w"});
  accepts("backoff-to-normal-after", {"never", "1h"});
  rejects("bounce-after", {"never"});
  CHECK(message("connect-timeout", "60").find("1m") != std::string::npos);
  CHECK(message("data-send-timeout", "600").find("10m") != std::string::npos);
}

TEST_CASE("interval lists have no spaces or empty entries") {
  accepts("retry-after", {"10m", "10m,10m,1h", "1m,2h,4d"});
  rejects("retry-after", {"10m,,1h", "10m,", ",10m", "10m, 1h", "10"});
}

TEST_CASE("rates: N/[M]unit with the documented units only") {
  accepts("max-msg-rate", {"500/h", "100/15m", "10/s", "1000/day", "250/min", "6/sec", "1/36s", "unlimited", "0", "7/hr"});
  rejects("max-msg-rate", {"3000/hour", "500", "x/h", "1/0s", "500/h/", "/h", "99999999999999999999999/h", "5/2"});
  CHECK(message("max-msg-rate", "3000/hour").find("3000/h") != std::string::npos);
  CHECK(message("max-msg-rate", "1/0s").find("multiplier") != std::string::npos);
}

TEST_CASE("sizes and data rates") {
  accepts("max-size", {"50M", "1g", "100K", "5G"});
  rejects("max-size", {"50 M", "M", "5X", "99999999999999999999G"});
}

TEST_CASE("enumerations") {
  accepts("dkim-algorithm", {"rsa-sha256", "rsa-sha1"});
  rejects("dkim-algorithm", {"ed25519", "sha256"});
}

TEST_CASE("IP addresses and CIDR ranges, including PMTA's abbreviations") {
  Grammar cidr;
  cidr.kind = GrammarKind::Cidr;
  for (auto v : {"0/0", "10/8", "173.194/16", "1.2.3.0/24", "127.0.0.1", "::1", "2001:db8::/32"}) {
    INFO(v);
    CHECK(!check_value(cidr, v));
  }
  for (auto v : {"256.1.1.1", "10/33", "1.2.3", "1.2.3.4/", "::g", "2001:db8::/129", "a.b.c.d"}) {
    INFO(v);
    CHECK(check_value(cidr, v));
  }
}

TEST_CASE("listener addresses") {
  accepts("smtp-listener", {"0/0:25", "0.0.0.0:2525", "127.0.0.1:25", "1.2.3.4:587 source=auth"});
  rejects("smtp-listener", {"25", "0/0", "0/0:0", "0/0:65536", "0/0:25 tls=no", "host:25"});
}

TEST_CASE("host lists: levels, IP literals, ports, lookup-mx") {
  accepts("smtp-hosts", {"[127.0.0.1]:25025", "lookup-mx:outlook.com", "a.example.com,b.example.com;c.example.com",
                         "[IPv6:2001:db8::1]", "mx.example.com:2525", "\"\""});
  rejects("smtp-hosts", {"[300.1.1.1]", "mx.example.com:0", "a.example.com,,b", "[1.2.3.4", "lookup-mx:"});
}

TEST_CASE("e-mail addresses and host names") {
  accepts("postmaster", {"postmaster@example.com"});
  rejects("postmaster", {"postmaster", "@example.com", "a@", "a b@example.com"});
  accepts("host-name", {"mail.example.com", "mta-1.example.net"});
  rejects("host-name", {"://yourdomain.com", "-bad.example.com", "a..b"});
}

TEST_CASE("domain-key triples") {
  accepts("domain-key", {"s1,example.com,/etc/pmta/k.pem", "mypmta, pmta.x.net,  /etc/pmta/x.pem", "2022,*,/etc/pmta/k.pem",
                         "m,$top.$tld,c:\\pmta\\m.pem"});
  rejects("domain-key", {"*,*,/etc/pmta/dkim.key", "a,b,c,d", "s1,,/k.pem", "s1,example.com,"});
  accepts("domain-key", {"default,/etc/pmta/dkim/x.private"});  // a missing field is dkim-key's finding
  CHECK(message("domain-key", "*, *, /etc/pmta/dkim.key").find("selector") != std::string::npos);
}

TEST_CASE("reply rules: PCRE2 regex and action combinations") {
  accepts("reply", {"/421 RP-001/ mode=backoff", "// bounce-queue", "/^5\\d\\d/ bounce-rcpt",
                    "/x/ mode=backoff,backoff-to-normal-after=1h", "/x/ disable-source-ip,reenable-after=30m",
                    "/a\\/b/ defer-queue", "/(?-i)Case/ skip-mx"});
  rejects("reply", {"/421/ mode=defer", "/421/", "421 mode=backoff", "/42[1/ mode=backoff", "/x/ mode=backoff,mode=normal",
                    "/x/ skip-mx,bounce-queue", "/x/ reenable-after=1h", "/x/ backoff-to-normal-after=1h",
                    "/x/ mode=backoff,backoff-to-normal-after=1h,backoff-to-normal-after=2h", "/unterminated mode=backoff"});
}

TEST_CASE("pattern-list rules and daily quotas") {
  accepts("header", {"X-Campaign /^news/ virtual-mta=news", "Subject /invoice/ virtual-mta=tx,recipient-priority=90",
                     "X-Tier /gold/ <pattern-list>"});
  rejects("header", {"X-Campaign", "X-Campaign /x/", "X-Campaign /x/ vmta=news", "X-Campaign /x/ recipient-priority=101",
                     "X-Campaign /x(/ virtual-mta=a"});
  accepts("rcpt-to", {"/@gmail\\.com$/ virtual-mta=g", "/x/ call-to:other"});
  rejects("rcpt-to", {"x virtual-mta=g", "/x/ virtual-mta="});
  accepts("max-cold-virtual-mta-msg", {"1/day,2/day,3/day", "500/d"});
  rejects("max-cold-virtual-mta-msg", {"100/h", "1/day,,2/day", "x/day"});
}

TEST_CASE("domain patterns") {
  for (auto v : {"*", "gmail.com", "*.example.com", "[*.]example.com", "[0/0]", "yahoo.$tld", "{sparkpost}", "gmail.rollup"}) {
    INFO(v);
    CHECK(!check_domain_pattern(v));
  }
  for (auto v : {"default", "gm*il.com", "[300.0.0.0]", "exa mple.com"}) {
    INFO(v);
    CHECK(check_domain_pattern(v));
  }
}

TEST_CASE("versions parse and order") {
  CHECK(PmtaVersion::parse("5.0") == PmtaVersion{5, 0});
  CHECK(PmtaVersion::parse("4.5") < PmtaVersion::parse("5.0"));
  CHECK(!PmtaVersion::parse("5"));
  CHECK(!PmtaVersion::parse("x.y"));
  CHECK(!PmtaVersion::parse("99999999999.0"));
}

TEST_CASE("private and public address ranges") {
  for (auto v : {"10/8", "10.1.2.3", "172.16.0.0/12", "172.31.255.255", "192.168.1.0/24", "127.0.0.1", "::1", "fd00::/8",
                 "169.254.1.1", "100.64.0.0/10"}) {
    INFO(v);
    CHECK(is_private_range(*parse_ip_range(v)));
  }
  for (auto v : {"0/0", "0.0.0.0", "8/8", "172.32.0.0/16", "192.0.2.1", "10.0.0.0/7", "2001:db8::/32", "::"}) {
    INFO(v);
    CHECK(!is_private_range(*parse_ip_range(v)));
  }
  CHECK(!parse_ip_range("not-an-ip"));
}

TEST_CASE("reply and pattern-list rules split at their slashes") {
  const auto reply = split_regex_rule("/421 4\\.7\\.0 \\[TSS04\\]/  mode=backoff ");
  REQUIRE(reply.has_value());
  CHECK(reply->before.empty());
  CHECK(reply->regex == "421 4\\.7\\.0 \\[TSS04\\]");
  CHECK(reply->after == "mode=backoff");
  const auto header = split_regex_rule("Subject /a\\/b/ virtual-mta=v1");
  REQUIRE(header.has_value());
  CHECK(header->before == "Subject");
  CHECK(header->regex == "a\\/b");
  CHECK(header->after == "virtual-mta=v1");
  CHECK_FALSE(split_regex_rule("no regex here"));
  CHECK_FALSE(split_regex_rule("/never closed"));
}

TEST_CASE("knowledge entries carry the reference's contexts, repeats and sources") {
  const auto& kb = KnowledgeBase::get();
  // blocks.tsv lists these inside <signals> besides their directives.tsv contexts.
  CHECK(kb.directive("min-free-space")->valid_in("signals"));
  CHECK(kb.directive("min-free-space")->valid_in("spool"));
  CHECK(kb.directive("privacy-policy")->valid_in("signals"));
  // language-notes §3: repeatable, one line per record type / macro name.
  CHECK(kb.directive("record-fields")->repeatable);
  CHECK(kb.directive("record-fields")->repeat_distinct);
  CHECK(kb.directive("domain")->repeatable);
  CHECK_FALSE(kb.directive("max-smtp-out")->repeatable);
  CHECK_FALSE(kb.directive("max-smtp-out")->on_repeat);  // the reference does not say what a repeat does
  REQUIRE(kb.directive("records")->on_repeat);
  CHECK(*kb.directive("records")->on_repeat_source == "language-notes §9");
  // No version the reference does not state.
  CHECK_FALSE(kb.directive("second-dkim-sign")->since);
  CHECK_FALSE(kb.directive("add-gm-token")->removed);
  CHECK(kb.directive("add-gm-token")->deprecated());
  CHECK(kb.directive("enable-signals")->since == PmtaVersion{5, 0});
  for (const DirectiveInfo& d : kb.directives()) {
    INFO(d.name);
    CHECK(d.source.find("directives.tsv line ") != std::string::npos);
  }
}
