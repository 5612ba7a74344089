// Sorting by fields of nested objects (`nested` in a field sort): the sort value of a root
// document is picked (min, max, sum, avg) from the values of its nested objects at the innermost
// path that match each level's filter, as OpenSearch's NestedSortBuilder / MultiValueMode do.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/search_request.h"
#include "query/searcher.h"

namespace sift::query {

class SegmentEvaluator;

// Binds `spec.nested` to `key->nested`, checking its paths against the mapping. Without `nested`, a
// field inside a nested object (not included in the root) is refused as OpenSearch does.
Status bind_nested_sort(const SortSpec& spec, const index::ResolvedField& field, const index::Mapping& mapping,
                        SortKey* key);

// The nested docs of one segment whose values each key reads, sorted (empty for plain keys).
Result<std::vector<std::vector<uint32_t>>> nested_sort_docs(SegmentEvaluator& eval, const index::ReaderSegment& seg,
                                                            const std::vector<SortKey>& keys);

// The docs of `docs` inside the block of `root` (before it, from its block's first doc).
std::span<const uint32_t> nested_sort_children(const index::ReaderSegment& seg, const std::vector<uint32_t>& docs,
                                               uint32_t root);

}  // namespace sift::query
