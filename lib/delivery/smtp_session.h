#pragma once
// One SMTP client connection with absolute deadlines: the protocol half of the smtp backend,
// kept apart from its threads and clock. The socket is non-blocking and every wait is a poll()
// until the current step's deadline (30 s a command and its whole reply, never renewed by a
// byte that trickles in), cut short by the run's end (the horizon in wall-clock time) or by the
// backend's stop descriptor becoming readable. Reply text is truncated before it is stored.
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "delivery/backend.h"

namespace pmtalint::delivery {

// What is kept of a reply: 512 bytes a line, 4 KiB a reply; up to 256 KiB and 1000 lines are
// read (and discarded) before the connection is given up as hostile.
inline constexpr size_t kReplyLineKept = 512;
inline constexpr size_t kReplyKept = 4096;
inline constexpr size_t kReplyReadLimit = 256 * 1024;
inline constexpr size_t kReplyLineLimit = 1000;
inline constexpr int kStepTimeoutSeconds = 30;

struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;  // without the code and separator; truncated as above
  bool starttls = false;           // one of the (untruncated) lines was the STARTTLS keyword
  std::string text() const;        // "421 4.7.0 [TSS04] …", continuation lines joined by a space
};

class SmtpSession {
 public:
  using Clock = std::chrono::steady_clock;
  // `stop_fd` becomes readable when the run ends; `end` is the wall-clock end of the run.
  SmtpSession(int stop_fd, Clock::time_point end) : stop_fd_(stop_fd), end_(end) {}
  SmtpSession(const SmtpSession&) = delete;
  SmtpSession& operator=(const SmtpSession&) = delete;
  ~SmtpSession();

  // Connects and reads the greeting; a failure is reported as a 421 reply from pmtalint.
  SmtpReply connect(const sockaddr_storage& address, socklen_t length);
  // EHLO (HELO if refused), then STARTTLS when wanted and offered. A non-2xx reply ends the session.
  SmtpReply hello(const std::string& helo, bool use_starttls, bool require_starttls, SSL_CTX* tls);
  // One message to `recipients` addresses at `domain`; the reply that decides its fate.
  SmtpReply send(const Transaction& tx);
  void quit();
  bool alive() const { return fd_ >= 0; }

 private:
  enum class Wait { Ready, Timeout, Stopped };
  Wait wait(short events);
  void start_step(int seconds = kStepTimeoutSeconds);
  SmtpReply command(const std::string& line);
  SmtpReply read_reply();
  bool write_all(const std::string& data);
  // Reads more bytes into buffer_; on failure the reply that ends the session.
  std::optional<SmtpReply> receive();
  SmtpReply lost(const std::string& why);
  SmtpReply timed_out(Wait why);
  void drop();

  int fd_ = -1;
  int stop_fd_ = -1;
  Clock::time_point end_;
  Clock::time_point deadline_;
  bool stopped_ = false;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

}  // namespace pmtalint::delivery
