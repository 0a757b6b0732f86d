// The semantic model: domain patterns, macro expansion, inheritance and effective settings.
#include <catch2/catch.hpp>

#include "model/effective.h"
#include "model/sources.h"
#include "model/model.h"
#include "schema/knowledge.h"
#include "syntax/loader.h"
#include "checks/lint.h"
#include "test_support.h"

using namespace pmtalint;

namespace {

LoadResult load_text(const std::string& text) { return load({{"model.conf", text}}, {"", {is_top_level_only_block}, {}}); }

std::string setting(const QueueSettings& q, std::string_view name) {
  const EffectiveSetting* s = q.find(name);
  return s ? s->value : "<unset>";
}

}  // namespace

TEST_CASE("domain patterns match as PMTA documents") {
  const auto any = parse_domain_pattern("*");
  const auto both = parse_domain_pattern("[*.]Example.com");
  const auto subs = parse_domain_pattern("*.example.com");
  const auto exact = parse_domain_pattern("example.com");
  CHECK(any.matches("anything.test"));
  CHECK(both.matches("example.com"));
  CHECK(both.matches("mx.example.com"));
  CHECK_FALSE(both.matches("badexample.com"));
  CHECK_FALSE(subs.matches("example.com"));
  CHECK(subs.matches("a.b.example.com"));
  CHECK(exact.matches("example.com"));
  CHECK_FALSE(exact.matches("mx.example.com"));
  CHECK(any.specificity() < both.specificity());
  CHECK(both.specificity() < subs.specificity());
  CHECK(subs.specificity() < exact.specificity());
  CHECK(parse_domain_pattern("*.com").specificity() < both.specificity());  // a longer suffix is more specific
}

TEST_CASE("macros expand as a cross product, through nested macros") {
  const LoadResult loaded = load_text(
      "domain-macro tld com, co.uk\ndomain-macro isp yahoo, aol\ndomain-macro all $isp.$tld, example.net\n"
      "<domain $all>\n  max-smtp-out 2\n</domain>\n");
  const Model model(loaded.workspace, loaded.workspace.roots());
  std::vector<std::string> expanded;
  for (const DomainEntry& e : model.domains()) expanded.push_back(e.pattern.text());
  CHECK(expanded == std::vector<std::string>{"yahoo.com", "yahoo.co.uk", "aol.com", "aol.co.uk", "example.net"});
  CHECK(model.macro_problems().empty());
  std::vector<MacroProblem> problems;
  CHECK(model.expand("x.$nope", {0, {10, 17}}, &problems) == std::vector<std::string>{"x.$nope"});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].kind == MacroProblem::Kind::Undefined);
  CHECK(problems[0].where.span.begin == 12);  // the '$' of $nope
}

TEST_CASE("a macro loop is reported once, at the definition that closes it, and expansion terminates") {
  const LoadResult loaded =
      load_text("domain-macro a $b, x.com\ndomain-macro b $c\ndomain-macro c $a\n<domain $a>\n  max-smtp-out 1\n</domain>\n");
  const Model model(loaded.workspace, loaded.workspace.roots());
  size_t loops = 0;
  for (const MacroProblem& p : model.macro_problems())
    if (p.kind == MacroProblem::Kind::Loop) {
      ++loops;
      CHECK(p.chain == std::vector<std::string>{"a", "b", "c", "a"});
    }
  CHECK(loops == 1);
  CHECK_FALSE(model.domains().empty());
}

TEST_CASE("an expansion beyond the cap stops with a problem instead of exhausting memory") {
  std::string text;
  for (char m = 'a'; m <= 'e'; ++m) {
    text += "domain-macro ";
    text += m;
    for (int i = 0; i < 10; ++i) text += (i ? ", v" : " v") + std::to_string(i);
    text += '\n';
  }
  text += "<domain $a.$b.$c.$d.$e>\n  max-smtp-out 1\n</domain>\n";  // 100 000 names
  const LoadResult loaded = load_text(text);
  const Model model(loaded.workspace, loaded.workspace.roots());
  CHECK(model.domains().size() <= Model::kMaxExpansion);
  bool too_large = false;
  for (const MacroProblem& p : model.macro_problems()) too_large |= p.kind == MacroProblem::Kind::TooLarge;
  CHECK(too_large);
}

TEST_CASE("effective settings: most specific block wins, explicit beats macro, VMTA over pool over top level") {
  const LoadResult loaded = load_text(
      "domain-macro big example.com, example.org\n"
      "<domain *>\n  max-smtp-out 20\n  bounce-after 2d\n</domain>\n"
      "<domain example.com>\n  max-smtp-out 3\n</domain>\n"
      "<domain $big>\n  max-smtp-out 9\n  max-msg-rate 100/h\n</domain>\n"
      "<virtual-mta mta1>\n  smtp-source-host 192.0.2.1 a.example.net\n"
      "  <domain example.com>\n    max-msg-rate 7/h\n  </domain>\n</virtual-mta>\n"
      "<virtual-mta-pool pool1>\n  virtual-mta mta1\n  <domain [*.]example.com>\n    max-smtp-out 4\n"
      "    bounce-after 1d\n  </domain>\n</virtual-mta-pool>\n");
  const Model model(loaded.workspace, loaded.workspace.roots());

  const QueueSettings plain = effective_settings(model, "example.com", "");
  CHECK(plain.vmta == "{default}");
  CHECK(setting(plain, "max-smtp-out") == "3");        // explicit beats the macro block
  CHECK(setting(plain, "max-msg-rate") == "100/h");   // the macro block still contributes
  CHECK(setting(plain, "bounce-after") == "2d");
  CHECK(setting(plain, "retry-after") == "10m");      // the documented default
  CHECK(plain.find("retry-after")->directive == nullptr);

  const QueueSettings on_vmta = effective_settings(model, "EXAMPLE.com", "mta1");
  CHECK(setting(on_vmta, "max-smtp-out") == "4");     // pool block beats the top level
  CHECK(setting(on_vmta, "bounce-after") == "1d");
  CHECK(setting(on_vmta, "max-msg-rate") == "7/h");   // the VMTA's own block beats everything
  CHECK(on_vmta.chain.size() == 5);

  const QueueSettings other = effective_settings(model, "example.org", "mta1");
  CHECK(setting(other, "max-smtp-out") == "9");       // [*.]example.com does not match example.org
}

