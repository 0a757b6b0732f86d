#include "delivery/smtp_session.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pmtalint::delivery {
namespace {

std::string lower(std::string_view text) {
  std::string s(text);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string SmtpReply::text() const {
  std::string out = std::to_string(code);
  for (const std::string& line : lines) out += " " + line;
  return out;
}

SmtpSession::~SmtpSession() { drop(); }

void SmtpSession::drop() {
  if (ssl_) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

SmtpReply SmtpSession::lost(const std::string& why) {
  drop();
  return {421, {"4.4.2 pmtalint: " + why}};
}

SmtpReply SmtpSession::timed_out(Wait why) {
  if (why == Wait::Stopped || deadline_ >= end_) return lost("the run ended (--horizon) before the server answered");
  return lost(fmt::format("no complete reply within {} s", kStepTimeoutSeconds));
}

void SmtpSession::start_step(int seconds) { deadline_ = std::min(Clock::now() + std::chrono::seconds(seconds), end_); }

// Until the step's deadline, whatever arrives in between: a byte every few seconds does not
// extend it.
SmtpSession::Wait SmtpSession::wait(short events) {
  for (;;) {
    if (stopped_) return Wait::Stopped;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    if (left <= 0) return Wait::Timeout;
    pollfd fds[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
    const int n = ::poll(fds, stop_fd_ >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, 60'000)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Wait::Timeout;
    if (stop_fd_ >= 0 && fds[1].revents) {
      stopped_ = true;
      return Wait::Stopped;
    }
    if (fds[0].revents) return Wait::Ready;
  }
}

SmtpReply SmtpSession::connect(const sockaddr_storage& address, socklen_t length) {
  start_step();
  fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) return lost(fmt::format("socket: {}", std::strerror(errno)));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    if (errno != EINPROGRESS) return lost(fmt::format("connect failed: {}", std::strerror(errno)));
    if (const Wait w = wait(POLLOUT); w != Wait::Ready) return timed_out(w);
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
    if (error != 0) return lost(fmt::format("connect failed: {}", std::strerror(error)));
  }
  return read_reply();
}

bool SmtpSession::write_all(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    short want = POLLOUT;
    if (ssl_) {
      const int n = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      const int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_WANT_READ) want = POLLIN;
      else if (error != SSL_ERROR_WANT_WRITE) return false;
    } else {
      const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;
    }
    if (wait(want) != Wait::Ready) return false;
  }
  return true;
}

std::optional<SmtpReply> SmtpSession::receive() {
  char chunk[4096];
  for (;;) {
    short want = POLLIN;
    if (ssl_) {
      const int n = SSL_read(ssl_, chunk, sizeof chunk);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return std::nullopt;
      }
      const int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_ZERO_RETURN) return lost("the server closed the connection");
      if (error == SSL_ERROR_WANT_WRITE) want = POLLOUT;
      else if (error != SSL_ERROR_WANT_READ) {
        ERR_clear_error();
        return lost("the TLS connection failed");
      }
    } else {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return std::nullopt;
      }
      if (n == 0) return lost("the server closed the connection");
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return lost(fmt::format("read failed: {}", std::strerror(errno)));
    }
    if (const Wait w = wait(want); w != Wait::Ready) return timed_out(w);
  }
}

// One reply, read until its last line or the step's deadline. What is kept is truncated (a
// line to kReplyLineKept bytes, the reply to kReplyKept); what is read is bounded too.
SmtpReply SmtpSession::read_reply() {
  SmtpReply reply;
  size_t read = 0, kept = 0, lines = 0;
  bool marked = false;
  for (;;) {
    const size_t eol = buffer_.find("\r\n");
    if (eol == std::string::npos) {
      if (read + buffer_.size() > kReplyReadLimit) return lost(fmt::format("reply longer than {} KiB", kReplyReadLimit / 1024));
      if (auto failure = receive()) return *failure;
      continue;
    }
    const std::string_view line = std::string_view(buffer_).substr(0, eol);
    if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]) || (line.size() > 3 && line[3] != ' ' && line[3] != '-'))
      return lost("malformed reply line");
    reply.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view();
    if (text.size() <= 16 && lower(text) == "starttls") reply.starttls = true;
    if (kept < kReplyKept) {
      size_t take = std::min({text.size(), kReplyLineKept, kReplyKept - kept});
      while (take > 0 && take < text.size() && (static_cast<unsigned char>(text[take]) & 0xC0) == 0x80) --take;  // whole UTF-8 characters
      reply.lines.emplace_back(text.substr(0, take));
      if (take < text.size()) reply.lines.back() += "…";
      kept += take;
    } else if (!marked) {
      reply.lines.emplace_back("…");
      marked = true;
    }
    const bool last = line.size() == 3 || line[3] == ' ';
    read += eol + 2;
    buffer_.erase(0, eol + 2);
    if (last) return reply;
    if (++lines >= kReplyLineLimit) return lost("reply with too many lines");
  }
}

