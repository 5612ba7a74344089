// What OpenSearch refuses before highlighting a field of a hit, with its messages, and which fields
// a wildcard in `highlight.fields` reaches.
#include "analyzers/analyzer.h"
#include "query/highlight.h"

namespace sift::query {
namespace {

using index::FieldType;
using index::ResolvedField;

std::string param(const ResolvedField& f, const char* name) {
  if (f.mapping == nullptr) return "";
  auto it = f.mapping->other_params.find(name);
  return it == f.mapping->other_params.end() ? "" : it->second;
}

bool term_vectors_with_offsets(const ResolvedField& f) {
  std::string tv = param(f, "term_vector");
  return tv == "\"with_positions_offsets\"" || tv == "\"with_positions_offsets_payloads\"";
}

bool postings_with_offsets(const ResolvedField& f) { return param(f, "index_options") == "\"offsets\""; }

Status illegal(std::string reason) {
  return Status(Code::kInvalidArgument, "illegal_argument_exception", std::move(reason));
}

}  // namespace

bool highlightable_by_pattern(const ResolvedField& field, const ResolvedHighlight& options) {
  if (field.type != FieldType::kText && field.type != FieldType::kKeyword) return false;
  return options.type != "fvh" || term_vectors_with_offsets(field);
}

Status check_highlight(const ResolvedField& field, const ResolvedHighlight& o, const std::vector<std::string>& values,
                       const HighlightDocContext& doc) {
  if (o.type != "unified" && o.type != "plain" && o.type != "fvh") {
    return illegal("unknown highlighter type [" + o.type + "] for the field [" + field.path + "]");
  }
  if (o.type == "fvh" && !term_vectors_with_offsets(field)) {
    return illegal("the field [" + field.path +
                   "] should be indexed with term vector with position offsets to be used with fast vector highlighter");
  }
  if (o.type == "fvh" && o.number_of_fragments != 0 && o.fragment_size < 18) {
    return illegal("fragCharSize(" + std::to_string(o.fragment_size) + ") is too small. It must be 18 or higher.");
  }
  if (o.type == "unified" && o.boundary == HighlightBoundary::kChars) return illegal("Invalid boundary scanner type: chars");
  if (o.max_analyzer_offset && *o.max_analyzer_offset <= 0) {
    return illegal("the value [" + std::to_string(*o.max_analyzer_offset) + "] of max_analyzer_offset is invalid");
  }
  // Only text that must be re-analyzed is limited: the unified highlighter reads offsets from
  // postings or term vectors when the mapping keeps them (Sift re-analyzes anyway, cheaply enough
  // for the fields OpenSearch would allow), the plain one always analyzes.
  bool analyzes = o.type == "plain" || (o.type == "unified" && !postings_with_offsets(field) && !term_vectors_with_offsets(field));
  if (!analyzes || (o.max_analyzer_offset && *o.max_analyzer_offset <= doc.max_analyzed_offset)) return Status::ok();
  int64_t length = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t n = analysis::utf16_length(values[i]);
    // The unified highlighter measures the values joined; the plain one each value.
    length = o.type == "plain" ? std::max(length, n) : length + n + (i > 0 ? 1 : 0);
  }
  if (length <= doc.max_analyzed_offset) return Status::ok();
  return illegal("The length of [" + field.path + "] field of [" + doc.doc_id + "] doc of [" + doc.index +
                 "] index has exceeded [" + std::to_string(doc.max_analyzed_offset) +
                 "] - maximum allowed to be analyzed for highlighting. This maximum can be set by changing the "
                 "[index.highlight.max_analyzed_offset] index level setting. For large texts, indexing with offsets or "
                 "term vectors" +
                 std::string(o.type == "plain" ? ", and highlighting with unified or fvh highlighter" : "") +
                 " is recommended!");
}

}  // namespace sift::query
