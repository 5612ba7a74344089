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

// Bounds the work of `m` on a text of `length` UTF-16 units, from its last reset on (ICU's
// RegexMatcher::setTimeLimit; ICU counts from reset(), not per find()). ICU 72 loops forever on
// some patterns Java runs at once (a lazy loop over an empty group: "()+?ph" on "pa"), and a
// catastrophic pattern would hold an indexing thread for good. The bound grows with the text, far
// above what linear patterns need (splitting 20M units into 5M tokens takes under 1/100 of it); a
// match that runs out fails as "no match", and callers treat it so. Call it on every matcher
// analysis creates, after each reset to a new text.
void limit_match_time(icu::RegexMatcher* m, size_t length);

}  // namespace sift::analysis
