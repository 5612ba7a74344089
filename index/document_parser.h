// Document parsing: a JSON `_source` + the index mapping -> ParsedDocument, the per-field values
// the segment builder indexes. New fields are mapped dynamically (string -> text with a `.keyword`
// multi-field, ignore_above 256; date detection; long/float; objects) unless `dynamic` says
// otherwise; the caller publishes the returned mapping update before acknowledging the write.
#pragma once

#include <optional>
#include <string_view>

#include "analyzers/registry.h"
#include "common/status.h"
#include "index/document.h"
#include "index/mapping.h"

namespace sift::index {

struct ParseOutput {
  ParsedDocument doc;
  std::optional<Mapping> mapping_update;  // the whole new mapping, when fields were added
};

struct ParseLimits {
  size_t total_fields = 1000;  // index.mapping.total_fields.limit
  size_t depth = 20;           // index.mapping.depth.limit
  // index.mapping.nested_objects.limit: objects under `nested` fields in one document, counted at
  // every level of nesting (each would be a hidden Lucene document in OpenSearch).
  size_t nested_objects = 10000;
};

// Errors: mapper_parsing_exception (malformed JSON, a value that does not fit its field type),
// strict_dynamic_mapping_exception, illegal_argument_exception (limits). `id` is only for messages.
Result<ParseOutput> parse_document(std::string_view source, std::string_view id, const Mapping& mapping,
                                   const ParseLimits& limits = {});

}  // namespace sift::index
