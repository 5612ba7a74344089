#include "cluster/task_manager.h"

#include <charconv>
#include <chrono>

#include "common/time_util.h"

namespace sift::cluster {

// ---- Task -------------------------------------------------------------------------------------

Task::Task(int64_t id, std::string action, std::string description)
    : id_(id), action_(std::move(action)), description_(std::move(description)), start_time_ms_(now_millis()),
      start_nanos_(monotonic_nanos()) {}

void Task::cancel(std::string reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancel_reason_.empty()) cancel_reason_ = reason.empty() ? "by user request" : std::move(reason);
  }
  cv_.notify_all();
}

bool Task::cancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !cancel_reason_.empty();
}

std::string Task::cancel_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancel_reason_;
}

bool Task::sleep_unless_cancelled(int64_t ms) const {
  std::unique_lock<std::mutex> lock(mu_);
  if (ms > 0) cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return !cancel_reason_.empty(); });
  return !cancel_reason_.empty();
}

// ---- TaskManager ------------------------------------------------------------------------------

TaskManager::TaskManager(std::string node_id) : node_id_(std::move(node_id)) {}

TaskManager::~TaskManager() { shutdown(); }

std::shared_ptr<Task> TaskManager::register_task(std::string action, std::string description, TaskStatusFn status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto task = std::make_shared<Task>(next_id_++, std::move(action), std::move(description));
  Entry e;
  e.task = task;
  e.status = std::move(status);
  if (shutting_down_) task->cancel("node is shutting down");
  entries_[task->id()] = std::move(e);
  return task;
}

void TaskManager::finish(const Task& task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(task.id());
  }
  done_cv_.notify_all();
}

void TaskManager::reap_locked(std::vector<std::thread>* done) {
  for (int64_t id : finished_threads_) {
    auto it = threads_.find(id);
    if (it == threads_.end()) continue;
    done->push_back(std::move(it->second));
    threads_.erase(it);
  }
  finished_threads_.clear();
}

Result<std::string> TaskManager::start(std::string action, std::string description, TaskStatusFn status,
                                       TaskWork work) {
  std::vector<std::thread> done;
  std::string id_text;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutting_down_) return Status(Code::kUnavailable, "node_closed_exception", "node is shutting down");
    reap_locked(&done);
    auto task = std::make_shared<Task>(next_id_++, std::move(action), std::move(description));
    int64_t id = task->id();
    Entry e;
    e.task = task;
    e.status = std::move(status);
    e.background = true;
    entries_[id] = std::move(e);
    // The thread reports through complete(), which waits for this lock: threads_[id] is set first.
    threads_[id] = std::thread([this, task, work = std::move(work)]() mutable {
      Result<std::string> outcome = work(*task);
      complete(task->id(), std::move(outcome));
    });
    id_text = node_id_ + ":" + std::to_string(id);
  }
  for (auto& t : done) t.join();
  return id_text;
}

void TaskManager::complete(int64_t id, Result<std::string> outcome) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end()) {
      Entry& e = it->second;
      e.completed = true;
      e.end_nanos = monotonic_nanos();
      if (outcome.is_ok()) e.response_json = std::move(outcome).value();
      else e.error = std::move(outcome).take_status();
      stored_order_.push_back(id);
      while (stored_order_.size() > kMaxStoredResults) {
        entries_.erase(stored_order_.front());
        stored_order_.pop_front();
      }
    }
    finished_threads_.push_back(id);
  }
  done_cv_.notify_all();
}

Result<int64_t> TaskManager::parse_id(const std::string& task_id) const {
  size_t colon = task_id.rfind(':');
  int64_t n = 0;
  if (colon == std::string::npos || colon == 0) return invalid_argument("malformed task id " + task_id);
  const char* begin = task_id.data() + colon + 1;
  const char* end = task_id.data() + task_id.size();
  auto [ptr, ec] = std::from_chars(begin, end, n);
  if (begin == end || ec != std::errc() || ptr != end) return invalid_argument("malformed task id " + task_id);
  if (task_id.substr(0, colon) != node_id_ || n <= 0) {
    return Status(Code::kNotFound, "resource_not_found_exception",
                  "task [" + task_id + "] isn't running and hasn't stored its results");
  }
  return n;
}

TaskView TaskManager::view_locked(const Entry& e) const {
  TaskView v;
  v.node = node_id_;
  v.id = e.task->id();
  v.action = e.task->action();
  v.description = e.task->description();
  v.start_time_ms = e.task->start_time_ms();
  v.running_time_nanos = (e.completed ? e.end_nanos : monotonic_nanos()) - e.task->start_nanos();
  v.cancelled = e.task->cancelled();
  v.completed = e.completed;
  v.response_json = e.response_json;
  v.error = e.error;
  return v;
}

Result<TaskView> TaskManager::get(const std::string& task_id, bool wait, int64_t timeout_ms) {
  SIFT_ASSIGN_OR_RETURN(int64_t id, parse_id(task_id));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::optional<TaskView> seen;
  TaskStatusFn status;
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      auto it = entries_.find(id);
      if (it == entries_.end()) {
        // A task without a stored result that ended while we waited: report it as completed.
        if (!seen) {
          return Status(Code::kNotFound, "resource_not_found_exception",
                        "task [" + task_id + "] isn't running and hasn't stored its results");
        }
        seen->completed = true;
        return *seen;
      }
      seen = view_locked(it->second);
      status = it->second.status;
      if (!wait || it->second.completed) break;
      if (done_cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
        auto again = entries_.find(id);
        if (again != entries_.end() && !again->second.completed) {
          return Status(Code::kTimeout, "timeout_exception", "Timed out waiting for completion of [" + task_id + "]");
        }
      }
    }
  }
  if (status) seen->status_json = status();
  return *seen;
}

Result<TaskView> TaskManager::cancel(const std::string& task_id, const std::string& reason) {
  SIFT_ASSIGN_OR_RETURN(int64_t id, parse_id(task_id));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.completed) {
    return Status(Code::kNotFound, "resource_not_found_exception", "task [" + task_id + "] is not running");
  }
  it->second.task->cancel(reason);
  return view_locked(it->second);
}

std::vector<TaskView> TaskManager::list() {
  std::vector<std::pair<TaskView, TaskStatusFn>> running;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, e] : entries_) {
      if (!e.completed) running.emplace_back(view_locked(e), e.status);
    }
  }
  std::vector<TaskView> out;
  for (auto& [v, status] : running) {
    if (status) v.status_json = status();
    out.push_back(std::move(v));
  }
  return out;
}

void TaskManager::shutdown() {
  std::map<int64_t, std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
    for (auto& [id, e] : entries_) {
      if (!e.completed) e.task->cancel("node is shutting down");
    }
    threads.swap(threads_);
    finished_threads_.clear();
  }
  for (auto& [id, t] : threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace sift::cluster
