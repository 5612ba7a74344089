// Lucene's Sorani and Bengali normalizers and stemmers (declared in light_stemmers.h), written from
// the algorithms' descriptions (Lucene 8.7's ckb package: Arabic-script Sorani Kurdish spelled the
// standard way, then the postpositions, possessives, (in)definite singular/plural and
// demonstrative endings taken off with a minimum length left; its bn package: see below), and
// checked word for word against Lucene 8.7 (LangOracle `stem`). All work on UTF-16 units like
// Lucene's char[] versions.
#include <unicode/uchar.h>

#include <string_view>

#include "analyzers/light_stemmers.h"

namespace sift::analysis::stem {
namespace {

using S = std::u16string;
using V = std::u16string_view;

bool ends_with(const S& s, size_t len, V suffix) {
  return len >= suffix.size() && V(s).substr(len - suffix.size(), suffix.size()) == suffix;
}

// Java's Character.getType(char) == FORMAT for one UTF-16 unit (surrogates are not).
bool is_format_unit(char16_t c) {
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  return u_charType(static_cast<UChar32>(c)) == U_FORMAT_CHAR;
}

}  // namespace

// --- Sorani ---

void sorani_normalize(S* w) {
  constexpr char16_t kYeh = u'\u064A', kDotlessYeh = u'\u0649', kFarsiYeh = u'\u06CC';
  constexpr char16_t kKaf = u'\u0643', kKeheh = u'\u06A9';
  constexpr char16_t kHeh = u'\u0647', kAe = u'\u06D5', kZwnj = u'\u200C';
  constexpr char16_t kTehMarbuta = u'\u0629', kHehDoachashmee = u'\u06BE';
  constexpr char16_t kReh = u'\u0631', kRreh = u'\u0695', kRrehAbove = u'\u0692';
  S& s = *w;
  for (size_t i = 0; i < s.size();) {
    const char16_t c = s[i];
    bool erase = false;
    switch (c) {
      case kYeh: case kDotlessYeh: s[i] = kFarsiYeh; break;
      case kKaf: s[i] = kKeheh; break;
      case kZwnj:  // a heh before a zero-width non-joiner is the letter ae; the joiner goes
        if (i > 0 && s[i - 1] == kHeh) s[i - 1] = kAe;
        erase = true;
        break;
      case kHeh:
        if (i + 1 == s.size()) s[i] = kAe;  // final heh
        break;
      case kTehMarbuta: s[i] = kAe; break;
      case kHehDoachashmee: s[i] = kHeh; break;
      case kReh:
        if (i == 0) s[i] = kRreh;  // initial reh
        break;
      case kRrehAbove: s[i] = kRreh; break;
      case u'\u0640':  // tatweel and the short vowels, tanween, shadda and sukun
      case u'\u064B': case u'\u064C': case u'\u064D': case u'\u064E':
      case u'\u064F': case u'\u0650': case u'\u0651': case u'\u0652':
        erase = true;
        break;
      default:
        erase = is_format_unit(c);
        break;
    }
    if (erase) {
      s.erase(i, 1);
    } else {
      ++i;
    }
  }
}

void sorani_stem(S* w) {
  S& s = *w;
  size_t len = s.size();
  auto ends = [&](V suffix) { return ends_with(s, len, suffix); };
  // Postpositions.
  if (len > 5 && ends(u"\u062F\u0627")) {  // -da
    len -= 2;
  } else if (len > 4 && ends(u"\u0646\u0627")) {  // -na: only the a goes
    len -= 1;
  } else if (len > 6 && ends(u"\u06D5\u0648\u06D5")) {  // -ewe
    len -= 3;
  }
  // Possessive pronouns.
  if (len > 6 && (ends(u"\u0645\u0627\u0646") || ends(u"\u06CC\u0627\u0646") || ends(u"\u062A\u0627\u0646"))) {
    len -= 3;
  }
  // Then one of the (in)definite, plural and demonstrative endings.
  struct Ending {
    size_t min_len;  // the word must be longer than this
    V suffix;
    size_t remove;
  };
  static constexpr Ending kEndings[] = {
      {6, u"\u06CE\u06A9\u06CC", 3},        // indefinite singular ezafe
      {7, u"\u06CC\u06D5\u06A9\u06CC", 4},
      {5, u"\u06CE\u06A9", 2},              // indefinite singular
      {6, u"\u06CC\u06D5\u06A9", 3},
      {6, u"\u06D5\u06A9\u06D5", 3},        // definite singular
      {5, u"\u06A9\u06D5", 2},
      {7, u"\u06D5\u06A9\u0627\u0646", 4},  // definite plural
      {6, u"\u06A9\u0627\u0646", 3},
      {7, u"\u06CC\u0627\u0646\u06CC", 4},  // indefinite plural ezafe
      {6, u"\u0627\u0646\u06CC", 3},
      {6, u"\u06CC\u0627\u0646", 3},        // indefinite plural
      {5, u"\u0627\u0646", 2},
      {7, u"\u06CC\u0627\u0646\u06D5", 4},  // demonstrative plural
      {6, u"\u0627\u0646\u06D5", 3},
      {5, u"\u0627\u06CC\u06D5", 2},        // demonstrative singular
      {5, u"\u06D5\u06CC\u06D5", 2},
      {4, u"\u06D5", 1},
      {4, u"\u06CC", 1},                    // absolute singular ezafe
  };
  for (const Ending& e : kEndings) {
    if (len > e.min_len && ends(e.suffix)) {
      len -= e.remove;
      break;
    }
  }
  s.resize(len);
}

}  // namespace sift::analysis::stem

