#pragma once
// Small adapters between ldns's C structures and the resolver's plain answers.
// The standard headers come first: included after ldns, libstdc++'s <string> does not compile
// with clang (the fuzz build).
#include <string>

#include "dns/resolver.h"

#include <ldns/ldns.h>

namespace pmtalint::dns {

ldns_rr_type to_ldns(RecordType type);
// The record's data as the checks compare it: a name without its final dot, an address, an MX
// as "PREFERENCE HOST", or the TXT character-strings joined without separators (RFC 6376 §3.6.2.2).
std::string record_text(const ldns_rr* rr);
std::string owner_name(const ldns_rr* rr);

}  // namespace pmtalint::dns
