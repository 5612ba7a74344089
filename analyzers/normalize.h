// Normalization of a whole query string the way an analyzer would treat one term, without
// splitting it into tokens (Lucene's Analyzer.normalize): what prefix, wildcard and fuzzy queries
// compare with the indexed terms. The built-in analyzers that lower-case tokens lower-case here.
#pragma once

#include <string>
#include <string_view>

namespace sift::analysis {

// `text` normalized as analyzer `analyzer_name` would normalize one term: lower-cased (Unicode
// simple case mapping, as Lucene's LowerCaseFilter) for standard, stop and simple, unchanged for
// the others (whitespace, keyword, unknown names).
std::string normalize_term(std::string_view analyzer_name, std::string_view text);

// Unicode lower-casing of UTF-8 text; invalid bytes are kept as they are.
std::string lowercase_utf8(std::string_view text);
// The same, rewriting `text` (no allocation when it is ASCII).
void lowercase_utf8_in_place(std::string* text);

}  // namespace sift::analysis
