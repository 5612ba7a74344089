#include "analyzers/html_strip.h"

#include <unicode/utf16.h>

#include <set>
#include <string_view>
#include <unordered_map>

#include "analyzers/normalize.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

// HTML 4's character entities that Lucene decodes (the Latin-1 block in code point order, then
// the others).
constexpr const char* kLatin1Entities[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",    "copy",   "ordf",
    "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",
    "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave",
    "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",
    "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",
    "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",  "agrave", "aacute",
    "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

struct Entity {
  const char* name;
  char32_t c;
};
constexpr Entity kOtherEntities[] = {
    {"quot", 34}, {"amp", 38}, {"apos", 39}, {"lt", 60}, {"gt", 62}, {"QUOT", 34}, {"AMP", 38}, {"LT", 60},
    {"GT", 62}, {"COPY", 169}, {"REG", 174}, {"OElig", 338}, {"oelig", 339}, {"Scaron", 352}, {"scaron", 353},
    {"Yuml", 376}, {"fnof", 402}, {"circ", 710}, {"tilde", 732}, {"Alpha", 913}, {"Beta", 914}, {"Gamma", 915},
    {"Delta", 916}, {"Epsilon", 917}, {"Zeta", 918}, {"Eta", 919}, {"Theta", 920}, {"Iota", 921}, {"Kappa", 922},
    {"Lambda", 923}, {"Mu", 924}, {"Nu", 925}, {"Xi", 926}, {"Omicron", 927}, {"Pi", 928}, {"Rho", 929},
    {"Sigma", 931}, {"Tau", 932}, {"Upsilon", 933}, {"Phi", 934}, {"Chi", 935}, {"Psi", 936}, {"Omega", 937},
    {"alpha", 945}, {"beta", 946}, {"gamma", 947}, {"delta", 948}, {"epsilon", 949}, {"zeta", 950}, {"eta", 951},
    {"theta", 952}, {"iota", 953}, {"kappa", 954}, {"lambda", 955}, {"mu", 956}, {"nu", 957}, {"xi", 958},
    {"omicron", 959}, {"pi", 960}, {"rho", 961}, {"sigmaf", 962}, {"sigma", 963}, {"tau", 964}, {"upsilon", 965},
    {"phi", 966}, {"chi", 967}, {"psi", 968}, {"omega", 969}, {"thetasym", 977}, {"upsih", 978}, {"piv", 982},
    {"ensp", 8194}, {"emsp", 8195}, {"thinsp", 8201}, {"zwnj", 8204}, {"zwj", 8205}, {"lrm", 8206}, {"rlm", 8207},
    {"ndash", 8211}, {"mdash", 8212}, {"lsquo", 8216}, {"rsquo", 8217}, {"sbquo", 8218}, {"ldquo", 8220},
    {"rdquo", 8221}, {"bdquo", 8222}, {"dagger", 8224}, {"Dagger", 8225}, {"bull", 8226}, {"hellip", 8230},
    {"permil", 8240}, {"prime", 8242}, {"Prime", 8243}, {"lsaquo", 8249}, {"rsaquo", 8250}, {"oline", 8254},
    {"frasl", 8260}, {"euro", 8364}, {"image", 8465}, {"weierp", 8472}, {"real", 8476}, {"trade", 8482},
    {"alefsym", 8501}, {"larr", 8592}, {"uarr", 8593}, {"rarr", 8594}, {"darr", 8595}, {"harr", 8596},
    {"crarr", 8629}, {"lArr", 8656}, {"uArr", 8657}, {"rArr", 8658}, {"dArr", 8659}, {"hArr", 8660},
    {"forall", 8704}, {"part", 8706}, {"exist", 8707}, {"empty", 8709}, {"nabla", 8711}, {"isin", 8712},
    {"notin", 8713}, {"ni", 8715}, {"prod", 8719}, {"sum", 8721}, {"minus", 8722}, {"lowast", 8727},
    {"radic", 8730}, {"prop", 8733}, {"infin", 8734}, {"ang", 8736}, {"and", 8743}, {"or", 8744}, {"cap", 8745},
    {"cup", 8746}, {"int", 8747}, {"there4", 8756}, {"sim", 8764}, {"cong", 8773}, {"asymp", 8776}, {"ne", 8800},
    {"equiv", 8801}, {"le", 8804}, {"ge", 8805}, {"sub", 8834}, {"sup", 8835}, {"nsub", 8836}, {"sube", 8838},
    {"supe", 8839}, {"oplus", 8853}, {"otimes", 8855}, {"perp", 8869}, {"sdot", 8901}, {"lceil", 8968},
    {"rceil", 8969}, {"lfloor", 8970}, {"rfloor", 8971}, {"lang", 9001}, {"rang", 9002}, {"loz", 9674},
    {"spades", 9824}, {"clubs", 9827}, {"hearts", 9829}, {"diams", 9830}};

const std::unordered_map<std::u16string, char32_t>& entities() {
  static const std::unordered_map<std::u16string, char32_t> m = [] {
    std::unordered_map<std::u16string, char32_t> out;
    for (int i = 0; i < 96; ++i) out.emplace(to_utf16(kLatin1Entities[i]), static_cast<char32_t>(160 + i));
    out[u"nbsp"] = 0x20;  // Lucene decodes &nbsp; as a plain space
    for (const Entity& e : kOtherEntities) out.emplace(to_utf16(e.name), e.c);
    return out;
  }();
  return m;
}

// HTML 4's inline elements: removed without a trace; every other tag becomes a newline.
const std::set<std::string, std::less<>>& inline_elements() {
  static const std::set<std::string, std::less<>> s = {
      "a", "abbr", "acronym", "b", "basefont", "bdo", "big", "cite", "code", "dfn", "em", "font", "i", "img", "input",
      "kbd", "label", "q", "s", "samp", "select", "small", "span", "strike", "strong", "sub", "sup", "textarea",
      "tt", "u", "var"};
  return s;
}

bool space(char16_t c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\f'; }
bool ascii_alpha(char16_t c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }
bool name_start(char16_t c) { return ascii_alpha(c) || c == u'_'; }
bool name_char(char16_t c) {
  return name_start(c) || (c >= u'0' && c <= u'9') || c == u'-' || c == u'.' || c == u':';
}
bool attr_char(char16_t c) { return !space(c) && c != u'>' && c != u'/' && c != u'=' && c != u'<'; }

std::string lower_ascii(std::u16string_view s) {
  std::string out;
  for (char16_t c : s) out.push_back(static_cast<char>(c >= u'A' && c <= u'Z' ? c + 32 : c < 0x80 ? c : '?'));
  return out;
}

bool starts_with_ci(std::u16string_view text, size_t at, std::string_view lit) {
  if (at + lit.size() > text.size()) return false;
  for (size_t i = 0; i < lit.size(); ++i) {
    char16_t c = text[at + i];
    if (c >= u'A' && c <= u'Z') c = static_cast<char16_t>(c + 32);
    if (c != static_cast<char16_t>(lit[i])) return false;
  }
  return true;
}

class HtmlStripCharFilter final : public CharFilter {
 public:
  explicit HtmlStripCharFilter(std::set<std::string, std::less<>> escaped) : escaped_(std::move(escaped)) {}

  void filter(std::u16string_view in, std::u16string* out, OffsetMap* map) const override {
    int64_t cumulative = 0;
    // `in[from, to)` becomes `replacement` in the output.
    auto replace = [&](size_t from, size_t to, std::u16string_view replacement) {
      out->append(replacement);
      const int64_t diff = static_cast<int64_t>(to - from) - static_cast<int64_t>(replacement.size());
      if (diff != 0) {
        cumulative += diff;
        map->add(static_cast<uint32_t>(out->size()), static_cast<int32_t>(cumulative));
      }
    };
    size_t i = 0;
    const size_t n = in.size();
    while (i < n) {
      const char16_t c = in[i];
      if (c == u'&') {
        size_t end = 0;
        char32_t value = 0;
        if (reference(in, i, &end, &value)) {
          std::u16string r;
          if (value > 0xFFFF) {
            r.push_back(U16_LEAD(value));
            r.push_back(U16_TRAIL(value));
          } else {
            r.push_back(static_cast<char16_t>(value));
          }
          replace(i, end, r);
          i = end;
          continue;
        }
        out->push_back(c);
        ++i;
        continue;
      }
      if (c != u'<') {
        out->push_back(c);
        ++i;
        continue;
      }
      // Markup.
      if (in.substr(i, 4) == u"<!--") {
        size_t end = in.find(u"-->", i + 4);
        end = end == std::u16string_view::npos ? n : end + 3;
        replace(i, end, u"");
        i = end;
        continue;
      }
      if (in.substr(i, 9) == u"<![CDATA[") {
        replace(i, i + 9, u"");
        size_t end = in.find(u"]]>", i + 9);
        if (end == std::u16string_view::npos) {
          out->append(in.substr(i + 9));
          i = n;
        } else {
          out->append(in.substr(i + 9, end - i - 9));
          replace(end, end + 3, u"");
          i = end + 3;
        }
        continue;
      }
      if (in.substr(i, 2) == u"<!") {
        size_t end = in.find(u'>', i + 2);
        end = end == std::u16string_view::npos ? n : end + 1;
        replace(i, end, u"");
        i = end;
        continue;
      }
      if (in.substr(i, 2) == u"<?") {
        size_t end = in.find(u"?>", i + 2);
        if (end == std::u16string_view::npos) {
          out->push_back(c);
          ++i;
        } else {
          replace(i, end + 2, u"");
          i = end + 2;
        }
        continue;
      }
      size_t end = 0;
      std::u16string_view name;
      bool closing = false;
      const TagParse p = tag(in, i, &end, &name, &closing);
      if (p == TagParse::kInvalid) {
        out->push_back(c);
        ++i;
        continue;
      }
      if (p == TagParse::kEof) {
        replace(i, n, u"");
        i = n;
        continue;
      }
      const std::string lname = lower_ascii(name);
      if (escaped_.count(lname) > 0) {
        out->append(in.substr(i, end - i));
        i = end;
        continue;
      }
      if (!closing && (lname == "script" || lname == "style")) {
        // To the matching end tag, all one newline; unterminated: dropped to the end.
        size_t k = end;
        size_t close_end = std::u16string_view::npos;
        while ((k = in.find(u"</", k)) != std::u16string_view::npos) {
          if (starts_with_ci(in, k + 2, lname)) {
            size_t m = k + 2 + lname.size();
            while (m < n && space(in[m])) ++m;
            if (m < n && in[m] == u'>') {
              close_end = m + 1;
              break;
            }
          }
          k += 2;
        }
        if (close_end == std::u16string_view::npos) {
          replace(i, n, u"");
          i = n;
        } else {
          replace(i, close_end, u"\n");
          i = close_end;
        }
        continue;
      }
      replace(i, end, inline_elements().count(lname) > 0 ? u"" : u"\n");
      i = end;
    }
  }

 private:
  enum class TagParse { kTag, kInvalid, kEof };

  // A start tag "<" space* name (attrs)* "/"? ">" or end tag "</" space* name space* ">".
  static TagParse tag(std::u16string_view in, size_t at, size_t* end, std::u16string_view* name, bool* closing) {
    const size_t n = in.size();
    size_t i = at + 1;
    *closing = false;
    if (i < n && in[i] == u'/') {
      *closing = true;
      ++i;
      while (i < n && space(in[i])) ++i;
      if (i >= n) return TagParse::kEof;
      if (!name_start(in[i])) return TagParse::kInvalid;
      const size_t ns = i;
      while (i < n && name_char(in[i])) ++i;
      *name = in.substr(ns, i - ns);
      while (i < n && space(in[i])) ++i;
      if (i >= n) return TagParse::kEof;
      if (in[i] != u'>') return TagParse::kInvalid;
      *end = i + 1;
      return TagParse::kTag;
    }
    while (i < n && space(in[i])) ++i;
    if (i >= n) return TagParse::kEof;
    if (!name_start(in[i])) return TagParse::kInvalid;
    const size_t ns = i;
    while (i < n && name_char(in[i])) ++i;
    *name = in.substr(ns, i - ns);
    for (;;) {
      while (i < n && space(in[i])) ++i;
      if (i >= n) return TagParse::kEof;
      if (in[i] == u'>') {
        *end = i + 1;
        return TagParse::kTag;
      }
      if (in[i] == u'/') {
        ++i;
        continue;
      }
      if (!attr_char(in[i])) return TagParse::kInvalid;
      while (i < n && attr_char(in[i])) ++i;
      size_t k = i;
      while (k < n && space(in[k])) ++k;
      if (k < n && in[k] == u'=') {
        i = k + 1;
        while (i < n && space(in[i])) ++i;
        // The value runs to whitespace or '>' (a quoted value's '>' still ends the tag).
        while (i < n && !space(in[i]) && in[i] != u'>') ++i;
      }
    }
  }

  // A character reference at `at`: &name; (HTML 4's names), &#digits; or &#xhex;.
  static bool reference(std::u16string_view in, size_t at, size_t* end, char32_t* value) {
    const size_t n = in.size();
    size_t i = at + 1;
    if (i < n && in[i] == u'#') {
      ++i;
      const bool hex = i < n && (in[i] == u'x' || in[i] == u'X');
      if (hex) ++i;
      const size_t ds = i;
      uint64_t v = 0;
      while (i < n && i - ds < 10) {
        const char16_t c = in[i];
        int d = c >= u'0' && c <= u'9' ? c - u'0' : -1;
        if (hex && d < 0) d = c >= u'a' && c <= u'f' ? c - u'a' + 10 : c >= u'A' && c <= u'F' ? c - u'A' + 10 : -1;
        if (d < 0) break;
        v = v * (hex ? 16 : 10) + static_cast<uint64_t>(d);
        ++i;
      }
      if (i == ds) return false;
      // The ';' may be left out only at the end of the text.
      if (i < n && in[i] == u';') {
        ++i;
      } else if (i < n) {
        return false;
      }
      if (v > 0x10FFFF) return false;
      *value = (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : static_cast<char32_t>(v);
      *end = i;
      return true;
    }
    const size_t ns = i;
    while (i < n && i - ns < 10 && ((in[i] >= u'a' && in[i] <= u'z') || (in[i] >= u'A' && in[i] <= u'Z') ||
                                    (in[i] >= u'0' && in[i] <= u'9'))) {
      ++i;
    }
    if (i == ns || (i < n && in[i] != u';')) return false;
    auto it = entities().find(std::u16string(in.substr(ns, i - ns)));
    if (it == entities().end()) return false;
    *value = it->second;
    *end = i < n ? i + 1 : i;
    return true;
  }

  std::set<std::string, std::less<>> escaped_;
};

}  // namespace

Result<std::shared_ptr<const CharFilter>> make_html_strip(std::vector<std::string> escaped_tags) {
  std::set<std::string, std::less<>> set;
  for (const std::string& t : escaped_tags) set.insert(lowercase_utf8(t));
  return std::shared_ptr<const CharFilter>(std::make_shared<HtmlStripCharFilter>(std::move(set)));
}

}  // namespace sift::analysis
