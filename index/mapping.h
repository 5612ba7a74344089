// Mapping: the schema of an index, as OpenSearch's mappings describe it. Parsed from and rendered
// to JSON (mapping_json.cpp), merged on `PUT _mapping` and on dynamic updates, and flattened into a
// lookup from full field path ("user.name", "title.keyword") to the resolved field. A Mapping is an
// immutable snapshot shared with std::shared_ptr; changes build a new one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "index/similarity.h"

namespace sift::analysis {
class Analyzer;
class AnalyzerRegistry;
}  // namespace sift::analysis

namespace sift::index {

enum class FieldType : uint8_t {
  kObject, kNested, kText, kKeyword, kLong, kInteger, kShort, kByte, kDouble, kFloat, kHalfFloat,
  kScaledFloat, kDate, kBoolean, kIp,
  kDateNanos,     // epoch nanoseconds in an int64: 1970-01-01 .. 2262-04-11T23:47:16.854775807Z
  kUnsignedLong,  // 0 .. 2^64-1, kept in the int64 machinery with the sign bit flipped (numeric_codec.h)
};
const char* field_type_name(FieldType t);
std::optional<FieldType> parse_field_type(std::string_view name);

// The date family. Doc values and terms of a `date` hold epoch milliseconds, those of a
// `date_nanos` epoch nanoseconds: whatever reads them as time (sort conversions, decay functions,
// and a date_histogram once aggregations exist: its rounding and bucket keys are in milliseconds)
// must ask is_nanos() for the resolution and convert (index/date_format.h).
inline bool is_date_type(FieldType t) { return t == FieldType::kDate || t == FieldType::kDateNanos; }
inline bool is_nanos(FieldType t) { return t == FieldType::kDateNanos; }

enum class Dynamic : uint8_t { kInherit, kTrue, kFalse, kStrict };

// One node of the mapping tree: an object (with properties) or a leaf field (with multi-fields).
// Optional parameters stay unset when the user did not give them, so GET _mapping renders back
// what was put, as OpenSearch does.
struct FieldMapping {
  FieldType type = FieldType::kObject;
  std::optional<bool> index, doc_values, store, norms, enabled, coerce, ignore_malformed;
  std::optional<int32_t> ignore_above;
  std::optional<std::string> null_value;  // raw JSON of the value
  std::vector<std::string> copy_to;
  std::optional<std::string> analyzer, search_analyzer, normalizer;
  std::optional<std::string> similarity;  // text, keyword: a name the index settings resolve
  std::optional<std::string> format;      // date
  std::optional<double> scaling_factor;   // scaled_float
  Dynamic dynamic = Dynamic::kInherit;    // objects
  std::map<std::string, FieldMapping> properties;  // objects
  std::map<std::string, FieldMapping> fields;      // multi-fields of a leaf
  // Accepted parameters Sift does not act on (boost, index_options, meta, ...; at the root
  // _routing, _field_names, _source includes/excludes), as raw JSON, so GET _mapping renders them.
  std::map<std::string, std::string> other_params;
};

// A leaf as queries and the parser see it, addressed by its full path.
struct ResolvedField {
  std::string path;
  const FieldMapping* mapping = nullptr;
  FieldType type = FieldType::kKeyword;
  bool indexed = true;
  bool doc_values = true;
  bool is_multi_field = false;
  std::string nested_path;  // the innermost `nested` object holding the field; "" at the root
  Similarity similarity;  // the field's own, else the index default (Mapping::bind_similarities)
  // The mapping's analyzers (Mapping::bind_analysis; the built-ins until bound): the registry, a
  // text field's index and search analyzers and a keyword field's normalizer (null when none).
  const analysis::AnalyzerRegistry* analyzers = nullptr;
  const analysis::Analyzer* index_analyzer = nullptr;
  const analysis::Analyzer* search_analyzer = nullptr;
  const analysis::Analyzer* normalizer = nullptr;
};

class Mapping {
 public:
  Mapping();
  // Copies rebuild the path lookup. A new data member must be copied in both (mapping.cpp); the
  // "copies keep every root parameter" test checks it.
  Mapping(const Mapping& other);
  Mapping& operator=(const Mapping& other);

