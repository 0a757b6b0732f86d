#pragma once
// The LSP base protocol on a file descriptor: header lines (`Content-Length: N`), a blank
// line, then N bytes of JSON. Reading never trusts the peer: headers are capped, a body above
// the limit is read and dropped in chunks (a claimed 4 GB body costs no memory), and a
// malformed header section is skipped up to the next blank line so the stream can recover.
#include <cstddef>
#include <string>
#include <string_view>

namespace pmtalint::lsp {

inline constexpr size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr size_t kMaxBodyBytes = 64u * 1024 * 1024;

class MessageReader {
 public:
  explicit MessageReader(int fd) : fd_(fd) {}

  enum class Status { Message, Malformed, End };
  struct Result {
    Status status;
    std::string body;   // Message: the JSON text
    std::string error;  // Malformed: what was wrong
  };
  Result next();
  // Bytes already read but not yet consumed: the caller need not wait for the fd.
  bool buffered() const { return pos_ < buffer_.size(); }

 private:
  bool fill();
  void compact();

  int fd_;
  std::string buffer_;
  size_t pos_ = 0;
};

// Writes one framed message; false when the peer is gone.
bool write_message(int fd, std::string_view json);

}  // namespace pmtalint::lsp