namespace sift::analysis::stem {

// --- Bengali ---

namespace {

// Java's StemmerUtil.delete: the unit at i goes.
void erase_at(S* s, size_t i) { s->erase(i, 1); }

}  // namespace

// BengaliNormalizationFilter: spelling variants of Bengali written one way (after Lucene's
// BengaliNormalizer, from "A Light Weight Stemmer for Bengali" by Md Zahurul Islam et al.):
// chandrabindu dropped, long vowel signs i/u as short ones, k + virama + ssa (khio) as kha, nga as
// anusvara, the ya-phala and ba-phala conjuncts reduced, visarga resolved, the three sibilants as
// sa, nna as na, rra/rha as ra and khanda ta as ta.
void bengali_normalize(S* w) {
  S& s = *w;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t len = s.size();
    switch (s[i]) {
      case u'\u0981':  // chandrabindu
        erase_at(&s, i);
        --i;
        break;
      case u'\u09C0': s[i] = u'\u09BF'; break;  // dirgho i-kar -> rossho i-kar
      case u'\u09C2': s[i] = u'\u09C1'; break;  // dirgho u-kar -> rossho u-kar
      case u'\u0995':  // khio: ka + virama + ssa
        if (i + 2 < len && s[i + 1] == u'\u09CD' && s[i + 2] == u'\u09BF') {
          if (i == 0) {
            s[i] = u'\u0996';
            erase_at(&s, i + 2);
            erase_at(&s, i + 1);
          } else {
            s[i + 1] = u'\u0996';
            erase_at(&s, i + 2);
          }
        }
        break;
      case u'\u0999': s[i] = u'\u0982'; break;  // nga -> anusvara
      case u'\u09AF':  // ya-phala
        if (i == 2 && s[i - 1] == u'\u09CD') {
          s[i - 1] = u'\u09C7';
          if (i + 1 < len && s[i + 1] == u'\u09BE') erase_at(&s, i + 1);
          erase_at(&s, i);
          --i;
        } else if (i >= 1 && s[i - 1] == u'\u09CD') {
          erase_at(&s, i);
          erase_at(&s, i - 1);
          i -= 2;
        }
        break;
      case u'\u09AC':  // ba-phala
        if ((i >= 1 && s[i - 1] != u'\u09CD') || i == 0) break;
        if (i == 2) {
          erase_at(&s, i);
          erase_at(&s, i - 1);
          i -= 2;
        } else if (i >= 5 && s[i - 3] == u'\u09CD') {
          erase_at(&s, i);
          erase_at(&s, i - 1);
          i -= 2;
        } else if (i >= 2) {
          s[i - 1] = s[i - 2];
          erase_at(&s, i);
          --i;
        }
        break;
      case u'\u0983':  // visarga
        if (i + 1 == len) {
          if (len <= 3) {
            s[i] = u'\u09B9';
          } else {
            erase_at(&s, i);
          }
        } else {
          s[i] = s[i + 1];
        }
        break;
      case u'\u09B6': case u'\u09B7': s[i] = u'\u09B8'; break;  // sha, ssa -> sa
      case u'\u09A3': s[i] = u'\u09A8'; break;                  // nna -> na
      case u'\u09DC': case u'\u09DD': s[i] = u'\u09B0'; break;  // rra, rha -> ra
      case u'\u09CE': s[i] = u'\u09A4'; break;                  // khanda ta -> ta
      default: break;
    }
  }
}

// BengaliStemFilter: the longest of Lucene's inflectional suffixes goes (verb endings, case and
// plural markers, classifiers), as long as more than one unit would be left besides it.
void bengali_stem(S* w) {
  S& s = *w;
  static constexpr V kSuffixes[] = {
      // 8 units
      u"িয়াছিলাম", u"িতেছিলাম", u"িতেছিলেন", u"ইতেছিলেন", u"িয়াছিলেন", u"ইয়াছিলেন",
      // 7
      u"িতেছিলি", u"িতেছিলে", u"িয়াছিলা", u"িয়াছিলে", u"িতেছিলা", u"িয়াছিলি", u"য়েদেরকে",
      // 6
      u"িতেছিস", u"িতেছেন", u"িয়াছিস", u"িয়াছেন", u"েছিলাম", u"েছিলেন", u"েদেরকে",
      // 5
      u"িতেছি", u"িতেছা", u"িতেছে", u"ছিলাম", u"ছিলেন", u"িয়াছি", u"িয়াছা", u"িয়াছে", u"েছিলে", u"েছিলা",
      u"য়েদের", u"দেরকে",
      // 4
      u"িলাম", u"িলেন", u"িতাম", u"িতেন", u"িবেন", u"ছিলি", u"ছিলে", u"ছিলা", u"তেছে", u"িতেছ", u"খানা", u"খানি",
      u"গুলো", u"গুলি", u"য়েরা", u"েদের",
      // 3
      u"লাম", u"িলি", u"ইলি", u"িলে", u"ইলে", u"লেন", u"িলা", u"ইলা", u"তাম", u"িতি", u"ইতি", u"িতে", u"ইতে", u"তেন",
      u"িতা", u"িবা", u"ইবা", u"িবি", u"ইবি", u"বেন", u"িবে", u"ইবে", u"ছেন", u"য়োন", u"য়ের", u"েরা", u"দের",
      // 2
      u"িস", u"েন", u"লি", u"লে", u"লা", u"তি", u"তে", u"তা", u"বি", u"বে", u"বা", u"ছি", u"ছা", u"ছে", u"ুন", u"ুক",
      u"টা", u"টি", u"নি", u"ের", u"রা", u"কে",
      // 1
      u"ি", u"ী", u"া", u"ো", u"ে", u"ব", u"ত"};
  for (V x : kSuffixes) {
    if (s.size() > x.size() + 1 && ends_with(s, s.size(), x)) {
      s.resize(s.size() - x.size());
      return;
    }
  }
}

}  // namespace sift::analysis::stem
