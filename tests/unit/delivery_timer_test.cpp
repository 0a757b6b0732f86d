// The engine's timer queue on its own: earliest first, ties by queue index, whatever the order
// of insertion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "delivery/timer_queue.h"

using namespace pmtalint::delivery;

TEST_CASE("the timer queue pops the earliest timer first, ties by queue") {
  TimerQueue timers;
  CHECK(timers.empty());
  timers.push({5.0, 2});
  timers.push({1.0, 7});
  timers.push({5.0, 1});
  timers.push({0.5, 3});
  timers.push({1.0, 0});
  const std::vector<std::pair<double, uint32_t>> expected = {{0.5, 3}, {1.0, 0}, {1.0, 7}, {5.0, 1}, {5.0, 2}};
  for (const auto& [time, queue] : expected) {
    REQUIRE_FALSE(timers.empty());
    CHECK(timers.top().time == time);
    CHECK(timers.top().queue == queue);
    timers.pop();
  }
  CHECK(timers.empty());
}

TEST_CASE("the timer queue agrees with a sort over many interleaved pushes and pops") {
  std::mt19937_64 random(20);
  std::uniform_int_distribution<int> tick(0, 999);
  std::uniform_int_distribution<uint32_t> queue(0, 49);
  TimerQueue timers;
  std::vector<Timer> model;
  double clock = 0;
  for (int round = 0; round < 20'000; ++round) {
    if (model.empty() || tick(random) < 550) {
      // Timers are never set in the past: the engine arms them at or after the clock.
      const Timer t{clock + tick(random) / 10.0, queue(random)};
      timers.push(t);
      model.push_back(t);
    } else {
      const auto first = std::min_element(model.begin(), model.end());
      REQUIRE(timers.size() == model.size());
      CHECK(timers.top().time == first->time);
      CHECK(timers.top().queue == first->queue);
      clock = first->time;
      model.erase(first);
      timers.pop();
    }
  }
}

TEST_CASE("the timer queue keeps order across the wheel's slots, its span and far timers") {
  // Times a millisecond apart share wheel slots; hours apart they wait beyond the wheel's
  // span; the top is looked at between pushes, as the engine does after every completion.
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> tick(0, 999);
  std::uniform_int_distribution<uint32_t> queue(0, 9'999);
  TimerQueue timers;
  std::vector<Timer> model;
  double clock = 0;
  for (int round = 0; round < 50'000; ++round) {
    const int kind = tick(random);
    if (model.empty() || kind < 500) {
      const double scale = kind % 7 == 0 ? 3600.0 : kind % 3 == 0 ? 1.0 : 0.001;
      const Timer t{clock + tick(random) * scale / 100.0, queue(random)};
      timers.push(t);
      model.push_back(t);
      if (kind % 2 == 0) CHECK(timers.top().time == std::min_element(model.begin(), model.end())->time);
    } else {
      const auto first = std::min_element(model.begin(), model.end());
      REQUIRE(timers.size() == model.size());
      CHECK(timers.top().time == first->time);
      CHECK(timers.top().queue == first->queue);
      clock = first->time;
      model.erase(first);
      timers.pop();
    }
  }
}
