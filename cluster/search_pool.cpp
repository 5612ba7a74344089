#include "cluster/search_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sift::cluster {
namespace {

// Threads started on first use, one per core (at least 2), living as long as the process.
class SearchPool {
 public:
  static SearchPool& get() {
    static SearchPool* pool = new SearchPool(std::max(2u, std::thread::hardware_concurrency()));
    return *pool;
  }

  size_t size() const { return threads_.size(); }

  void submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  explicit SearchPool(unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
      threads_.emplace_back([this] { run(); });
      threads_.back().detach();
    }
  }

  void run() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !queue_.empty(); });
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
};

// One parallel_for: workers claim indexes until none are left.
struct Batch {
  explicit Batch(size_t n, const std::function<void(size_t)>& f) : total(n), fn(f) {}
  const size_t total;
  const std::function<void(size_t)>& fn;  // outlives the batch's work: the caller waits for `finished`
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::condition_variable cv;
  size_t finished = 0;

  void work() {
    size_t done_here = 0;
    for (size_t i = next.fetch_add(1); i < total; i = next.fetch_add(1)) {
      fn(i);
      ++done_here;
    }
    if (done_here == 0) return;
    std::lock_guard<std::mutex> lock(mu);
    finished += done_here;
    if (finished == total) cv.notify_all();
  }
};

}  // namespace

void parallel_for(size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (n == 1) {
    fn(0);
    return;
  }
  auto batch = std::make_shared<Batch>(n, fn);
  SearchPool& pool = SearchPool::get();
  size_t helpers = std::min(n - 1, pool.size());
  for (size_t i = 0; i < helpers; ++i) {
    // A helper that starts after every index is claimed does nothing (and never touches fn).
    pool.submit([batch] { batch->work(); });
  }
  batch->work();
  std::unique_lock<std::mutex> lock(batch->mu);
  batch->cv.wait(lock, [&] { return batch->finished == batch->total; });
}

}  // namespace sift::cluster
