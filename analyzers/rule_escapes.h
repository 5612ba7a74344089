// The backslash escapes of OpenSearch's analysis rules (`mapping` char filter mappings and the
// word delimiters' `type_table`; OpenSearch's parseString in both factories): \\ \n \t \r \b \f and
// \uXXXX; any other escaped character stands for itself.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::analysis {

// Errors as OpenSearch's: "Invalid escaped char in [<rule>]" for a trailing backslash or a short
// \u, `For input string: "<hex>"` for bad hex digits.
Result<std::u16string> unescape_rule(std::u16string_view rule);

}  // namespace sift::analysis
