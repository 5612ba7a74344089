// More of Lucene's own stemmers and normalizers (declared in light_stemmers.h), written from the
// algorithms' descriptions as Lucene 8.7 documents them: Arabic (light stemming after Larkey,
// Ballesteros & Connell, and the orthographic normalization Lucene applies before it), Persian
// normalization, Hindi normalization and stemming (Larkey et al.; Ramanathan & Rao's suffixes),
// Indic normalization (its compositions, probed from Lucene: indic_normalization.inc), Bulgarian
// (Nakov's BulStem light rules), Czech (Dolamic & Savoy's light stemmer), Latvian (Kreslins'
// light stemmer), Indonesian (Tala's algorithm). All work on UTF-16 units like Lucene's char[]
// versions, and were checked word for word against Lucene 8.7 (LangOracle `stem`).
#include <initializer_list>
#include <string_view>

#include "analyzers/light_stemmers.h"

namespace sift::analysis::stem {
namespace {

using S = std::u16string;
using V = std::u16string_view;

bool ends_with(const S& s, size_t len, V suffix) {
  return len >= suffix.size() && V(s).substr(len - suffix.size(), suffix.size()) == suffix;
}

bool ends_any(const S& s, size_t len, std::initializer_list<V> suffixes) {
  for (V x : suffixes) {
    if (ends_with(s, len, x)) return true;
  }
  return false;
}

bool starts_with(const S& s, size_t len, V prefix) {
  return len >= prefix.size() && V(s).substr(0, prefix.size()) == prefix;
}

}  // namespace

// --- Arabic ---

void arabic_normalize(S* w) {
  S& s = *w;
  size_t out = 0;
  for (char16_t c : s) {
    switch (c) {
      case u'\u0622': case u'\u0623': case u'\u0625': c = u'\u0627'; break;  // alef with madda / hamza -> alef
      case u'\u0649': c = u'\u064A'; break;                                 // dotless yeh -> yeh
      case u'\u0629': c = u'\u0647'; break;                                 // teh marbuta -> heh
      case u'\u0640':                                                         // tatweel
      case u'\u064B': case u'\u064C': case u'\u064D': case u'\u064E':       // tanween, short vowels
      case u'\u064F': case u'\u0650': case u'\u0651': case u'\u0652':       // shadda, sukun
        continue;
      default: break;
    }
    s[out++] = c;
  }
  s.resize(out);
}

void arabic_stem(S* w) {
  S& s = *w;
  // One prefix: the definite article (alone or after wa-, bi-, ka-, fa-), lil-, or wa-; the word
  // keeps at least two letters (three after wa-).
  static constexpr V kPrefixes[] = {u"\u0627\u0644", u"\u0648\u0627\u0644", u"\u0628\u0627\u0644", u"\u0643\u0627\u0644",
                                     u"\u0641\u0627\u0644", u"\u0644\u0644", u"\u0648"};
  for (V p : kPrefixes) {
    const bool long_enough = p.size() == 1 ? s.size() >= 4 : s.size() >= p.size() + 2;
    if (long_enough && starts_with(s, s.size(), p)) {
      s.erase(0, p.size());
      break;
    }
  }
  // Then each suffix in turn, as long as two letters remain.
  static constexpr V kSuffixes[] = {u"\u0647\u0627", u"\u0627\u0646", u"\u0627\u062A", u"\u0648\u0646",
                                     u"\u064A\u0646", u"\u064A\u0647", u"\u064A\u0629", u"\u0647",
                                     u"\u0629",       u"\u064A"};
  for (V x : kSuffixes) {
    if (s.size() >= x.size() + 2 && ends_with(s, s.size(), x)) s.resize(s.size() - x.size());
  }
}

// --- Persian ---

void persian_normalize(S* w) {
  S& s = *w;
  size_t out = 0;
  for (char16_t c : s) {
    switch (c) {
      case u'\u06CC': case u'\u06D2': c = u'\u064A'; break;  // farsi yeh, yeh barree -> yeh
      case u'\u06A9': c = u'\u0643'; break;                 // keheh -> kaf
      case u'\u06C0': case u'\u06C1': c = u'\u0647'; break;  // heh with yeh above, heh goal -> heh
      case u'\u0654': continue;                             // hamza above
      default: break;
    }
    s[out++] = c;
  }
  s.resize(out);
}

// --- Indic scripts ---

namespace {

struct IndicComposition {
  char16_t base;  // the script's block
  int first, second, third;  // offsets into the block; third -1: none, 0xFF: a zero-width joiner
  int result;
};

constexpr IndicComposition kIndic[] = {
#include "analyzers/indic_normalization.inc"
};

char16_t indic_block(char16_t c) {
  return c >= 0x0900 && c < 0x0D80 ? static_cast<char16_t>(c & 0xFF80) : 0;
}

}  // namespace

// IndicNormalizationFilter: in the nine scripts of Unicode 5.2's chapter 6 (Devanagari .. Malayalam),
// a vowel written as a letter plus signs (and a few other multi-character spellings) becomes the
// precomposed character; the signs must be in the same block (a final ZWJ may be part of one).
void indic_normalize(S* w) {
  S& s = *w;
  for (size_t i = 0; i < s.size(); ++i) {
    const char16_t block = indic_block(s[i]);
    if (block == 0 || i + 1 >= s.size() || indic_block(s[i + 1]) != block) continue;
    const int a = s[i] - block;
    const int b = s[i + 1] - block;
    int c = -1;
    if (i + 2 < s.size()) {
      if (s[i + 2] == u'\u200D') {
        c = 0xFF;
      } else if (indic_block(s[i + 2]) == block) {
        c = s[i + 2] - block;
      }
    }
    const IndicComposition* pair = nullptr;
    const IndicComposition* triple = nullptr;
    for (const IndicComposition& e : kIndic) {
      if (e.base != block || e.first != a || e.second != b) continue;
      if (e.third == -1 && pair == nullptr) pair = &e;
      if (e.third != -1 && e.third == c) triple = &e;
    }
    if (triple != nullptr) {
      s[i] = static_cast<char16_t>(block + triple->result);
      s.erase(i + 1, 2);
    } else if (pair != nullptr) {
      s[i] = static_cast<char16_t>(block + pair->result);
      s.erase(i + 1, 1);
    }
  }
}

// --- Hindi ---

void hindi_normalize(S* w) {
  S& s = *w;
  S out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char16_t c = s[i];
    switch (c) {
      case u'\u0928':  // dead n (na + virama) -> anusvara
        if (i + 1 < s.size() && s[i + 1] == u'\u094D') {
          c = u'\u0902';
          ++i;
        }
        break;
      case u'\u0901': c = u'\u0902'; break;  // candrabindu -> anusvara
      case u'\u093C':                       // nukta
      case u'\u200D': case u'\u200C':       // zero-width joiners
      case u'\u094D':                       // virama
        continue;
      case u'\u0929': c = u'\u0928'; break;  // letters with nukta -> without
      case u'\u0931': c = u'\u0930'; break;
      case u'\u0934': c = u'\u0933'; break;
      case u'\u0958': c = u'\u0915'; break;
      case u'\u0959': c = u'\u0916'; break;
      case u'\u095A': c = u'\u0917'; break;
      case u'\u095B': c = u'\u091C'; break;
      case u'\u095C': c = u'\u0921'; break;
      case u'\u095D': c = u'\u0922'; break;
      case u'\u095E': c = u'\u092B'; break;
      case u'\u095F': c = u'\u092F'; break;
      case u'\u0945': case u'\u0946': c = u'\u0947'; break;  // chandra / short vowel signs -> long
      case u'\u0949': case u'\u094A': c = u'\u094B'; break;
      case u'\u090D': case u'\u090E': c = u'\u090F'; break;
      case u'\u0911': case u'\u0912': c = u'\u0913'; break;
      case u'\u0972': c = u'\u0905'; break;
      case u'\u0906': c = u'\u0905'; break;  // long independent vowels -> short
      case u'\u0908': c = u'\u0907'; break;
      case u'\u090A': c = u'\u0909'; break;
      case u'\u0960': c = u'\u090B'; break;
      case u'\u0961': c = u'\u090C'; break;
      case u'\u0910': c = u'\u090F'; break;
      case u'\u0914': c = u'\u0913'; break;
      case u'\u0940': c = u'\u093F'; break;  // long dependent vowels -> short
      case u'\u0942': c = u'\u0941'; break;
      case u'\u0944': c = u'\u0943'; break;
      case u'\u0963': c = u'\u0962'; break;
      case u'\u0948': c = u'\u0947'; break;
      case u'\u094C': c = u'\u094B'; break;
      default: break;
    }
    out.push_back(c);
  }
  s = std::move(out);
}

