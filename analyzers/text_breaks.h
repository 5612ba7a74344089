// Text boundaries for highlighting: where sentences and words start and end in a text, found by
// ICU's BreakIterator (root locale), as Lucene's unified highlighter finds them with Java's. The
// highlighter (query/highlighter.cpp) cuts fragments at these offsets.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace sift::analysis {

enum class BreakKind : uint8_t { kSentence, kWord };

// The boundaries of `utf8` in UTF-16 code units (the unit of token offsets), ascending; the first
// is 0 and the last the text's UTF-16 length. An empty text has the single boundary 0.
std::vector<uint32_t> text_breaks(std::string_view utf8, BreakKind kind);

}  // namespace sift::analysis
