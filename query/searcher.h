// The per-shard query phase: runs a Query over every segment of a shard snapshot, counts the
// matches and keeps the top hits (by score or index order). The result is small and mergeable;
// the coordinator merges shard results and fetches only the winners. This first version evaluates
// clauses into sorted doc lists; the search issue replaces it with iterators and block-max WAND.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/query.h"
#include "query/search_request.h"

namespace sift::query {

// One sort value of a hit: a number, a string, or missing. An unsigned_long value keeps its stored
// form in `l` (sign bit flipped, index/numeric_codec.h) and renders as an unsigned number.
struct SortValue {
  enum class Kind : uint8_t { kMissing, kLong, kDouble, kString, kUnsignedLong };
  Kind kind = Kind::kMissing;
  int64_t l = 0;
  double d = 0;
  std::string s;
};

// A sort key bound to one index's mapping.
struct SortKey {
  enum class Type : uint8_t { kScore, kDoc, kLong, kDouble, kString, kUnmapped, kUnsignedLong };
  // `numeric_type` casts of the values read (query/sort_numeric.h): date <-> date_nanos
  // resolutions, long <-> double, unsigned_long -> double.
  enum class Cast : uint8_t { kNone, kNanosToMillis, kMillisToNanos, kLongToDouble, kDoubleToLong, kUnsignedToDouble };
  std::string field;
  Type type = Type::kScore;
  bool descending = false;
  bool missing_first = false;
  std::optional<SortValue> missing_value;  // `missing` given as a value
  bool use_max = false;                    // multi-valued: max instead of min
  // avg, sum, median of a numeric field's values (min/max: use_max)
  enum class Reduce : uint8_t { kPick, kSum, kAvg, kMedian };
  Reduce reduce = Reduce::kPick;
  bool nanos = false;                      // a date_nanos field: values are epoch nanoseconds
  Cast cast = Cast::kNone;
  // `nested`: the values of the root's nested objects, outermost level first (query/nested_sort.cpp).
  struct NestedLevel {
    std::string path;
    std::shared_ptr<const Query> filter;  // null: every object of the path
    int64_t max_children = INT32_MAX;
  };
  std::vector<NestedLevel> nested;
};

// Binds sort specs to a mapping. Errors as OpenSearch's: a text field cannot be sorted on, an
// unmapped field needs `unmapped_type`.
Result<std::vector<SortKey>> resolve_sort(const std::vector<SortSpec>& specs, const index::Mapping& mapping);
// Negative when `a` sorts before `b`.
int compare_sort_values(const std::vector<SortValue>& a, const std::vector<SortValue>& b,
                        const std::vector<SortKey>& keys);

struct ShardHit {
  uint32_t segment = 0;  // index into the snapshot's segments
  uint32_t doc = 0;      // doc id within the segment
  float score = 0;
  std::vector<SortValue> sort_values;  // field sorts only
};

struct ShardSearchOptions {
  size_t top_n = 10;              // from + size
  bool by_doc = false;            // index order instead of score
  int64_t track_total_hits = 10000;
  bool has_min_score = false;
  float min_score = 0;
  int64_t terminate_after = 0;    // 0: no limit
  const Query* filter = nullptr;  // e.g. an alias filter: must match too, adds no score
  std::vector<SortKey> sort;      // non-empty: sort by these keys (then by_doc is ignored)
  std::vector<SortValue> search_after;  // field sorts: only hits after these values
  bool exhaustive = false;        // score every match with the evaluator (the oracle for tests)
  float score_boost = 1.0f;       // indices_boost: every score of this shard, (float)(score * boost)
  int64_t deadline_nanos = 0;     // monotonic_nanos() time to stop at with partial results; 0: none
  // A slice of the shard (sliced scroll / PIT): only docs whose _id hashes (murmur3, seed 7919)
  // to slice_id modulo slice_max; slice_max 0: the whole shard.
  uint32_t slice_id = 0;
  uint32_t slice_max = 0;
  int64_t max_regex_length = 1000;  // index.max_regex_length
};

struct ShardSearchResult {
  uint64_t total_hits = 0;        // matches; exact up to track_total_hits, a lower bound above it
  float max_score = 0;
  bool has_max_score = false;
  bool terminated_early = false;
  bool timed_out = false;         // stopped at the deadline: the hits and count so far
  std::vector<ShardHit> top;      // sorted: score desc / shard order
};

Result<ShardSearchResult> search_shard(const index::ShardSnapshot& snapshot, const index::Mapping& mapping,
                                       const Query* query, const ShardSearchOptions& options);

// Converts a query value into the indexed term bytes for a field of the given mapping; an error
// for values that cannot be of that type (e.g. "abc" on a long field).
Result<std::string> term_bytes_for(const index::ResolvedField& field, const Scalar& value);

}  // namespace sift::query
