#include "analyzers/rule_escapes.h"

#include "analyzers/utf.h"

namespace sift::analysis {

Result<std::u16string> unescape_rule(std::u16string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    char16_t c = s[i++];
    if (c == u'\\') {
      if (i >= s.size()) return invalid_argument("Invalid escaped char in [" + to_utf8(s) + "]");
      c = s[i++];
      switch (c) {
        case u'n': c = u'\n'; break;
        case u't': c = u'\t'; break;
        case u'r': c = u'\r'; break;
        case u'b': c = u'\b'; break;
        case u'f': c = u'\f'; break;
        case u'u': {
          if (i + 3 >= s.size()) return invalid_argument("Invalid escaped char in [" + to_utf8(s) + "]");
          char16_t v = 0;
          for (size_t k = 0; k < 4; ++k) {
            const char16_t h = s[i + k];
            const int d = h >= u'0' && h <= u'9'   ? h - u'0'
                          : h >= u'a' && h <= u'f' ? h - u'a' + 10
                          : h >= u'A' && h <= u'F' ? h - u'A' + 10
                                                   : -1;
            if (d < 0) return invalid_argument("For input string: \"" + to_utf8(s.substr(i, 4)) + "\"");
            v = static_cast<char16_t>(v * 16 + d);
          }
          c = v;
          i += 4;
          break;
        }
        default: break;
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace sift::analysis
