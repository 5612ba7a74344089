// Java regular expressions (java.util.regex, what OpenSearch's analysis settings use) compiled with
// ICU: OpenSearch's flag names (Regex.flagsFromString), Java's ASCII-only classes (\w \d \s, POSIX
// \p{Alpha} ...) unless UNICODE_CHARACTER_CLASS is given, and Java's `.` (which matches \x0B and
// \f). Known differences: CASE_INSENSITIVE folds all of Unicode (Java: ASCII unless UNICODE_CASE);
// CANON_EQ is ignored. Shared by the pattern tokenizer and the pattern_replace filters.
#pragma once

#include <unicode/regex.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::analysis {

// `flags`: OpenSearch's "CASE_INSENSITIVE|MULTILINE" form ("" for none). Errors are 400s.
Result<std::unique_ptr<icu::RegexPattern>> compile_java_regex(std::string_view pattern, std::string_view flags);

}  // namespace sift::analysis
