// parallel_for: every index runs exactly once, also when many callers share the pool at once
// (the calling thread takes part, so a busy pool never stalls a caller).
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "cluster/search_pool.h"

using namespace sift;

TEST_CASE("parallel_for runs each index once and returns after all of them", "[search_pool]") {
  for (size_t n : {0u, 1u, 2u, 7u, 100u}) {
    std::vector<std::atomic<int>> runs(n);
    cluster::parallel_for(n, [&](size_t i) { runs[i].fetch_add(1); });
    for (size_t i = 0; i < n; ++i) CHECK(runs[i].load() == 1);
  }
}

TEST_CASE("concurrent parallel_for calls each finish their own work", "[search_pool]") {
  constexpr size_t kCallers = 8, kItems = 50;
  std::vector<std::vector<std::atomic<int>>> runs(kCallers);
  for (auto& r : runs) r = std::vector<std::atomic<int>>(kItems);
  std::atomic<int> unfinished_at_return{0};  // Catch2 assertions are not thread-safe: count here
  std::vector<std::thread> callers;
  for (size_t c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      cluster::parallel_for(kItems, [&](size_t i) {
        std::this_thread::yield();
        runs[c][i].fetch_add(1);
      });
      // Everything of this call is done when it returns.
      for (size_t i = 0; i < kItems; ++i) {
        if (runs[c][i].load() != 1) unfinished_at_return.fetch_add(1);
      }
    });
  }
  for (auto& t : callers) t.join();
  CHECK(unfinished_at_return.load() == 0);
  for (size_t c = 0; c < kCallers; ++c) {
    for (size_t i = 0; i < kItems; ++i) CHECK(runs[c][i].load() == 1);
  }
}
