// Explanations of the nodes match / match_phrase become for stacked tokens and token graphs
// (text_query_builder.h), in the shape of Lucene's SynonymWeight, MultiPhraseQuery's PhraseWeight
// and SpanWeight: `weight(<query> in <doc>) [PerFieldSimilarity], result of:` over the field's
// similarity explanation, its frequency `termFreq=` (synonyms) or `phraseFreq=` (phrases, spans).
#include <algorithm>
#include <map>

#include "query/explainer.h"
#include "query/span_matcher.h"
#include "query/text_query_builder.h"

namespace sift::query {

Explanation Explainer::summed_idf_explanation(const std::string& field, const std::vector<std::string>& terms) {
  FieldStats fs = shard_field_stats(snap_, field);
  std::vector<Explanation> parts;
  double sum = 0;
  for (const auto& t : terms) {
    uint64_t df = shard_doc_freq(snap_, field, t);
    if (df == 0) continue;  // Lucene keeps no statistics for terms no document holds
    Explanation e = idf_explanation(fs.doc_count, df);
    sum += e.value;
    parts.push_back(std::move(e));
  }
  if (parts.size() == 1) return std::move(parts[0]);
  return match(static_cast<float>(sum), "idf, sum of:", std::move(parts));
}

Result<Explanation> Explainer::explain_synonym(const SynonymQuery& q, float boost) {
  if (seg_.reader->field(q.field) == nullptr) return no_match("no matching term");
  float freq = 0;
  bool found = false;
  uint64_t df = 0;
  for (const auto& t : q.terms) {
    df = std::max(df, shard_doc_freq(snap_, q.field, t));
    auto it = seg_.reader->postings(q.field, t);
    if (it.advance(doc_) != doc_) continue;
    freq += static_cast<float>(it.freq());
    found = true;
  }
  if (!found || df == 0) return no_match("no matching term");
  FieldStats fs = shard_field_stats(snap_, q.field);
  Explanation score = bm25_explanation(q.field, fs, boost, idf_explanation(fs.doc_count, df),
                                       match(freq, "termFreq=" + java_float(freq)));
  float value = score.value;
  return match(value, "weight(" + synonym_query_text(q) + " in " + std::to_string(doc_) + ") [PerFieldSimilarity], result of:",
               {std::move(score)});
}

Result<Explanation> Explainer::explain_multi_phrase(const MultiPhraseQuery& q, float boost) {
  if (seg_.reader->field(q.field) == nullptr) return no_match("no matching term");
  std::vector<std::vector<uint32_t>> positions(q.terms.size());
  std::vector<std::string> all;
  for (size_t i = 0; i < q.terms.size(); ++i) {
    for (const auto& t : q.terms[i]) {
      all.push_back(t);
      auto it = seg_.reader->postings(q.field, t);
      if (it.advance(doc_) != doc_) continue;
      positions[i].insert(positions[i].end(), it.positions().begin(), it.positions().end());
    }
    if (positions[i].empty()) return no_match("no matching term");
    std::sort(positions[i].begin(), positions[i].end());
  }
  float freq = phrase_freq(positions, q.positions, q.slop);
  if (freq <= 0) return no_match("no matching term");
  FieldStats fs = shard_field_stats(snap_, q.field);
  Explanation score = bm25_explanation(q.field, fs, boost, summed_idf_explanation(q.field, all),
                                       match(freq, "phraseFreq=" + java_float(freq)));
  float value = score.value;
  return match(value,
               "weight(" + multi_phrase_query_text(q) + " in " + std::to_string(doc_) + ") [PerFieldSimilarity], result of:",
               {std::move(score)});
}

Result<Explanation> Explainer::explain_span(const SpanQuery& q, float boost) {
  if (seg_.reader->field(q.field) == nullptr) return no_match("no matching term");
  std::vector<std::string> terms = span_terms(q);
  std::map<std::string, std::vector<uint32_t>> positions;
  int64_t max_position = 0;
  for (const auto& t : terms) {
    auto it = seg_.reader->postings(q.field, t);
    if (it.advance(doc_) != doc_) continue;
    auto& p = positions[t] = it.positions();
    if (!p.empty()) max_position = std::max<int64_t>(max_position, p.back());
  }
  auto lookup = [&](const std::string& t) -> const std::vector<uint32_t>* {
    auto f = positions.find(t);
    return f == positions.end() ? nullptr : &f->second;
  };
  float freq = span_freq(span_matches(q, lookup, max_position));
  if (freq <= 0) return no_match("no matching term");
  FieldStats fs = shard_field_stats(snap_, q.field);
  Explanation score = bm25_explanation(q.field, fs, boost, summed_idf_explanation(q.field, terms),
                                       match(freq, "phraseFreq=" + java_float(freq)));
  float value = score.value;
  return match(value, "weight(" + span_query_text(q) + " in " + std::to_string(doc_) + ") [PerFieldSimilarity], result of:",
               {std::move(score)});
}

}  // namespace sift::query