SmtpReply SmtpSession::command(const std::string& line) {
  if (fd_ < 0) return {421, {"4.4.2 pmtalint: not connected"}};
  start_step();
  if (!write_all(line + "\r\n")) {
    if (stopped_ || Clock::now() >= deadline_) return timed_out(stopped_ ? Wait::Stopped : Wait::Timeout);
    return lost("write failed");
  }
  return read_reply();
}

SmtpReply SmtpSession::hello(const std::string& helo, bool use_starttls, bool require_starttls, SSL_CTX* tls) {
  SmtpReply ehlo = command("EHLO " + helo);
  if (!alive()) return ehlo;
  bool offers_tls = false;
  if (ehlo.code == 250) {
    offers_tls = ehlo.starttls;
  } else {
    ehlo = command("HELO " + helo);
    if (ehlo.code != 250) return ehlo;
  }
  if (require_starttls && !offers_tls) {
    quit();
    return {421, {"4.7.10 pmtalint: require-starttls is set but the server does not offer STARTTLS"}};
  }
  if (!use_starttls || !offers_tls) return ehlo;
  const SmtpReply go = command("STARTTLS");
  if (go.code != 220) return require_starttls ? go : ehlo;
  if (!buffer_.empty()) return lost("the server sent data before the TLS handshake");
  ssl_ = SSL_new(tls);
  if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1) return lost("TLS: cannot set up the connection");
  start_step();
  for (;;) {
    const int n = SSL_connect(ssl_);
    if (n == 1) break;
    const int error = SSL_get_error(ssl_, n);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (const Wait w = wait(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT); w != Wait::Ready) return timed_out(w);
      continue;
    }
    char text[256] = "handshake failed";
    if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return lost(fmt::format("TLS: {}", text));
  }
  return command("EHLO " + helo);
}

SmtpReply SmtpSession::send(const Transaction& tx) {
  const SmtpReply mail = command("MAIL FROM:<dryrun@pmtalint.invalid>");
  if (mail.code / 100 != 2) return mail;
  SmtpReply first_refusal;
  uint32_t accepted = 0;
  std::string to;
  for (uint32_t i = 0; i < tx.recipients; ++i) {
    const std::string address = fmt::format("dryrun-{}-{}@{}", tx.serial, i, tx.domain);
    const SmtpReply rcpt = command("RCPT TO:<" + address + ">");
    if (!alive()) return rcpt;
    if (rcpt.code / 100 == 2) {
      ++accepted;
      if (to.empty()) to = address;
    } else if (first_refusal.code == 0) {
      first_refusal = rcpt;
    }
  }
  if (accepted == 0) {
    if (first_refusal.code != 421) command("RSET");
    return first_refusal;
  }
  const SmtpReply data = command("DATA");
  if (data.code != 354) return data;
  const std::string body = fmt::format(
      "From: pmtalint dry run <dryrun@pmtalint.invalid>\r\nTo: <{}>\r\nSubject: pmtalint dry run {}\r\n"
      "Message-ID: <{}.dryrun@pmtalint.invalid>\r\nX-Pmtalint-Dry-Run: yes\r\n\r\n"
      "Sent by pmtalint send --dry-run to a test server.\r\n.",
      to, tx.serial, tx.serial);
  return command(body);
}

// A short deadline: QUIT's reply decides nothing, and the run may be ending.
void SmtpSession::quit() {
  if (fd_ < 0) return;
  if (!stopped_) {
    start_step(5);
    if (write_all("QUIT\r\n")) read_reply();
  }
  drop();
}

}  // namespace pmtalint::delivery
