// The Lucene-style text of a Query bound to one index's mapping, as OpenSearch's
// `_validate/query?explain=true` shows it: `+title:quick #year:[2020 TO *] -tag:old`, analyzed
// terms for full-text queries, query_string bound to concrete fields, `(q)^2.0` for boosts. It is
// an explanation for people, close to Lucene's toString but not byte-identical for every query.
#pragma once

#include <string>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"

namespace sift::query {

// Errors are those of binding the query to the mapping (a value a field's type cannot hold, an
// unknown analyzer), as the search would report them.
Result<std::string> query_to_text(const Query& q, const index::Mapping& mapping);

}  // namespace sift::query
