// Search highlighting, as OpenSearch's default (unified) highlighter answers it. The `highlight`
// section of a search body is parsed once (HighlightSpec); in the fetch phase each hit's `_source`
// values of a field are re-analyzed with the field's analyzer (postings keep no offsets), tokens that
// match the query's terms are wrapped in tags, and the text is cut into scored passages at sentence
// and word boundaries. The `plain` and `fvh` types are served by the same implementation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "query/query.h"

namespace sift::query {

// The options of `highlight` and of each of its fields. Unset members inherit: field, then the
// global options, then OpenSearch's defaults (see ResolvedHighlight).
struct HighlightOptions {
  std::optional<std::vector<std::string>> pre_tags, post_tags;
  std::optional<int32_t> fragment_size, number_of_fragments, no_match_size, max_analyzer_offset;
  std::optional<bool> score_order;          // order: score
  std::optional<bool> require_field_match;
  std::optional<bool> html_encoder;         // encoder: html
  std::optional<std::string> type;          // unified, plain, fvh
  std::optional<std::string> boundary_scanner;
  std::shared_ptr<const Query> highlight_query;
};

struct HighlightField {
  std::string name;  // may hold `*` wildcards
  HighlightOptions options;
};

struct HighlightSpec {
  HighlightOptions global;
  std::vector<HighlightField> fields;
};

// Parses the `highlight` object (JSON text). Errors as OpenSearch's parser: x_content_parse_exception
// for unknown or malformed options, parsing_exception for pre_tags without post_tags.
Result<HighlightSpec> parse_highlight(std::string_view json);

enum class HighlightBoundary : uint8_t { kSentence, kWord, kChars };

// The options of one field with inheritance and defaults applied.
struct ResolvedHighlight {
  std::string pre_tag = "<em>";   // the unified highlighter uses only the first tag of each list
  std::string post_tag = "</em>";
  int32_t fragment_size = 100;
  int32_t number_of_fragments = 5;  // 0: each matching value whole
  int32_t no_match_size = 0;
  std::optional<int32_t> max_analyzer_offset;
  bool score_order = false;
  bool require_field_match = true;
  bool html_encode = false;
  std::string type = "unified";
  HighlightBoundary boundary = HighlightBoundary::kSentence;
  const Query* highlight_query = nullptr;  // null: the search's query
};
ResolvedHighlight resolve_highlight(const HighlightOptions& global, const HighlightOptions& field);

// One query clause that can highlight: the field it ran on and what it matches there.
struct HighlightClause {
  enum class Kind : uint8_t { kTerms, kPhrase, kPrefix, kWildcard, kRange, kAutomaton };
  Kind kind = Kind::kTerms;
  std::string field;
  std::vector<std::string> terms;    // kTerms: any of them; kPhrase: in order
  std::vector<uint32_t> positions;   // kPhrase: position of each term relative to the first
  std::vector<std::vector<std::string>> alternatives;  // kPhrase from synonyms: the terms of each slot (else `terms`)
  int32_t slop = 0;
  bool last_is_prefix = false;       // match_phrase_prefix
  std::string pattern;               // kPrefix: the prefix; kWildcard: `*`/`?` pattern
  bool case_insensitive = false;
  std::optional<std::string> lower, upper;  // kRange on text/keyword terms
  bool include_lower = true, include_upper = true;
  std::function<bool(std::string_view)> accepts;  // kAutomaton: fuzzy and regexp terms
};

// The highlighting clauses of a query tree (must_not clauses left out), bound to one mapping:
// match-style text is analyzed with the field's search analyzer, query_string is bound per
// mapping, multi_match field patterns are expanded.
std::vector<HighlightClause> collect_highlight_clauses(const Query* query, const index::Mapping& mapping);

// The fragments of one field of one hit, in text order (or by score with `order: score`); empty
// when nothing matched and no_match_size is 0. `values` are the field's values from `_source`.
std::vector<std::string> highlight_field(const std::vector<HighlightClause>& clauses, const index::ResolvedField& field,
                                         const std::vector<std::string>& values, const ResolvedHighlight& options);

// Convenience for one-off calls: collects the clauses of `query` and highlights `field`.
std::vector<std::string> highlight_field(const Query* query, const index::Mapping& mapping, const std::string& field,
                                         const std::vector<std::string>& values, const ResolvedHighlight& options);

// Where a hit's field is highlighted, for the checks and their messages.
struct HighlightDocContext {
  std::string index;
  std::string doc_id;
  int64_t max_analyzed_offset = 1000000;  // index.highlight.max_analyzed_offset
};

// Checks OpenSearch makes before highlighting `field` of a hit: the highlighter type exists, fvh needs
// term vectors with offsets, `chars` is fvh-only, max_analyzer_offset is positive, and a field
// that must be re-analyzed is not longer than index.highlight.max_analyzed_offset.
// illegal_argument_exception otherwise.
Status check_highlight(const index::ResolvedField& field, const ResolvedHighlight& options,
                       const std::vector<std::string>& values, const HighlightDocContext& doc);

// Whether a field named by a wildcard pattern is highlighted (text and keyword fields; with fvh
// only those with term vectors). Fields named exactly are always tried.
bool highlightable_by_pattern(const index::ResolvedField& field, const ResolvedHighlight& options);

}  // namespace sift::query
