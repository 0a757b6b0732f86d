#include "delivery/scenario.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "schema/grammar.h"
#include "syntax/file_reader.h"

namespace pmtalint::delivery {
namespace {

using Json = nlohmann::json;
using Error = std::string;

expected<std::string, Error> reply_text(const Json& value, const std::string& where) {
  if (!value.is_string()) return unexpected(where + ": expected a reply such as \"421 4.7.0 try later\"");
  std::string text = value.get<std::string>();
  const bool code = text.size() >= 3 && text[0] >= '2' && text[0] <= '5' && std::isdigit(static_cast<unsigned char>(text[1])) &&
                    std::isdigit(static_cast<unsigned char>(text[2])) && (text.size() == 3 || text[3] == ' ');
  if (!code) return unexpected(fmt::format("{}: '{}' does not start with an SMTP reply code (2xx to 5xx)", where, text));
  if (text.find_first_of("\r\n") != std::string::npos) return unexpected(where + ": a reply is one line");
  return text;
}

expected<double, Error> seconds(const Json& value, const std::string& where) {
  if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 86'400)
    return unexpected(where + ": expected seconds between 0 and 86400");
  return value.get<double>();
}

expected<Throttle, Error> read_throttle(const Json& item, const std::string& where) {
  if (!item.is_object() || !item.contains("reply")) return unexpected(where + ": expected an object with a \"reply\"");
  auto reply = reply_text(item["reply"], where + ".reply");
  if (!reply) return unexpected(reply.error());
  Throttle t{Throttle::Kind::MessagesPerConnection, 0, 0, *reply};
  size_t kinds = 0;
  for (const auto& [key, value] : item.items()) {
    if (key == "reply") continue;
    ++kinds;
    if (key == "after_messages_per_connection" || key == "above_connections") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 || value.get<uint64_t>() > 1'000'000)
        return unexpected(fmt::format("{}.{}: expected a whole number from 1 to 1000000", where, key));
      t.kind = key == "above_connections" ? Throttle::Kind::Connections : Throttle::Kind::MessagesPerConnection;
      t.limit = value.get<uint64_t>();
    } else if (key == "above_rate") {
      // N/[M]unit as PMTA writes rates; kept as a count per period so windows are exact.
      const std::string text = value.is_string() ? value.get<std::string>() : "";
      const size_t slash = text.find('/');
      const auto per_second = parse_rate_per_second(text);
      if (slash == std::string::npos || !per_second || std::isinf(*per_second))
        return unexpected(fmt::format("{}.above_rate: expected a rate such as 100/m, found {}", where, value.dump()));
      t.kind = Throttle::Kind::Rate;
      t.limit = std::stoull(text.substr(0, slash));
      t.period = static_cast<double>(t.limit) / *per_second;
    } else {
      return unexpected(fmt::format("{}: unknown field \"{}\"", where, key));
    }
  }
  if (kinds != 1)
    return unexpected(where + ": give exactly one of after_messages_per_connection, above_rate, above_connections");
  return t;
}

expected<std::vector<DomainPattern>, Error> read_patterns(const Json& value, const std::string& where, std::string_view example) {
  if (!value.is_array() || value.empty()) return unexpected(fmt::format("{}: expected a list of patterns such as {}", where, example));
  std::vector<DomainPattern> out;
  for (const Json& d : value) {
    if (!d.is_string() || check_domain_pattern(d.get<std::string>()))
      return unexpected(fmt::format("{}: {} is not a pattern such as {}", where, d.dump(), example));
    out.push_back(parse_domain_pattern(to_lower(d.get<std::string>())));
  }
  return out;
}