void hindi_stem(S* w) {
  S& s = *w;
  const size_t len = s.size();
  auto cut = [&](size_t n) { s.resize(len - n); };
  if (len > 6 && ends_any(s, len, {u"ाएंगी", u"ाएंगे", u"ाऊंगी", u"ाऊंगा", u"ाइयाँ", u"ाइयों", u"ाइयां"})) return cut(5);
  if (len > 5 && ends_any(s, len, {u"ाएगी", u"ाएगा", u"ाओगी", u"ाओगे", u"एंगी", u"ेंगी", u"एंगे", u"ेंगे", u"ूंगी", u"ूंगा",
                                   u"ातीं", u"नाओं", u"नाएं", u"ताओं", u"ताएं", u"ियाँ", u"ियों", u"ियां"})) {
    return cut(4);
  }
  if (len > 4 && ends_any(s, len, {u"ाकर", u"ाइए", u"ाईं", u"ाया", u"ेगी", u"ेगा", u"ोगी", u"ोगे", u"ाने", u"ाना", u"ाते",
                                   u"ाती", u"ाता", u"तीं", u"ाओं", u"ाएं", u"ुओं", u"ुएं", u"ुआं"})) {
    return cut(3);
  }
  if (len > 3 && ends_any(s, len, {u"कर", u"ाओ", u"िए", u"ाई", u"ाए", u"ने", u"नी", u"ना", u"ते", u"ीं", u"ती", u"ता", u"ाँ",
                                   u"ां", u"ों", u"ें"})) {
    return cut(2);
  }
  if (len > 2 && ends_any(s, len, {u"ो", u"े", u"ू", u"ु", u"ी", u"ि", u"ा"})) return cut(1);
}

