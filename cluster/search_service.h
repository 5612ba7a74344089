// The search coordinator: runs the query phase on every shard of the target indices, merges the
// per-shard top hits (score desc, then shard, then doc), then fetches only the winners' stored
// documents (`_source` filtering, version, seq_no). Shard failures are reported, not fatal.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/node.h"
#include "common/status.h"
#include "query/search_request.h"
#include "query/searcher.h"

namespace sift::cluster {

struct SearchHit {
  std::string index;
  std::string id;
  float score = 0;
  bool has_score = true;
  std::optional<std::string> source;  // filtered; nullopt when not fetched
  std::string fields_json;            // the "fields" object, "" when none
  std::string highlight_json;         // the "highlight" object, "" when none
  std::string explanation_json;       // the "_explanation" object, "" when not asked for
  std::string inner_hits_json;        // the "inner_hits" object, "" when none
  int shard = 0;                      // the shard the hit came from
  std::string routing;
  int64_t version = 0;
  int64_t seq_no = 0;
  int64_t primary_term = 0;
  std::vector<query::SortValue> sort_values;  // when sorted by fields or _doc
};

struct ShardFailure {
  std::string index;
  int shard = 0;
  Status status;
};

struct SearchResult {
  int64_t took_ms = 0;
  int total_shards = 0;
  int successful_shards = 0;
  std::vector<ShardFailure> failures;
  uint64_t total_hits = 0;
  bool total_is_lower_bound = false;
  bool track_total = true;
  float max_score = 0;
  bool has_max_score = false;
  bool terminated_early = false;
  bool timed_out = false;              // a shard stopped at the request's timeout: partial results
  std::vector<SearchHit> hits;
};

// A concrete index to search, with the filters of the aliases the request reached it through (all
// must-match alternatives: a doc passes if it matches any of them; empty: no filter).
struct SearchTarget {
  std::string index;
  std::vector<std::string> alias_filters_json;
};

// The filter of a target reached through filtered aliases: a doc passes when it matches any of
// them. nullptr when the target has no alias filter.
Result<std::unique_ptr<query::Query>> alias_filter_query(const SearchTarget& target);


// Resolves an index expression into targets, keeping alias filters: an index named directly (or by
// a pattern) is searched whole; one reached only through filtered aliases gets their filters.
Result<std::vector<SearchTarget>> resolve_search_targets(const Node& node, const std::string& expression,
                                                         const IndicesOptions& opts);

Result<SearchResult> run_search(Node& node, const std::vector<SearchTarget>& targets, const query::SearchRequest& req);

// A point in time: the shard snapshots (and alias filters) of a search, kept for scrolls so every
// page reads the same documents.
struct PointInTime;
Result<std::shared_ptr<PointInTime>> capture_point_in_time(Node& node, const std::vector<SearchTarget>& targets);
// The number of shards a point in time covers, and the failures of those it could not capture.
void point_in_time_shards(const PointInTime& pit, int* total, std::vector<ShardFailure>* failures);
// `enforce_window`: apply index.max_result_window (scroll pages past it are allowed).
Result<SearchResult> run_search_on(const PointInTime& pit, const query::SearchRequest& req, bool enforce_window);

// Scroll contexts: a point in time, the request, and where the next page starts. They expire after
// their keep-alive unless used again.
std::string open_scroll(std::shared_ptr<PointInTime> pit, query::SearchRequest req, int64_t keep_alive_ms,
                        int64_t next_from);
// The next page of a scroll (extending its keep-alive when given); search_context_missing_exception
// (404) for an unknown or expired id.
Result<SearchResult> scroll_next(const std::string& scroll_id, std::optional<int64_t> keep_alive_ms,
                                 const query::SearchRequest** request);
// Frees the given contexts ("_all": every one); returns how many existed.
size_t clear_scrolls(const std::vector<std::string>& ids);

}  // namespace sift::cluster
