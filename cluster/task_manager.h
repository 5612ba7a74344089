// Tasks: long-running operations (delete/update by query) that `_tasks` can see and cancel. A task
// has the id `<node id>:<n>`, a cancellation flag its work checks between batches, and a status
// the caller renders on demand. Work started with wait_for_completion=false runs on a thread the
// manager owns and its result (response JSON or error) is kept in memory for `GET _tasks/{id}`;
// OpenSearch persists such results in the `.tasks` index, Sift keeps the most recent ones only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace sift::cluster {

// A running task as its work sees it: identity and cancellation.
class Task {
 public:
  Task(int64_t id, std::string action, std::string description);
  int64_t id() const { return id_; }
  const std::string& action() const { return action_; }
  const std::string& description() const { return description_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  int64_t start_nanos() const { return start_nanos_; }

  void cancel(std::string reason);
  bool cancelled() const;
  std::string cancel_reason() const;
  // Sleeps up to `ms` (throttling), waking early on cancellation; true when cancelled.
  bool sleep_unless_cancelled(int64_t ms) const;

 private:
  int64_t id_;
  std::string action_;
  std::string description_;
  int64_t start_time_ms_;
  int64_t start_nanos_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::string cancel_reason_;  // non-empty once cancelled
};

// What `GET _tasks/{id}` shows of a task.
struct TaskView {
  std::string node;
  int64_t id = 0;
  std::string action;
  std::string description;
  int64_t start_time_ms = 0;
  int64_t running_time_nanos = 0;
  bool cancelled = false;
  std::string status_json;                    // the work's progress, rendered by its owner
  bool completed = false;
  std::optional<std::string> response_json;   // completed with a response
  std::optional<Status> error;                // completed with an error
};

// The progress of a task's work as JSON (called under no lock; must be thread-safe).
using TaskStatusFn = std::function<std::string()>;
// Background work: returns the response JSON, or the error that ended it.
using TaskWork = std::function<Result<std::string>(Task&)>;

class TaskManager {
 public:
  explicit TaskManager(std::string node_id);
  ~TaskManager();
  TaskManager(const TaskManager&) = delete;
  TaskManager& operator=(const TaskManager&) = delete;

  const std::string& node_id() const { return node_id_; }

  // Registers work running on the caller's thread; it stays visible until `finish`.
  std::shared_ptr<Task> register_task(std::string action, std::string description, TaskStatusFn status);
  void finish(const Task& task);

  // Runs `work` on a thread of its own and keeps its result; returns the task id `node:n`.
  // unavailable once the manager shuts down.
  Result<std::string> start(std::string action, std::string description, TaskStatusFn status, TaskWork work);

  // The task with this id: running, or completed with a stored result. `wait` blocks until it
  // completes or `timeout_ms` passes (timeout error). 404 resource_not_found_exception for an
  // unknown id, 400 for a malformed one.
  Result<TaskView> get(const std::string& task_id, bool wait, int64_t timeout_ms);
  // Asks a running task to stop; it ends after its current batch.
  Result<TaskView> cancel(const std::string& task_id, const std::string& reason);
  std::vector<TaskView> list();

  // Cancels every task, waits for background work to end; later starts are refused.
  void shutdown();

  // How many completed results are kept (oldest dropped first).
  static constexpr size_t kMaxStoredResults = 1000;

 private:
  struct Entry {
    std::shared_ptr<Task> task;
    TaskStatusFn status;
    bool background = false;
    bool completed = false;
    std::optional<std::string> response_json;
    std::optional<Status> error;
    int64_t end_nanos = 0;
  };
  Result<int64_t> parse_id(const std::string& task_id) const;
  TaskView view_locked(const Entry& e) const;
  void complete(int64_t id, Result<std::string> outcome);
  void reap_locked(std::vector<std::thread>* done);

  std::string node_id_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  int64_t next_id_ = 1;
  bool shutting_down_ = false;
  std::map<int64_t, Entry> entries_;
  std::list<int64_t> stored_order_;                // completed background results, oldest first
  std::map<int64_t, std::thread> threads_;         // background work, joined when it ends
  std::vector<int64_t> finished_threads_;          // ended, not yet joined
};

}  // namespace sift::cluster
