// Full-text queries: match, match_phrase(_prefix), multi_match, dis_max. Text is analyzed with the
// field's search analyzer; terms score with BM25 and combine as Lucene's BooleanQuery (sum) or
// DisjunctionMaxQuery; phrases check positions and score the phrase frequency with the summed idf,
// as Lucene's PhraseQuery.
#include <algorithm>
#include <cmath>
#include <map>

#include "analyzers/registry.h"
#include "query/multi_match_bind.h"
#include "query/searcher.h"
#include "query/segment_evaluator.h"
#include "query/similarity_scoring.h"

namespace sift::query {

using index::FieldType;
using index::ReaderSegment;
using index::ResolvedField;

namespace {

bool is_text(const ResolvedField& f) { return f.type == FieldType::kText; }

}  // namespace

Result<std::vector<SegmentEvaluator::AnalyzedTerm>> SegmentEvaluator::query_terms(const ResolvedField& field,
                                                                                   const Scalar& value,
                                                                                   const std::string& analyzer) {
  std::vector<AnalyzedTerm> out;
  if (!is_text(field)) {
    SIFT_ASSIGN_OR_RETURN(std::string term, term_bytes_for(field, value));
    out.push_back({std::move(term), 0});
    return out;
  }
  // The query's analyzer, else the field's search analyzer (the index's defaults behind it).
  const analysis::AnalyzerRegistry& reg =
      field.analyzers != nullptr ? *field.analyzers : *analysis::AnalyzerRegistry::builtin();
  const analysis::Analyzer* a = analyzer.empty() ? field.search_analyzer : reg.get(analyzer);
  if (a == nullptr) {
    return invalid_argument("[match] analyzer [" + (analyzer.empty() ? field.mapping->search_analyzer.value_or(
                                                                           field.mapping->analyzer.value_or("default"))
                                                                     : analyzer) +
                            "] not found for field [" + field.path + "]");
  }
  std::vector<analysis::Token> tokens;
  a->analyze(value.text, 0, 0, &tokens);
  for (auto& t : tokens) out.push_back({std::move(t.term), t.position, std::max<uint32_t>(1, t.position_length)});
  return out;
}

Result<DocScores> SegmentEvaluator::eval_match(const MatchQuery& q, const ReaderSegment& seg) {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return DocScores{};
  SIFT_ASSIGN_OR_RETURN(const Query* rewritten, rewritten_text_query(q));  // synonyms, graphs
  if (rewritten != nullptr) return eval(*rewritten, seg);
  auto terms = query_terms(*rf, q.value, q.analyzer);
  if (!terms.is_ok()) {
    if (q.lenient) return DocScores{};
    return std::move(terms).take_status();
  }
  if (terms->empty()) return q.zero_terms_all ? all_docs(seg, q.boost) : DocScores{};
  std::vector<DocScores> per_term;
  for (const auto& t : *terms) {
    if (q.fuzzy.fuzziness.empty()) {
      per_term.push_back(term_scores(rf->path, t.term, q.boost, seg));
      continue;
    }
    auto fuzzy = fuzzy_term_scores(*rf, t.term, q.fuzzy, q.boost, seg);  // each term as a fuzzy query
    if (!fuzzy.is_ok()) return q.lenient ? Result<DocScores>(DocScores{}) : std::move(fuzzy).take_status();
    per_term.push_back(std::move(fuzzy).value());
  }
  if (is_point_type(rf->type)) {  // a point query: constant score
    for (auto& d : per_term) std::fill(d.scores.begin(), d.scores.end(), q.boost);
  }
  size_t min_should = 1;
  if (q.and_operator) min_should = per_term.size();
  else if (!q.minimum_should_match.empty()) min_should = std::max<size_t>(1, resolve_msm(q.minimum_should_match, per_term.size()));
  return combine_should(per_term, min_should);
}

Result<DocScores> SegmentEvaluator::eval_phrase(const MatchPhraseQuery& q, const ReaderSegment& seg) {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return DocScores{};
  SIFT_ASSIGN_OR_RETURN(const Query* rewritten, rewritten_text_query(q));  // synonyms, graphs
  if (rewritten != nullptr) return eval(*rewritten, seg);
  Scalar value;
  value.text = q.text;
  SIFT_ASSIGN_OR_RETURN(auto terms, query_terms(*rf, value, q.analyzer));
  if (terms.empty()) return q.zero_terms_all ? all_docs(seg, q.boost) : DocScores{};
  const std::string& field = rf->path;
  // The last term of a phrase prefix expands to the terms it starts.
  std::vector<std::vector<std::string>> slots;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (q.prefix && i + 1 == terms.size()) {
      std::vector<std::string> expanded;
      for (const auto& t : seg.reader->terms_from(field, terms[i].term, static_cast<size_t>(q.max_expansions) * 4)) {
        if (t.rfind(terms[i].term, 0) != 0) break;
        expanded.push_back(t);
        if (expanded.size() >= static_cast<size_t>(q.max_expansions)) break;
      }
      if (expanded.empty()) return DocScores{};
      slots.push_back(std::move(expanded));
    } else {
      slots.push_back({terms[i].term});
    }
  }
  if (slots.size() == 1 && slots[0].size() == 1) return term_scores(field, slots[0][0], q.boost, seg);
  const auto* fi = seg.reader->field(field);
  if (fi == nullptr) return DocScores{};
  if (!fi->has_positions) {
    return Status(Code::kInvalidArgument, "illegal_state_exception",
                  "field:[" + field + "] was indexed without position data; cannot run PhraseQuery (phrase=" + q.text + ")");
  }
  // Docs that hold every slot, found by intersecting postings.
  std::vector<DocScores> per_slot;
  for (const auto& slot : slots) {
    std::vector<DocScores> any;
    for (const auto& t : slot) any.push_back(term_scores(field, t, 1.0f, seg));
    per_slot.push_back(combine_should(any, 1));
  }
  DocScores candidates = per_slot[0];
  for (size_t i = 1; i < per_slot.size(); ++i) candidates = intersect(candidates, per_slot[i], false);
  // Scoring inputs: summed idf of the terms (the first expansion stands for a prefix slot).
  FieldStats fs = field_stats(field);
  float idf_sum = 0;
  for (const auto& slot : slots) idf_sum += idf(fs.doc_count, doc_freq(field, slot[0]));
  const index::Similarity& sim = mapping_.similarity(field);
  float weight = sim_weight(sim, q.boost, idf_sum);
  float avgdl = fs.doc_count ? bm25_avgdl(fs) : 1.0f;
  std::vector<uint32_t> offsets;
  for (const auto& t : terms) offsets.push_back(t.position - terms[0].position);
  std::vector<std::vector<uint32_t>> positions(slots.size());
  std::vector<std::vector<index::PostingsIterator>> iters(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    for (const auto& t : slots[i]) iters[i].push_back(seg.reader->postings(field, t));
  }
  DocScores out;
  for (uint32_t doc : candidates.docs) {
    for (size_t i = 0; i < slots.size(); ++i) {
      positions[i].clear();
      for (auto& it : iters[i]) {
        if (it.doc() == index::kNoMoreDocs || (it.doc() != static_cast<uint32_t>(-1) && it.doc() > doc)) continue;
        if (it.advance(doc) == doc) {
          const auto& p = it.positions();
          positions[i].insert(positions[i].end(), p.begin(), p.end());
        }
      }
      std::sort(positions[i].begin(), positions[i].end());
    }
    float freq = phrase_freq(positions, offsets, q.slop);
    if (freq <= 0) continue;
    float dl = fi->has_norms ? static_cast<float>(index::decode_norm(seg.reader->norm(field, doc))) : 1.0f;
    out.docs.push_back(doc);
    out.scores.push_back(bm25_score(weight, freq, sim_norm_inverse(sim, dl, avgdl)));
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_multi_match(const MultiMatchQuery& q, const ReaderSegment& seg) {
  if (q.type == MultiMatchQuery::Type::kBoolPrefix || q.type == MultiMatchQuery::Type::kCrossFields) {
    auto& bound = bound_[&q];
    if (!bound) {
      SIFT_ASSIGN_OR_RETURN(bound, bind_multi_match(q, mapping_));
    }
    return eval(*bound, seg);
  }
  PerFieldQueries fields = multi_match_per_field(q, mapping_);
  std::vector<DocScores> per_field;
  for (const auto& sub : fields.queries) {
    Result<DocScores> r = eval(*sub, seg);
    if (!r.is_ok()) {
      if (fields.lenient) continue;
      return std::move(r).take_status();
    }
    per_field.push_back(std::move(r).value());
  }
  if (per_field.empty()) return q.zero_terms_all ? all_docs(seg, q.boost) : DocScores{};
  if (q.type == MultiMatchQuery::Type::kMostFields) return combine_should(per_field, 1);
  return dis_max(per_field, q.tie_breaker);
}

Result<DocScores> SegmentEvaluator::eval_dis_max(const DisMaxQuery& q, const ReaderSegment& seg) {
  std::vector<DocScores> parts;
  for (const auto& sub : q.queries) {
    SIFT_ASSIGN_OR_RETURN(DocScores d, eval(*sub, seg));
    parts.push_back(std::move(d));
  }
  DocScores out = dis_max(parts, q.tie_breaker);
  if (q.boost != 1.0f) {
    for (auto& s : out.scores) s *= q.boost;
  }
  return out;
}

}  // namespace sift::query
