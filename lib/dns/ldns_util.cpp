#include "dns/ldns_util.h"

#include <memory>

#include "base/text.h"

namespace pmtalint::dns {

namespace {

std::string rdf_text(const ldns_rdf* rdf) {
  std::unique_ptr<char, decltype(&free)> text(ldns_rdf2str(rdf), free);
  std::string out = text ? text.get() : "";
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

ldns_rr_type to_ldns(RecordType type) {
  switch (type) {
    case RecordType::A: return LDNS_RR_TYPE_A;
    case RecordType::AAAA: return LDNS_RR_TYPE_AAAA;
    case RecordType::PTR: return LDNS_RR_TYPE_PTR;
    case RecordType::TXT: return LDNS_RR_TYPE_TXT;
    case RecordType::MX: return LDNS_RR_TYPE_MX;
  }
  return LDNS_RR_TYPE_A;
}

std::string record_text(const ldns_rr* rr) {
  if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_MX && ldns_rr_rd_count(rr) >= 2)
    return rdf_text(ldns_rr_rdf(rr, 0)) + " " + to_lower(rdf_text(ldns_rr_rdf(rr, 1)));
  if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT) return to_lower(rdf_text(ldns_rr_rdf(rr, 0)));
  std::string joined;
  for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
    const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
    const uint8_t* data = ldns_rdf_data(rdf);
    const size_t size = ldns_rdf_size(rdf);
    if (size == 0) continue;
    const size_t length = std::min<size_t>(data[0], size - 1);  // a length byte, then the text
    joined.append(reinterpret_cast<const char*>(data + 1), length);
  }
  return joined;
}

std::string owner_name(const ldns_rr* rr) { return to_lower(rdf_text(ldns_rr_owner(rr))); }

}  // namespace pmtalint::dns
