// inner_hits of nested queries: the nested documents of one root's block that match a nested
// query's inner query, best first, with where each sits in the root's _source (OpenSearch's
// `_nested` field / offset chain). The fetch phase renders them (cluster/hit_inner_hits.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/query.h"

namespace sift::query {

// One level of a nested document's position: the object field relative to the level above (the
// root for the first) and the index of the object in that field's array.
struct NestedLevel {
  std::string field;
  uint32_t offset = 0;
};

struct NestedInnerHit {
  uint32_t doc = 0;  // in the root's segment
  float score = 0;
  std::vector<NestedLevel> levels;  // outermost first
};

struct NestedInnerHits {
  uint64_t total = 0;
  float max_score = 0;
  std::vector<NestedInnerHit> hits;  // the page: from/size of the spec, score desc, then doc order
};

// Every nested query with inner_hits in the tree, in tree order; illegal_argument_exception when
// two share a name.
Result<std::vector<const NestedQuery*>> inner_hits_queries(const Query& q);

// Finds inner hits in one shard snapshot; the inner query runs once per segment and query.
class InnerHitsFinder {
 public:
  InnerHitsFinder(const index::ShardSnapshot& snap, const index::Mapping& mapping);
  ~InnerHitsFinder();
  Result<NestedInnerHits> find(const NestedQuery& q, uint32_t segment, uint32_t root);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sift::query
