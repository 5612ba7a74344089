// The per-segment query evaluator behind search_shard: each clause becomes the sorted list of
// matching doc ids of one segment with their scores (BM25 as Lucene 8 computes it, from shard-wide
// statistics). Internal to query/; the search issue's Weight/Scorer iterators replace it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/query.h"

namespace sift::query {

struct FunctionScoreQuery;  // function_score.h
struct BoundFunctionScore;

// Numbers, dates and addresses are points in OpenSearch: exact and range queries on them score a
// constant boost rather than BM25.
inline bool is_point_type(index::FieldType t) {
  switch (t) {
    case index::FieldType::kLong:
    case index::FieldType::kInteger:
    case index::FieldType::kShort:
    case index::FieldType::kByte:
    case index::FieldType::kDouble:
    case index::FieldType::kFloat:
    case index::FieldType::kHalfFloat:
    case index::FieldType::kScaledFloat:
    case index::FieldType::kDate:
    case index::FieldType::kDateNanos:
    case index::FieldType::kUnsignedLong:
    case index::FieldType::kIp:
      return true;
    default:
      return false;
  }
}

// Matches of one clause within one segment: ascending doc ids with their scores.
struct DocScores {
  std::vector<uint32_t> docs;
  std::vector<float> scores;
};

// Shard-wide statistics for one field, as Lucene's CollectionStatistics.
struct FieldStats {
  uint64_t doc_count = 0;
  uint64_t sum_total_term_freq = 0;
};

// BM25's default k1 and b. Scorers take each field's own similarity (similarity_scoring.h); the
// two-argument bm25_norm_inverse below is the default's, kept for tests.
inline constexpr float kK1 = 1.2f;
inline constexpr float kB = 0.75f;

// Shard-wide statistics and BM25 pieces, shared by the evaluator and the block scorers (weight.h)
// so both compute bit-identical scores.
FieldStats shard_field_stats(const index::ShardSnapshot& snap, const std::string& field);
uint64_t shard_doc_freq(const index::ShardSnapshot& snap, const std::string& field, const std::string& term);
// Lucene 8's idf: ln(1 + (N - n + 0.5) / (n + 0.5)), as a float.
float bm25_idf(uint64_t doc_count, uint64_t doc_freq);
// 1 / (k1 * ((1 - b) + b * dl / avgdl)) for a field length `dl`, as Lucene's BM25 norm cache.
inline float bm25_norm_inverse(float dl, float avgdl) { return 1.0f / (kK1 * ((1 - kB) + kB * dl / avgdl)); }
inline float bm25_avgdl(const FieldStats& fs) {
  return static_cast<float>(static_cast<double>(fs.sum_total_term_freq) / static_cast<double>(fs.doc_count));
}
// The score of one doc: weight = boost * idf.
inline float bm25_score(float weight, float freq, float norm_inverse) {
  return weight - weight / (1.0f + freq * norm_inverse);
}

struct TermExpansion;  // fuzzy_queries.cpp

class SegmentEvaluator {
 public:
  SegmentEvaluator(const index::ShardSnapshot& snap, const index::Mapping& mapping)
      : snap_(snap), mapping_(mapping) {}

  Result<DocScores> eval(const Query& q, const index::ReaderSegment& seg);

  static DocScores intersect(const DocScores& a, const DocScores& b, bool add_scores);
  // Docs matching at least `min_should` of `clauses` (>= 1), scores summed.
  static DocScores combine_should(const std::vector<DocScores>& clauses, size_t min_should);
  // Docs matching any clause; score = max + tie_breaker * (sum - max).
  static DocScores dis_max(const std::vector<DocScores>& clauses, float tie_breaker);
  static size_t resolve_msm(const std::string& spec, size_t clauses);

  // The analyzed terms of `text` for `field` (with positions), or the single raw term for
  // non-text fields; an error for values that cannot be of the field's type.
  struct AnalyzedTerm {
    std::string term;
    uint32_t position;
    uint32_t position_length = 1;  // > 1: the token spans positions of a token graph
  };
  static Result<std::vector<AnalyzedTerm>> query_terms(const index::ResolvedField& field, const Scalar& value,
                                                       const std::string& analyzer);
  // index.max_regex_length of the index searched (regexp queries longer than it fail).
  void set_max_regex_length(int64_t n) { max_regex_length_ = n; }
  // The live nested docs of `q.path` that match q's inner query, with their scores (before the
  // join to parents); nested_query.cpp.
  Result<DocScores> nested_children(const NestedQuery& q, const index::ReaderSegment& seg);
  // The live nested docs of `path` matching `query` (null: all of them), in that path's scope.
  Result<DocScores> nested_path_docs(const std::string& path, const Query* query, const index::ReaderSegment& seg);

 private:
  // term_queries (searcher.cpp)
  FieldStats field_stats(const std::string& field) const;
  uint64_t doc_freq(const std::string& field, const std::string& term) const;
  float idf(uint64_t doc_count, uint64_t doc_freq) const;
  // BM25 scores of the docs containing `term` in this segment; a non-zero `doc_freq_override` is
  // the document frequency the idf uses (blended statistics).
  DocScores term_scores(const std::string& field, const std::string& term, float boost,
                        const index::ReaderSegment& seg, uint64_t doc_freq_override = 0) const;
  Result<DocScores> eval_terms(const std::string& field, const std::vector<Scalar>& values, float boost,
                               const index::ReaderSegment& seg) const;
  Result<DocScores> eval_bool(const BoolQuery& q, const index::ReaderSegment& seg);
  DocScores all_docs(const index::ReaderSegment& seg, float score) const;

