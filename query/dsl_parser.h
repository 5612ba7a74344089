// The query DSL parser: JSON (`{"query": ...}`'s inner object) -> Query tree. Errors are OpenSearch's
// parsing_exception / illegal_argument_exception (400). Depth is bounded so hostile nesting is a
// clean error.
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "query/query.h"

namespace sift::query {

inline constexpr int kMaxQueryDepth = 100;
inline constexpr size_t kMaxClauseCount = 1024;

// Parses one query object given as JSON text, e.g. {"term":{"user":"kimchy"}}.
Result<std::unique_ptr<Query>> parse_query(std::string_view json);

// The name Jackson gives a JSON value's first token ("START_OBJECT", "VALUE_STRING", ...), which
// OpenSearch's parse errors quote; the argument is a rapidjson::Type.
const char* json_token_name(int rapidjson_type);

}  // namespace sift::query
