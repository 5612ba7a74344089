// `_explain`: how one document (by id, in the searchable view of its shard) scores for a query.
#pragma once

#include <string>

#include "cluster/node.h"
#include "common/status.h"
#include "index/segment.h"
#include "query/explain.h"
#include "query/query.h"

namespace sift::cluster {

struct DocExplanation {
  std::string index;                 // the concrete index the expression named
  bool found = false;                // the document is in the shard's searchable (refreshed) view
  query::Explanation explanation;    // when found
  index::StoredDocument stored;      // when found
};

// `expression` must name one index (directly or through an alias, whose filter then applies).
// Errors: index_not_found_exception (404), an alias over several indices (400).
Result<DocExplanation> explain_document(Node& node, const std::string& expression, const std::string& id,
                                        const std::string& routing, const query::Query& q);

}  // namespace sift::cluster
