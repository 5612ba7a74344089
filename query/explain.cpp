#include "query/explain.h"

#include <algorithm>
#include <cmath>

#include "query/explainer.h"
#include "query/function_score.h"
#include "query/multi_match_bind.h"
#include "query/query_string.h"
#include "query/simple_query_string.h"
#include "query/query_text.h"
#include "query/searcher.h"
#include "query/segment_evaluator.h"
#include "query/similarity_scoring.h"
#include "query/text_query_builder.h"

namespace sift::query {

using index::FieldType;
using index::ReaderSegment;
using index::ResolvedField;

Explanation Explainer::match(float value, std::string description, std::vector<Explanation> details) {
  return Explanation{true, value, std::move(description), std::move(details)};
}
Explanation Explainer::no_match(std::string description, std::vector<Explanation> details) {
  return Explanation{false, 0, std::move(description), std::move(details)};
}

Explanation Explainer::count(uint64_t n, std::string description) {
  Explanation e = match(static_cast<float>(n), std::move(description));
  e.count = static_cast<int64_t>(n);
  return e;
}

std::string Explainer::java_float(float v) { return format_float(v); }

// `outer`: the product of the boosts of the enclosing queries, which Lucene pushes into the leaves.
Result<Explanation> Explainer::explain(const Query& q, float outer) {
  float boost = outer * q.boost;
  switch (q.kind) {
    case Query::Kind::kMatchAll:
      return match(boost, boost == 1.0f ? "*:*" : "*:*^" + java_float(boost));
    case Query::Kind::kMatchNone:
      return no_match("MatchNoDocsQuery(\"\") doesn't match id " + std::to_string(doc_));
    case Query::Kind::kTerm: {
      const auto& t = static_cast<const TermQuery&>(q);
      const ResolvedField* rf = mapping_.find(t.field);
      if (t.case_insensitive || t.field == "_id" || rf == nullptr || !rf->indexed || is_point_type(rf->type)) {
        return generic(q, outer);
      }
      SIFT_ASSIGN_OR_RETURN(std::string term, term_bytes_for(*rf, t.value));
      return term_weight(rf->path, term, boost);
    }
    case Query::Kind::kConstantScore: {
      const auto& c = static_cast<const ConstantScoreQuery&>(q);
      SIFT_ASSIGN_OR_RETURN(Explanation inner, explain(*c.filter, 1.0f));
      std::string text = "ConstantScore(" + text_of(*c.filter) + ")";
      if (!inner.match) return no_match(text + " doesn't match id " + std::to_string(doc_));
      return match(boost, boost == 1.0f ? text : text + "^" + java_float(boost));
    }
    case Query::Kind::kBool:
      return explain_bool(static_cast<const BoolQuery&>(q), boost);
    case Query::Kind::kMatch:
      return explain_match(static_cast<const MatchQuery&>(q), boost, outer);
    case Query::Kind::kMatchPhrase:
      return explain_phrase(static_cast<const MatchPhraseQuery&>(q), boost, outer);
    case Query::Kind::kMultiMatch:
      return explain_multi_match(static_cast<const MultiMatchQuery&>(q), outer);
    case Query::Kind::kDisMax: {
      const auto& d = static_cast<const DisMaxQuery&>(q);
      std::vector<Explanation> subs;
      for (const auto& sub : d.queries) {
        SIFT_ASSIGN_OR_RETURN(Explanation e, explain(*sub, boost));
        subs.push_back(std::move(e));
      }
      return dis_max(std::move(subs), d.tie_breaker);
    }
    case Query::Kind::kQueryString: {
      SIFT_ASSIGN_OR_RETURN(auto bound, bind_query_string(static_cast<const QueryStringQuery&>(q), mapping_, "*"));
      return explain(*bound, outer);
    }
    case Query::Kind::kSimpleQueryString: {
      SIFT_ASSIGN_OR_RETURN(auto bound,
                            bind_simple_query_string(static_cast<const SimpleQueryStringQuery&>(q), mapping_, "*"));
      return explain(*bound, outer);
    }
    case Query::Kind::kFuzzy:
      return explain_fuzzy(static_cast<const FuzzyQuery&>(q), outer);
    case Query::Kind::kRegexp:
      return explain_regexp(static_cast<const RegexpQuery&>(q), outer);
    case Query::Kind::kPrefix:
    case Query::Kind::kWildcard:
      return constant(q, outer);
    case Query::Kind::kFunctionScore:
      return explain_function_score(static_cast<const FunctionScoreQuery&>(q), outer);
    case Query::Kind::kBoosting:
      return explain_boosting(static_cast<const BoostingQuery&>(q), outer);
    case Query::Kind::kNested:
      return explain_nested(static_cast<const NestedQuery&>(q), outer);
    case Query::Kind::kSynonym:
      return explain_synonym(static_cast<const SynonymQuery&>(q), boost);
    case Query::Kind::kMultiPhrase:
      return explain_multi_phrase(static_cast<const MultiPhraseQuery&>(q), boost);
    case Query::Kind::kSpan:
      return explain_span(static_cast<const SpanQuery&>(q), boost);
    default:
      return generic(q, outer);
  }
}

// A required query plus a filter that must match too (FILTER clause, no score).
Result<Explanation> Explainer::explain_filtered(const Query& q, const Query& filter, float boost) {
  SIFT_ASSIGN_OR_RETURN(Explanation main, explain(q, boost));
  SIFT_ASSIGN_OR_RETURN(Explanation f, explain(filter, 1.0f));
  std::vector<Explanation> subs;
  bool fail = false;
  float sum = 0;
  if (main.match) {
    sum = main.value;
    subs.push_back(std::move(main));
  } else {
    subs.push_back(no_match("no match on required clause (" + text_of(q) + ")", {std::move(main)}));
    fail = true;
  }
  if (f.match) {
    subs.push_back(match(0, "match on required clause, product of:", {match(0, "# clause"), std::move(f)}));
  } else {
    subs.push_back(no_match("no match on required clause (" + text_of(filter) + ")", {std::move(f)}));
    fail = true;
  }
  if (fail) return no_match("Failure to meet condition(s) of required/prohibited clause(s)", std::move(subs));
  return match(sum, "sum of:", std::move(subs));
}

std::string Explainer::text_of(const Query& q) {
  auto t = query_to_text(q, mapping_);
  return t.is_ok() ? *t : std::string("query");
}

std::string Explainer::unboosted_text_of(const Query& q) {
  std::string text = text_of(q);
  if (q.boost == 1.0f) return text;
  std::string suffix = ")^" + java_float(q.boost);  // query_text's "(text)^boost"
  if (text.size() > suffix.size() + 1 && text.front() == '(' &&
      text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return text.substr(1, text.size() - suffix.size() - 1);
  }
  return text;
}

// Lucene's TermWeight.explain with BM25Similarity's explanation of the score. A non-zero
// `doc_freq` replaces the term's own (the blended statistics of a fuzzy rewrite).
Explanation Explainer::term_weight(const std::string& field, const std::string& term, float boost, uint64_t doc_freq) {
  const auto* fi = seg_.reader->field(field);
  if (fi == nullptr) return no_match("no matching term");
  auto it = seg_.reader->postings(field, term);
  if (it.advance(doc_) != doc_) return no_match("no matching term");
  FieldStats fs = shard_field_stats(snap_, field);
  uint64_t df = doc_freq != 0 ? doc_freq : shard_doc_freq(snap_, field, term);
  Explanation idf = idf_explanation(fs.doc_count, df);
  Explanation freq = match(static_cast<float>(it.freq()), "freq, occurrences of term within document");
  Explanation score = bm25_explanation(field, fs, boost, std::move(idf), std::move(freq));
  float value = score.value;
  return match(value, "weight(" + field + ":" + term + " in " + std::to_string(doc_) + ") [PerFieldSimilarity], result of:",
               {std::move(score)});
}

Explanation Explainer::idf_explanation(uint64_t doc_count, uint64_t df) {
  Explanation n = count(df, "n, number of documents containing term");
  Explanation big_n = count(doc_count, "N, total number of documents with field");
  return match(bm25_idf(doc_count, df), "idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:",
               {std::move(n), std::move(big_n)});
}

// The field's similarity explaining the score: BM25's "score(freq=F), computed as boost * idf *
// tf from:" with the field's k1 and b (LegacyBM25 shows boost * (k1 + 1) as its boost, as
// OpenSearch 2.x does), or BooleanSimilarity's "score(BooleanWeight), computed from:".
Explanation Explainer::bm25_explanation(const std::string& field, const FieldStats& fs, float boost, Explanation idf,
                                          Explanation freq) {
  const index::Similarity& sim = mapping_.similarity(field);
  if (sim.kind == index::SimilarityKind::kBoolean) {
    return match(boost, "score(BooleanWeight), computed from:", {match(boost, "boost, query boost")});
  }
  const auto* fi = seg_.reader->field(field);
  uint8_t norm = fi != nullptr && fi->has_norms ? seg_.reader->norm(field, doc_) : 1;
  float dl = static_cast<float>(index::decode_norm(norm));
  float avgdl = fs.doc_count ? bm25_avgdl(fs) : 1.0f;
  float f = freq.value;
  float norm_value = sim.k1 * ((1 - sim.b) + sim.b * dl / avgdl);
  float tf = static_cast<float>(f / (f + static_cast<double>(norm_value)));
  std::vector<Explanation> tf_parts;
  std::string freq_text = java_float(f);
  tf_parts.push_back(std::move(freq));
  tf_parts.push_back(match(sim.k1, "k1, term saturation parameter"));
  tf_parts.push_back(match(sim.b, "b, length normalization parameter"));
  tf_parts.push_back(match(dl, norm > 39 ? "dl, length of field (approximate)" : "dl, length of field"));
  tf_parts.push_back(match(avgdl, "avgdl, average length of field"));
  std::vector<Explanation> parts;
  float shown_boost = sim_explained_boost(sim, boost);
  if (shown_boost != 1.0f) parts.push_back(match(shown_boost, "boost"));
  float weight = sim_weight(sim, boost, idf.value);
  parts.push_back(std::move(idf));
  parts.push_back(match(tf, "tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:", std::move(tf_parts)));
  // The value is the score itself (Lucene computes weight * tf here, which can differ in the last bit).
  float score = bm25_score(weight, f, sim_norm_inverse(sim, dl, avgdl));
  return match(score, "score(freq=" + freq_text + "), computed as boost * idf * tf from:", std::move(parts));
}

Result<Explanation> Explainer::explain_bool(const BoolQuery& q, float boost) {
  struct Clause {
    const Query* query;
    char occur;  // '+' must, '#' filter, ' ' should, '-' must_not
  };
  std::vector<Clause> clauses;
  for (const auto& c : q.must) clauses.push_back({c.get(), '+'});
  for (const auto& c : q.filter) clauses.push_back({c.get(), '#'});
  for (const auto& c : q.should) clauses.push_back({c.get(), ' '});
  for (const auto& c : q.must_not) clauses.push_back({c.get(), '-'});
  size_t min_should = 0;
  if (!q.should.empty()) {
    min_should = q.must.empty() && q.filter.empty() ? 1 : 0;
    if (!q.minimum_should_match.empty()) {
      min_should = SegmentEvaluator::resolve_msm(q.minimum_should_match, q.should.size());
    }
  }
  MatchAllQuery all;
  bool pure_negative = q.must.empty() && q.filter.empty() && q.should.empty();
  if (pure_negative) clauses.insert(clauses.begin(), Clause{&all, '#'});  // as OpenSearch's pure-negative fix
  std::vector<Explanation> subs;
  bool fail = false;
  size_t match_count = 0, should_count = 0;
  float sum = 0;
  for (const auto& c : clauses) {
    SIFT_ASSIGN_OR_RETURN(Explanation e, explain(*c.query, c.occur == '#' ? 1.0f : boost));
    bool required = c.occur == '+' || c.occur == '#';
    if (e.match) {
      if (c.occur == '+' || c.occur == ' ') {
        sum += e.value;
        subs.push_back(std::move(e));
      } else if (c.occur == '#') {
        subs.push_back(match(0, "match on required clause, product of:", {match(0, "# clause"), std::move(e)}));
      } else {
        subs.push_back(no_match("match on prohibited clause (" + text_of(*c.query) + ")", {std::move(e)}));
        fail = true;
      }
      if (c.occur != '-') ++match_count;
      if (c.occur == ' ') ++should_count;
    } else if (required) {
      subs.push_back(no_match("no match on required clause (" + text_of(*c.query) + ")", {std::move(e)}));
      fail = true;
    }
  }
  if (fail) return no_match("Failure to meet condition(s) of required/prohibited clause(s)", std::move(subs));
  if (match_count == 0) return no_match("No matching clauses", std::move(subs));
  if (should_count < min_should) {
    return no_match("Failure to match minimum number of optional clauses: " + std::to_string(min_should), std::move(subs));
  }
  return match(sum, "sum of:", std::move(subs));
}

Explanation Explainer::dis_max(std::vector<Explanation> parts, float tie_breaker) {
  std::vector<Explanation> subs;
  double max = 0, others = 0;
  for (auto& e : parts) {
    if (!e.match) continue;
    double s = e.value;
    if (s >= max) {
      others += max;
      max = s;
    } else {
      others += s;
    }
    subs.push_back(std::move(e));
  }
  if (subs.empty()) return no_match("No matching clause");
  float score = static_cast<float>(max + others * tie_breaker);
  std::string desc = tie_breaker == 0.0f ? "max of:" : "max plus " + java_float(tie_breaker) + " times others of:";
  return match(score, std::move(desc), std::move(subs));
}

Result<Explanation> Explainer::explain_match(const MatchQuery& q, float boost, float outer) {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return no_match("no mapped field [" + q.field + "]");
  SIFT_ASSIGN_OR_RETURN(auto rewritten, rewrite_text_query(q, mapping_));  // synonyms, graphs
  if (rewritten) return explain(*rewritten, outer);
  if (is_point_type(rf->type) || (rf->type != FieldType::kText && rf->type != FieldType::kKeyword &&
                             rf->type != FieldType::kBoolean)) {
    return generic(q, outer);
  }
  auto terms = SegmentEvaluator::query_terms(*rf, q.value, q.analyzer);
  if (!terms.is_ok()) {
    if (q.lenient) return no_match("lenient match on [" + q.field + "] with an invalid value");
    return std::move(terms).take_status();
  }
  if (terms->empty()) {
    if (q.zero_terms_all) return match(boost, boost == 1.0f ? "*:*" : "*:*^" + java_float(boost));
    return no_match("MatchNoDocsQuery(\"zero terms\") doesn't match id " + std::to_string(doc_));
  }
  // Each term as a TermQuery, or with `fuzziness` as a FuzzyQuery (any failing fails the whole match).
  const bool fuzzy = !q.fuzzy.fuzziness.empty();
  std::vector<Explanation> per_term;
  for (const auto& t : *terms) {
    if (!fuzzy) {
      per_term.push_back(term_weight(rf->path, t.term, boost));
      continue;
    }
    Result<Explanation> e = fuzzy_term(*rf, t.term, q.fuzzy, boost);
    if (!e.is_ok()) {
      if (q.lenient) return no_match("lenient match on [" + q.field + "] failed: " + e.status().reason());
      return std::move(e).take_status();
    }
    per_term.push_back(std::move(e).value());
  }
  if (per_term.size() == 1) return std::move(per_term[0]);
  size_t min_should = 1;
  if (q.and_operator) min_should = terms->size();
  else if (!q.minimum_should_match.empty()) {
    min_should = std::max<size_t>(1, SegmentEvaluator::resolve_msm(q.minimum_should_match, terms->size()));
  }
  std::vector<Explanation> subs;
  size_t matched = 0;
  float sum = 0;
  for (size_t i = 0; i < per_term.size(); ++i) {
    Explanation& e = per_term[i];
    const std::string& t = (*terms)[i].term;
    if (e.match) {
      ++matched;
      sum += e.value;
      subs.push_back(std::move(e));
    } else if (q.and_operator) {
      subs.push_back(no_match("no match on required clause (" + rf->path + ":" + t + (fuzzy ? "~" : "") + ")",
                              {std::move(e)}));
    }
  }
  if (q.and_operator && matched < terms->size()) {
    return no_match("Failure to meet condition(s) of required/prohibited clause(s)", std::move(subs));
  }
  if (matched == 0) return no_match("No matching clauses", std::move(subs));
  if (matched < min_should) {
    return no_match("Failure to match minimum number of optional clauses: " + std::to_string(min_should), std::move(subs));
  }
  return match(sum, "sum of:", std::move(subs));
}

Result<Explanation> Explainer::explain_phrase(const MatchPhraseQuery& q, float boost, float outer) {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return no_match("no mapped field [" + q.field + "]");
  SIFT_ASSIGN_OR_RETURN(auto rewritten, rewrite_text_query(q, mapping_));  // synonyms, graphs
  if (rewritten) return explain(*rewritten, outer);
  if (q.prefix || rf->type != FieldType::kText) return generic(q, outer);
  Scalar value;
  value.text = q.text;
  SIFT_ASSIGN_OR_RETURN(auto terms, SegmentEvaluator::query_terms(*rf, value, q.analyzer));
  if (terms.empty()) {
    if (q.zero_terms_all) return match(boost, boost == 1.0f ? "*:*" : "*:*^" + java_float(boost));
    return no_match("MatchNoDocsQuery(\"zero terms\") doesn't match id " + std::to_string(doc_));
  }
  const std::string& field = rf->path;
  if (terms.size() == 1) return term_weight(field, terms[0].term, boost);
  std::string text = field + ":\"";
  for (size_t i = 0; i < terms.size(); ++i) text += (i ? " " : "") + terms[i].term;
  text += "\"";
  if (q.slop != 0) text += "~" + std::to_string(q.slop);
  const auto* fi = seg_.reader->field(field);
  if (fi == nullptr) return no_match("no matching terms");
  std::vector<std::vector<uint32_t>> positions(terms.size());
  std::vector<uint32_t> offsets;
  for (size_t i = 0; i < terms.size(); ++i) {
    auto it = seg_.reader->postings(field, terms[i].term);
    if (it.advance(doc_) != doc_) return no_match("no matching terms");
    positions[i] = it.positions();
    offsets.push_back(terms[i].position - terms[0].position);
  }
  float freq = phrase_freq(positions, offsets, q.slop);
  if (freq <= 0) return no_match("no matching phrase");
  FieldStats fs = shard_field_stats(snap_, field);
  std::vector<Explanation> idfs;
  float idf_sum = 0;
  for (const auto& t : terms) {
    Explanation e = idf_explanation(fs.doc_count, shard_doc_freq(snap_, field, t.term));
    idf_sum += e.value;
    idfs.push_back(std::move(e));
  }
  Explanation idf = match(idf_sum, "idf, sum of:", std::move(idfs));
  Explanation freq_e = match(freq, "phraseFreq=" + java_float(freq));
  Explanation score = bm25_explanation(field, fs, boost, std::move(idf), std::move(freq_e));
  float v = score.value;
  return match(v, "weight(" + text + " in " + std::to_string(doc_) + ") [PerFieldSimilarity], result of:",
               {std::move(score)});
}

Result<Explanation> Explainer::explain_multi_match(const MultiMatchQuery& q, float outer) {
  if (q.type == MultiMatchQuery::Type::kBoolPrefix || q.type == MultiMatchQuery::Type::kCrossFields) {
    SIFT_ASSIGN_OR_RETURN(auto bound, bind_multi_match(q, mapping_));
    return explain(*bound, outer);
  }
  // The evaluator's per-field queries; fields the text cannot apply to are skipped as it does.
  PerFieldQueries fields = multi_match_per_field(q, mapping_);
  std::vector<Explanation> per_field;
  for (const auto& sub : fields.queries) {
    Result<Explanation> r = explain(*sub, outer);
    if (!r.is_ok()) {
      if (fields.lenient) continue;
      return std::move(r).take_status();
    }
    per_field.push_back(std::move(r).value());
  }
  if (per_field.empty()) return no_match("No matching clause");
  if (q.type == MultiMatchQuery::Type::kMostFields) {
    std::vector<Explanation> subs;
    float sum = 0;
    for (auto& e : per_field) {
      if (!e.match) continue;
      sum += e.value;
      subs.push_back(std::move(e));
    }
    if (subs.empty()) return no_match("No matching clauses");
    return match(sum, "sum of:", std::move(subs));
  }
  return dis_max(std::move(per_field), q.tie_breaker);
}

Result<DocScores> Explainer::evaluate(const Query& q) {
  if (scope_.empty()) return evaluator_.eval(q, seg_);
  return evaluator_.nested_path_docs(scope_, &q, seg_);  // q as the nested query's inner query sees it
}

Result<std::optional<float>> Explainer::score_of(const Query& q) {
  SIFT_ASSIGN_OR_RETURN(DocScores d, evaluate(q));
  auto it = std::lower_bound(d.docs.begin(), d.docs.end(), doc_);
  if (it == d.docs.end() || *it != doc_) return std::optional<float>();
  return std::optional<float>(d.scores[static_cast<size_t>(it - d.docs.begin())]);
}

// Queries without a structural explanation (constant-score term-level queries and the rest): the
// evaluator's score for the document under the query's Lucene text, as ConstantScoreWeight shows.
Result<Explanation> Explainer::generic(const Query& q, float outer) {
  SIFT_ASSIGN_OR_RETURN(std::optional<float> score, score_of(q));
  std::string text = text_of(q);
  if (!score) return no_match(text + " doesn't match id " + std::to_string(doc_));
  return match(*score * outer, text);
}

Result<Explanation> Explainer::constant(const Query& q, float outer) {
  SIFT_ASSIGN_OR_RETURN(std::optional<float> score, score_of(q));
  std::string text = unboosted_text_of(q);
  if (!score) return no_match(text + " doesn't match id " + std::to_string(doc_));
  float value = *score * outer;
  return match(value, value == 1.0f ? text : text + "^" + java_float(value));
}


Result<Explanation> explain_document(const index::ShardSnapshot& snapshot, const index::Mapping& mapping,
                                     const Query* q, const Query* filter, uint32_t segment, uint32_t doc,
                                     float boost) {
  Explainer ex(snapshot, mapping, segment, doc);
  MatchAllQuery all;
  const Query& main = q != nullptr ? *q : all;
  if (filter != nullptr) return ex.explain_filtered(main, *filter, boost);
  return ex.explain(main, boost);
}

void write_explanation(JsonWriter& w, const Explanation& e) {
  w.begin_object();
  w.key("value");
  if (e.count >= 0) w.value_i64(e.count);
  else w.value(e.value);
  w.field("description", e.description);
  w.key("details").begin_array();
  for (const auto& d : e.details) write_explanation(w, d);
  w.end_array();
  w.end_object();
}

}  // namespace sift::query
