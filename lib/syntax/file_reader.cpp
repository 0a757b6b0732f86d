#include "syntax/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    if (errno == ENXIO) return unexpected(std::string("is a socket or FIFO, not a regular file"));
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

std::string key_material_kind(std::string_view text) {
  if (text.starts_with("PuTTY-User-Key-File-")) return "a private key";
  for (size_t at = text.find("-----BEGIN "); at != std::string_view::npos; at = text.find("-----BEGIN ", at + 1)) {
    if (at > 0 && text[at - 1] != '\n') continue;  // only a line that starts a PEM block
    const std::string_view line = text.substr(at, text.find('\n', at) - at);
    if (!line.ends_with("-----") && !line.ends_with("-----\r")) continue;
    if (line.find("PRIVATE KEY") != std::string_view::npos) return "a private key";
    if (line.find("CERTIFICATE") != std::string_view::npos) return "a certificate";
    return "PEM-encoded key material";
  }
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
