// Similarities: how a field's matches are scored, as OpenSearch's `index.similarity.<name>.*`
// settings and the `similarity` mapping parameter define it. The index settings are parsed once
// into SimilaritySettings; binding them to a Mapping (Mapping::bind_similarities) checks every
// field's `similarity` name and resolves it into ResolvedField::similarity, so query/ scores from
// the mapping alone. Types: BM25 (Lucene's BM25Similarity, the default), LegacyBM25 (the same with
// every score multiplied by k1 + 1: OpenSearch 2.x's default) and boolean (the query boost per
// matching term).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::index {

class Mapping;

enum class SimilarityKind : uint8_t { kBM25, kLegacyBM25, kBoolean };

struct Similarity {
  SimilarityKind kind = SimilarityKind::kBM25;
  float k1 = 1.2f;
  float b = 0.75f;
  // Norms leave out tokens at the previous token's position (increment 0), as Lucene's default.
  bool discount_overlaps = true;

  bool operator==(const Similarity&) const = default;
};

// What an index's settings define: the named similarities (a "default" entry redefines the
// index's default) and the default that fields without a `similarity` use.
struct SimilaritySettings {
  std::map<std::string, Similarity> named;
  Similarity default_similarity;
};

// Parses every `index.similarity.<name>.<param>` key of `index_settings` (flat, as the cluster
// state keeps them). Errors are illegal_argument_exception with OpenSearch's messages.
Result<SimilaritySettings> parse_similarity_settings(const std::map<std::string, std::string>& index_settings);

// The similarity a mapping's `similarity: name` selects on field `field` (its leaf name, for the
// error): a configured one, else the built-ins BM25 and boolean. An unknown name is
// mapper_parsing_exception "Unknown Similarity type [name] for field [field]".
Result<Similarity> resolve_similarity(const SimilaritySettings& settings, std::string_view name,
                                      std::string_view field);

// Parses the similarity settings of `index_settings` and binds them to `mapping`: the one call the
// cluster makes whenever an index's mapping or settings change.
Status bind_similarities(const std::map<std::string, std::string>& index_settings, Mapping* mapping);
// What index settings give a mapping: its similarities and its analyzers (index.analysis.*,
// analyzers/registry.h; a bad definition is a 400 naming it). `current`, the index's mapping when
// only the mapping changes (settings unchanged), lends its analyzers instead of building them again.
Status bind_index_settings(const std::map<std::string, std::string>& index_settings, Mapping* mapping,
                           const Mapping* current = nullptr);

}  // namespace sift::index
