#include "delivery/smtp_backend.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

#include "delivery/smtp_session.h"

namespace pmtalint::delivery {
namespace {

constexpr size_t kMaxConnections = 512;  // one thread each; a test server needs far fewer

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
  SmtpBackend(sockaddr_storage address, socklen_t length, double speed, SSL_CTX* tls)
      : address_(address), length_(length), speed_(speed), tls_(tls), start_(Clock::now()) {}

  ~SmtpBackend() override {
    for (auto& [id, worker] : workers_) tell(*worker, Quit{});
    for (auto& [id, worker] : workers_) worker->thread.join();
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

  void close(uint32_t conn) override {
    if (const auto it = workers_.find(conn); it != workers_.end()) tell(*it->second, Quit{});
  }

  std::optional<Completion> next(double deadline) override {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!outcomes_.empty()) {
        Outcome o = std::move(outcomes_.front());
        outcomes_.pop_front();
        lock.unlock();
        --in_flight_;
        return Completion{o.conn, o.step, replies_.intern(o.reply), o.closed};
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
    SmtpSession session;
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
  std::unordered_map<uint32_t, std::unique_ptr<Worker>> workers_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Outcome> outcomes_;
  uint64_t in_flight_ = 0;  // steps started whose outcome the engine has not taken yet
};

}  // namespace

expected<std::unique_ptr<Backend>, std::string> make_smtp_backend(const SmtpOptions& options) {
  std::string host = options.server, port;
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string::npos || close + 1 >= host.size() || host[close + 1] != ':')
      return unexpected(fmt::format("--smtp-server: expected [IPv6]:PORT, found '{}'", options.server));
    port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else {
    const size_t colon = host.rfind(':');
    if (colon == std::string::npos) return unexpected(fmt::format("--smtp-server: expected HOST:PORT, found '{}'", options.server));
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
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
    if (SSL_CTX_load_verify_locations(tls, options.ca_file.c_str(), nullptr) != 1) {
      SSL_CTX_free(tls);
      return unexpected(fmt::format("--starttls-ca {}: not a readable PEM CA file", options.ca_file));
    }
    SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, nullptr);
  }
  return std::unique_ptr<Backend>(std::make_unique<SmtpBackend>(address, length, options.speed, tls));
}

}  // namespace pmtalint::delivery
