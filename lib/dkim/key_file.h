#pragma once
// What a DKIM private key file holds, read with OpenSSL; nothing here ever returns or logs key
// material, only its kind, size and the public half (which is published in DNS anyway).
#include <string>
#include <string_view>

#include "base/expected.h"

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

struct KeyFile {
  KeyInfo key;
  unsigned mode = 0;  // permission bits
};

// Reads and inspects a key file. Only small regular files are read: a path in a configuration
// must not make pmtalint read a device, a FIFO or a gigabyte file.
expected<KeyFile, std::string> read_key_file(const std::string& path);

// The base64 text of `p=` in a DKIM DNS record for that key.
std::string dkim_public_key_base64(const KeyInfo& key);

}  // namespace pmtalint
