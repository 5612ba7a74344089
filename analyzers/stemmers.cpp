// The stemming filters: `stemmer` (OpenSearch's language names), `snowball`, `porter_stem`, and
// `german_normalization`. Snowball algorithms run through Debian's libstemmer (Snowball 2.2);
// Lucene 8.7 ships older generated Snowball programs, and where their rules differ on our checked
// vocabularies (Russian ё, Hungarian ő/ű, Finnish š/ž and doubled digits, German -nisse, French ë/ï) the word is
// rewritten around libstemmer so the old behaviour results (see `SnowballCompat`). Lucene's own
// algorithms are in light_stemmers.cpp. Stemmers leave tokens marked as keywords alone.
#include <libstemmer.h>

#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "analyzers/light_stemmers.h"
#include "analyzers/registry.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

// How the Lucene 8.7 program differs from libstemmer's and how the word is rewritten for it.
enum class SnowballCompat { kNone, kRussian, kHungarian, kFinnish, kGerman, kGerman2, kFrench };

struct SnowballAlgorithm {
  const char* libstemmer;  // sb_stemmer_new's name
  SnowballCompat compat;
};

// Lucene's Snowball class names (org.tartarus.snowball.ext.<Name>Stemmer) that libstemmer has.
const std::map<std::string, SnowballAlgorithm, std::less<>>& snowball_algorithms() {
  static const std::map<std::string, SnowballAlgorithm, std::less<>> m = {
      {"Arabic", {"arabic", SnowballCompat::kNone}},       {"Armenian", {"armenian", SnowballCompat::kNone}},
      {"Basque", {"basque", SnowballCompat::kNone}},       {"Catalan", {"catalan", SnowballCompat::kNone}},
      {"Danish", {"danish", SnowballCompat::kNone}},       {"Dutch", {"dutch", SnowballCompat::kNone}},
      {"English", {"english", SnowballCompat::kNone}},     {"Finnish", {"finnish", SnowballCompat::kFinnish}},
      {"French", {"french", SnowballCompat::kFrench}},     {"German", {"german", SnowballCompat::kGerman}},
      {"German2", {"german", SnowballCompat::kGerman2}},   {"Hungarian", {"hungarian", SnowballCompat::kHungarian}},
      {"Irish", {"irish", SnowballCompat::kNone}},         {"Italian", {"italian", SnowballCompat::kNone}},
      {"Lithuanian", {"lithuanian", SnowballCompat::kNone}}, {"Norwegian", {"norwegian", SnowballCompat::kNone}},
      {"Porter", {"porter", SnowballCompat::kNone}},       {"Portuguese", {"portuguese", SnowballCompat::kNone}},
      {"Romanian", {"romanian", SnowballCompat::kNone}},   {"Russian", {"russian", SnowballCompat::kRussian}},
      {"Spanish", {"spanish", SnowballCompat::kNone}},     {"Swedish", {"swedish", SnowballCompat::kNone}},
      {"Turkish", {"turkish", SnowballCompat::kNone}},
  };
  return m;
}

// Stand-ins outside every algorithm's alphabet and suffixes (private use code points).
constexpr char16_t kHidden1 = u'\uE000';
constexpr char16_t kHidden2 = u'\uE001';
constexpr char16_t kHiddenS = u'\uE002';

bool is_german_vowel(char16_t c) {
  return std::u16string_view(u"aeiouyäöü").find(c) != std::u16string_view::npos;
}

