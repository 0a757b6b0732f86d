#include "delivery/smtp_backend.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "delivery/smtp_session.h"
#include "syntax/file_reader.h"

namespace pmtalint::delivery {
namespace {

constexpr size_t kMaxConnections = 512;  // one thread each; a test server needs far fewer
// Distinct reply texts kept; past this a new text is stored by its code only, so a server
// answering every message differently cannot grow memory without bound.
constexpr size_t kMaxDistinctReplies = 10'000;

using Clock = std::chrono::steady_clock;

bool is_loopback(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return (ntohl(reinterpret_cast<const sockaddr_in&>(a).sin_addr.s_addr) >> 24) == 127;
  if (a.ss_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6&>(a).sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

struct Quit {};
using Command = std::variant<Transaction, Quit>;

struct Outcome {
  uint32_t conn;
  Step step;
  std::string reply;
  bool closed;
};

class SmtpBackend final : public Backend {
 public:
  SmtpBackend(sockaddr_storage address, socklen_t length, double speed, double horizon, SSL_CTX* tls, int stop[2])
      : address_(address), length_(length), speed_(speed), tls_(tls), start_(Clock::now()), stop_read_(stop[0]), stop_write_(stop[1]) {
    // The horizon is a wall-clock bound too: no step of any connection outlives it.
    const double wall = std::min(horizon / speed, 100.0 * 365 * 86400);
    end_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wall));
  }

  ~SmtpBackend() override {
    // Every session waiting on its server wakes up at once and gives up, without QUIT.
    const char byte = 1;
    while (::write(stop_write_, &byte, 1) < 0 && errno == EINTR) {
    }
    for (auto& [id, worker] : workers_) tell(*worker, Quit{});
    for (auto& [id, worker] : workers_) worker->thread.join();
    ::close(stop_read_);
    ::close(stop_write_);
    SSL_CTX_free(tls_);
  }

  std::string_view name() const override { return "smtp"; }
  bool real_time() const override { return true; }

  double now() const override { return std::chrono::duration<double>(Clock::now() - start_).count() * speed_; }

  void open(uint32_t conn, const Route& route) override {
    ++in_flight_;
    reap(conn);
    if (workers_.size() >= kMaxConnections) {
      post({conn, Step::Connect, fmt::format("421 4.3.2 pmtalint: the smtp backend opens at most {} connections", kMaxConnections), true});
      return;
    }
    auto worker = std::make_unique<Worker>();
    Worker* w = worker.get();
    w->thread = std::thread([this, w, conn, helo = std::string(route.helo), route] { serve(*w, conn, helo, route); });
    workers_.emplace(conn, std::move(worker));
  }

  void send(uint32_t conn, const Transaction& tx) override {
    ++in_flight_;
    // The domain view points into the plan, which outlives the run; the worker copies it.
    tell(*workers_.at(conn), tx);
  }

  // Waits for the QUIT exchange: a connection counts against its caps until the server has let it
  // go, so the engine must not open the next one before (on loopback, one round trip).
  void close(uint32_t conn) override { reap(conn); }

  std::optional<Completion> next(double deadline) override {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!outcomes_.empty()) {
        Outcome o = std::move(outcomes_.front());
        outcomes_.pop_front();
        lock.unlock();
        --in_flight_;
        return Completion{o.conn, o.step, intern(o.reply), o.closed};
      }
      if (in_flight_ == 0 && std::isinf(deadline)) return std::nullopt;
      const double left = deadline - now();
      if (left <= 0) return std::nullopt;
      if (std::isinf(deadline)) {
        ready_.wait(lock);
      } else {
        ready_.wait_for(lock, std::chrono::duration<double>(left / speed_));
      }
    }
  }

 private:
  struct Worker {
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Command> commands;
  };

  ReplyId intern(const std::string& text) {
    if (replies_.size() < kMaxDistinctReplies || replies_.contains(text)) return replies_.intern(text);
    return replies_.intern(fmt::format("{} (text not kept: more than {} distinct replies)", text.substr(0, 3), kMaxDistinctReplies));
  }

  void tell(Worker& w, Command c) {
    {
      std::lock_guard lock(w.mutex);
      w.commands.push_back(std::move(c));
    }
    w.wake.notify_one();
  }

  void post(Outcome o) {
    {
      std::lock_guard lock(mutex_);
      outcomes_.push_back(std::move(o));
    }
    ready_.notify_one();
  }

  // A connection id is reused by the engine once closed; its old thread is joined first.
  void reap(uint32_t conn) {
    if (const auto it = workers_.find(conn); it != workers_.end()) {
      tell(*it->second, Quit{});
      it->second->thread.join();
      workers_.erase(it);
    }
  }

