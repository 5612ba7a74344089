// unsigned_long values (0 .. 18446744073709551615) read from text exactly, as OpenSearch's
// Numbers.toUnsignedLong reads them through BigDecimal: no detour through double, so
// "18446744073709551615" and "18446744073709551616" stay apart. The document parser, term and
// range queries and search_after all read values here; numeric_codec.h stores them.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace sift::index {

inline constexpr uint64_t kMaxUnsignedLong = UINT64_MAX;

struct UnsignedLongValue {
  uint64_t integer = 0;       // the value truncated toward zero
  bool has_fraction = false;  // a non-zero part below 1 was cut off
};

// Reads [+-]digits[.digits][(e|E)[+-]digits]. Errors (illegal_argument_exception):
//   not a number:                    For input string: "abc"
//   below 0 or above 2^64-1:         Value [-1] is out of range for an unsigned long
// A negative value is out of range even when its integer part is 0 ("-0.5"), as OpenSearch's
// range check on the double value makes it; "-0" is 0.
Result<UnsignedLongValue> parse_unsigned_long(std::string_view text);

// The same for a JSON number the parser already holds as a double (fractional or beyond 2^64-1);
// `text` names the value in errors.
Result<UnsignedLongValue> unsigned_long_from_double(double d, std::string_view text);

Status unsigned_long_out_of_range(std::string_view text);

}  // namespace sift::index