// Rewrites `w` before libstemmer runs; `undo` after maps stand-ins back.
void compat_before(SnowballCompat compat, std::u16string* w) {
  std::u16string& s = *w;
  switch (compat) {
    case SnowballCompat::kRussian:  // the old program knows no ё (2.0 reads it as е)
      for (char16_t& c : s) c = c == u'ё' ? kHidden1 : c;
      break;
    case SnowballCompat::kHungarian:  // the old program's ő and ű match nothing
      for (char16_t& c : s) c = c == u'ő' ? kHidden1 : c == u'ű' ? kHidden2 : c;
      break;
    case SnowballCompat::kFinnish:  // the old program takes š and ž for plain consonants
      for (char16_t& c : s) c = (c == u'š' || c == u'ž') ? u'z' : c;
      break;
    case SnowballCompat::kFrench:  // the old program takes ë and ï for plain vowels
      for (char16_t& c : s) c = (c == u'ë' || c == u'ï') ? u'ù' : c;
      break;
    case SnowballCompat::kGerman2: {  // German2's ae, oe, ue as umlauts (not a u after a vowel, nor
      // the two letters after "qu", which the old program hops over)
      std::u16string out;
      for (size_t i = 0; i < s.size(); ++i) {
        const char16_t c = s[i];
        const bool e_next = i + 1 < s.size() && s[i + 1] == u'e';
        if (c == u'q' && i + 1 < s.size() && s[i + 1] == u'u') {  // "qu" and the two letters after it stay
          out.append(std::u16string_view(s).substr(i, 4));
          i += 3;
        } else if (e_next && (c == u'a' || c == u'o')) {
          out.push_back(c == u'a' ? u'ä' : u'ö');
          ++i;
        } else if (e_next && c == u'u' && !(i > 0 && (s[i - 1] == u'q' || is_german_vowel(s[i - 1])))) {
          out.push_back(u'ü');
          ++i;
        } else {
          out.push_back(c);
        }
      }
      s = std::move(out);
      [[fallthrough]];
    }
    case SnowballCompat::kGerman: {  // 2.x drops the s of a -niss left by -e/-en/-es
      for (std::u16string_view end : {u"nisse", u"nissen", u"nisses"}) {
        if (s.size() >= end.size() && std::u16string_view(s).substr(s.size() - end.size()) == end) {
          s[s.size() - end.size() + 3] = kHiddenS;
          break;
        }
      }
      break;
    }
    case SnowballCompat::kNone:
      break;
  }
}

void compat_after(SnowballCompat compat, const std::u16string& original, std::u16string* w) {
  std::u16string& s = *w;
  switch (compat) {
    case SnowballCompat::kRussian:
      for (char16_t& c : s) c = c == kHidden1 ? u'ё' : c;
      break;
    case SnowballCompat::kHungarian:
      for (char16_t& c : s) c = c == kHidden1 ? u'ő' : c == kHidden2 ? u'ű' : c;
      break;
    case SnowballCompat::kFinnish:
    case SnowballCompat::kFrench:
      // Stems keep their letters in place: restore the originals where stand-ins were put.
      for (size_t i = 0; i < s.size() && i < original.size(); ++i) {
        const char16_t o = original[i];
        if ((o == u'š' || o == u'ž' || o == u'ë' || o == u'ï') && (s[i] == u'z' || s[i] == u'ù')) s[i] = o;
      }
      if (compat == SnowballCompat::kFinnish && s.size() >= 2 && s.back() == s[s.size() - 2] &&
          std::u16string_view(u"abcdefghijklmnopqrstuvwxyzåäöšž").find(s.back()) == std::u16string_view::npos) {
        s.pop_back();  // the old tidy step undoubles any final non-vowel ("1,000" -> "1,00")
      }
      if (compat == SnowballCompat::kFrench) {
        // The old residual-suffix step drops the ë of a final -guë(s) in RV (after the first vowel
        // that follows a consonant, or after three letters when the word starts with two vowels).
        const std::u16string_view o(original);
        const bool gue = o.size() >= 3 && (o.substr(o.size() - 3) == u"guë" ||
                                           (o.size() >= 4 && o.substr(o.size() - 4) == u"guës"));
        if (gue && s.size() >= 3 && std::u16string_view(s).substr(s.size() - 3) == u"guë") s.pop_back();
      }
      break;
    case SnowballCompat::kGerman:
    case SnowballCompat::kGerman2:
      for (char16_t& c : s) c = c == kHiddenS ? u's' : c;
      break;
    case SnowballCompat::kNone:
      break;
  }
}

// One libstemmer instance per algorithm and thread (they keep state between calls).
struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

sb_stemmer* thread_stemmer(const char* algorithm) {
  thread_local std::map<std::string, std::unique_ptr<sb_stemmer, StemmerDeleter>, std::less<>> stemmers;
  auto it = stemmers.find(algorithm);
  if (it == stemmers.end()) {
    it = stemmers.emplace(algorithm, std::unique_ptr<sb_stemmer, StemmerDeleter>(sb_stemmer_new(algorithm, "UTF_8"))).first;
  }
  return it->second.get();
}

