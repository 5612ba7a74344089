// Query: the immutable tree the DSL parser builds from a search body. It names fields and carries
// raw values; binding to a shard's mapping and statistics happens when it is executed
// (searcher.cpp). The search issue grows this into Query -> Weight -> Scorer.
#pragma once

#include <cstdint>
#include <memory>
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
  enum class Kind : uint8_t { kMatchAll, kMatchNone, kTerm, kTerms, kIds, kBool, kConstantScore };
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

}  // namespace sift::query