  // text_queries.cpp
  Result<DocScores> eval_match(const MatchQuery& q, const index::ReaderSegment& seg);
  Result<DocScores> eval_phrase(const MatchPhraseQuery& q, const index::ReaderSegment& seg);
  Result<DocScores> eval_multi_match(const MultiMatchQuery& q, const index::ReaderSegment& seg);
  Result<DocScores> eval_dis_max(const DisMaxQuery& q, const index::ReaderSegment& seg);

  // synonym_queries.cpp: what match/match_phrase become for stacked tokens and token graphs
  Result<DocScores> eval_synonym(const SynonymQuery& q, const index::ReaderSegment& seg) const;
  Result<DocScores> eval_multi_phrase(const MultiPhraseQuery& q, const index::ReaderSegment& seg) const;
  Result<DocScores> eval_span(const SpanQuery& q, const index::ReaderSegment& seg) const;
  // The bound form of a match/match_phrase whose analysis stacks tokens or makes a graph (null:
  // none, it runs as it is), once per search.
  Result<const Query*> rewritten_text_query(const Query& q);

  // term_level_queries.cpp
  Result<DocScores> eval_exists(const ExistsQuery& q, const index::ReaderSegment& seg) const;
  Result<DocScores> eval_prefix(const PrefixQuery& q, const index::ReaderSegment& seg) const;
  Result<DocScores> eval_wildcard(const WildcardQuery& q, const index::ReaderSegment& seg) const;
  Result<DocScores> eval_range(const RangeQuery& q, const index::ReaderSegment& seg) const;
  // Constant-score union of the postings of every term of `field` for which `accept` holds,
  // walking the terms dictionary from `from` while `keep_going` holds.
  template <typename Accept, typename KeepGoing>
  DocScores union_terms(const std::string& field, const std::string& from, Accept accept, KeepGoing keep_going,
                        float boost, const index::ReaderSegment& seg) const;

  // multi_match_bind.cpp
  Result<DocScores> eval_blended_term(const BlendedTermQuery& q, const index::ReaderSegment& seg) const;

  // fuzzy_queries.cpp: term sets expanded from the terms dictionary by an automaton
  Result<DocScores> eval_fuzzy(const FuzzyQuery& q, const index::ReaderSegment& seg);
  Result<DocScores> eval_regexp(const RegexpQuery& q, const index::ReaderSegment& seg);
  // One analyzed term of a match query with fuzziness, as a fuzzy query on `field`.
  Result<DocScores> fuzzy_term_scores(const index::ResolvedField& field, const std::string& term,
                                      const FuzzyOptions& options, float boost, const index::ReaderSegment& seg);
  Result<DocScores> score_expansion(const TermExpansion& e, float boost, const index::ReaderSegment& seg) const;

  // function_score.cpp
  Result<DocScores> eval_function_score(const FunctionScoreQuery& q, const index::ReaderSegment& seg);
  Result<DocScores> eval_boosting(const BoostingQuery& q, const index::ReaderSegment& seg);

  // nested_query.cpp
  Result<DocScores> eval_nested(const NestedQuery& q, const index::ReaderSegment& seg);

  const index::ShardSnapshot& snap_;
  const index::Mapping& mapping_;
  // query_string, simple_query_string and bool_prefix/cross_fields multi_match clauses bound to
  // this mapping, once per search.
  std::map<const Query*, std::unique_ptr<Query>> bound_;
  // function_score functions bound to this mapping (and one `now`), once per search.
  std::map<const Query*, std::shared_ptr<const BoundFunctionScore>> function_scores_;
  // fuzzy/regexp expansions over the whole shard (the terms Lucene's rewrite keeps), by query key.
  std::map<std::string, std::shared_ptr<const TermExpansion>> expansions_;
  int64_t max_regex_length_ = 1000;
  std::string nested_scope_;  // the nested path the evaluation is inside ("" at the root)
};

// Every nested query's path must be a nested object of `mapping` (query_shard_exception), checked
// before any segment runs, as OpenSearch builds the query (nested_query.cpp).
Status check_nested_queries(const Query& q, const index::Mapping& mapping);

// Phrase frequency of one document from the sorted positions of each phrase slot and the slots'
// offsets in the phrase: with slop 0 the number of exact matches, otherwise Lucene 8's sloppy
// matcher, the sum over its matches of 1 / (1 + match length), repeated terms included (slots with
// equal position lists are one term) (phrase_freq.cpp).
float phrase_freq(const std::vector<std::vector<uint32_t>>& positions, const std::vector<uint32_t>& offsets,
                  int32_t slop);

// `*` and `?` wildcards with `\` escapes, as Lucene's WildcardQuery.
bool wildcard_matches(std::string_view pattern, std::string_view text);

}  // namespace sift::query
