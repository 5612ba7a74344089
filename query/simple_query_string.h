// simple_query_string: the forgiving query syntax of Lucene's SimpleQueryParser (`+` AND, `|` OR,
// `-` NOT, "phrases"~slop, prefix*, fuzzy~N, ( ) precedence, \ escapes) that never fails on bad
// syntax: what it cannot read is text. The DSL parser keeps the text and options; binding to an
// index's mapping (at search time, as query_string) runs the parser, whose pieces become match,
// phrase, prefix and fuzzy queries over the resolved fields, combined as OpenSearch does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"

namespace sift::query {

// The `flags` bits, as Lucene's SimpleQueryParser numbers them.
enum SqsFlag : uint32_t {
  kSqsAnd = 1u << 0,
  kSqsNot = 1u << 1,
  kSqsOr = 1u << 2,
  kSqsPrefix = 1u << 3,
  kSqsPhrase = 1u << 4,
  kSqsPrecedence = 1u << 5,
  kSqsEscape = 1u << 6,
  kSqsWhitespace = 1u << 7,
  kSqsFuzzy = 1u << 8,
  kSqsNear = 1u << 9,  // `SLOP` is the same flag
  kSqsAll = 0xFFFFFFFFu,
  kSqsNone = 0,
};

// "AND|OR|PREFIX" -> bits; ALL and NONE win as soon as they appear; empty means ALL. An unknown
// name is an illegal_argument_exception "Unknown simple_query_string flag [x]".
Result<uint32_t> parse_sqs_flags(std::string_view text);

struct SimpleQueryStringQuery : Query {
  SimpleQueryStringQuery() : Query(Kind::kSimpleQueryString) {}
  std::string query;
  std::vector<std::pair<std::string, float>> fields;  // empty: index.query.default_field
  bool and_default = false;                           // default_operator AND
  std::string analyzer;
  uint32_t flags = kSqsAll;
  std::optional<bool> lenient;                        // unset: true when the fields are `*`
  bool analyze_wildcard = false;
  std::string minimum_should_match;
  std::string quote_field_suffix;
  int32_t fuzzy_prefix_length = 0;
  int32_t fuzzy_max_expansions = 50;
  bool fuzzy_transpositions = true;
  bool auto_generate_synonyms_phrase_query = true;    // accepted; no synonyms in Sift yet
};

// What the parser makes of each piece of the text. nullptr: the piece adds nothing (it analyzed
// to no terms); an error stops the parse (a value the mapping refuses, when not lenient).
class SqsBuilder {
 public:
  virtual ~SqsBuilder() = default;
  virtual Result<std::unique_ptr<Query>> term(std::string_view text) = 0;
  virtual Result<std::unique_ptr<Query>> fuzzy(std::string_view text, int32_t edits) = 0;  // edits 1 or 2
  virtual Result<std::unique_ptr<Query>> phrase(std::string_view text, int32_t slop) = 0;
  virtual Result<std::unique_ptr<Query>> prefix(std::string_view text) = 0;
};

// Lucene's SimpleQueryParser over `text`: operators combine left to right, a change of operator
// makes the tree so far one clause of a new boolean, `-x` is (-x +*:*) as a should clause.
// nullptr when nothing was found; MatchAllQuery for `*`. Syntax is never an error; the only
// errors are the builder's and a boolean of more than kMaxClauseCount clauses.
Result<std::unique_ptr<Query>> parse_simple_query_string(std::string_view text, uint32_t flags, bool and_default,
                                                         SqsBuilder& builder);

// Binds to a mapping: fields resolved (resolve_query_fields), pieces built as OpenSearch's
// SimpleQueryStringQueryParser, minimum_should_match applied to the top boolean, boost on top.
Result<std::unique_ptr<Query>> bind_simple_query_string(const SimpleQueryStringQuery& q, const index::Mapping& mapping,
                                                        const std::string& default_field_setting);

}  // namespace sift::query
