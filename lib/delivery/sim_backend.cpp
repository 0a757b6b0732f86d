#include "delivery/sim_backend.h"

#include <algorithm>
#include <cmath>

namespace pmtalint::delivery {
namespace {

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::string_view kSourceIp = "{source-ip}";
constexpr size_t kPrefetchAhead = 8;

}  // namespace

SimBackend::SimBackend(const Scenario& scenario, uint64_t seed) : scenario_(scenario), seed_(seed) {
  for (const Provider& p : scenario.providers) {
    ProviderReplies r;
    r.greeting = replies_.intern(p.greeting);
    double total = 0;
    for (const ReplyShare& share : p.replies) {
      total += share.share;
      r.cumulative.emplace_back(total, replies_.intern(share.reply));
    }
    r.cumulative.back().first = 2;  // rounding never leaves a draw without a reply
    for (const Throttle& t : p.throttles) r.throttle.push_back(replies_.intern(t.reply));
    r.throttled = !p.throttles.empty();
    r.connect_fifo = fifo_for(p.connect_latency);
    r.message_fifo = fifo_for(p.message_latency);
    providers_.push_back(std::move(r));
  }
  sources_.resize(scenario.providers.size());
  templated_.resize(replies_.size());
  for (ReplyId id = 0; id < replies_.size(); ++id) templated_[id] = replies_.text(id).find(kSourceIp) != std::string::npos;
}

// A reply naming the sending address says which one: a scenario written for one IP reads
// right for every virtual MTA. Filled texts are interned once per address.
ReplyId SimBackend::fill(ReplyId id, std::string_view source_ip) {
  const auto key = std::pair(id, std::string(source_ip));
  if (const auto it = filled_.find(key); it != filled_.end()) return it->second;
  std::string text = replies_.text(id);
  const std::string ip = source_ip.empty() ? "unknown" : std::string(source_ip);
  for (size_t at = text.find(kSourceIp); at != std::string::npos; at = text.find(kSourceIp, at + ip.size())) text.replace(at, kSourceIp.size(), ip);
  const ReplyId out = replies_.intern(text);
  filled_.emplace(key, out);
  return out;
}

size_t SimBackend::fifo_for(double latency) {
  for (size_t i = 0; i < fifos_.size(); ++i)
    if (fifos_[i].latency == latency) return i;
  fifos_.push_back({latency, {}});
  return fifos_.size() - 1;
}

SimBackend::SourceState& SimBackend::source(size_t provider, uint32_t source) {
  auto& list = sources_[provider];
  if (list.size() <= source) list.resize(source + 1);
  SourceState& s = list[source];
  if (s.windows.size() != scenario_.providers[provider].throttles.size())
    s.windows.assign(scenario_.providers[provider].throttles.size(), {-1, 0});
  return s;
}

void SimBackend::Fifo::grow() {
  std::vector<Pending> bigger(std::max<size_t>(64, 2 * ring.size()));
  for (size_t i = 0; i < count; ++i) bigger[i] = ring[(head + i) & (ring.size() - 1)];
  ring = std::move(bigger);
  head = 0;
}

// A queue's generator exists from its first connection on (open() makes it), so the draw for
// every message does not check for it.
double SimBackend::uniform(uint32_t queue) { return static_cast<double>(splitmix(rng_[queue]) >> 11) * 0x1.0p-53; }

void SimBackend::schedule(size_t fifo, Completion c) { fifos_[fifo].push_back({now_ + fifos_[fifo].latency, c}); }

void SimBackend::release(Connection& c) {
  if (c.open) --source(c.provider, c.source).open;
  c.open = false;
}

void SimBackend::open(uint32_t conn, const Route& route) {
  if (connections_.size() <= conn) connections_.resize(conn + 1);
  if (rng_.size() <= route.queue) {
    const size_t old = rng_.size();
    rng_.resize(route.queue + 1);
    for (size_t i = old; i < rng_.size(); ++i) rng_[i] = seed_ ^ (0xD1B54A32D192ED03ULL * (i + 1));
  }
  Connection& c = connections_[conn];
  c = {route.provider, route.source, route.queue, 0, route.source_ip, false};
  const Provider& p = scenario_.providers[route.provider];
  const ProviderReplies& r = providers_[route.provider];
  SourceState& s = source(route.provider, route.source);
  for (size_t i = 0; i < p.throttles.size(); ++i)
    if (p.throttles[i].kind == Throttle::Kind::Connections && s.open >= p.throttles[i].limit) {
      schedule(r.connect_fifo, {conn, Step::Connect, filled(r.throttle[i], c.source_ip), true});
      return;
    }
  const bool accepted = replies_.code(r.greeting) / 100 == 2;
  if (accepted) {
    c.open = true;
    ++s.open;
  }
  schedule(r.connect_fifo, {conn, Step::Connect, filled(r.greeting, c.source_ip), !accepted});
}

void SimBackend::send(uint32_t conn, const Transaction&) {
  Connection& c = connections_[conn];
  const ProviderReplies& r = providers_[c.provider];
  ++c.messages;
  std::optional<ReplyId> reply;
  if (r.throttled) {
    const Provider& p = scenario_.providers[c.provider];
    SourceState& s = source(c.provider, c.source);
    for (size_t i = 0; i < p.throttles.size() && !reply; ++i) {
      const Throttle& t = p.throttles[i];
      if (t.kind == Throttle::Kind::MessagesPerConnection && c.messages > t.limit) reply = r.throttle[i];
      if (t.kind == Throttle::Kind::Rate) {
        auto& [window, count] = s.windows[i];
        const auto current = static_cast<int64_t>(std::floor(now_ / t.period));
        if (current != window) window = current, count = 0;
        if (count >= t.limit) reply = r.throttle[i];
        else ++count;
      }
    }
  }
  if (!reply) {
    if (r.cumulative.size() == 1) {
      reply = r.cumulative.front().second;
    } else {
      const double u = uniform(c.queue);
      for (const auto& [threshold, id] : r.cumulative)
        if (u < threshold) {
          reply = id;
          break;
        }
    }
  }
  reply = filled(*reply, c.source_ip);
  const bool closes = replies_.code(*reply) == 421;  // "service not available, closing channel"
  if (closes) release(c);
  schedule(r.message_fifo, {conn, Step::Message, *reply, closes});
}

void SimBackend::close(uint32_t conn) { release(connections_[conn]); }

std::optional<Completion> SimBackend::next(double deadline) {
  Fifo* first = nullptr;
  for (Fifo& f : fifos_)
    if (!f.empty() && (!first || f.front().time < first->front().time)) first = &f;
  if (first && first->front().time <= deadline) {
    const Pending p = first->front();
    first->pop_front();
    // Outcomes come mostly from one FIFO (the messages'), so its entry a few places on is
    // usually the outcome handled a few events from now, on a connection sent on again right
    // after: its state is fetched while the ones before are handled.
    const Pending* later = first->at(kPrefetchAhead);
    conn_ahead_ = later ? later->completion.conn : UINT32_MAX;
    if (conn_ahead_ < connections_.size()) __builtin_prefetch(&connections_[conn_ahead_]);
    now_ = std::max(now_, p.time);
    return p.completion;
  }
  if (!std::isinf(deadline)) now_ = std::max(now_, deadline);
  return std::nullopt;
}

}  // namespace pmtalint::delivery
