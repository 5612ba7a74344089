// The `fields` object of a search hit: `docvalue_fields` read from doc values (dates formatted with
// the field's or the requested format), `stored_fields` for fields mapped with `store: true`, and
// the `fields` option (values taken from `_source`, dates formatted).
#pragma once

#include <string>

#include "index/mapping.h"
#include "index/shard.h"
#include "query/search_request.h"

namespace sift::cluster {

// Members of the hit's "fields" object as JSON text ("{...}"), or "" when there is nothing to show.
std::string render_hit_fields(const query::SearchRequest& req, const index::Mapping& mapping,
                              const index::ReaderSegment& seg, uint32_t doc, const std::string& source);

// Whether `_source` goes into the hit: stored_fields hide it unless `_source` is listed or asked for.
bool hit_includes_source(const query::SearchRequest& req);

}  // namespace sift::cluster
