#include "dkim/key_file.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <sys/stat.h>

#include <memory>

#include "syntax/file_reader.h"

namespace pmtalint {

namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Bio memory(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
}

// Never prompt on a terminal for a passphrase: an encrypted key simply fails to load.
int no_passphrase(char*, int, int, void*) { return -1; }

std::string public_part(EVP_PKEY* key, bool raw) {
  if (raw) {
    size_t size = 0;
    if (EVP_PKEY_get_raw_public_key(key, nullptr, &size) != 1) return {};
    std::string out(size, '\0');
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &size) != 1) return {};
    return out;
  }
  const int size = i2d_PUBKEY(key, nullptr);
  if (size <= 0) return {};
  std::string out(static_cast<size_t>(size), '\0');
  auto* cursor = reinterpret_cast<unsigned char*>(out.data());
  i2d_PUBKEY(key, &cursor);
  return out;
}

}  // namespace

KeyInfo inspect_private_key(std::string_view pem) {
  KeyInfo info;
  if (pem.size() > (1u << 20)) return info;  // no key file is a megabyte long
  const auto has = [&](std::string_view marker) { return pem.find(marker) != std::string_view::npos; };
  Key key(PEM_read_bio_PrivateKey(memory(pem).get(), nullptr, no_passphrase, nullptr), EVP_PKEY_free);
  if (!key) {
    if (has("ENCRYPTED")) info.kind = KeyKind::Encrypted;
    else if (has("-----BEGIN CERTIFICATE-----")) info.kind = KeyKind::Certificate;
    else if (has("PUBLIC KEY-----")) info.kind = KeyKind::PublicKey;
    return info;
  }
  info.bits = EVP_PKEY_get_bits(key.get());
  const char* name = EVP_PKEY_get0_type_name(key.get());
  info.algorithm = name ? name : "unknown";
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      info.kind = KeyKind::Rsa;
      info.public_der = public_part(key.get(), false);
      break;
    case EVP_PKEY_ED25519:
      info.kind = KeyKind::Ed25519;
      info.public_der = public_part(key.get(), true);
      break;
    default: info.kind = KeyKind::OtherAlgorithm;
  }
  return info;
}

expected<KeyFile, std::string> read_key_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > (1 << 20))
    return unexpected(std::string("larger than 1 MiB, so not a key file"));
  auto contents = read_regular_file(path);
  if (!contents) return unexpected(contents.error());
  return KeyFile{inspect_private_key(contents->text), static_cast<unsigned>(st.st_mode & 07777)};
}

std::string dkim_public_key_base64(const KeyInfo& key) {
  if (key.public_der.empty()) return {};
  std::string out(4 * ((key.public_der.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(key.public_der.data()),
                                static_cast<int>(key.public_der.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace pmtalint
