// Query: the immutable tree the DSL parser builds from a search body. It names fields and carries
// raw values; binding to a shard's mapping and statistics happens when it is executed
// (searcher.cpp). The search issue grows this into Query -> Weight -> Scorer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sift::query {

// A JSON scalar as it appeared in the query (term values, ids).
struct Scalar {
  enum class Kind : uint8_t { kString, kInteger, kDouble, kBool };
  Kind kind = Kind::kString;
  std::string text;  // the value as text (numbers and booleans too)
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;
};

struct Query {
  enum class Kind : uint8_t {
    kMatchAll, kMatchNone, kTerm, kTerms, kIds, kBool, kConstantScore, kMatch, kMatchPhrase, kMultiMatch,
    kExists, kPrefix, kWildcard, kRange, kDisMax, kQueryString,
  };
  explicit Query(Kind k) : kind(k) {}
  virtual ~Query() = default;
  Kind kind;
  float boost = 1.0f;
  std::string name;  // `_name`
};

struct MatchAllQuery : Query {
  MatchAllQuery() : Query(Kind::kMatchAll) {}
};
struct MatchNoneQuery : Query {
  MatchNoneQuery() : Query(Kind::kMatchNone) {}
};
struct TermQuery : Query {
  TermQuery() : Query(Kind::kTerm) {}
  std::string field;
  Scalar value;
  bool case_insensitive = false;
};
struct TermsQuery : Query {
  TermsQuery() : Query(Kind::kTerms) {}
  std::string field;
  std::vector<Scalar> values;
};
struct IdsQuery : Query {
  IdsQuery() : Query(Kind::kIds) {}
  std::vector<std::string> ids;
};
struct BoolQuery : Query {
  BoolQuery() : Query(Kind::kBool) {}
  std::vector<std::unique_ptr<Query>> must, filter, should, must_not;
  std::string minimum_should_match;  // "", "1", "2", "75%", "-1"
};
struct ConstantScoreQuery : Query {
  ConstantScoreQuery() : Query(Kind::kConstantScore) {}
  std::unique_ptr<Query> filter;
};

// Full-text match: the text is analyzed with the field's search analyzer; the terms are OR'ed
// (or AND'ed) and scored as a sum, as Lucene's BooleanQuery of TermQuerys.
struct MatchQuery : Query {
  MatchQuery() : Query(Kind::kMatch) {}
  std::string field;
  Scalar value;
  bool and_operator = false;
  std::string minimum_should_match;
  std::string analyzer;           // overrides the field's search analyzer
  bool zero_terms_all = false;    // zero_terms_query: all
  bool lenient = false;
};

// Terms in order (with slop), scored as Lucene's PhraseQuery; `prefix` makes the last term a
// prefix (match_phrase_prefix) expanded to at most `max_expansions` terms.
struct MatchPhraseQuery : Query {
  MatchPhraseQuery() : Query(Kind::kMatchPhrase) {}
  std::string field;
  std::string text;
  int32_t slop = 0;
  std::string analyzer;
  bool prefix = false;
  int32_t max_expansions = 50;
  bool zero_terms_all = false;
};

struct MultiMatchQuery : Query {
  enum class Type : uint8_t { kBestFields, kMostFields, kPhrase, kPhrasePrefix, kBoolPrefix };
  MultiMatchQuery() : Query(Kind::kMultiMatch) {}
  std::vector<std::pair<std::string, float>> fields;  // names may hold wildcards; `^boost` parsed
  std::string text;
  Type type = Type::kBestFields;
  float tie_breaker = 0;
  bool and_operator = false;
  std::string minimum_should_match;
  std::string analyzer;
  int32_t slop = 0;
  bool lenient = false;
  bool zero_terms_all = false;
};

struct DisMaxQuery : Query {
  DisMaxQuery() : Query(Kind::kDisMax) {}
  std::vector<std::unique_ptr<Query>> queries;
  float tie_breaker = 0;
};

struct ExistsQuery : Query {
  ExistsQuery() : Query(Kind::kExists) {}
  std::string field;
};

struct PrefixQuery : Query {
  PrefixQuery() : Query(Kind::kPrefix) {}
  std::string field;
  std::string value;
  bool case_insensitive = false;
};

struct WildcardQuery : Query {
  WildcardQuery() : Query(Kind::kWildcard) {}
  std::string field;
  std::string pattern;            // `*` any run, `?` one character, `\` escapes
  bool case_insensitive = false;
};

struct RangeQuery : Query {
  RangeQuery() : Query(Kind::kRange) {}
  std::string field;
  std::optional<Scalar> gt, gte, lt, lte;
  std::string format;             // dates: overrides the field's format
  std::string time_zone;
};

}  // namespace sift::query
