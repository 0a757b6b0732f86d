// Answers from RFC 1035 zone files, parsed by ldns: the offline snapshot of the DNS.
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "base/text.h"
#include "syntax/file_reader.h"  // before ldns, whose C headers redefine bool and false
#include "dns/ldns_util.h"

namespace pmtalint {

namespace {

// A snapshot of the records a configuration names is kilobytes; ldns holds each record as
// several allocations, so a huge zone would cost many times its size in memory.
constexpr size_t kMaxZoneBytes = size_t{64} << 20;

class ZoneResolver final : public Resolver {
 public:
  std::string describe() const override {
    std::string out = files_.size() == 1 ? "the zone file " : "the zone files ";
    for (size_t i = 0; i < files_.size(); ++i) out += (i ? ", " : "") + files_[i];
    return out;
  }

  expected<void, std::string> add(const std::string& path) {
    // Errors go to the terminal as they are (config prints them): the path is escaped here.
    const std::string shown = printable(path);
    // Read by the one reader that refuses devices, FIFOs, sockets and directories and caps the
    // size; ldns then parses the bytes from memory and never opens the path itself.
    // The size is known before reading: a huge zone is refused without being read at all.
    if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) > kMaxZoneBytes)
      return unexpected(fmt::format("{}: the zone file is larger than {} MiB", shown, kMaxZoneBytes >> 20));
    auto contents = read_regular_file(path);
    if (!contents) return unexpected(fmt::format("{}: cannot read the zone file: {}", shown, contents.error()));
    if (contents->text.size() > kMaxZoneBytes)
      return unexpected(fmt::format("{}: the zone file is larger than {} MiB", shown, kMaxZoneBytes >> 20));
    if (const std::string binary = binary_reason(contents->text); !binary.empty())
      return unexpected(fmt::format("{}: {}, not a zone file", shown, binary));
    if (contents->text.empty()) contents->text.push_back('\n');  // fmemopen refuses a zero-length buffer
    std::unique_ptr<FILE, decltype(&fclose)> file(fmemopen(contents->text.data(), contents->text.size(), "r"), fclose);
    if (!file) return unexpected(fmt::format("{}: cannot read the zone file from memory", shown));
    ldns_zone* zone = nullptr;
    int line = 0;
    const ldns_status status = ldns_zone_new_frm_fp_l(&zone, file.get(), nullptr, 3600, LDNS_RR_CLASS_IN, &line);
    if (status != LDNS_STATUS_OK)
      return unexpected(fmt::format("{}:{}: not a valid zone file: {}", shown, line, ldns_get_errorstr_by_id(status)));
    std::unique_ptr<ldns_zone, decltype(&ldns_zone_deep_free)> owned(zone, ldns_zone_deep_free);
    if (const ldns_rr* soa = ldns_zone_soa(zone)) origins_.push_back(dns::owner_name(soa));
    const ldns_rr_list* rrs = ldns_zone_rrs(zone);
    for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); ++i) {
      const ldns_rr* rr = ldns_rr_list_rr(rrs, i);
      const std::string owner = dns::owner_name(rr);
      names_.insert(owner);
      records_[{owner, ldns_rr_get_type(rr)}].push_back(dns::record_text(rr));
    }
    files_.push_back(path);
    return {};
  }

 protected:
  DnsAnswer query(const std::string& name, RecordType type) override {
    const bool covered = std::any_of(origins_.begin(), origins_.end(), [&](const std::string& origin) {
      return name == origin || (name.size() > origin.size() && name.ends_with(origin) &&
                                name[name.size() - origin.size() - 1] == '.');
    });
    if (!covered) return {DnsStatus::Failure, {}, fmt::format("{} is outside {}", name, describe())};
    const auto it = records_.find({name, dns::to_ldns(type)});
    if (it == records_.end()) return {DnsStatus::NoRecord, {}, ""};
    return {DnsStatus::Ok, it->second, ""};
  }

 private:
  std::vector<std::string> files_;
  std::vector<std::string> origins_;
  std::set<std::string> names_;
  std::map<std::pair<std::string, ldns_rr_type>, std::vector<std::string>> records_;
};

}  // namespace

expected<std::unique_ptr<Resolver>, std::string> zone_resolver(const std::vector<std::string>& zone_files) {
  auto resolver = std::make_unique<ZoneResolver>();
  for (const std::string& path : zone_files)
    if (auto added = resolver->add(path); !added) return unexpected(added.error());
  return std::unique_ptr<Resolver>(std::move(resolver));
}

}  // namespace pmtalint
