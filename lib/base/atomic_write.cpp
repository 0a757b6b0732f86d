#include "base/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace pmtalint {
namespace {

namespace fs = std::filesystem;

std::string reason(int error) { return std::strerror(error); }

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The whole content of a regular file opened without following a final symlink or blocking.
expected<std::string, std::string> read_fd(int fd) {
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unexpected(reason(errno));
    if (n == 0) return out;
    out.append(buffer, static_cast<size_t>(n));
  }
}

expected<std::string, std::string> read_target(const std::string& target, struct stat& st) {
  Fd in{::open(target.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (in.fd < 0) return unexpected(reason(errno));
  if (::fstat(in.fd, &st) != 0) return unexpected(reason(errno));
  if (!S_ISREG(st.st_mode)) return unexpected(std::string("is not a regular file; only regular files are rewritten"));
  return read_fd(in.fd);
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

expected<void, std::string> replace_file_contents(const std::string& path, std::string_view expected,
                                                  std::string_view text) {
  // Through every symlink to the file itself: that file is replaced, each link keeps pointing at it.
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return unexpected(reason(errno));
  const std::string target = resolved;
  struct stat before{};
  auto current = read_target(target, before);
  if (!current) return unexpected(current.error());
  if (*current != expected) return unexpected(std::string("changed since it was read; not written (run again)"));
  if ((before.st_mode & 0222) == 0 || ::access(target.c_str(), W_OK) != 0)
    return unexpected(std::string("is read-only; not written"));
  if (before.st_nlink > 1)
    return unexpected(fmt::format("has {} hard links, which replacing it would split; not written", before.st_nlink));

  const fs::path dir = fs::path(target).parent_path();
  std::string temp = (dir / ("." + fs::path(target).filename().string() + ".pmtalint-XXXXXX")).string();
  Fd out{::mkstemp(temp.data())};
  if (out.fd < 0) return unexpected(fmt::format("cannot create a temporary file in {}: {}", dir.string(), reason(errno)));
  const auto fail = [&](std::string why) {
    ::unlink(temp.c_str());
    return unexpected(std::move(why));
  };
  if (::fchmod(out.fd, before.st_mode & 07777) != 0) return fail(fmt::format("cannot keep its mode: {}", reason(errno)));
  if (::fchown(out.fd, before.st_uid, before.st_gid) != 0) {
    struct stat mine{};
    // Without the right to give a file away, only a file already ours can be rewritten as ours.
    if (::fstat(out.fd, &mine) != 0 || mine.st_uid != before.st_uid || mine.st_gid != before.st_gid)
      return fail(fmt::format("cannot keep its owner: {}", reason(errno)));
  }
  if (!write_all(out.fd, text) || ::fsync(out.fd) != 0) return fail(fmt::format("cannot write: {}", reason(errno)));
  // The last look before the rename: the same file, still holding what was read.
  struct stat now{};
  auto again = read_target(target, now);
  if (!again || now.st_ino != before.st_ino || now.st_dev != before.st_dev || *again != expected)
    return fail("changed since it was read; not written (run again)");
  if (::rename(temp.c_str(), target.c_str()) != 0) return fail(fmt::format("cannot replace it: {}", reason(errno)));
  if (Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)}; d.fd >= 0) ::fsync(d.fd);
  return {};
}

}  // namespace pmtalint
