#include "analyzers/utf.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace sift::analysis {

void to_utf16(std::string_view utf8, std::u16string* out) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto len = static_cast<int32_t>(utf8.size());
  out->resize(utf8.size());
  char16_t* p = out->data();
  int32_t ascii = 0;
  while (ascii < len && s[ascii] < 0x80) {
    p[ascii] = s[ascii];
    ++ascii;
  }
  out->resize(static_cast<size_t>(ascii));
  if (ascii == len) return;
  out->reserve(utf8.size());
  for (int32_t i = ascii; i < len;) {
    if (s[i] < 0x80) {  // ASCII runs copy without decoding
      out->push_back(static_cast<char16_t>(s[i++]));
      continue;
    }
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
  const size_t n = utf16.size();
  // The ASCII prefix (usually all of it) is copied unit by unit into place.
  out->resize(n);
  char* p = out->data();
  size_t ascii = 0;
  while (ascii < n && utf16[ascii] < 0x80) {
    p[ascii] = static_cast<char>(utf16[ascii]);
    ++ascii;
  }
  out->resize(ascii);
  if (ascii == n) return;
  for (size_t i = ascii; i < n;) {
    char32_t c = utf16[i++];
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
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

uint32_t utf16_length(std::string_view utf8) {
  // Decodes as to_utf16 does (an ill-formed subpart is one U+FFFD), so the length always equals
  // to_utf16(utf8).size(), the final offset analyzers report.
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto len = static_cast<int32_t>(utf8.size());
  uint32_t n = 0;
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U8_NEXT(s, i, len, c);
    n += c >= 0x10000 ? 2 : 1;
  }
  return n;
}

}  // namespace sift::analysis
