#include "base/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <cstring>

namespace pmtalint {
namespace {

std::string reason() { return std::strerror(errno); }

bool write_fd(int fd, std::string_view content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Written in place: no temporary file, no rename (a device, a FIFO, a dangling link's target).
expected<void, std::string> write_in_place(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0) return unexpected(reason());
  const bool written = write_fd(fd, content);
  const std::string why = reason();
  const bool closed = ::close(fd) == 0;
  if (!written) return unexpected(why);
  if (!closed) return unexpected(reason());
  return {};
}

}  // namespace

std::optional<FileKey> file_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileKey{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino)};
}

expected<void, std::string> refuse_if_input(const std::string& option, const std::string& target,
                                            std::span<const InputFile> inputs, std::span<const FileKey> keys) {
  const auto out = file_key(target);
  if (!out) return {};  // a new file cannot be an input
  for (const InputFile& input : inputs)
    if (file_key(input.path) == out)
      return unexpected(option + " " + target + " is " + input.role + " " + input.path +
                        "; refusing to overwrite an input (choose another output file)");
  for (const FileKey& key : keys)
    if (key == *out)
      return unexpected(option + " " + target + " is a file this run reads; refusing to overwrite an input (choose another output file)");
  return {};
}

expected<void, std::string> write_output_file(const std::string& path, std::string_view content) {
  std::string target = path;
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    // Write through the link: its final target is replaced, the link itself stays.
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) return write_in_place(path, content);  // dangling: creates the target
    target = resolved;
  }
  struct stat info {};
  if (::stat(target.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) return write_in_place(target, content);
  std::string temporary = target + ".XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return unexpected(reason());
  const bool written = write_fd(fd, content);
  std::string why = reason();
  const bool closed = ::close(fd) == 0;
  if (written && closed && ::chmod(temporary.c_str(), 0644) == 0 && std::rename(temporary.c_str(), target.c_str()) == 0) return {};
  if (written && closed) why = reason();
  std::remove(temporary.c_str());
  return unexpected(why);
}

}  // namespace pmtalint
