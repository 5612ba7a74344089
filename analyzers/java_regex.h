// Java regular expressions (java.util.regex, what OpenSearch's analysis settings use) compiled with
// ICU: OpenSearch's flag names, and Java's ASCII-only \d \w \s classes (ICU's are Unicode) unless
// UNICODE_CHARACTER_CLASS is given.
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
