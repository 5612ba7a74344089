// The coordinator's rewrite of a search before any shard runs it (OpenSearch's rewrite phase on
// the coordinating node): terms lookups fetch their documents and become plain terms queries,
// `indices_boost` entries resolve to concrete indices, and terms queries are held to each target
// index's `index.max_terms_count`. The query tree is changed here, while the request still owns
// it alone; shards then share it read-only.
#pragma once

#include <vector>

#include "cluster/node.h"
#include "cluster/search_service.h"
#include "common/status.h"
#include "query/query.h"
#include "query/search_request.h"

namespace sift::cluster {

// Replaces every terms lookup in `q` (null: nothing) by the values at its path in the named
// document's `_source` (real-time GET; arrays flatten, objects inside arrays give the values of
// the path within each). A missing document gives no terms; a missing index is
// index_not_found_exception (404).
Status resolve_terms_lookups(Node& node, query::Query* q);

// 400 illegal_argument_exception when a terms query of `q` holds more terms than a target
// index's `index.max_terms_count` (default 65536) allows.
Status check_max_terms_count(const Node& node, const query::Query* q, const std::vector<SearchTarget>& targets);

// All of the above for a search request, plus `indices_boost` resolved through aliases and
// wildcards with `opts` (the first entry reaching an index wins; a name that reaches no index is
// index_not_found_exception unless ignore_unavailable).
Status rewrite_search_request(Node& node, const std::vector<SearchTarget>& targets, const IndicesOptions& opts,
                              query::SearchRequest* req);

}  // namespace sift::cluster
