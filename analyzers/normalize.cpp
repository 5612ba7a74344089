#include "analyzers/normalize.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace sift::analysis {

std::string lowercase_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t len = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < len) {
    if (s[i] < 0x80) {
      const uint8_t b = s[i++];
      out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b));
      continue;
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, len, c);
    if (c < 0) {  // not UTF-8: keep the bytes
      out.append(text.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
      continue;
    }
    c = u_tolower(c);
    uint8_t buf[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buf, n, U8_MAX_LENGTH, c, error);
    (void)error;  // cannot fail: c is a valid code point and buf holds any
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }
  return out;
}

void lowercase_utf8_in_place(std::string* text) {
  char* p = text->data();
  const size_t n = text->size();
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<uint8_t>(p[i]);
    if (b >= 0x80) {  // the rest goes the slow way
      std::string tail = lowercase_utf8(std::string_view(*text).substr(i));
      text->replace(i, std::string::npos, tail);
      return;
    }
    if (b >= 'A' && b <= 'Z') p[i] = static_cast<char>(b + ('a' - 'A'));
  }
}

std::string normalize_term(std::string_view analyzer_name, std::string_view text) {
  if (analyzer_name == "standard" || analyzer_name == "stop" || analyzer_name == "simple" ||
      analyzer_name == "default") {
    return lowercase_utf8(text);
  }
  return std::string(text);
}

}  // namespace sift::analysis
