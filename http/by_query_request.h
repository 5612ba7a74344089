// The request of `_delete_by_query` / `_update_by_query`: body (`query`, `max_docs`, `conflicts`,
// search options such as `sort`; `size` is the batch size) and URI parameters (`conflicts`,
// `max_docs`, deprecated `size`, `scroll_size`, `slices`, `requests_per_second`, `refresh`,
// `routing`, `q`, `wait_for_completion`, ...), checked with OpenSearch's messages.
#pragma once

#include <string>
#include <vector>

#include "cluster/by_query.h"
#include "common/status.h"
#include "http/rest.h"

namespace sift::http {

struct ByQueryParams {
  cluster::ByQueryRequest request;     // targets are left to the caller
  bool wait_for_completion = true;
  std::vector<std::string> warnings;   // deprecations, for the Warning header
};

// Parameter errors are illegal_argument_exception; the checks OpenSearch runs before executing
// (from, stored_fields, a missing query for delete, max_docs below slices) are one
// action_request_validation_exception listing them all.
Result<ByQueryParams> parse_by_query_request(const RestRequest& req, cluster::ByQueryKind kind);

}  // namespace sift::http
