// Numeric sort values across resolutions and field types: a date_nanos field sorts on epoch
// nanoseconds and a date field on milliseconds, each index on its own values (OpenSearch compares
// them raw when one search covers both); `numeric_type` casts them to one type first. unsigned_long
// values sort on their stored form and render as unsigned numbers. search_after and `missing`
// values are read into the same form as the values they are compared with.
#pragma once

#include <string>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"
#include "query/search_request.h"
#include "query/searcher.h"

namespace sift::query {

// Sets key->type, key->nanos and key->cast for a numeric or date field. `numeric_type` on a field
// without numeric doc values is OpenSearch's query_shard_exception "[numeric_type] option cannot be
// set on a non-numeric field, got keyword".
Status bind_numeric_sort(const SortSpec& spec, const index::ResolvedField& field, SortKey* key);

// A value read from doc values, after the key's cast.
void cast_sort_value(const SortKey& key, SortValue* v);

// Compares numeric sort values of any kinds (long, double, unsigned_long): <0, 0, >0.
int compare_numeric_sort_values(const SortValue& x, const SortValue& y);

// Whether the values a key sorts on are epoch nanoseconds (a date_nanos field, or numeric_type
// date_nanos), so a formatted date given back in search_after is read to the nanosecond.
bool sorts_in_nanos(const SortKey& key);

// A search_after value for a field sort key: numbers as they were rendered, a formatted date read
// with the field's format (`field` may be null for unmapped keys). Errors are OpenSearch's 400
// "Failed to parse search_after value [x] for field [f]".
Result<SortValue> bind_search_after_value(const Scalar& value, const SortKey& key, const index::ResolvedField* field);

// The `missing` value of a numeric sort key, in the form of the key's values.
Result<SortValue> numeric_missing_value(const std::string& text, const SortKey& key);

}  // namespace sift::query