// --- Bulgarian ---

namespace {

size_t bulgarian_article(const S& s, size_t len) {
  if (len > 6 && ends_with(s, len, u"ият")) return len - 3;
  if (len > 5 && ends_any(s, len, {u"ът", u"то", u"те", u"та", u"ия"})) return len - 2;
  if (len > 4 && ends_with(s, len, u"ят")) return len - 2;
  return len;
}

size_t bulgarian_plural(S& s, size_t len) {
  if (len > 6) {
    if (ends_with(s, len, u"овци")) return len - 3;  // -овци -> -о
    if (ends_with(s, len, u"ове")) return len - 3;
    if (ends_with(s, len, u"еве")) {
      s[len - 3] = u'й';
      return len - 2;
    }
  }
  if (len > 5) {
    if (ends_with(s, len, u"ища")) return len - 3;
    if (ends_with(s, len, u"та")) return len - 2;
    if (ends_with(s, len, u"ци")) {
      s[len - 2] = u'к';
      return len - 1;
    }
    if (ends_with(s, len, u"зи")) {
      s[len - 2] = u'г';
      return len - 1;
    }
    if (s[len - 3] == u'е' && s[len - 1] == u'и') {
      s[len - 3] = u'я';
      return len - 1;
    }
  }
  if (len > 4) {
    if (ends_with(s, len, u"си")) {
      s[len - 2] = u'х';
      return len - 1;
    }
    if (ends_with(s, len, u"и")) return len - 1;
  }
  return len;
}

}  // namespace

void bulgarian_stem(S* w) {
  S& s = *w;
  size_t len = s.size();
  if (len < 4) return;
  if (len > 5 && ends_with(s, len, u"ища")) {
    s.resize(len - 3);
    return;
  }
  len = bulgarian_article(s, len);
  len = bulgarian_plural(s, len);
  if (len > 3) {
    if (ends_with(s, len, u"я")) --len;
    if (ends_any(s, len, {u"а", u"о", u"е"})) --len;
  }
  if (len > 4 && ends_with(s, len, u"ен")) {  // -ен -> -н
    s[len - 2] = u'н';
    --len;
  }
  if (len > 5 && s[len - 2] == u'ъ') {  // -ъX -> -X
    s[len - 2] = s[len - 1];
    --len;
  }
  s.resize(len);
}

// --- Czech ---

