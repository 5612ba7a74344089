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
    kExists, kPrefix, kWildcard, kRange, kDisMax, kQueryString, kFunctionScore, kBoosting,
    kSimpleQueryString, kBlendedTerm, kFuzzy, kRegexp, kNested,
    kSynonym, kMultiPhrase, kSpan,  // built from analyzed text with stacked tokens or graphs (text_query_builder.h)
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
  // Terms lookup: the values are the `path` values of a document's `_source`. The coordinator
  // fetches it and fills `values` before any shard runs the query (cluster/search_rewrite.h).
  struct Lookup {
    std::string index, id, path, routing;
  };
  std::optional<Lookup> lookup;   // set until resolved
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

// Edit-distance options of fuzzy queries and of the match family's `fuzziness` (OpenSearch's
// Fuzziness): "" (not fuzzy), "AUTO", "AUTO:low,high" or a number of edits; query/fuzzy_queries.cpp.
struct FuzzyOptions {
  std::string fuzziness;
  int32_t prefix_length = 0;
  int32_t max_expansions = 50;
  bool transpositions = true;
  std::string rewrite;            // `rewrite` / `fuzzy_rewrite`; "" = top_terms_blended_freqs_<max_expansions>
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
  FuzzyOptions fuzzy;             // each analyzed term becomes a fuzzy query when fuzziness is set
  bool auto_generate_synonyms_phrase_query = true;  // multi-word synonym paths as phrases
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
  enum class Type : uint8_t { kBestFields, kMostFields, kPhrase, kPhrasePrefix, kBoolPrefix, kCrossFields };
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
  FuzzyOptions fuzzy;             // best_fields / most_fields
  bool auto_generate_synonyms_phrase_query = true;
};

struct DisMaxQuery : Query {
  DisMaxQuery() : Query(Kind::kDisMax) {}
  std::vector<std::unique_ptr<Query>> queries;
  float tie_breaker = 0;
};

// One analyzed term searched in several fields with blended statistics (multi_match cross_fields,
// Lucene's BlendedTermQuery): every field scores with its boost but a document frequency shared
// across the fields, and the fields combine as a dis_max. Built when binding to a mapping.
struct BlendedTermQuery : Query {
  BlendedTermQuery() : Query(Kind::kBlendedTerm) {}
  struct Entry {
    std::string field;
    std::string term;  // indexed bytes
    float boost = 1.0f;
  };
  std::vector<Entry> entries;
  float tie_breaker = 0;
};

// Docs matching `positive`; those also matching `negative` have their score multiplied by
// `negative_boost` (Lucene's BoostingQuery).
// nested: `query` runs on the nested documents of `path`; each match joins to its parent (the
// root, or the enclosing nested query's documents), scored by score_mode (query/nested_query.cpp).
struct NestedQuery : Query {
  NestedQuery() : Query(Kind::kNested) {}
  enum class ScoreMode : uint8_t { kAvg, kMax, kMin, kSum, kNone };
  std::string path;
  std::unique_ptr<Query> query;
  ScoreMode score_mode = ScoreMode::kAvg;
  bool ignore_unmapped = false;
  // inner_hits: the matching nested objects of each hit, best first (query/inner_hits.h).
  struct InnerHits {
    std::string name;  // default: the path
    int64_t from = 0;
    int64_t size = 3;
    bool source = true;
  };
  std::optional<InnerHits> inner_hits;
};

struct BoostingQuery : Query {
  BoostingQuery() : Query(Kind::kBoosting) {}
  std::unique_ptr<Query> positive, negative;
  float negative_boost = 0;
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

// Terms within an edit distance of `value` (not analyzed), scored as Lucene's FuzzyQuery: the best
// max_expansions terms, each weighted by its similarity, with a document frequency blended over them.
struct FuzzyQuery : Query {
  FuzzyQuery() : Query(Kind::kFuzzy) {}
  std::string field;
  Scalar value;
  FuzzyOptions options;           // fuzziness defaults to AUTO
};

// Terms matching a regular expression in Lucene's syntax (the whole term), constant score.
struct RegexpQuery : Query {
  RegexpQuery() : Query(Kind::kRegexp) {}
  std::string field;
  std::string value;
  uint32_t flags = 0xff;          // syntax flags (automaton.h), ALL by default
  bool case_insensitive = false;
  int32_t max_determinized_states = 10000;
  std::string rewrite;
  bool from_query_string = false; // a `/re/` of query_string (its own length-limit message)
};

struct RangeQuery : Query {
  RangeQuery() : Query(Kind::kRange) {}
  std::string field;
  std::optional<Scalar> gt, gte, lt, lte;
  std::string format;             // dates: overrides the field's format
  std::string time_zone;
};

// Terms at one position that score as one term (Lucene's SynonymQuery): document frequency the
// largest of the terms', a document's frequency the sum of its terms'. Built from match text whose
// analysis stacks tokens (synonyms, preserve_original); text_query_builder.h.
struct SynonymQuery : Query {
  SynonymQuery() : Query(Kind::kSynonym) {}
  std::string field;
  std::vector<std::string> terms;  // indexed bytes, sorted and distinct
};

// A phrase with alternative terms per slot (Lucene's MultiPhraseQuery; a PhraseQuery when every
// slot has one term), scored with the idf summed over all its distinct terms.
struct MultiPhraseQuery : Query {
  MultiPhraseQuery() : Query(Kind::kMultiPhrase) {}
  std::string field;
  std::vector<std::vector<std::string>> terms;  // per slot
  std::vector<uint32_t> positions;               // per slot, relative to the first
  int32_t slop = 0;
};

// Span queries as match_phrase builds them from a token graph (Lucene's SpanTermQuery, SpanOrQuery,
// ordered SpanNearQuery and SpanNearQuery's gap). The root scores as Lucene's SpanWeight.
struct SpanQuery : Query {
  enum class Type : uint8_t { kTerm, kOr, kNear, kGap };
  SpanQuery() : Query(Kind::kSpan) {}
  Type type = Type::kTerm;
  std::string field;
  std::string term;  // kTerm
  uint32_t gap = 0;  // kGap: its width in positions
  int32_t slop = 0;  // kNear (ordered)
  std::vector<std::unique_ptr<SpanQuery>> clauses;  // kOr, kNear
};

}  // namespace sift::query