TEST_CASE("effective settings follow queue-to into the rollup queue and derive backoff twins") {
  const LoadResult loaded = load_text(
      "<domain hotmail.com>\n  queue-to ms.rollup\n</domain>\n"
      "<domain ms.rollup>\n  max-msg-rate 600/h\n</domain>\n"
      "<domain a.test>\n  queue-to b.test\n</domain>\n<domain b.test>\n  queue-to a.test\n</domain>\n");
  const Model model(loaded.workspace, loaded.workspace.roots());
  const QueueSettings q = effective_settings(model, "hotmail.com", "");
  CHECK(q.queue == "ms.rollup");
  CHECK(q.routing.size() == 1);
  CHECK(setting(q, "backoff-max-msg-rate") == "600/h");  // follows max-msg-rate when unset
  CHECK(q.find("backoff-max-msg-rate")->note == "follows max-msg-rate");
  CHECK(setting(q, "queue-to") == "<unset>");

  const QueueSettings looped = effective_settings(model, "a.test", "");
  CHECK_FALSE(looped.notes.empty());  // the loop is named, not followed forever
}

TEST_CASE("a file named on the command line and included by another is part of that configuration") {
  test::ScratchDir dir;
  test::write_file(dir / "config", "include " + (dir / "part.conf").string() +
                                       "\n<virtual-mta mta1>\n  smtp-source-host 192.0.2.1 a.example.net\n</virtual-mta>\n");
  test::write_file(dir / "part.conf", "<virtual-mta-pool pool1>\n  virtual-mta mta1\n</virtual-mta-pool>\n");
  test::write_file(dir / "other.conf", "<virtual-mta-pool pool2>\n  virtual-mta mta1\n</virtual-mta-pool>\n");
  const LoadResult loaded = load({{(dir / "part.conf").string(), std::nullopt},
                                  {(dir / "config").string(), std::nullopt},
                                  {(dir / "other.conf").string(), std::nullopt}},
                                 {"", {is_top_level_only_block}, {}});
  const auto all = configurations(loaded.workspace, [&](FileId f) { return named_config(loaded.workspace, f); });
  REQUIRE(all.size() == 2);  // config (with part.conf), and other.conf on its own
  CHECK(all[0].files().size() == 2);
  CHECK(all[0].whole());
  CHECK(!all[1].whole());  // a fragment: its main configuration was not read
  AnalysisRequest request;
  for (const char* name : {"part.conf", "config", "other.conf"}) request.inputs.push_back({(dir / name).string(), std::nullopt});
  request.no_project_config = true;
  const auto a = test::analyze(request);
  std::multiset<std::pair<std::string, std::string>> found;
  for (const Diagnostic& d : a->diagnostics)
    if (d.rule == "undefined-reference" || d.rule == "incomplete-configuration")
      found.insert({std::string(d.rule), a->loaded.workspace.file(d.where.file).path()});
  // mta1 is defined for part.conf through config; other.conf is a fragment, so its use of mta1
  // (defined elsewhere, perhaps) is not called undefined, and it says so once.
  CHECK(found == std::multiset<std::pair<std::string, std::string>>{{"incomplete-configuration", (dir / "other.conf").string()}});
}

TEST_CASE("source settings merge by address specificity, a named source last") {
  const LoadResult loaded = load_text(
      "<source 10.1.2.0/24>\n  default-virtual-mta mta-b\n</source>\n"
      "<source 0/0>\n  always-allow-relaying no\n  default-virtual-mta mta-a\n  process-x-virtual-mta no\n</source>\n"
      "<source 10/8>\n  always-allow-relaying yes\n</source>\n"
      "<source partners>\n  process-x-virtual-mta yes\n</source>\n");
  const Model model(loaded.workspace, loaded.workspace.roots());
  auto value = [&](const SourceSettings& s, std::string_view name) {
    const auto it = s.settings.find(name);
    return it == s.settings.end() ? std::string("<unset>") : std::string(model.value(*it->second));
  };
  const auto inside = source_settings(model, "10.1.2.3");
  REQUIRE(inside);
  CHECK(inside->blocks.size() == 3);
  CHECK(value(*inside, "default-virtual-mta") == "mta-b");   // /24 beats 0/0
  CHECK(value(*inside, "always-allow-relaying") == "yes");   // /8 beats 0/0
  const auto outside = source_settings(model, "192.0.2.1", "partners");
  REQUIRE(outside);
  CHECK(value(*outside, "always-allow-relaying") == "no");
  CHECK(value(*outside, "process-x-virtual-mta") == "yes");  // the named source overrides
  CHECK_FALSE(source_settings(model, "not-an-ip"));
}
