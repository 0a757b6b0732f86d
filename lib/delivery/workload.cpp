#include "delivery/workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/text.h"
#include "schema/grammar.h"
#include "syntax/file_reader.h"

namespace pmtalint::delivery {
namespace {

// A billion messages simulate in about a minute; more would look like a hang.
constexpr uint64_t kMaxMessages = 1'000'000'000ULL;
constexpr size_t kMaxCsvLine = 64 * 1024;  // a stream is a few fields; longer lines are not a workload

expected<double, std::string> read_rate(std::string_view text) {
  const auto rate = parse_rate_per_second(text);
  if (!rate) return unexpected(fmt::format("'{}' is not a rate such as 500/h or 10/s", text));
  // "unlimited" (infinite) is the explicit way to inject everything at once; a rate of zero
  // would never inject a message, so it is refused rather than read as "no limit".
  if (*rate <= 0) return unexpected(fmt::format("'{}' would never inject a message; give a positive rate, or leave the rate out "
                                                "(or write \"unlimited\") to inject everything at the start", text));
  return std::isinf(*rate) ? 0.0 : *rate;
}

expected<double, std::string> read_interval(std::string_view text) {
  const auto seconds = parse_interval_seconds(text);
  if (!seconds) return unexpected(fmt::format("'{}' is not an interval such as 0s, 90m or 1h", text));
  return static_cast<double>(*seconds);
}

expected<uint64_t, std::string> read_count(std::string_view text, std::string_view what, uint64_t max) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max)
    return unexpected(fmt::format("{} must be a whole number up to {}, found '{}'", what, max, text));
  return value;
}

expected<void, std::string> check_stream(const WorkloadStream& s) {
  if (s.domain.empty() || s.domain.find_first_of(" \t@/") != std::string::npos)
    return unexpected(fmt::format("'{}' is not a recipient domain", s.domain));
  if (s.recipients_per_message == 0) return unexpected(std::string("recipients_per_message must be at least 1"));
  return {};
}

expected<Workload, std::string> from_json(const std::string& text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return unexpected(fmt::format("not valid JSON: {}", e.what()));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range 406: a number such as 1e400 that no double holds.
    return unexpected(fmt::format("not a usable JSON document: {}", e.what()));
  }
  if (!doc.is_object() || !doc.contains("streams") || !doc["streams"].is_array())
    return unexpected(std::string("expected an object with a \"streams\" array (schemas/workload.schema.json)"));
  Workload out;
  size_t index = 0;
  for (const auto& item : doc["streams"]) {
    const std::string where = fmt::format("streams[{}]", index++);
    if (!item.is_object()) return unexpected(where + ": expected an object");
    WorkloadStream s;
    for (const auto& field : item.items()) {
      // Named copies, not structured bindings: clang 14 (the fuzz build) cannot capture those.
      const std::string& key = field.key();
      const nlohmann::json& value = field.value();
      const auto text = [&]() -> expected<std::string, std::string> {
        if (!value.is_string()) return unexpected(fmt::format("{}.{}: expected a string", where, key));
        return value.get<std::string>();
      };
      const auto count = [&](uint64_t max) -> expected<uint64_t, std::string> {
        if (!value.is_number_unsigned() || value.get<uint64_t>() > max)
          return unexpected(fmt::format("{}.{}: expected a whole number up to {}", where, key, max));
        return value.get<uint64_t>();
      };
      expected<void, std::string> ok;
      if (key == "domain") {
        auto v = text();
        if (!v) return unexpected(v.error());
        s.domain = to_lower(trim(*v));
      } else if (key == "messages") {
        auto v = count(kMaxMessages);
        if (!v) return unexpected(v.error());
        s.messages = *v;
      } else if (key == "vmta" || key == "source") {
        auto v = text();
        if (!v) return unexpected(v.error());
        (key == "vmta" ? s.vmta : s.source) = std::string(trim(*v));
      } else if (key == "rate" || key == "start") {
        auto v = text();
        if (!v) return unexpected(v.error());
        auto parsed = key == "rate" ? read_rate(*v) : read_interval(*v);
        if (!parsed) return unexpected(fmt::format("{}.{}: {}", where, key, parsed.error()));
        (key == "rate" ? s.rate : s.start) = *parsed;
      } else if (key == "recipients_per_message") {
        auto v = count(100'000);
        if (!v) return unexpected(v.error());
        s.recipients_per_message = static_cast<uint32_t>(*v);
      } else {
        return unexpected(fmt::format("{}: unknown field \"{}\"", where, key));
      }
    }
    if (auto ok = check_stream(s); !ok) return unexpected(fmt::format("{}: {}", where, ok.error()));
    if (!item.contains("domain") || !item.contains("messages"))
      return unexpected(where + ": \"domain\" and \"messages\" are required");
    out.streams.push_back(std::move(s));
  }
  return out;
}

