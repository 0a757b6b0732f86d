#pragma once
// One SMTP client connection, blocking, with a time limit on every read and write: the
// protocol half of the smtp backend, kept apart from its threads and clock.
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "delivery/backend.h"

namespace pmtalint::delivery {

struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;  // without the code and separator
  std::string text() const;        // "421 4.7.0 [TSS04] …", continuation lines joined by a space
};

class SmtpSession {
 public:
  SmtpSession() = default;
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
  SmtpReply command(const std::string& line);
  SmtpReply read_reply();
  bool write_all(const std::string& data);
  SmtpReply lost(const std::string& why);
  void drop();

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

}  // namespace pmtalint::delivery
