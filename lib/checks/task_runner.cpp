#include "checks/task_runner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace pmtalint {

bool run_pieces(size_t count, unsigned threads, const std::function<void(size_t)>& work, const std::function<bool()>& stop) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stopped{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto take = [&](bool asks) {
    try {
      for (;;) {
        if (asks && stop && stop()) stopped = true;
        if (stopped) return;
        const size_t piece = next++;
        if (piece >= count) return;
        work(piece);
      }
    } catch (...) {
      // Later pieces are pointless once one failed; the first failure is the one reported.
      stopped = true;
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  const unsigned extra = std::min<size_t>(threads, count) > 1 ? std::min<size_t>(threads, count) - 1 : 0;
  helpers.reserve(extra);
  for (unsigned i = 0; i < extra; ++i) helpers.emplace_back(take, false);
  take(true);
  for (std::thread& t : helpers) t.join();
  if (failure) std::rethrow_exception(failure);
  return stopped.load();
}

unsigned threads_for(size_t size) {
  // Below a few thousand directives a whole lint takes about a millisecond, the order of
  // starting a thread.
  constexpr size_t kWorthASecondThread = 4096;
  constexpr unsigned kMostUseful = 4;  // the rules split into few pieces of similar cost
  if (size < kWorthASecondThread) return 1;
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMostUseful);
}

}  // namespace pmtalint
