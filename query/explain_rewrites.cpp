// Multi-term queries explained as the rewrite that scores them: a scoring rewrite (fuzzy's default
// top_terms_blended_freqs_N, scoring_boolean, top_terms_N) is Lucene's boolean query of its terms,
// "sum of:" their BM25 weights (one term: its weight alone, as a one-clause boolean query rewrites
// to it), each term's similarity boost in its weight and, when blended, the shared document
// frequency in its idf; top_terms_boost_N sums `ConstantScore(term)^boost`; a constant-score
// rewrite (the default of regexp, prefix and wildcard) is the query's text with its score.
#include "query/explainer.h"
#include "query/fuzzy_queries.h"

namespace sift::query {

Explanation Explainer::rewritten_terms(const ScoredTermRewrite& r, float boost) {
  std::vector<Explanation> subs;
  float sum = 0;
  for (size_t i = 0; i < r.terms.size(); ++i) {
    // Lucene wraps a term in a BoostQuery only when its boost is not 1, as the evaluator multiplies.
    float b = r.boosts[i] == 1.0f ? boost : boost * r.boosts[i];
    Explanation e;
    if (r.boost_only) {
      std::string text = "ConstantScore(" + r.field + ":" + r.terms[i] + ")";
      bool has = seg_.reader->field(r.field) != nullptr && seg_.reader->postings(r.field, r.terms[i]).advance(doc_) == doc_;
      e = has ? match(b, b == 1.0f ? text : text + "^" + java_float(b))
              : no_match(text + " doesn't match id " + std::to_string(doc_));
    } else {
      e = term_weight(r.field, r.terms[i], b, r.doc_freq);
    }
    if (r.terms.size() == 1) return e;
    if (!e.match) continue;
    sum += e.value;
    subs.push_back(std::move(e));
  }
  if (subs.empty()) return no_match("No matching clauses");
  return match(sum, "sum of:", std::move(subs));
}

Result<Explanation> Explainer::explain_fuzzy(const FuzzyQuery& q, float outer) {
  const index::ResolvedField* rf = mapping_.find(q.field);
  bool string_field = rf != nullptr && (rf->type == index::FieldType::kText || rf->type == index::FieldType::kKeyword);
  if (rf == nullptr || (string_field && !rf->indexed)) return generic(q, outer);  // matches nothing
  SIFT_ASSIGN_OR_RETURN(ScoredTermRewrite r, fuzzy_rewrite(snap_, *rf, q.value.text, q.options));
  if (r.constant) return constant(q, outer);
  return rewritten_terms(r, outer * q.boost);
}

Result<Explanation> Explainer::fuzzy_term(const index::ResolvedField& field, const std::string& term,
                                          const FuzzyOptions& options, float boost) {
  SIFT_ASSIGN_OR_RETURN(ScoredTermRewrite r, fuzzy_rewrite(snap_, field, term, options));
  if (!r.constant) return rewritten_terms(r, boost);
  FuzzyQuery alone;  // the term's FuzzyQuery, for the evaluator's constant-score matches
  alone.field = field.path;
  alone.value.text = term;
  alone.options = options;
  return constant(alone, boost);
}

Result<Explanation> Explainer::explain_regexp(const RegexpQuery& q, float outer) {
  SIFT_ASSIGN_OR_RETURN(ScoredTermRewrite r, regexp_rewrite(snap_, mapping_, q));
  if (r.constant) return constant(q, outer);
  return rewritten_terms(r, outer * q.boost);
}

}  // namespace sift::query
