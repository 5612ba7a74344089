// ParsedDocument: what the document parser makes of a JSON source against a mapping, and what the
// segment builder indexes. One entry per field path (values of arrays and repeated objects are
// grouped), so the builder sees each field once per document.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/token.h"

namespace sift::index {

enum class NumericKind : uint8_t { kLong, kDouble, kDate, kBoolean };

struct ParsedDocument {
  struct TextField {
    std::string name;                      // full path, e.g. "message" or "user.bio"
    std::vector<analysis::Token> tokens;   // positions already include value gaps
    uint32_t length = 0;                   // number of tokens, for the norm
    bool norms = true;
    bool positions = true;                 // index positions (phrase queries)
  };
  struct TermField {                       // keyword, ip (16-byte canonical form), boolean ("T"/"F")
    std::string name;
    std::vector<std::string> values;
    bool indexed = true;
    bool doc_values = true;
  };
  struct NumericField {                    // long family, dates (epoch ms; date_nanos epoch ns),
                                           // doubles (sortable bits), unsigned_long (sign bit flipped)
    std::string name;
    NumericKind kind = NumericKind::kLong;
    std::vector<int64_t> values;
    bool indexed = true;
    bool doc_values = true;
  };

  std::vector<TextField> text;
  std::vector<TermField> terms;
  std::vector<NumericField> numerics;
  std::vector<std::string> field_names;    // every field that has a value (for `exists`)

  // Nested documents (OpenSearch's hidden Lucene documents of `nested` fields). A root document
  // holds all of its own, flattened in index order: each nested object's document comes right
  // after those of the nested objects inside it, and the root after them all, so a block of
  // documents ends with its root and every nested document precedes its parent (block join).
  std::string nested_path;                 // a nested document's object path; "" for a root
  std::vector<ParsedDocument> nested;      // a root's nested documents (empty in nested ones)
};

// Identity and versioning of one document, stored beside its source.
struct DocMeta {
  std::string id;
  std::string routing;                     // empty when none
  int64_t seq_no = 0;
  int64_t primary_term = 1;
  int64_t version = 1;
};

}  // namespace sift::index