class SnowballFilter final : public TokenFilter {
 public:
  explicit SnowballFilter(SnowballAlgorithm algorithm) : algorithm_(algorithm) {}
  void filter(TokenStream* stream) const override {
    sb_stemmer* stemmer = thread_stemmer(algorithm_.libstemmer);
    if (stemmer == nullptr) return;
    std::u16string original;
    std::u16string w;
    std::string utf8;
    for (Token& t : stream->tokens) {
      if (t.keyword) continue;
      const std::string* input = &t.term;
      if (algorithm_.compat != SnowballCompat::kNone) {
        to_utf16(t.term, &original);
        w = original;
        compat_before(algorithm_.compat, &w);
        to_utf8(w, &utf8);
        input = &utf8;
      }
      const sb_symbol* out =
          sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(input->data()), static_cast<int>(input->size()));
      if (out == nullptr) continue;  // out of memory: leave the term
      std::string stemmed(reinterpret_cast<const char*>(out), static_cast<size_t>(sb_stemmer_length(stemmer)));
      if (algorithm_.compat != SnowballCompat::kNone) {
        to_utf16(stemmed, &w);
        compat_after(algorithm_.compat, original, &w);
        to_utf8(w, &stemmed);
      }
      t.term = std::move(stemmed);
    }
  }

 private:
  SnowballAlgorithm algorithm_;
};

using CharStemmer = void (*)(std::u16string*);
using AsciiStemmer = void (*)(std::string*);

// The algorithms with an ASCII form, and those with a form for any UTF-8 term.
AsciiStemmer ascii_form(CharStemmer stem) {
  if (stem == &stem::kstem) return &stem::kstem_ascii;
  return stem == &stem::porter ? &stem::porter_ascii : nullptr;
}
AsciiStemmer utf8_form(CharStemmer stem) {
  return stem == &stem::english_possessive ? &stem::english_possessive_utf8 : nullptr;
}

bool is_ascii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A Lucene algorithm over each term's UTF-16 form; `skip_keywords` false for the filters that are
// not stemmers in Lucene (possessive, German normalization) and ignore the keyword flag. Where the
// algorithm has an ASCII (or UTF-8) form, ASCII (all) terms are stemmed in place without conversion.
class CharStemFilter final : public TokenFilter {
 public:
  CharStemFilter(CharStemmer stem, bool skip_keywords, bool normalizing = false)
      : stem_(stem), ascii_(ascii_form(stem)), utf8_(utf8_form(stem)), skip_keywords_(skip_keywords), normalizing_(normalizing) {}
  void filter(TokenStream* stream) const override {
    std::u16string w;
    for (Token& t : stream->tokens) {
      if (skip_keywords_ && t.keyword) continue;
      if (utf8_ != nullptr) {
        utf8_(&t.term);
        continue;
      }
      if (ascii_ != nullptr && is_ascii(t.term)) {
        ascii_(&t.term);
        continue;
      }
      to_utf16(t.term, &w);
      stem_(&w);
      to_utf8(w, &t.term);
    }
  }
  bool normalizing() const override { return normalizing_; }

 private:
  CharStemmer stem_;
  AsciiStemmer ascii_;
  AsciiStemmer utf8_;
  bool skip_keywords_;
  bool normalizing_;
};

Result<std::shared_ptr<const TokenFilter>> snowball_by_class(const std::string& name) {
  auto it = snowball_algorithms().find(name);
  if (it == snowball_algorithms().end()) return invalid_argument("Invalid stemmer class specified: " + name);
  return std::shared_ptr<const TokenFilter>(std::make_shared<SnowballFilter>(it->second));
}