void czech_stem(S* w) {
  S& s = *w;
  size_t len = s.size();
  // Case endings.
  if (len > 7 && ends_with(s, len, u"atech")) {
    len -= 5;
  } else if (len > 6 && ends_any(s, len, {u"ětem", u"etem", u"atům"})) {
    len -= 4;
  } else if (len > 5 && ends_any(s, len, {u"ech", u"ich", u"ích", u"ého", u"ěmi", u"emi", u"ému", u"ěte", u"ete", u"ěti",
                                          u"eti", u"ího", u"iho", u"ími", u"ímu", u"imu", u"ách", u"ata", u"aty", u"ých",
                                          u"ama", u"ami", u"ové", u"ovi", u"ými"})) {
    len -= 3;
  } else if (len > 4 && ends_any(s, len, {u"em", u"es", u"ém", u"ím", u"ům", u"at", u"ám", u"os", u"us", u"ým", u"mi",
                                          u"ou"})) {
    len -= 2;
  } else if (len > 3 && V(u"aeiouůyáéíýě").find(s[len - 1]) != V::npos) {
    len -= 1;
  }
  // Possessives.
  if (len > 5 && ends_any(s, len, {u"ov", u"in", u"ův"})) len -= 2;
  // Normalization of the final consonants.
  if (len > 0) {
    if (ends_with(s, len, u"čt")) {
      s[len - 2] = u'c';
      s[len - 1] = u'k';
    } else if (ends_with(s, len, u"št")) {
      s[len - 2] = u's';
      s[len - 1] = u'k';
    } else if (s[len - 1] == u'c' || s[len - 1] == u'č') {
      s[len - 1] = u'k';
    } else if (s[len - 1] == u'z' || s[len - 1] == u'ž') {
      s[len - 1] = u'h';
    } else if (len > 1 && s[len - 2] == u'e') {
      s[len - 2] = s[len - 1];
      --len;
    } else if (len > 2 && s[len - 2] == u'ů') {
      s[len - 2] = u'o';
    }
  }
  s.resize(len);
}

// --- Latvian ---

namespace {

struct LatvianAffix {
  V affix;
  int vowels;  // the word must have more vowels than this
  bool palatalizes;
};

size_t latvian_unpalatalize(S& s, size_t len) {
  if (s[len] == u'u') {  // the removed -u: genitive plurals, where these do not apply
    if (ends_with(s, len, u"kš")) {
      ++len;
      s[len - 2] = u's';
      s[len - 1] = u't';
      return len;
    }
    if (ends_with(s, len, u"ņņ")) {
      s[len - 2] = u'n';
      s[len - 1] = u'n';
      return len;
    }
  }
  if (ends_any(s, len, {u"pj", u"bj", u"mj", u"vj"})) return len - 1;  // labials
  static constexpr std::pair<V, V> kPairs[] = {{u"šņ", u"sn"}, {u"žņ", u"zn"}, {u"šļ", u"sl"},
                                               {u"žļ", u"zl"}, {u"ļņ", u"ln"}, {u"ļļ", u"ll"}};
  for (const auto& [from, to] : kPairs) {
    if (ends_with(s, len, from)) {
      s[len - 2] = to[0];
      s[len - 1] = to[1];
      return len;
    }
  }
  if (s[len - 1] == u'č') {
    s[len - 1] = u'c';
  } else if (s[len - 1] == u'ļ') {
    s[len - 1] = u'l';
  } else if (s[len - 1] == u'ņ') {
    s[len - 1] = u'n';
  }
  return len;
}

}  // namespace

void latvian_stem(S* w) {
  static const LatvianAffix kAffixes[] = {
      {u"ajiem", 3, false}, {u"ajai", 3, false}, {u"ajam", 2, false}, {u"ajām", 2, false}, {u"ajos", 2, false},
      {u"ajās", 2, false},  {u"iem", 2, true},   {u"ajā", 2, false},  {u"ais", 2, false},  {u"ai", 2, false},
      {u"ei", 2, false},    {u"ām", 1, false},   {u"am", 1, false},   {u"ēm", 1, false},   {u"īm", 1, false},
      {u"im", 1, false},    {u"um", 1, false},   {u"us", 1, true},    {u"as", 1, false},   {u"ās", 1, false},
      {u"es", 1, false},    {u"os", 1, true},    {u"ij", 1, false},   {u"īs", 1, false},   {u"ēs", 1, false},
      {u"is", 1, false},    {u"ie", 1, false},   {u"u", 1, true},     {u"a", 1, true},     {u"i", 1, true},
      {u"e", 1, false},     {u"ā", 1, false},    {u"ē", 1, false},    {u"ī", 1, false},    {u"ū", 1, false},
      {u"o", 1, false},     {u"s", 0, false},    {u"š", 0, false},
  };
  S& s = *w;
  int vowels = 0;
  for (char16_t c : s) vowels += V(u"aeiouāīēū").find(c) != V::npos ? 1 : 0;
  const size_t len = s.size();
  for (const LatvianAffix& a : kAffixes) {
    if (vowels > a.vowels && len >= a.affix.size() + 3 && ends_with(s, len, a.affix)) {
      size_t n = len - a.affix.size();
      if (a.palatalizes) n = latvian_unpalatalize(s, n);
      s.resize(n);
      return;
    }
  }
}

