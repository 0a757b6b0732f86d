#pragma once
// The embedded receiving side: answers as the scenario says, on a virtual clock, so a week of
// delivery runs in seconds. Latencies are fixed per provider and step, so outcomes scheduled
// with one latency complete in the order they were started: one FIFO per distinct latency
// replaces a priority queue, which keeps the cost per message constant.
#include <map>
#include <memory>
#include <vector>

#include "delivery/backend.h"
#include "delivery/scenario.h"

namespace pmtalint::delivery {

class SimBackend final : public Backend {
 public:
  SimBackend(const Scenario& scenario, uint64_t seed);
  std::string_view name() const override { return "sim"; }
  double now() const override { return now_; }
  void open(uint32_t conn, const Route& route) override;
  void send(uint32_t conn, const Transaction& tx) override;
  void close(uint32_t conn) override;
  std::optional<Completion> next(double deadline) override;
  uint32_t conn_ahead() const override { return conn_ahead_; }

 private:
  struct ProviderReplies {
    ReplyId greeting;
    std::vector<std::pair<double, ReplyId>> cumulative;  // share thresholds, ascending
    std::vector<ReplyId> throttle;                        // per scenario throttle
    bool throttled;  // the provider has throttles: the scenario's provider is read only then
    size_t connect_fifo, message_fifo;
  };
  struct Connection {
    size_t provider = 0;
    uint32_t source = 0;
    uint32_t queue = 0;
    uint32_t messages = 0;
    std::string_view source_ip;
    bool open = false;  // counted against the provider's connection throttle
  };
  struct SourceState {  // per (provider, sending virtual MTA)
    uint32_t open = 0;
    std::vector<std::pair<int64_t, uint64_t>> windows;  // per rate throttle: window index, count
  };
  struct Pending {
    double time;
    Completion completion;
  };
  // Outcomes of one latency, in the order they complete: a ring that reuses its slots (a deque
  // allocates and frees a block every few dozen messages).
  struct Fifo {
    double latency;
    std::vector<Pending> ring;  // a power of two long, or empty
    size_t head = 0, count = 0;

    bool empty() const { return count == 0; }
    const Pending& front() const { return ring[head]; }
    const Pending* at(size_t i) const { return i < count ? &ring[(head + i) & (ring.size() - 1)] : nullptr; }
    void pop_front() {
      head = (head + 1) & (ring.size() - 1);
      --count;
    }
    void push_back(const Pending& p) {
      if (count == ring.size()) grow();
      ring[(head + count) & (ring.size() - 1)] = p;
      ++count;
    }
    void grow();
  };

  size_t fifo_for(double latency);
  SourceState& source(size_t provider, uint32_t source);
  void schedule(size_t fifo, Completion c);
  double uniform(uint32_t queue);
  void release(Connection& c);
  // The reply as sent from `source_ip`: checked for every message, filled in rarely.
  ReplyId filled(ReplyId id, std::string_view source_ip) {
    return id < templated_.size() && templated_[id] ? fill(id, source_ip) : id;
  }
  ReplyId fill(ReplyId id, std::string_view source_ip);

  const Scenario& scenario_;
  uint64_t seed_;
  double now_ = 0;
  uint32_t conn_ahead_ = UINT32_MAX;
  std::vector<ProviderReplies> providers_;
  std::vector<Fifo> fifos_;
  std::vector<Connection> connections_;
  std::vector<std::vector<SourceState>> sources_;  // [provider][source]
  std::vector<uint64_t> rng_;                      // per queue, so reply draws do not depend on other queues
  // Scenario replies naming {source-ip}, and their texts per sending address.
  std::vector<char> templated_;  // not vector<bool>: a bit's extraction costs more than the byte
  std::map<std::pair<ReplyId, std::string>, ReplyId> filled_;
};

}  // namespace pmtalint::delivery
