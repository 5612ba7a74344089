// Fuzzy and regexp queries (and the `fuzziness` of match, multi_match and query_string): the
// pieces other query/ files need besides SegmentEvaluator's eval_fuzzy / eval_regexp. Checks of
// OpenSearch's Fuzziness values for the DSL parser, and term predicates for the highlighter, which
// marks every token the query's automaton accepts (as Lucene's unified highlighter does).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/query.h"

namespace sift::query {

struct QsNode;
struct QueryStringQuery;

// Checks a `fuzziness` value as OpenSearch's Fuzziness.parse: AUTO, AUTO:low,high, or a number
// (of which the integer part, at most 2, is the edit count). Errors as OpenSearch's.
Status validate_fuzziness(std::string_view value);

// The edit count `fuzziness` allows for a term of `code_points` code points (Fuzziness.asDistance:
// AUTO gives 0 below `low` (3), 1 below `high` (6), else 2; numbers are cut to at most 2).
int fuzzy_edits(std::string_view fuzziness, size_t code_points);

// The maximum edits of `options` for `term` as Lucene's FuzzyQuery would hold them, or its error
// ("maxEdits must be between 0 and 2", ...) as query_shard_exception "failed to create query: ...".
Result<int> checked_fuzzy_edits(std::string_view term, const FuzzyOptions& options);

// OpenSearch's index.max_regex_length check and the regex compilation of a regexp query, with the
// errors a search reports (query_shard_exception "failed to create query: ...").
Status validate_regexp(const RegexpQuery& q, int64_t max_regex_length);

// A query_string `term~N` or `/regex/` on one field: a FuzzyQuery or RegexpQuery with the term
// normalized as the field's analyzer normalizes one term; null when the field cannot take it (or,
// for a regex, the expression does not compile) and the query is lenient.
Result<std::unique_ptr<Query>> query_string_automaton_leaf(const QsNode& node, const QueryStringQuery& q,
                                                           const index::ResolvedField& field, bool lenient);

// Lucene's text of the queries (_validate/query explanations): `field:term~edits` for a fuzzy
// query and `field:/regex/` for a regexp, or the error their evaluation would report.
Result<std::string> fuzzy_query_text(const index::ResolvedField& field, const std::string& term,
                                     const FuzzyOptions& options);
Result<std::string> regexp_query_text(const RegexpQuery& q, const index::ResolvedField* field);

// The terms a fuzzy or regexp query is rewritten to over a whole shard and how they score, as the
// evaluator scores them (for `_explain`). `constant`: a constant-score rewrite (no terms listed).
struct ScoredTermRewrite {
  bool constant = true;
  bool boost_only = false;        // top_terms_boost_N: each term is ConstantScore(term)^boost
  std::string field;
  std::vector<std::string> terms; // in term order, as the rewritten boolean query's clauses
  std::vector<float> boosts;
  uint64_t doc_freq = 0;          // > 0: the blended document frequency every term's idf uses
};
// Errors are the evaluation's (field type, edits, rewrite name, regex compilation).
Result<ScoredTermRewrite> fuzzy_rewrite(const index::ShardSnapshot& snap, const index::ResolvedField& field,
                                        const std::string& term, const FuzzyOptions& options);
Result<ScoredTermRewrite> regexp_rewrite(const index::ShardSnapshot& snap, const index::Mapping& mapping,
                                         const RegexpQuery& q);

using TermPredicate = std::function<bool(std::string_view term)>;
// Terms within the edits of `term` that keep its prefix (no max_expansions cut).
Result<TermPredicate> fuzzy_term_predicate(const std::string& term, const FuzzyOptions& options);
// Terms the regular expression matches.
Result<TermPredicate> regexp_term_predicate(const RegexpQuery& q);

}  // namespace sift::query
