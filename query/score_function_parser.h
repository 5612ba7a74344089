// The bodies of function_score's functions: `field_value_factor`, `gauss`/`linear`/`exp`,
// `random_score` (and `script_score`, refused: Sift runs no scripts). The function_score query
// itself (query, functions, filters, weights, modes) is parsed with the rest of the DSL in
// dsl_parser.cpp, which hands each function body here as JSON text.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "query/function_score.h"

namespace sift::query {

// True for the names function_score accepts as functions (besides `weight`).
bool is_score_function_name(std::string_view name);

// Parses the body of function `name` (one of is_score_function_name) into `out` (type and
// parameters; the caller sets filter and weight). Errors are OpenSearch's parsing_exception texts.
Status parse_score_function(std::string_view name, std::string_view body_json, ScoreFunction* out);

// The int OpenSearch derives from a random_score seed: ints as they are, longs folded as
// Long.hashCode, strings as String.hashCode (over UTF-16 code units).
int32_t seed_from_long(int64_t v);
int32_t seed_from_string(std::string_view utf8);

}  // namespace sift::query
