// Delete by query and update by query: every document a query matches, as of one point in time, is
// deleted or re-indexed from its current `_source` (picking up mapping changes, bumping its version)
// in batches of `batch_size` (OpenSearch's scroll_size). Each write carries the seq_no and primary
// term the search saw, so a document changed since then is a version conflict, never overwritten:
// with conflicts=abort the run stops after the batch that hit one, with proceed it is counted and
// the run goes on. Writes are made durable per batch (one translog sync per touched shard).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/node.h"
#include "cluster/search_service.h"
#include "cluster/task_manager.h"
#include "common/status.h"
#include "query/query.h"
#include "query/search_request.h"

namespace sift::cluster {

enum class ByQueryKind { kDelete, kUpdate };

struct ByQueryRequest {
  ByQueryKind kind = ByQueryKind::kDelete;
  std::vector<SearchTarget> targets;
  std::unique_ptr<query::Query> query;   // null: match_all
  std::vector<query::SortSpec> sort;     // which docs go first; matters only with max_docs
  std::vector<std::string> routing;      // non-empty: only the shards these values route to
  int64_t max_docs = -1;                 // -1: every match
  int64_t batch_size = 1000;
  bool abort_on_conflict = true;         // conflicts=abort (default) or proceed
  double requests_per_second = -1;       // -1: unthrottled
  bool refresh = false;                  // refresh the written indices at the end
  // Matches read per shard search, in doc order: bounds memory (8 bytes a hit) and how often the
  // query runs again to resume after the last doc. Tests lower it to cross chunk boundaries.
  size_t search_chunk = 8192;
};

struct ByQueryCounts {
  int64_t total = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t batches = 0;
  int64_t version_conflicts = 0;
  int64_t noops = 0;
  int64_t bulk_retries = 0;
  int64_t search_retries = 0;
  int64_t throttled_ms = 0;
  int64_t throttled_until_ms = 0;
  double requests_per_second = -1;
  std::string canceled;                  // why the run was cancelled, if it was
};

// A write that failed: a version conflict under conflicts=abort, or any other error.
struct ByQueryWriteFailure {
  std::string index;
  std::string id;
  Status cause;
};

struct ByQueryResult {
  int64_t took_ms = 0;
  bool timed_out = false;
  ByQueryCounts counts;
  std::vector<ByQueryWriteFailure> failures;
  std::vector<ShardFailure> search_failures;
};

// The counts of a run in progress, read by `_tasks` while the engine updates them.
class ByQueryProgress {
 public:
  ByQueryCounts get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_;
  }
  void set(const ByQueryCounts& c) {
    std::lock_guard<std::mutex> lock(mu_);
    counts_ = c;
  }

 private:
  mutable std::mutex mu_;
  ByQueryCounts counts_;
};

// Runs the request. `task` (may be null) is checked for cancellation between batches; `progress`
// (may be null) receives the counts after every batch. Errors are the request's own (a query that
// cannot run, a closed index); per-document and per-shard failures are in the result.
Result<ByQueryResult> run_by_query(Node& node, const ByQueryRequest& req, const Task* task, ByQueryProgress* progress);

// How long to wait after a batch of `docs` that took `elapsed_ms` so that the run keeps to
// `requests_per_second` (OpenSearch's throttle: the batch is spread over docs / rps seconds).
int64_t throttle_delay_ms(int64_t docs, double requests_per_second, int64_t elapsed_ms);

}  // namespace sift::cluster
