#include "analyzers/java_regex.h"

#include <cctype>

namespace sift::analysis {
namespace {

std::string upper_trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// \d \D \w \W \s \S as Java's ASCII classes (nested sets work inside ICU classes too).
std::string ascii_classes(std::string_view p) {
  std::string out;
  out.reserve(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '\\' || i + 1 >= p.size()) {
      out.push_back(p[i]);
      continue;
    }
    const char c = p[i + 1];
    if (c == 'Q') {  // quoted to \E: copied as is
      size_t end = p.find("\\E", i + 2);
      if (end == std::string_view::npos) end = p.size();
      else end += 2;
      out.append(p.substr(i, end - i));
      i = end - 1;
      continue;
    }
    const char* rep = nullptr;
    switch (c) {
      case 'd': rep = "[0-9]"; break;
      case 'D': rep = "[^0-9]"; break;
      case 'w': rep = "[a-zA-Z_0-9]"; break;
      case 'W': rep = "[^a-zA-Z_0-9]"; break;
      case 's': rep = "[\\t\\n\\x0B\\f\\r ]"; break;
      case 'S': rep = "[^\\t\\n\\x0B\\f\\r ]"; break;
      default: break;
    }
    if (rep != nullptr) {
      out += rep;
    } else {
      out.push_back('\\');
      out.push_back(c);
    }
    ++i;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<icu::RegexPattern>> compile_java_regex(std::string_view pattern, std::string_view flags) {
  uint32_t icu_flags = 0;
  bool unicode_classes = false;
  size_t start = 0;
  while (!flags.empty() && start <= flags.size()) {
    size_t bar = flags.find('|', start);
    if (bar == std::string_view::npos) bar = flags.size();
    std::string f = upper_trimmed(flags.substr(start, bar - start));
    start = bar + 1;
    if (f.empty()) continue;
    if (f == "CASE_INSENSITIVE") icu_flags |= UREGEX_CASE_INSENSITIVE;
    else if (f == "MULTILINE") icu_flags |= UREGEX_MULTILINE;
    else if (f == "DOTALL") icu_flags |= UREGEX_DOTALL;
    else if (f == "COMMENTS") icu_flags |= UREGEX_COMMENTS;
    else if (f == "UNIX_LINES") icu_flags |= UREGEX_UNIX_LINES;
    else if (f == "LITERAL") icu_flags |= UREGEX_LITERAL;
    else if (f == "UNICODE_CASE" || f == "CANON_EQ") {}
    else if (f == "UNICODE_CHARACTER_CLASS" || f == "UNICODE_CHAR_CLASS") unicode_classes = true;
    else return invalid_argument("Unknown regex flag [" + f + "]");
  }
  std::string p = (unicode_classes || (icu_flags & UREGEX_LITERAL)) ? std::string(pattern) : ascii_classes(pattern);
  UErrorCode e = U_ZERO_ERROR;
  UParseError pe;
  std::unique_ptr<icu::RegexPattern> out(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), icu_flags, pe, e));
  if (U_FAILURE(e) || out == nullptr) {
    return invalid_argument("Invalid regex pattern [" + std::string(pattern) + "]: " + u_errorName(e));
  }
  return out;
}

}  // namespace sift::analysis
