// The URI query of `_search`, `_count`, `_validate/query` and the by-query APIs: `q=` is a
// query_string query with the URI's `df`, `default_operator`, `analyzer`, `lenient` and
// `analyze_wildcard`.
#pragma once

#include <memory>

#include "common/status.h"
#include "http/rest.h"
#include "query/query.h"

namespace sift::http {

// The parsed `q=` query, or nullptr when the request has no `q`.
Result<std::unique_ptr<query::Query>> uri_query(const RestRequest& req);

}  // namespace sift::http
