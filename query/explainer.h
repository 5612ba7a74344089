// The Explainer behind explain_document (explain.h), internal to query/: one document of one
// segment explained for a query tree in the shape of Lucene's Weight.explain. Its parts live in
// explain.cpp (term-level, bool, dis_max and full-text queries), explain_rewrites.cpp (fuzzy,
// regexp, prefix and wildcard as their rewrites score), explain_function_score.cpp
// (function_score, boosting) and explain_nested.cpp (nested, as a block join). Whatever has no
// structural explanation falls back to the evaluator's score for the document.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/explain.h"
#include "query/query.h"
#include "query/segment_evaluator.h"

namespace sift::query {

struct FunctionScoreQuery;
struct BoundFunctionScore;
struct ScoredTermRewrite;
class SegmentFunctions;

class Explainer {
 public:
  // `scope`: the nested path `doc` belongs to when it is a nested document explained for the inner
  // query of a nested query ("" for root documents).
  Explainer(const index::ShardSnapshot& snap, const index::Mapping& mapping, uint32_t segment, uint32_t doc,
            std::string scope = "")
      : snap_(snap), mapping_(mapping), seg_(snap.segments[segment]), segment_(segment), doc_(doc),
        scope_(std::move(scope)), evaluator_(snap, mapping) {}

  // `outer`: the product of the boosts of the enclosing queries, which Lucene pushes into the leaves.
  Result<Explanation> explain(const Query& q, float outer);
  // A required query plus a filter that must match too (FILTER clause, no score).
  Result<Explanation> explain_filtered(const Query& q, const Query& filter, float boost);

  static Explanation match(float value, std::string description, std::vector<Explanation> details = {});
  static Explanation no_match(std::string description, std::vector<Explanation> details = {});
  // Lucene's statistics (n, N) are longs and render without a fraction.
  static Explanation count(uint64_t n, std::string description);
  // Java's Float.toString for the few places Lucene prints a float inside a description.
  static std::string java_float(float v);

 private:
  std::string text_of(const Query& q);
  // `q`'s text without its own boost (Lucene prints the boost of a constant score after the text).
  std::string unboosted_text_of(const Query& q);

  // explain.cpp
  Explanation term_weight(const std::string& field, const std::string& term, float boost, uint64_t doc_freq = 0);
  static Explanation idf_explanation(uint64_t doc_count, uint64_t df);
  Explanation bm25_explanation(const std::string& field, const FieldStats& fs, float boost, Explanation idf,
                               Explanation freq);
  Result<Explanation> explain_bool(const BoolQuery& q, float boost);
  static Explanation dis_max(std::vector<Explanation> parts, float tie_breaker);
  Result<Explanation> explain_match(const MatchQuery& q, float boost, float outer);
  Result<Explanation> explain_phrase(const MatchPhraseQuery& q, float boost, float outer);
  Result<Explanation> explain_multi_match(const MultiMatchQuery& q, float outer);
  // The evaluator's matches of `q` in this segment (in the nested scope when there is one), and
  // its score for doc_ (none: no match). Compound explanations take their value from it, so it is
  // the hit's score whatever rounding their parts show.
  Result<DocScores> evaluate(const Query& q);
  Result<std::optional<float>> score_of(const Query& q);
  // Queries without a structural explanation: the evaluator's score under the query's text.
  Result<Explanation> generic(const Query& q, float outer);
  // A constant-score query as Lucene's ConstantScoreWeight shows it: `text^score` (no `^1.0`).
  Result<Explanation> constant(const Query& q, float outer);

  // explain_synonyms.cpp: what match / match_phrase become for stacked tokens and graphs
  Result<Explanation> explain_synonym(const SynonymQuery& q, float boost);
  Result<Explanation> explain_multi_phrase(const MultiPhraseQuery& q, float boost);
  Result<Explanation> explain_span(const SpanQuery& q, float boost);
  // Lucene's idf of several terms: "idf, sum of:" over those some document holds.
  Explanation summed_idf_explanation(const std::string& field, const std::vector<std::string>& terms);

  // explain_rewrites.cpp
  Result<Explanation> explain_fuzzy(const FuzzyQuery& q, float outer);
  Result<Explanation> explain_regexp(const RegexpQuery& q, float outer);
  // One analyzed term of a match query with `fuzziness`, as its fuzzy query.
  Result<Explanation> fuzzy_term(const index::ResolvedField& field, const std::string& term,
                                 const FuzzyOptions& options, float boost);
  // The rewritten boolean query of a scoring rewrite: the sum of its terms' weights.
  Explanation rewritten_terms(const ScoredTermRewrite& r, float boost);

  // explain_function_score.cpp
  Result<Explanation> explain_function_score(const FunctionScoreQuery& q, float outer);
  Result<Explanation> function_explanation(const BoundFunctionScore& bound, size_t i, SegmentFunctions& functions);
  Result<Explanation> explain_boosting(const BoostingQuery& q, float outer);

  // explain_nested.cpp
  Result<Explanation> explain_nested(const NestedQuery& q, float outer);
  // The doc before doc_ that is a parent in this explainer's scope, or -1.
  int64_t previous_parent() const;

  const index::ShardSnapshot& snap_;
  const index::Mapping& mapping_;
  const index::ReaderSegment& seg_;
  uint32_t segment_;
  uint32_t doc_;
  std::string scope_;
  SegmentEvaluator evaluator_;
};

}  // namespace sift::query
