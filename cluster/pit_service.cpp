#include "cluster/pit_service.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "cluster/index_names.h"
#include "common/time_util.h"

namespace sift::cluster {
namespace {

struct PitEntry {
  std::shared_ptr<PointInTime> pit;
  PitInfo info;
  int64_t expires_ms = 0;
};

// Process-wide (one node per process). Expired PITs are dropped whenever the registry is used.
struct PitRegistry {
  std::mutex mu;
  std::map<std::string, PitEntry> pits;
  uint64_t counter = 0;

  void expire_locked(int64_t now) {
    for (auto it = pits.begin(); it != pits.end();) it = it->second.expires_ms < now ? pits.erase(it) : std::next(it);
  }
};

PitRegistry& registry() {
  static PitRegistry r;
  return r;
}

}  // namespace

Result<PitInfo> create_pit(Node& node, const std::vector<SearchTarget>& targets, int64_t keep_alive_ms,
                           int64_t max_open) {
  {
    auto& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    r.expire_locked(now_millis());
    if (static_cast<int64_t>(r.pits.size()) >= max_open) {
      return Status(Code::kResourceExhausted, "rejected_execution_exception",
                    "Trying to create too many Point In Time contexts. Must be less than or equal to: [" +
                        std::to_string(max_open) +
                        "]. This limit can be set by changing the [search.max_open_pit_context] setting.");
    }
  }
  SIFT_ASSIGN_OR_RETURN(std::shared_ptr<PointInTime> pit, capture_point_in_time(node, targets));
  PitEntry e;
  e.info.creation_time_ms = now_millis();
  e.info.keep_alive_ms = keep_alive_ms;
  point_in_time_shards(*pit, &e.info.total_shards, &e.info.failures);
  e.info.failed_shards = static_cast<int>(e.info.failures.size());
  e.expires_ms = e.info.creation_time_ms + keep_alive_ms;
  e.pit = std::move(pit);
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  // Opaque and unguessable enough for one node: random bits plus a counter.
  e.info.id = random_uuid() + std::to_string(++r.counter);
  PitInfo out = e.info;
  r.pits[out.id] = std::move(e);
  return out;
}

Result<std::shared_ptr<PointInTime>> use_pit(const std::string& id, std::optional<int64_t> keep_alive_ms) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  int64_t now = now_millis();
  r.expire_locked(now);
  auto it = r.pits.find(id);
  if (it == r.pits.end()) {
    return Status(Code::kNotFound, "search_context_missing_exception", "No search context found for id [" + id + "]");
  }
  if (keep_alive_ms) it->second.info.keep_alive_ms = std::max(it->second.info.keep_alive_ms, *keep_alive_ms);
  it->second.expires_ms = now + it->second.info.keep_alive_ms;
  return it->second.pit;
}

std::vector<std::pair<std::string, bool>> delete_pits(const std::vector<std::string>& ids) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.expire_locked(now_millis());
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& id : ids) out.emplace_back(id, r.pits.erase(id) > 0);
  return out;
}

std::vector<std::pair<std::string, bool>> delete_all_pits() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.expire_locked(now_millis());
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& [id, e] : r.pits) out.emplace_back(id, true);
  r.pits.clear();
  return out;
}

std::vector<PitInfo> list_pits() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.expire_locked(now_millis());
  std::vector<PitInfo> out;
  for (const auto& [id, e] : r.pits) out.push_back(e.info);
  return out;
}

}  // namespace sift::cluster
