// The "inner_hits" object of a search hit: for each nested query with inner_hits, the matching
// nested objects of the hit (query/inner_hits.h) with their `_nested` position and, unless
// disabled, the object itself cut out of the root's _source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/inner_hits.h"

namespace sift::cluster {

Result<std::string> render_inner_hits(const std::vector<const query::NestedQuery*>& queries,
                                      query::InnerHitsFinder& finder, uint32_t segment, uint32_t doc,
                                      const std::string& index, const std::string& id, std::string_view source);

}  // namespace sift::cluster
