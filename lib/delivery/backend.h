#pragma once
// The one interface between the engine, which decides what to send and when, and whatever
// answers: the embedded simulator on a virtual clock, or a real SMTP server in real time. The
// engine starts steps (open a connection, send one transaction) and learns their outcome from
// next(), which also moves the backend's clock to the outcome or to the engine's next timer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pmtalint::delivery {

using ReplyId = uint32_t;

// Reply texts are interned so the hot path passes integers and rules match each text once.
class ReplyTable {
 public:
  ReplyId intern(std::string_view text);
  const std::string& text(ReplyId id) const { return texts_[id]; }
  int code(ReplyId id) const { return codes_[id]; }  // 0 when the text has no reply code
  size_t size() const { return texts_.size(); }
  bool contains(const std::string& text) const { return index_.contains(text); }

 private:
  std::vector<std::string> texts_;
  std::vector<int> codes_;
  std::unordered_map<std::string, ReplyId> index_;
};

struct Route {
  uint32_t queue;
  size_t provider;
  uint32_t source;         // the sending virtual MTA (its connection group)
  std::string_view helo;
  std::string_view source_ip;  // the virtual MTA's smtp-source-host address; "" when none
  bool use_starttls;
  bool require_starttls;
};

struct Transaction {
  std::string_view domain;  // recipient domain
  uint32_t recipients;
  uint64_t serial;          // numbers recipient addresses and Message-IDs
};

enum class Step : uint8_t { Connect, Message };

struct Completion {
  uint32_t conn;
  Step step;
  ReplyId reply;
  bool closed;  // the connection is gone (a 421, a failure); the engine must not use it again
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  // A real-time backend has few, slow events: progress is worth reporting after each one.
  virtual bool real_time() const { return false; }
  virtual double now() const = 0;  // seconds since the run began
  virtual void open(uint32_t conn, const Route& route) = 0;
  virtual void send(uint32_t conn, const Transaction& tx) = 0;
  virtual void close(uint32_t conn) = 0;  // QUIT, done when it returns; no completion follows
  // The next outcome at or before `deadline` (infinity: wait for one), or nullopt once the
  // clock has reached the deadline or nothing is under way.
  virtual std::optional<Completion> next(double deadline) = 0;
  // The connection of an outcome due a few outcomes after the one next() returned, if the
  // backend knows it already (UINT32_MAX otherwise): only a hint, so the engine can fetch that
  // connection's state into the cache while it handles the ones before.
  virtual uint32_t conn_ahead() const { return UINT32_MAX; }
  ReplyTable& replies() { return replies_; }

 protected:
  ReplyTable replies_;
};

}  // namespace pmtalint::delivery