// --- Indonesian ---

namespace {

class Indonesian {
 public:
  explicit Indonesian(S* s) : s_(*s) {}

  void run(bool derivational) {
    for (char16_t c : s_) syllables_ += vowel(c) ? 1 : 0;
    if (syllables_ > 2) particle();
    if (syllables_ > 2) possessive();
    if (derivational) derive();
  }

 private:
  enum : int { kMeng = 1, kDi = 2, kTer = 4, kKe = 8, kPeng = 16, kBer = 32, kPe = 64 };

  static bool vowel(char16_t c) { return c == u'a' || c == u'e' || c == u'i' || c == u'o' || c == u'u'; }
  bool starts(V p) const { return starts_with(s_, s_.size(), p); }
  bool ends(V x) const { return ends_with(s_, s_.size(), x); }
  void drop_front(size_t n, int flag) {
    flags_ |= flag;
    --syllables_;
    s_.erase(0, n);
  }
  void drop_back(size_t n) {
    --syllables_;
    s_.resize(s_.size() - n);
  }

  void particle() {
    if (ends(u"kah") || ends(u"lah") || ends(u"pun")) drop_back(3);
  }
  void possessive() {
    if (ends(u"ku") || ends(u"mu")) {
      drop_back(2);
    } else if (ends(u"nya")) {
      drop_back(3);
    }
  }
  bool first_order_prefix() {
    const size_t n = s_.size();
    if (starts(u"meng")) return drop_front(4, kMeng), true;
    if (starts(u"meny") && n > 4 && vowel(s_[4])) return s_[3] = u's', drop_front(3, kMeng), true;
    if (starts(u"men")) return drop_front(3, kMeng), true;
    if (starts(u"mem")) return drop_front(3, kMeng), true;
    if (starts(u"me")) return drop_front(2, kMeng), true;
    if (starts(u"peng")) return drop_front(4, kPeng), true;
    if (starts(u"peny") && n > 4 && vowel(s_[4])) return s_[3] = u's', drop_front(3, kPeng), true;
    if (starts(u"peny")) return drop_front(4, kPeng), true;
    if (starts(u"pen") && n > 3 && vowel(s_[3])) return s_[2] = u't', drop_front(2, kPeng), true;
    if (starts(u"pen")) return drop_front(3, kPeng), true;
    if (starts(u"pem")) return drop_front(3, kPeng), true;
    if (starts(u"di")) return drop_front(2, kDi), true;
    if (starts(u"ter")) return drop_front(3, kTer), true;
    if (starts(u"ke")) return drop_front(2, kKe), true;
    return false;
  }
  bool second_order_prefix() {
    const size_t n = s_.size();
    if (starts(u"ber")) return drop_front(3, kBer), true;
    if (n == 7 && starts(u"belajar")) return drop_front(3, kBer), true;
    if (starts(u"be") && n > 4 && !vowel(s_[2]) && s_[3] == u'e' && s_[4] == u'r') return drop_front(2, kBer), true;
    if (starts(u"per")) return drop_front(3, 0), true;
    if (n == 7 && starts(u"pelajar")) return drop_front(3, 0), true;
    if (starts(u"pe")) return drop_front(2, kPe), true;
    return false;
  }
  bool suffix() {
    if (ends(u"kan") && (flags_ & (kKe | kPeng | kPe)) == 0) return drop_back(3), true;
    if (ends(u"an") && (flags_ & (kDi | kMeng | kTer)) == 0) return drop_back(2), true;
    if (ends(u"i") && !ends(u"si") && (flags_ & (kBer | kKe | kPeng)) == 0) return drop_back(1), true;
    return false;
  }
  void derive() {
    if (syllables_ > 2 && first_order_prefix()) {
      if (syllables_ > 2 && suffix() && syllables_ > 2) second_order_prefix();
    } else {
      if (syllables_ > 2) second_order_prefix();
      if (syllables_ > 2) suffix();
    }
  }

  S& s_;
  int syllables_ = 0;
  int flags_ = 0;
};

}  // namespace

void indonesian_stem(S* w) { Indonesian(w).run(true); }

}  // namespace sift::analysis::stem