expected<Workload, std::string> from_csv(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> columns;
  Workload out;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.size() > kMaxCsvLine) return unexpected(fmt::format("line {} is longer than {} bytes", number, kMaxCsvLine));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line).starts_with('#')) continue;
    std::vector<std::string> cells;
    for (const Field& f : split_fields(line, ',')) cells.emplace_back(f.text);
    if (columns.empty()) {
      columns = cells;
      for (const std::string& c : columns)
        if (c != "domain" && c != "messages" && c != "vmta" && c != "source" && c != "rate" && c != "start" &&
            c != "recipients_per_message")
          return unexpected(fmt::format("line {}: unknown column '{}'", number, c));
      if (std::find(columns.begin(), columns.end(), "domain") == columns.end() ||
          std::find(columns.begin(), columns.end(), "messages") == columns.end())
        return unexpected(std::string("line 1: the header must name the columns domain and messages"));
      continue;
    }
    if (cells.size() != columns.size())
      return unexpected(fmt::format("line {}: {} fields, the header has {}", number, cells.size(), columns.size()));
    WorkloadStream s;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string& c = columns[i];
      const std::string& v = cells[i];
      const auto fail = [&](const std::string& why) { return unexpected(fmt::format("line {}: {}: {}", number, c, why)); };
      if (c == "domain") s.domain = to_lower(v);
      else if (c == "vmta") s.vmta = v;
      else if (c == "source") s.source = v;
      else if (c == "messages") {
        auto n = read_count(v, "messages", kMaxMessages);
        if (!n) return fail(n.error());
        s.messages = *n;
      } else if (c == "recipients_per_message") {
        auto n = read_count(v, "recipients_per_message", 100'000);
        if (!n) return fail(n.error());
        s.recipients_per_message = static_cast<uint32_t>(*n);
      } else if (!v.empty()) {
        auto parsed = c == "rate" ? read_rate(v) : read_interval(v);
        if (!parsed) return fail(parsed.error());
        (c == "rate" ? s.rate : s.start) = *parsed;
      }
    }
    if (auto ok = check_stream(s); !ok) return unexpected(fmt::format("line {}: {}", number, ok.error()));
    out.streams.push_back(std::move(s));
  }
  if (columns.empty()) return unexpected(std::string("the file is empty; expected a header line such as domain,messages"));
  return out;
}

}  // namespace

uint64_t Workload::messages() const {
  uint64_t total = 0;
  for (const WorkloadStream& s : streams) total += s.messages;
  return total;
}

expected<Workload, std::string> read_workload(const std::string& path) {
  const auto text = read_text_file(path);
  if (!text) return unexpected(text.error());
  auto parsed = path.ends_with(".json") ? from_json(*text) : parse_workload(*text);
  if (!parsed) return unexpected(fmt::format("{}: {}", path, parsed.error()));
  return parsed;
}

expected<Workload, std::string> parse_workload(const std::string& text) {
  auto parsed = trim(text).starts_with('{') ? from_json(text) : from_csv(text);
  if (parsed && parsed->messages() > kMaxMessages) return unexpected(fmt::format("more than {} messages in all", kMaxMessages));
  return parsed;
}

expected<Workload, std::string> read_recipients(const std::string& path, const std::string& vmta) {
  const auto text = read_text_file(path);
  if (!text) return unexpected(text.error());
  std::map<std::string, uint64_t> per_domain;
  std::istringstream in(*text);
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view address = trim(line.ends_with('\r') ? std::string_view(line).substr(0, line.size() - 1) : line);
    if (address.empty() || address.starts_with('#')) continue;
    const size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size())
      return unexpected(fmt::format("{}:{}: '{}' is not an e-mail address", path, number, address));
    ++per_domain[to_lower(address.substr(at + 1))];
  }
  Workload out;
  for (auto& [domain, count] : per_domain) out.streams.push_back({domain, count, vmta, "", 0, 0, 1});
  if (out.streams.empty()) return unexpected(fmt::format("{}: no recipient addresses", path));
  return out;
}

}  // namespace pmtalint::delivery
