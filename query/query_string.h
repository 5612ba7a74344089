// query_string: Lucene's classic query syntax (the `q=` of URI searches, Grafana's and Discover's
// Lucene queries). Parsed once into a small AST; bound to an index's mapping when executed, where
// field names (and wildcards in them) resolve to concrete fields and each leaf becomes a match,
// phrase, wildcard, prefix, range or exists query, combined with Lucene's MUST/SHOULD/MUST_NOT
// rules for +, -, NOT, AND and OR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"

namespace sift::query {

struct QsNode {
  enum class Kind : uint8_t { kTerm, kPhrase, kRange, kGroup };
  enum class Occur : uint8_t { kShould, kMust, kMustNot };
  Kind kind = Kind::kTerm;
  Occur occur = Occur::kShould;
  std::string field;                  // empty: the default fields
  std::string text;                   // term (escapes removed) or phrase
  bool has_wildcard = false;          // unescaped * or ? in a term
  int32_t slop = 0;                   // phrase~N
  float boost = 1.0f;
  std::string lower, upper;           // ranges: "*" or empty means open
  bool include_lower = true, include_upper = true;
  std::vector<std::unique_ptr<QsNode>> children;  // groups
};

struct QueryStringQuery : Query {
  QueryStringQuery() : Query(Kind::kQueryString) {}
  std::string query;
  std::vector<std::pair<std::string, float>> fields;  // `fields` / `default_field`; empty: index default
  bool and_default = false;           // default_operator AND
  std::string analyzer;
  bool lenient = false;
  bool analyze_wildcard = false;
  float tie_breaker = 0;
  std::string minimum_should_match;
  std::string time_zone;
  std::unique_ptr<QsNode> root;       // parsed `query`
};

// Parses Lucene query syntax into a group node. Errors are query_shard_exception
// "Failed to parse query [q]" with the reason.
Result<std::unique_ptr<QsNode>> parse_query_string(std::string_view text);

// Binds the parsed query to a mapping: a Query tree of concrete clauses.
Result<std::unique_ptr<Query>> bind_query_string(const QueryStringQuery& q, const index::Mapping& mapping,
                                                 const std::string& default_field_setting);

}  // namespace sift::query
