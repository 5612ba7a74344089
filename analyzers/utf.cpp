#include "analyzers/utf.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace sift::analysis {

void to_utf16(std::string_view utf8, std::u16string* out) {
  out->clear();
  out->reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto len = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U8_NEXT(s, i, len, c);
    if (c < 0) c = 0xFFFD;
    if (c < 0x10000) {
      out->push_back(static_cast<char16_t>(c));
    } else {
      out->push_back(static_cast<char16_t>(U16_LEAD(c)));
      out->push_back(static_cast<char16_t>(U16_TRAIL(c)));
    }
  }
}

std::u16string to_utf16(std::string_view utf8) {
  std::u16string out;
  to_utf16(utf8, &out);
  return out;
}

void append_utf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

void to_utf8(std::u16string_view utf16, std::string* out) {
  out->clear();
  out->reserve(utf16.size());
  const size_t n = utf16.size();
  for (size_t i = 0; i < n;) {
    char32_t c = utf16[i++];
    if (U16_IS_LEAD(c) && i < n && U16_IS_TRAIL(utf16[i])) {
      c = static_cast<char32_t>(U16_GET_SUPPLEMENTARY(c, utf16[i]));
      ++i;
    } else if (U16_IS_SURROGATE(c)) {
      c = 0xFFFD;
    }
    append_utf8(c, out);
  }
}

std::string to_utf8(std::u16string_view utf16) {
  std::string out;
  to_utf8(utf16, &out);
  return out;
}

uint32_t utf16_length(std::string_view s) {
  uint32_t n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

}  // namespace sift::analysis
