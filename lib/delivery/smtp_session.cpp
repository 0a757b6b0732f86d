#include "delivery/smtp_session.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pmtalint::delivery {
namespace {

constexpr int kTimeoutSeconds = 30;
constexpr size_t kMaxReplyBytes = 64 * 1024;  // a server that never ends its reply is cut off

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

SmtpReply SmtpSession::connect(const sockaddr_storage& address, socklen_t length) {
  fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return lost(fmt::format("socket: {}", std::strerror(errno)));
  const timeval limit{kTimeoutSeconds, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);  // also bounds connect() on Linux
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0)
    return lost(fmt::format("connect failed: {}", std::strerror(errno)));
  return read_reply();
}

bool SmtpSession::write_all(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n;
    if (ssl_) n = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
    else n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) {
      if (!ssl_ && n < 0 && errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

SmtpReply SmtpSession::read_reply() {
  SmtpReply reply;
  for (;;) {
    const size_t eol = buffer_.find("\r\n");
    if (eol == std::string::npos) {
      if (buffer_.size() > kMaxReplyBytes) return lost("reply too long");
      char chunk[4096];
      ssize_t n;
      if (ssl_) n = SSL_read(ssl_, chunk, sizeof chunk);
      else n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && !ssl_ && errno == EINTR) continue;
      if (n <= 0) return lost(n == 0 ? "the server closed the connection" : "no reply within 30 s");
      buffer_.append(chunk, static_cast<size_t>(n));
      continue;
    }
    const std::string line = buffer_.substr(0, eol);
    buffer_.erase(0, eol + 2);
    if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) || !std::isdigit(static_cast<unsigned char>(line[1])) ||
        !std::isdigit(static_cast<unsigned char>(line[2])))
      return lost("malformed reply line");
    reply.code = std::stoi(line.substr(0, 3));
    reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
    if (line.size() == 3 || line[3] == ' ') return reply;
    if (reply.lines.size() > 1000) return lost("reply with too many lines");
  }
}

SmtpReply SmtpSession::command(const std::string& line) {
  if (fd_ < 0) return {421, {"4.4.2 pmtalint: not connected"}};
  if (!write_all(line + "\r\n")) return lost("write failed");
  return read_reply();
}

SmtpReply SmtpSession::hello(const std::string& helo, bool use_starttls, bool require_starttls, SSL_CTX* tls) {
  SmtpReply ehlo = command("EHLO " + helo);
  if (!alive()) return ehlo;
  bool offers_tls = false;
  if (ehlo.code == 250) {
    for (const std::string& line : ehlo.lines) offers_tls |= lower(line) == "starttls";
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
  if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1 || SSL_connect(ssl_) != 1) {
    char error[256] = "handshake failed";
    if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, error, sizeof error);
    ERR_clear_error();
    return lost(fmt::format("TLS: {}", error));
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

void SmtpSession::quit() {
  if (fd_ < 0) return;
  if (write_all("QUIT\r\n")) read_reply();
  drop();
}

}  // namespace pmtalint::delivery
