// Lucene's QueryBuilder as OpenSearch's MatchQuery drives it, for analyzed text whose tokens stack
// (several at one position: synonyms, preserve_original) or form a graph (position_length > 1:
// multi-word synonym_graph rules, word_delimiter_graph). Such match / match_phrase queries are
// bound to a mapping into bool / term queries and the SynonymQuery, MultiPhraseQuery and SpanQuery
// nodes of query.h, once per search, so the evaluator, explanations, query texts and highlighting
// all see the same query. Text whose tokens follow one another keeps its match / match_phrase form
// (rewrite_text_query returns null), which the block scorers run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"
#include "query/segment_evaluator.h"

namespace sift::query {

using QueryTokens = std::vector<SegmentEvaluator::AnalyzedTerm>;

// Whether the tokens stack or make a graph (the cases the plain match/phrase forms get wrong).
bool needs_query_builder(const QueryTokens& tokens);

struct TextQueryOptions {
  std::string field;               // the indexed field
  bool phrase = false;             // match_phrase
  bool and_operator = false;       // match: operator and
  std::string minimum_should_match;
  bool auto_generate_phrase = true;  // match: multi-word graph paths as phrases
  int32_t slop = 0;                // match_phrase
  float boost = 1.0f;              // pushed into the leaves, as Lucene's BoostQuery does
};

// The query Lucene 8.7's QueryBuilder (with OpenSearch's MatchQuery graph handling) builds from
// `tokens` (in stream order, at least two, positions absolute from 0); an error when a graph has
// more paths than Lucene's clause limit.
Result<std::unique_ptr<Query>> build_text_query(const QueryTokens& tokens, const TextQueryOptions& options);

// A match or match_phrase bound to `mapping` when its analysis stacks tokens or makes a graph;
// null when the query runs in its own form (other kinds, non-text fields, fuzziness, phrase
// prefixes, plain token sequences, analysis errors the query reports itself).
Result<std::unique_ptr<Query>> rewrite_text_query(const Query& q, const index::Mapping& mapping);

// Lucene's toString of the new nodes: `Synonym(f:a f:b)`, `f:"(a b) c"~2`, `spanNear([f:a, f:b], 0, true)`.
std::string synonym_query_text(const SynonymQuery& q);
std::string multi_phrase_query_text(const MultiPhraseQuery& q);
std::string span_query_text(const SpanQuery& q);

}  // namespace sift::query
