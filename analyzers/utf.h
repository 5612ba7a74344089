// UTF-8 <-> UTF-16 for analysis: chains work on UTF-16 text (ICU's unit, and the unit of
// OpenSearch's offsets), terms are UTF-8. Each maximal ill-formed byte run of invalid UTF-8 becomes
// one U+FFFD (Unicode's recommended practice; Java's decoder agrees except on encoded surrogates,
// ED A0 80: one U+FFFD in Java, three here). See tests/fuzz/README.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sift::analysis {

void to_utf16(std::string_view utf8, std::u16string* out);
std::u16string to_utf16(std::string_view utf8);
// Replaces `out` with the UTF-8 form of `utf16` (an unpaired surrogate becomes U+FFFD).
void to_utf8(std::u16string_view utf16, std::string* out);
std::string to_utf8(std::u16string_view utf16);
// Appends one code point as UTF-8.
void append_utf8(char32_t c, std::string* out);
// UTF-16 length of a UTF-8 string (OpenSearch's offsets count UTF-16 code units).
uint32_t utf16_length(std::string_view utf8);

}  // namespace sift::analysis
