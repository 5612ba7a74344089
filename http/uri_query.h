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

// The query of a request whose body may hold only `query` (`_validate/query`, `_explain`): the
// body's `query`, else `q=`, else nullptr. Another body key is a parsing_exception.
Result<std::unique_ptr<query::Query>> body_or_uri_query(const RestRequest& req);

}  // namespace sift::http