expected<Provider, Error> read_provider(const Json& item, const std::string& where, bool fallback) {
  if (!item.is_object()) return unexpected(where + ": expected an object");
  Provider p;
  p.name = fallback ? "default" : "";
  for (const auto& [key, value] : item.items()) {
    const std::string at = where + "." + key;
    if (key == "name") {
      if (!value.is_string() || value.get<std::string>().empty()) return unexpected(at + ": expected a name");
      p.name = value.get<std::string>();
    } else if (key == "domains" || key == "mx_patterns") {
      if (fallback) return unexpected(at + ": the default provider answers for every other domain; it has no list");
      auto patterns = read_patterns(value, at, key == "domains" ? "yahoo.com or [*.]yahoo.com" : "*.google.com");
      if (!patterns) return unexpected(patterns.error());
      (key == "domains" ? p.domains : p.mx_patterns) = std::move(*patterns);
    } else if (key == "mx") {
      if (!value.is_string()) return unexpected(at + ": expected the MX host name");
      p.mx = to_lower(value.get<std::string>());
    } else if (key == "connect_latency" || key == "message_latency") {
      auto s = seconds(value, at);
      if (!s) return unexpected(s.error());
      (key == "connect_latency" ? p.connect_latency : p.message_latency) = *s;
    } else if (key == "greeting") {
      auto r = reply_text(value, at);
      if (!r) return unexpected(r.error());
      p.greeting = *r;
    } else if (key == "replies") {
      if (!value.is_array() || value.empty()) return unexpected(at + ": expected a list of {share, reply}");
      p.replies.clear();
      double total = 0;
      for (size_t i = 0; i < value.size(); ++i) {
        const Json& r = value[i];
        const std::string ri = fmt::format("{}[{}]", at, i);
        if (!r.is_object() || !r.contains("share") || !r.contains("reply") || r.size() != 2 || !r["share"].is_number() ||
            r["share"].get<double>() <= 0)
          return unexpected(ri + ": expected {\"share\": a positive number, \"reply\": \"250 ok\"}");
        auto text = reply_text(r["reply"], ri + ".reply");
        if (!text) return unexpected(text.error());
        total += r["share"].get<double>();
        p.replies.push_back({r["share"].get<double>(), *text});
      }
      if (std::abs(total - 1) > 1e-6) return unexpected(fmt::format("{}: the shares add up to {}, not 1", at, total));
    } else if (key == "throttle") {
      if (!value.is_array()) return unexpected(at + ": expected a list");
      for (size_t i = 0; i < value.size(); ++i) {
        auto t = read_throttle(value[i], fmt::format("{}[{}]", at, i));
        if (!t) return unexpected(t.error());
        p.throttles.push_back(std::move(*t));
      }
    } else {
      return unexpected(fmt::format("{}: unknown field \"{}\"", where, key));
    }
  }
  if (!fallback && (p.name.empty() || (p.domains.empty() && p.mx_patterns.empty())))
    return unexpected(where + ": \"name\" and \"domains\" or \"mx_patterns\" are required");
  return p;
}

}  // namespace

namespace {

// The provider with the most specific pattern matching `name`, if any.
std::optional<size_t> best_match(const std::vector<Provider>& providers, std::string_view name,
                                 std::vector<DomainPattern> Provider::*patterns) {
  std::optional<size_t> best;
  uint64_t best_specificity = 0;
  for (size_t i = 0; i + 1 < providers.size(); ++i)
    for (const DomainPattern& pattern : providers[i].*patterns)
      if (pattern.matches(name) && (!best || pattern.specificity() > best_specificity)) {
        best = i;
        best_specificity = pattern.specificity();
      }
  return best;
}

}  // namespace

size_t Scenario::provider_for(std::string_view domain, std::string_view mx_host) const {
  if (const auto by_domain = best_match(providers, domain, &Provider::domains)) return *by_domain;
  if (!mx_host.empty())
    if (const auto by_mx = best_match(providers, mx_host, &Provider::mx_patterns)) return *by_mx;
  return providers.size() - 1;
}

Scenario standard_scenario() {
  Scenario s;
  s.providers.emplace_back();
  s.providers.back().name = "default";
  return s;
}

expected<Scenario, std::string> parse_scenario(const std::string& text) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    return unexpected(fmt::format("not valid JSON: {}", e.what()));
  } catch (const Json::exception& e) {
    // out_of_range 406: a number such as 1e400 that no double holds.
    return unexpected(fmt::format("not a usable JSON document: {}", e.what()));
  }
  if (!doc.is_object()) return unexpected(std::string("expected an object (schemas/scenario.schema.json)"));
  Scenario out;
  Provider fallback;
  fallback.name = "default";
  for (const auto& [key, value] : doc.items()) {
    if (key == "version" || key == "description") continue;
    if (key == "providers") {
      if (!value.is_array()) return unexpected(std::string("providers: expected a list"));
      for (size_t i = 0; i < value.size(); ++i) {
        auto p = read_provider(value[i], fmt::format("providers[{}]", i), false);
        if (!p) return unexpected(p.error());
        out.providers.push_back(std::move(*p));
      }
    } else if (key == "default") {
      auto p = read_provider(value, "default", true);
      if (!p) return unexpected(p.error());
      fallback = std::move(*p);
    } else {
      return unexpected(fmt::format("unknown field \"{}\"", key));
    }
  }
  out.providers.push_back(std::move(fallback));
  return out;
}

expected<Scenario, std::string> read_scenario(const std::string& path) {
  const auto text = read_text_file(path);
  if (!text) return unexpected(text.error());
  auto parsed = parse_scenario(*text);
  if (!parsed) return unexpected(fmt::format("{}: {}", path, parsed.error()));
  return parsed;
}

}  // namespace pmtalint::delivery
