#include "lsp/framing.h"

#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <charconv>
#include <optional>

#include "base/text.h"

namespace pmtalint::lsp {

bool MessageReader::fill() {
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

void MessageReader::compact() {
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

MessageReader::Result MessageReader::next() {
  // The header section ends at the first empty line; \n alone is accepted as a line end.
  size_t end = std::string::npos, body_start = 0;
  for (;;) {
    const size_t crlf = buffer_.find("\r\n\r\n", pos_), lf = buffer_.find("\n\n", pos_);
    if (crlf != std::string::npos && (lf == std::string::npos || crlf < lf)) end = crlf, body_start = crlf + 4;
    else if (lf != std::string::npos) end = lf, body_start = lf + 2;
    if (end != std::string::npos) break;
    if (buffer_.size() - pos_ > kMaxHeaderBytes) {
      pos_ = buffer_.size();  // drop the garbage; the next blank line resynchronises
      compact();
      return {Status::Malformed, "", "header section longer than 8 KiB"};
    }
    if (!fill()) return {Status::End, "", ""};
  }
  const std::string_view headers(buffer_.data() + pos_, end - pos_);
  pos_ = body_start;
  std::optional<unsigned long long> length;
  std::string_view rest = headers;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !iequals(trim(line.substr(0, colon)), "Content-Length")) continue;
    const std::string_view digits = trim(line.substr(colon + 1));
    unsigned long long n = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) {
      compact();
      return {Status::Malformed, "", "Content-Length is not a number"};
    }
    length = n;
  }
  if (!length) {
    compact();
    return {Status::Malformed, "", "no Content-Length header"};
  }
  if (*length > kMaxBodyBytes) {
    unsigned long long left = *length;
    for (;;) {  // read and drop, never holding more than one chunk
      const size_t take = static_cast<size_t>(std::min<unsigned long long>(left, buffer_.size() - pos_));
      pos_ += take;
      left -= take;
      compact();
      if (left == 0) break;
      if (!fill()) return {Status::End, "", ""};
    }
    return {Status::Malformed, "", "message body larger than 64 MiB, dropped"};
  }
  while (buffer_.size() - pos_ < *length)
    if (!fill()) return {Status::End, "", ""};
  std::string body = buffer_.substr(pos_, static_cast<size_t>(*length));
  pos_ += static_cast<size_t>(*length);
  compact();
  return {Status::Message, std::move(body), ""};
}

bool write_message(int fd, std::string_view json) {
  std::string out = "Content-Length: " + std::to_string(json.size()) + "\r\n\r\n";
  out += json;
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace pmtalint::lsp