  FieldMapping& root() { return root_; }
  const FieldMapping& root() const { return root_; }
  Dynamic dynamic() const { return root_.dynamic == Dynamic::kInherit ? Dynamic::kTrue : root_.dynamic; }
  bool date_detection = true;
  bool numeric_detection = false;
  std::vector<std::string> dynamic_date_formats;  // empty: the defaults
  std::string meta_json;                          // "_meta", raw JSON, may be empty
  std::string dynamic_templates_json;             // raw JSON array, may be empty (applied later)
  bool source_enabled = true;
  bool routing_required = false;                  // "_routing": {"required": true}

  // Rebuilds the path lookup; call after changing the tree.
  void rebuild_index();
  const ResolvedField* find(std::string_view path) const;
  const std::vector<ResolvedField>& leaves() const { return leaves_; }
  // Object mapping at a path ("" is the root), or nullptr.
  const FieldMapping* find_object(std::string_view path) const;
  size_t total_fields() const { return total_fields_; }
  // Nested objects: every `nested` object's path maps to the path of the innermost nested object
  // above it ("" when that is the root). Empty when the mapping has no nested fields.
  const std::unordered_map<std::string, std::string>& nested_parents() const { return nested_parents_; }
  bool has_nested() const { return !nested_parents_.empty(); }

  // Binds the index's similarities (index/similarity.h): every field's `similarity` name must
  // resolve (else mapper_parsing_exception, and the mapping is left as it was); each leaf then
  // carries its similarity. Until bound, every field scores with the default BM25.
  Status bind_similarities(SimilaritySettings similarities);
  const SimilaritySettings& similarities() const { return similarities_; }
  // The similarity that scores `path`: the field's, else the index default (unmapped paths, _id).
  const Similarity& similarity(std::string_view path) const;

  // Binds the index's analyzers (analyzers/registry.h): every field's analyzer, search_analyzer
  // and normalizer must resolve (else mapper_parsing_exception, and the mapping is left as it
  // was). Until bound, the built-in analyzers serve.
  Status bind_analysis(std::shared_ptr<const analysis::AnalyzerRegistry> analyzers);
  const analysis::AnalyzerRegistry& analyzers() const;
  // The bound registry itself (null until bound), for a changed mapping of the same index to keep.
  const std::shared_ptr<const analysis::AnalyzerRegistry>& bound_analyzers() const { return analyzers_; }
  // A text field's analyzers: its own, else the index's `default` (and `default_search` for
  // searching). Never null for a bound mapping.
  const analysis::Analyzer* index_analyzer(const ResolvedField& field) const;
  const analysis::Analyzer* search_analyzer(const ResolvedField& field) const;
  // A keyword field's normalizer, or nullptr when it has none.
  const analysis::Analyzer* normalizer(const ResolvedField& field) const;
  // `value` as a keyword field indexes it (its normalizer applied; unchanged for other fields).
  std::string normalize_keyword(const ResolvedField& field, std::string_view value) const;
  // `value` as one term of `field` for multi-term queries: a keyword's normalizer, a text field's
  // search analyzer (or `analyzer`, when named) normalizing (Lucene's Analyzer.normalize).
  static std::string normalize_term(const ResolvedField& field, std::string_view value,
                                    const std::string& analyzer = "");

 private:
  FieldMapping root_;
  SimilaritySettings similarities_;
  std::shared_ptr<const analysis::AnalyzerRegistry> analyzers_;  // null: the built-ins
  void resolve_analyzers();
  std::vector<ResolvedField> leaves_;
  std::unordered_map<std::string, size_t> by_path_;
  std::unordered_map<std::string, const FieldMapping*> objects_;
  std::unordered_map<std::string, std::string> nested_parents_;
  size_t total_fields_ = 0;
};

using MappingPtr = std::shared_ptr<const Mapping>;

// Parses a mappings body: {"properties": {...}, "dynamic": ..., "_source": ..., ...}. A single
// type wrapper such as {"_doc": {...}} is accepted only when `allow_type_wrapper` (legacy templates);
// OpenSearch 2 rejects it elsewhere. Errors are mapper_parsing_exception (400).
Result<Mapping> parse_mapping(std::string_view json, bool allow_type_wrapper = false);
// Renders {"properties": ...} and the other root parameters that were set.
std::string mapping_to_json(const Mapping& mapping);
// Merges `update` into `base` (PUT _mapping, dynamic updates). A type change of an existing field
// is illegal_argument_exception: "mapper [f] cannot be changed from type [long] to [text]".
Result<Mapping> merge_mappings(const Mapping& base, const Mapping& update);

}  // namespace sift::index