  void serve(Worker& w, uint32_t conn, const std::string& helo, const Route& route) {
    // A write to a connection the server closed fails with EPIPE instead of killing the process
    // (OpenSSL writes with write(), which cannot pass MSG_NOSIGNAL).
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    SmtpSession session(stop_read_, end_);
    SmtpReply greeting = session.connect(address_, length_);
    if (greeting.code / 100 == 2 && session.alive()) {
      const SmtpReply hello = session.hello(helo, route.use_starttls, route.require_starttls, tls_);
      if (hello.code / 100 != 2 || !session.alive()) {
        session.quit();
        greeting = hello;
      }
    } else {
      session.quit();
    }
    post({conn, Step::Connect, greeting.text(), !session.alive()});
    for (;;) {
      Command c;
      {
        std::unique_lock lock(w.mutex);
        w.wake.wait(lock, [&] { return !w.commands.empty(); });
        c = std::move(w.commands.front());
        w.commands.pop_front();
      }
      if (std::holds_alternative<Quit>(c)) break;
      Transaction tx = std::get<Transaction>(c);
      const std::string domain(tx.domain);
      tx.domain = domain;
      const SmtpReply reply = session.send(tx);
      if (reply.code == 421) session.quit();
      post({conn, Step::Message, reply.text(), !session.alive()});
    }
    session.quit();
  }

  sockaddr_storage address_;
  socklen_t length_;
  double speed_;
  SSL_CTX* tls_;
  Clock::time_point start_;
  Clock::time_point end_;
  int stop_read_, stop_write_;
  std::unordered_map<uint32_t, std::unique_ptr<Worker>> workers_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Outcome> outcomes_;
  uint64_t in_flight_ = 0;  // steps started whose outcome the engine has not taken yet
};

bool load_ca_certificates(SSL_CTX* tls, const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return false;
  STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr);
  if (!infos) return false;
  X509_STORE* store = SSL_CTX_get_cert_store(tls);
  int added = 0;
  for (int i = 0; i < sk_X509_INFO_num(infos); ++i)
    if (X509* cert = sk_X509_INFO_value(infos, i)->x509; cert && X509_STORE_add_cert(store, cert) == 1) ++added;
  sk_X509_INFO_pop_free(infos, X509_INFO_free);
  ERR_clear_error();
  return added > 0;
}

}  // namespace

expected<std::pair<std::string, std::string>, std::string> split_smtp_server(const std::string& server) {
  std::string host = server, port;
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string::npos || close + 1 >= host.size() || host[close + 1] != ':')
      return unexpected(fmt::format("--smtp-server: expected [IPv6]:PORT, found '{}'", server));
    port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else {
    const size_t colon = host.rfind(':');
    if (colon == std::string::npos) return unexpected(fmt::format("--smtp-server: expected HOST:PORT, found '{}'", server));
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) == 0 ||
      std::stoul(port) > 65535)
    return unexpected(fmt::format("--smtp-server {}: the port must be a number from 1 to 65535", server));
  if (host.empty()) return unexpected(fmt::format("--smtp-server {}: no host before the port", server));
  return std::pair{host, port};
}

expected<std::unique_ptr<Backend>, std::string> make_smtp_backend(const SmtpOptions& options) {
  auto parts = split_smtp_server(options.server);
  if (!parts) return unexpected(parts.error());
  const auto& [host, port] = *parts;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return unexpected(fmt::format("--smtp-server {}: {}", options.server, gai_strerror(rc)));
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  const auto length = static_cast<socklen_t>(found->ai_addrlen);
  freeaddrinfo(found);
  if (!options.allow_remote && !is_loopback(address))
    return unexpected(fmt::format("--smtp-server {} is not a loopback address; the smtp backend really sends, so it only "
                                  "talks to a test server on this machine unless --allow-remote is given",
                                  options.server));
  SSL_CTX* tls = SSL_CTX_new(TLS_client_method());
  if (!tls) return unexpected(std::string("OpenSSL: cannot create a TLS context"));
  SSL_CTX_set_min_proto_version(tls, TLS1_2_VERSION);
  if (options.ca_file.empty()) {
    SSL_CTX_set_verify(tls, SSL_VERIFY_NONE, nullptr);  // a test sink's self-signed certificate
  } else {
    // Read by the one regular-file reader (a FIFO or a device is refused, not opened by
    // OpenSSL), then parsed from memory.
    auto pem = read_regular_file(options.ca_file);
    if (!pem) {
      SSL_CTX_free(tls);
      return unexpected(fmt::format("--starttls-ca {}: {}", options.ca_file, pem.error()));
    }
    if (!load_ca_certificates(tls, pem->text)) {
      SSL_CTX_free(tls);
      return unexpected(fmt::format("--starttls-ca {}: not a readable PEM CA file", options.ca_file));
    }
    SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, nullptr);
  }
  int stop[2];
  if (::pipe2(stop, O_CLOEXEC) != 0) {
    SSL_CTX_free(tls);
    return unexpected(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  return std::unique_ptr<Backend>(std::make_unique<SmtpBackend>(address, length, options.speed, options.horizon, tls, stop));
}

}  // namespace pmtalint::delivery
