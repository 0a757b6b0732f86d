#include "syntax/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace pmtalint {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
  return "is not a regular file";
}

expected<std::string, std::string> read_all(int fd, size_t hint) {
  std::string text;
  text.reserve(hint);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return unexpected(std::string(std::strerror(errno)));
    }
    if (text.size() + static_cast<size_t>(n) > kMaxFileBytes)
      return unexpected(fmt::format("is larger than {} MiB", kMaxFileBytes >> 20));
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

}  // namespace

expected<FileContents, std::string> read_regular_file(const std::string& path) {
  // O_NONBLOCK so that opening a FIFO without a writer returns at once instead of hanging.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return unexpected(std::string("no such file"));
    if (errno == ELOOP) return unexpected(std::string("too many levels of symbolic links"));
    if (errno == ENXIO) return unexpected(std::string("cannot be opened for reading (a FIFO without a writer, a socket or a terminal), not a regular file"));
    return unexpected(std::string(std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    return unexpected(reason);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return unexpected(kind_of(st.st_mode));
  }
  if (static_cast<unsigned long long>(st.st_size) > kMaxFileBytes) {
    ::close(fd);
    return unexpected(fmt::format("is larger than {} MiB", kMaxFileBytes >> 20));
  }
  auto text = read_all(fd, static_cast<size_t>(st.st_size));
  ::close(fd);
  if (!text) return unexpected(text.error());
  return FileContents{std::move(*text), {static_cast<unsigned long long>(st.st_dev),
                                          static_cast<unsigned long long>(st.st_ino)}};
}

expected<std::string, std::string> read_stdin() { return read_all(STDIN_FILENO, 0); }

std::optional<FileIdentity> read_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino)};
}

std::string binary_reason(std::string_view text) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    return "is encoded as UTF-16 or UTF-32; PMTA reads UTF-8 (convert it with iconv)";
  const std::string_view head = text.substr(0, 8000);
  const size_t nul = head.find('\0');
  if (nul != std::string_view::npos) return fmt::format("is binary (NUL byte at offset {})", nul);
  return {};
}

namespace {

bool base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

// A PEM armour line, however it is indented or cased: "-----BEGIN … -----".
std::string_view armour(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() < 16 || !line.starts_with("-----") || !line.ends_with("-----")) return {};
  const std::string_view inner = line.substr(5, line.size() - 10);
  if (inner.size() < 6 || !(inner.substr(0, 6) == "BEGIN " || inner.substr(0, 6) == "begin ")) return {};
  return inner;
}

}  // namespace

std::string key_material_kind(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark
  if (text.starts_with("PuTTY-User-Key-File-")) return "a private key";
  // Base64 lines of a key without their armour (a body pasted alone) count too: many long
  // lines of base64 alphabet only, and nothing else that could be a directive.
  size_t lines = 0, encoded = 0;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (const std::string_view inner = armour(line); !inner.empty()) {
      std::string upper(inner);
      for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      if (upper.find("PRIVATE KEY") != std::string::npos) return "a private key";
      if (upper.find("CERTIFICATE") != std::string::npos) return "a certificate";
      return "PEM-encoded key material";
    }
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.back() == '\r' || trimmed.back() == ' ')) trimmed.remove_suffix(1);
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    ++lines;
    if (trimmed.size() >= 40 && std::all_of(trimmed.begin(), trimmed.end(), base64_char)) ++encoded;
  }
  if (encoded >= 3 && encoded * 10 >= lines * 9) return "base64-encoded data";
  return {};
}

expected<std::string, std::string> read_text_file(const std::string& path) {
  auto file = read_regular_file(path);
  if (!file) return unexpected(fmt::format("{}: {}", path, file.error()));
  if (const std::string binary = binary_reason(file->text); !binary.empty())
    return unexpected(fmt::format("{}: {}, not a text file", path, binary));
  return std::move(file->text);
}

}  // namespace pmtalint
