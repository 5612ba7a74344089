// SearchRequest: a parsed `_search` / `_count` body plus URI parameters. Parsed once in
// dsl_parser.cpp; the coordinator runs it on every shard and the fetch phase renders the hits.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/highlight.h"
#include "query/query.h"

namespace sift::query {

// `nested` in a field sort: the values come from the root's nested objects at `path` that match
// `filter` (null: all), at most `max_children` of them per root; `nested` goes one level deeper.
struct NestedSortSpec {
  std::string path;
  std::shared_ptr<const Query> filter;
  int64_t max_children = INT32_MAX;
  std::shared_ptr<const NestedSortSpec> nested;
};

struct SortSpec {
  std::string field;            // "_score", "_doc", or a field with doc values
  bool descending = false;
  std::string missing;          // "_last" (default), "_first", or a value
  std::string unmapped_type;    // sort an unmapped field as if of this type (all values missing)
  std::string mode;             // multi-valued: min, max (default: min asc, max desc)
  std::string numeric_type;     // long, double, date, date_nanos: cast the values (e.g. date and
                                // date_nanos indices sorted together), empty: the field's own
  std::shared_ptr<const NestedSortSpec> nested;  // sort by values of nested objects
};

// `slice`: this request reads one of `max` disjoint parts of the documents (sliced scroll / PIT).
struct SliceSpec {
  int32_t id = 0;
  int32_t max = 0;
};

struct SourceFilter {
  bool fetch = true;
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
};

// A field asked for in `docvalue_fields` or `fields`, with an optional format.
struct FieldRequest {
  std::string field;   // may hold `*` wildcards
  std::string format;
};

struct SearchRequest {
  std::unique_ptr<Query> query;  // null means match_all
  int64_t from = 0;
  int64_t size = 10;
  std::vector<SortSpec> sort;    // empty: by score
  // Exact counting up to this many hits; kTrackAll counts everything.
  static constexpr int64_t kTrackAll = INT64_MAX;
  int64_t track_total_hits = 10000;
  bool track_total_hits_set = false;
  SourceFilter source;
  bool version = false;
  bool seq_no_primary_term = false;
  std::optional<float> min_score;
  int64_t terminate_after = 0;
  std::vector<FieldRequest> docvalue_fields;
  std::vector<FieldRequest> fields;
  std::optional<std::vector<std::string>> stored_fields;  // set when given ("_none_" hides metadata too)
  bool source_explicit = false;                           // `_source` given in the body or URI
  std::vector<Scalar> search_after;
  std::optional<HighlightSpec> highlight;
  bool explain = false;          // each hit carries `_explanation`
  std::string timeout;           // a time value ("50ms", "1s"); empty: none
  std::string pit_id;            // `pit.id`: search this point in time instead of the named indices
  std::string pit_keep_alive;    // `pit.keep_alive`, empty: keep the PIT's own
  std::optional<SliceSpec> slice;
  // `indices_boost`: index names, aliases or patterns with their boosts, in request order (the
  // first entry reaching an index wins); the object form is deprecated (a Warning header).
  std::vector<std::pair<std::string, float>> indices_boost;
  bool indices_boost_object = false;
  // Filled by the coordinator (cluster/search_rewrite.h): concrete index -> score multiplier.
  std::map<std::string, float> index_boosts;
};

// Parses a search body ({} or empty for match_all). `count_only` accepts only `query` (as _count).
Result<SearchRequest> parse_search_request(std::string_view json, bool count_only);
// Parses `_source` / `_source_includes` / `_source_excludes` URI parameters into `filter`.
void apply_source_params(const std::string& source, const std::string& includes, const std::string& excludes,
                         SourceFilter* filter);

}  // namespace sift::query
