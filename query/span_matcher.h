// The matches of a span query (query.h's SpanQuery) in one document, enumerated as Lucene 8.7's
// Spans do: a term's positions, an or's sub-spans merged by (start, end), an ordered near driven
// by its first clause with every later clause only moving forward (NearSpansOrdered), gap clauses
// that match anywhere (SpanNearQuery's GapSpans). The evaluator scores a document with the sum of
// 1 / (1 + width) over the root's matches (SpanScorer's frequency); explanations show it.
// Internal to query/ (synonym_queries.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "query/query.h"

namespace sift::query {

struct SpanMatch {
  int64_t start = 0, end = 0, width = 0;
};

// `positions(term)`: the document's sorted positions of `term` (null or empty: none);
// `max_position`: the document's last position (bounds gap clauses that lead a near).
std::vector<SpanMatch> span_matches(const SpanQuery& q,
                                    const std::function<const std::vector<uint32_t>*(const std::string&)>& positions,
                                    int64_t max_position);

float span_freq(const std::vector<SpanMatch>& matches);

// The distinct terms of a span tree, sorted (the order Lucene's SpanWeight sums their idfs in).
std::vector<std::string> span_terms(const SpanQuery& q);

}  // namespace sift::query
