// unsigned_long in term, terms and range queries: values read exactly from the request text
// (index/unsigned_long.h) and mapped to the stored int64 order (index/numeric_codec.h), with
// OpenSearch's rules for decimal parts and its errors for values outside 0 .. 2^64-1.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "query/query.h"

namespace sift::query {

// The indexed term a term (or terms) value looks up. A value with a decimal part matches no
// document, as in OpenSearch: it yields "", a term no numeric field holds. Errors are
// query_shard_exception: "failed to create query: Value [-1] is out of range for an unsigned long".
Result<std::string> unsigned_long_term_bytes(const Scalar& value);

// Inclusive stored bounds of a range query (gt 1.5 is gte 2, lt 1.5 is lte 1); false when the
// range is empty. Bounds below 0 or above 2^64-1 are errors, as in OpenSearch.
Result<bool> unsigned_long_range(const RangeQuery& q, int64_t* lo, int64_t* hi);

}  // namespace sift::query
