// Score explanations: why one document matches a query and how its score is made, in the shape
// of Lucene's Weight.explain that OpenSearch returns from `_explain` and `explain: true` — BM25
// leaves as `weight(field:term in doc) [PerFieldSimilarity]` with boost, idf and tf parts, bool
// queries as "sum of:", dis_max as "max of:", constant-score queries as their Lucene text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/query.h"

namespace sift::query {

struct Explanation {
  bool match = false;
  float value = 0;
  std::string description;
  std::vector<Explanation> details;
  int64_t count = -1;  // >= 0: a statistic rendered as an integer instead of `value`
};

// Explains document `doc` of segment `segment` of `snapshot` for `q` (null: match_all). `filter`
// (an alias filter) must match too and adds no score, as a FILTER clause. `boost` (indices_boost)
// multiplies the query as a boost around it would. The value of a matching explanation is the
// document's score up to float rounding in sums.
Result<Explanation> explain_document(const index::ShardSnapshot& snapshot, const index::Mapping& mapping,
                                     const Query* q, const Query* filter, uint32_t segment, uint32_t doc,
                                     float boost = 1.0f);

// {"value":..,"description":..,"details":[..]} as OpenSearch renders an explanation.
void write_explanation(JsonWriter& w, const Explanation& e);

}  // namespace sift::query
