// A field's similarity (index/similarity.h, resolved into the mapping per field) as the two numbers
// every scorer of query/ uses, so the evaluator, the block scorers' norm tables and impact bounds,
// and the explanations stay bit-identical for every similarity:
//   score = weight - weight / (1 + freq * norm_inverse)            (bm25_score, Lucene's BM25Scorer)
//   BM25:       weight = boost * idf,            norm_inverse = 1 / (k1 * (1 - b + b * dl / avgdl))
//   LegacyBM25: weight = (boost * (k1 + 1)) * idf (Lucene's LegacyBM25Similarity scales the boost)
//   boolean:    weight = boost,                  norm_inverse = +inf, so score == boost for freq >= 1
// Internal to query/.
#pragma once

#include <limits>

#include "index/similarity.h"

namespace sift::query {

// The weight of a term or phrase whose idf (a phrase: the sum of its terms') is `idf`.
inline float sim_weight(const index::Similarity& s, float boost, float idf) {
  switch (s.kind) {
    case index::SimilarityKind::kBoolean:
      return boost;
    case index::SimilarityKind::kLegacyBM25:
      return boost * (1 + s.k1) * idf;
    default:
      return boost * idf;
  }
}

// The boost as the similarity's explanation shows it (LegacyBM25: boost * (k1 + 1)).
inline float sim_explained_boost(const index::Similarity& s, float boost) {
  return s.kind == index::SimilarityKind::kLegacyBM25 ? boost * (1 + s.k1) : boost;
}

// Lucene's BM25 norm cache entry for a field length `dl`. With k1 = 0 it is +inf too, which is
// BM25's limit (tf = 1).
inline float sim_norm_inverse(const index::Similarity& s, float dl, float avgdl) {
  if (s.kind == index::SimilarityKind::kBoolean) return std::numeric_limits<float>::infinity();
  return 1.0f / (s.k1 * ((1 - s.b) + s.b * dl / avgdl));
}

}  // namespace sift::query
