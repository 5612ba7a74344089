// Points in time (`_search/point_in_time`): a search's shard snapshots kept under an id so that
// later searches (`"pit": {"id": ..}` in the body) read the same documents, e.g. while paging
// with search_after. They live until their keep-alive passes without use, or until deleted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/search_service.h"

namespace sift::cluster {

struct PitInfo {
  std::string id;
  int64_t creation_time_ms = 0;
  int64_t keep_alive_ms = 0;
  int total_shards = 0;
  int failed_shards = 0;
  std::vector<ShardFailure> failures;
};

// Opens a PIT over the targets. More than `max_open` live PITs is a 429 (search.max_open_pit_context).
Result<PitInfo> create_pit(Node& node, const std::vector<SearchTarget>& targets, int64_t keep_alive_ms,
                           int64_t max_open);
// The PIT of an id, its keep-alive restarted (the larger of its own and `keep_alive_ms` when given);
// search_context_missing_exception (404) for an unknown or expired id.
Result<std::shared_ptr<PointInTime>> use_pit(const std::string& id, std::optional<int64_t> keep_alive_ms);
// Deletes the given PITs: per id, whether it existed.
std::vector<std::pair<std::string, bool>> delete_pits(const std::vector<std::string>& ids);
std::vector<std::pair<std::string, bool>> delete_all_pits();
std::vector<PitInfo> list_pits();

}  // namespace sift::cluster
