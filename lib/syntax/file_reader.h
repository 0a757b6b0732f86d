#pragma once
// Reading a configuration file without ever blocking or exhausting memory: FIFOs, sockets,
// devices and directories are refused before a single byte is read, and sizes are capped.
#include <optional>
#include <string>

#include "base/expected.h"

namespace pmtalint {

inline constexpr size_t kMaxFileBytes = size_t{1} << 30;  // spans are 32-bit

struct FileIdentity {
  unsigned long long device = 0;
  unsigned long long inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

struct FileContents {
  std::string text;
  FileIdentity identity;
};

// On failure the error is a short reason ("no such file", "is a directory") without the path.
expected<FileContents, std::string> read_regular_file(const std::string& path);
expected<std::string, std::string> read_stdin();
// Device and inode of a path (following symlinks), without reading it.
std::optional<FileIdentity> read_identity(const std::string& path);

// Binary data (NUL bytes near the start, UTF-16/32 byte-order marks) is not a PMTA
// configuration at all; returns the reason, or an empty string for text.
std::string binary_reason(std::string_view text);

// Key material (a PEM block: private key, certificate; an OpenSSH or PuTTY key file) is never
// configuration, and its lines must never be quoted back as findings. Returns what the file
// holds ("a private key", "a certificate"), or an empty string.
std::string key_material_kind(std::string_view text);

// A text input other than a configuration (a workload, a scenario): read_regular_file plus the
// binary check, the error starting with the path.
expected<std::string, std::string> read_text_file(const std::string& path);

}  // namespace pmtalint
