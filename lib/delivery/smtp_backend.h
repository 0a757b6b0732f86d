#pragma once
// The real thing: every queue's connections go to one SMTP server (a test sink) in real time,
// each on its own thread — EHLO, STARTTLS through OpenSSL when the queue's use-starttls says so
// and the server offers it, MAIL FROM, RCPT TO, DATA, QUIT — so the throttles meet real
// replies. It really sends, so it refuses any address that is not loopback unless allowed.
#include <memory>
#include <string>
#include <utility>

#include "base/expected.h"
#include "delivery/backend.h"

namespace pmtalint::delivery {

struct SmtpOptions {
  std::string server;         // HOST:PORT, [IPv6]:PORT
  bool allow_remote = false;
  double speed = 1;           // simulated seconds per wall-clock second
  std::string ca_file;        // verify STARTTLS certificates against it; empty: no verification
  double horizon = 30 * 86400.0;  // simulated seconds: the run ends at horizon / speed wall-clock seconds
};

// "HOST:PORT" or "[IPv6]:PORT" → host and port; the port must be 1 to 65535.
expected<std::pair<std::string, std::string>, std::string> split_smtp_server(const std::string& server);

expected<std::unique_ptr<Backend>, std::string> make_smtp_backend(const SmtpOptions& options);

}  // namespace pmtalint::delivery
