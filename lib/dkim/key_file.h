#pragma once
// What a DKIM private key file holds, read with OpenSSL; nothing here ever returns or logs key
// material, only its kind, size and the public half (which is published in DNS anyway).
#include <string>
#include <string_view>

namespace pmtalint {

enum class KeyKind : uint8_t {
  Rsa,
  Ed25519,
  OtherAlgorithm,  // a private key PMTA cannot sign DKIM with (EC, DSA …)
  Encrypted,       // passphrase-protected: PMTA cannot unlock it
  Certificate,
  PublicKey,
  NotAKey,
};

struct KeyInfo {
  KeyKind kind = KeyKind::NotAKey;
  int bits = 0;
  std::string algorithm;   // OpenSSL's name, for messages
  std::string public_der;  // SubjectPublicKeyInfo (RSA) or the raw 32 bytes (Ed25519), binary
};

KeyInfo inspect_private_key(std::string_view pem);

// The base64 text of `p=` in a DKIM DNS record for that key.
std::string dkim_public_key_base64(const KeyInfo& key);

}  // namespace pmtalint
