// multi_match types that depend on the mapping before they can run, bound to concrete queries as
// OpenSearch's MultiMatchQuery builds them: `bool_prefix` (and `match_bool_prefix`, a bool_prefix
// on one field) and `cross_fields` (fields grouped by analyzer, each term a BlendedTermQuery over
// the group's fields). The evaluator binds them once per search (segment_evaluator.h's `bound_`).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"

namespace sift::query {

// The bound form of a bool_prefix or cross_fields multi_match; other types are not bound here
// (an internal error).
Result<std::unique_ptr<Query>> bind_multi_match(const MultiMatchQuery& q, const index::Mapping& mapping);

// The per-field queries of a best_fields, most_fields, phrase or phrase_prefix multi_match: its
// field patterns expanded over the mapping (`*`: every text and keyword field), each a match or
// match_phrase carrying the multi_match's options and boost times the field's boost. `lenient`
// tells whether a field the text cannot apply to is skipped (true for the request's `lenient` or
// any field pattern).
struct PerFieldQueries {
  std::vector<std::unique_ptr<Query>> queries;
  bool lenient = false;
};
PerFieldQueries multi_match_per_field(const MultiMatchQuery& q, const index::Mapping& mapping);

// Per-field queries of one piece: none (nullptr), the one, or a dis_max of them.
std::unique_ptr<Query> combine_dis_max(std::vector<std::unique_ptr<Query>> parts, float tie_breaker);

// Shard statistics of one term in one field, the input of the blend.
struct BlendInput {
  uint64_t doc_freq = 0;             // docs of the field holding the term
  uint64_t doc_count = 0;            // docs holding the field
  uint64_t sum_total_term_freq = 0;  // the field's token count
};

// The document frequency each field scores the term with, as OpenSearch's BlendedTermQuery
// blends it: the largest df (capped by maxDoc and the smallest sumTotalTermFreq of the fields that
// hold the term), one more for each step down to a rarer field, and never more than the field's
// own doc count (so the idf stays positive). Fields without the term keep 0.
std::vector<uint64_t> blend_doc_freqs(const std::vector<BlendInput>& fields, uint64_t max_doc);

}  // namespace sift::query
