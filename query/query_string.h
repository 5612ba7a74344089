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
  bool fuzzy = false;                 // term~ or term~N
  std::string fuzzy_slop;             // the N of term~N ("" for term~: the `fuzziness` parameter)
  bool regexp = false;                // /regex/ (text is the expression)
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
  FuzzyOptions fuzzy;                 // fuzziness (default AUTO) and fuzzy_* options of term~
  int32_t max_determinized_states = 10000;  // of /regex/ terms
  std::unique_ptr<QsNode> root;       // parsed `query`
};

// Parses Lucene query syntax into a group node. Errors are query_shard_exception
// "Failed to parse query [q]" with the reason.
Result<std::unique_ptr<QsNode>> parse_query_string(std::string_view text);

// Binds the parsed query to a mapping: a Query tree of concrete clauses.
Result<std::unique_ptr<Query>> bind_query_string(const QueryStringQuery& q, const index::Mapping& mapping,
                                                 const std::string& default_field_setting);

// The mapped fields a field name or pattern stands for in full-text queries: a name is itself when
// mapped; `*` is every indexed leaf field; other patterns match leaf paths (wildcard_matches).
std::vector<std::pair<std::string, float>> expand_query_fields(const index::Mapping& mapping,
                                                               const std::string& pattern, float boost);

// `fields` with boosts resolved as OpenSearch's QueryParserHelper.resolveMappingFields: every
// pattern expanded (expand_query_fields), a field reached twice takes the product of its boosts,
// in order of first appearance. Empty `fields` stands for `default_field_setting` ("*" if empty).
std::vector<std::pair<std::string, float>> resolve_query_fields(const index::Mapping& mapping,
                                                                const std::vector<std::pair<std::string, float>>& fields,
                                                                const std::string& default_field_setting);

}  // namespace sift::query