// Strings.capitalize: the first character upper-cased.
std::string capitalize(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// OpenSearch's StemmerTokenFilterFactory: a language name (any case, also the camelCase forms).
Result<std::shared_ptr<const TokenFilter>> stemmer_for(const std::string& language) {
  static const std::map<std::string, std::pair<CharStemmer, bool>, std::less<>> lucene = {
      {"english", {&stem::porter, true}},
      {"porter", {&stem::porter, true}},
      {"minimal_english", {&stem::english_minimal, true}},
      {"minimalenglish", {&stem::english_minimal, true}},
      {"possessive_english", {&stem::english_possessive, false}},
      {"possessiveenglish", {&stem::english_possessive, false}},
      {"light_german", {&stem::german_light, true}},
      {"lightgerman", {&stem::german_light, true}},
      {"minimal_german", {&stem::german_minimal, true}},
      {"minimalgerman", {&stem::german_minimal, true}},
      {"light_french", {&stem::french_light, true}},
      {"lightfrench", {&stem::french_light, true}},
      {"minimal_french", {&stem::french_minimal, true}},
      {"minimalfrench", {&stem::french_minimal, true}},
      {"light_spanish", {&stem::spanish_light, true}},
      {"lightspanish", {&stem::spanish_light, true}},
      {"light_italian", {&stem::italian_light, true}},
      {"lightitalian", {&stem::italian_light, true}},
      {"light_portuguese", {&stem::portuguese_light, true}},
      {"lightportuguese", {&stem::portuguese_light, true}},
      {"light_russian", {&stem::russian_light, true}},
      {"lightrussian", {&stem::russian_light, true}},
      {"light_swedish", {&stem::swedish_light, true}},
      {"lightswedish", {&stem::swedish_light, true}},
      {"arabic", {&stem::arabic_stem, true}},
      {"bulgarian", {&stem::bulgarian_stem, true}},
      {"czech", {&stem::czech_stem, true}},
      {"hindi", {&stem::hindi_stem, true}},
      {"indonesian", {&stem::indonesian_stem, true}},
      {"latvian", {&stem::latvian_stem, true}},
      {"light_english", {&stem::kstem, true}},
      {"lightenglish", {&stem::kstem, true}},
      {"kstem", {&stem::kstem, true}},
      {"sorani", {&stem::sorani_stem, true}},
      {"bengali", {&stem::bengali_stem, true}},
  };
  static const std::map<std::string, std::string, std::less<>> snowball = {
      {"armenian", "Armenian"}, {"basque", "Basque"},       {"catalan", "Catalan"},
      {"danish", "Danish"},     {"dutch", "Dutch"},         {"porter2", "English"},
      {"finnish", "Finnish"},   {"french", "French"},       {"german", "German"},
      {"german2", "German2"},   {"hungarian", "Hungarian"}, {"irish", "Irish"},
      {"italian", "Italian"},   {"lithuanian", "Lithuanian"}, {"norwegian", "Norwegian"},
      {"portuguese", "Portuguese"}, {"romanian", "Romanian"}, {"russian", "Russian"},
      {"spanish", "Spanish"},   {"swedish", "Swedish"},     {"turkish", "Turkish"},
  };
  const std::string key = lower_ascii(language);
  if (auto it = lucene.find(key); it != lucene.end()) {
    return std::shared_ptr<const TokenFilter>(std::make_shared<CharStemFilter>(it->second.first, it->second.second));
  }
  if (auto it = snowball.find(key); it != snowball.end()) return snowball_by_class(it->second);
  static const std::set<std::string, std::less<>> missing = {
      "brazilian", "dutch_kp", "dutchkp", "kp", "lovins", "estonian", "light_finish", "lightfinish", "light_finnish", "lightfinnish",
      "galician", "minimal_galician", "greek", "light_hungarian", "lighthungarian",
      "light_norwegian", "lightnorwegian", "minimal_norwegian", "minimalnorwegian", "light_nynorsk", "lightnynorsk",
      "minimal_nynorsk", "minimalnynorsk", "persian", "minimal_portuguese", "minimalportuguese", "portuguese_rslp",
      "serbian", "spanish_plural"};
  if (missing.count(key) > 0) {
    return invalid_argument("stemmer language [" + language + "] is not supported yet");
  }
  // Anything else names a Snowball class, as Lucene's SnowballFilter(stream, name) looks it up.
  return snowball_by_class(capitalize(language));
}

// A list-valued setting reads as Java's List.toString ("[a, b]"), as Settings.get returns it.
std::string setting_string(const ComponentSettings& s, std::string_view key, std::string_view fallback) {
  if (auto v = s.get(key)) return *v;
  if (auto list = s.get_list(key)) {
    std::string out = "[";
    for (size_t i = 0; i < list->size(); ++i) out += (i ? ", " : "") + (*list)[i];
    return out + "]";
  }
  return std::string(fallback);
}

}  // namespace

void register_stemmers(ComponentTypes* types) {
  types->filters["stemmer"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const TokenFilter>> {
    return stemmer_for(capitalize(setting_string(s, "language", setting_string(s, "name", "porter"))));
  };
  types->filters["snowball"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const TokenFilter>> {
    return snowball_by_class(capitalize(setting_string(s, "language", setting_string(s, "name", "English"))));
  };
  types->filters["porter_stem"] = [](const ComponentSettings&) -> Result<std::shared_ptr<const TokenFilter>> {
    return std::shared_ptr<const TokenFilter>(std::make_shared<CharStemFilter>(&stem::porter, true));
  };
  types->filters["kstem"] = [](const ComponentSettings&) -> Result<std::shared_ptr<const TokenFilter>> {
    return std::shared_ptr<const TokenFilter>(std::make_shared<CharStemFilter>(&stem::kstem, true));
  };
  types->filters["german_normalization"] = [](const ComponentSettings&) -> Result<std::shared_ptr<const TokenFilter>> {
    return std::shared_ptr<const TokenFilter>(std::make_shared<CharStemFilter>(&stem::german_normalize, false, true));
  };
}

}  // namespace sift::analysis
