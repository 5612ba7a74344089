#include "analyzers/java_regex.h"

#include <algorithm>
#include <cctype>
#include <climits>

#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

enum JavaFlag : uint32_t {
  kUnixLines = 1,
  kCaseInsensitive = 2,
  kComments = 4,
  kMultiline = 8,
  kLiteral = 16,
  kDotall = 32,
  kUnicodeCase = 64,
  kCanonEq = 128,
  kUnicodeCharacterClass = 256,
};

// OpenSearch's Regex.flagsFromString: names separated by '|', any case.
Result<uint32_t> java_flags(const std::string& flags) {
  uint32_t out = 0;
  size_t from = 0;
  while (from <= flags.size()) {
    size_t bar = flags.find('|', from);
    if (bar == std::string::npos) bar = flags.size();
    std::string name = flags.substr(from, bar - from);
    from = bar + 1;
    if (name.empty()) continue;
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name == "CASE_INSENSITIVE") {
      out |= kCaseInsensitive;
    } else if (name == "MULTILINE") {
      out |= kMultiline;
    } else if (name == "DOTALL") {
      out |= kDotall;
    } else if (name == "UNICODE_CASE") {
      out |= kUnicodeCase;
    } else if (name == "CANON_EQ") {
      out |= kCanonEq;
    } else if (name == "UNIX_LINES") {
      out |= kUnixLines;
    } else if (name == "LITERAL") {
      out |= kLiteral;
    } else if (name == "COMMENTS") {
      out |= kComments;
    } else if (name == "UNICODE_CHAR_CLASS" || name == "UNICODE_CHARACTER_CLASS") {
      out |= kUnicodeCharacterClass;
    } else {
      return invalid_argument("Unknown regex flag [" + name + "]");
    }
  }
  return out;
}

const char16_t* posix_class(std::u16string_view name) {
  struct Entry {
    const char16_t* name;
    const char16_t* set;
  };
  static constexpr Entry kEntries[] = {
      {u"Lower", u"a-z"},
      {u"Upper", u"A-Z"},
      {u"ASCII", u"\\x00-\\x7F"},
      {u"Alpha", u"a-zA-Z"},
      {u"Digit", u"0-9"},
      {u"Alnum", u"a-zA-Z0-9"},
      {u"Punct", u"!-/:-@\\[-`{-~"},
      {u"Graph", u"!-~"},
      {u"Print", u" -~"},
      {u"Blank", u" \\t"},
      {u"Cntrl", u"\\x00-\\x1F\\x7F"},
      {u"XDigit", u"0-9a-fA-F"},
      {u"Space", u" \\t\\n\\x0B\\f\\r"},
  };
  for (const Entry& e : kEntries) {
    if (name == e.name) return e.set;
  }
  return nullptr;
}

std::u16string java_to_icu(std::u16string_view p, uint32_t flags) {
  std::u16string out;
  const bool ascii_classes = (flags & kUnicodeCharacterClass) == 0;
  int depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const char16_t c = p[i];
    if (c == u'\\' && i + 1 < p.size()) {
      const char16_t e = p[i + 1];
      if (e == u'Q') {  // quoted: verbatim through \E
        size_t stop = p.find(u"\\E", i + 2);
        stop = stop == std::u16string_view::npos ? p.size() : stop + 2;
        out.append(p.substr(i, stop - i));
        i = stop - 1;
        continue;
      }
      if (ascii_classes) {
        const char16_t* set = nullptr;
        bool negate = false;
        switch (e) {
          case u'w': set = u"a-zA-Z_0-9"; break;
          case u'W': set = u"a-zA-Z_0-9"; negate = true; break;
          case u'd': set = u"0-9"; break;
          case u'D': set = u"0-9"; negate = true; break;
          case u's': set = u" \\t\\n\\x0B\\f\\r"; break;
          case u'S': set = u" \\t\\n\\x0B\\f\\r"; negate = true; break;
          default: break;
        }
        size_t consumed = 2;
        if ((e == u'p' || e == u'P') && i + 2 < p.size() && p[i + 2] == u'{') {
          const size_t close = p.find(u'}', i + 3);
          if (close != std::u16string_view::npos) {
            std::u16string_view name = p.substr(i + 3, close - i - 3);
            if (name.substr(0, 2) == u"Is") name.remove_prefix(2);
            if (const char16_t* posix = posix_class(name)) {
              set = posix;
              negate = e == u'P';
              consumed = close + 1 - i;
            }
          }
        }
        if (set != nullptr) {
          out += negate ? u"[^" : u"[";
          out += set;
          out += u"]";
          i += consumed - 1;
          continue;
        }
      }
      out += c;
      out += e;
      ++i;
      continue;
    }
    if (c == u'[') {
      ++depth;
    } else if (c == u']' && depth > 0) {
      --depth;
    } else if (c == u'.' && depth == 0 && (flags & kDotall) == 0) {
      out += (flags & kUnixLines) != 0 ? u"[^\\n]" : u"[^\\n\\r\\u0085\\u2028\\u2029]";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<icu::RegexPattern>> compile_java_regex(std::string_view pattern, std::string_view flags_text) {
  SIFT_ASSIGN_OR_RETURN(uint32_t flags, java_flags(std::string(flags_text)));
  const std::u16string java = to_utf16(pattern);
  uint32_t icu_flags = 0;
  if (flags & kCaseInsensitive) icu_flags |= UREGEX_CASE_INSENSITIVE;
  if (flags & kMultiline) icu_flags |= UREGEX_MULTILINE;
  if (flags & kDotall) icu_flags |= UREGEX_DOTALL;
  if (flags & kComments) icu_flags |= UREGEX_COMMENTS;
  if (flags & kUnixLines) icu_flags |= UREGEX_UNIX_LINES;
  if (flags & kLiteral) icu_flags |= UREGEX_LITERAL;
  const std::u16string icu_pattern = (flags & kLiteral) ? java : java_to_icu(java, flags);
  UParseError where{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> compiled(
      icu::RegexPattern::compile(icu::UnicodeString(icu_pattern.data(), static_cast<int32_t>(icu_pattern.size())),
                                 icu_flags, where, status));
  if (U_FAILURE(status) || !compiled) {
    return invalid_argument("Invalid regex pattern [" + std::string(pattern) + "]: " + u_errorName(status) +
                            " near index " + std::to_string(std::max(0, where.offset)));
  }
  return compiled;
}

void limit_match_time(icu::RegexMatcher* m, size_t length) {
  // ICU's units are 10,000 match steps each (0.1 to 1 ms): about 0.1 s plus 1 unit per 100 units of
  // text. ICU's endless loops (java_regex.h) end within the base.
  UErrorCode status = U_ZERO_ERROR;
  m->setTimeLimit(static_cast<int32_t>(std::min<size_t>(1000 + length / 100, INT32_MAX)), status);
}

}  // namespace sift::analysis
