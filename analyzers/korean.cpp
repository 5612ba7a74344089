// Korean: the `korean` analyzer and its `korean_particles` token filter (docs/analysis/korean.md).
//
// Korean writes a noun and its particles (josa) as one space-separated word (eojeol): 데이터를,
// 데이터는, 데이터에서. The standard tokenizer (UAX#29) keeps each eojeol whole, so without more a
// search for 데이터 finds none of them. `korean_particles` strips, from the end of each token, one
// particle or predicate ending (longest first, gated by the sound of the syllable before it: 은/이/
// 을/과/으로 follow a consonant, 는/가/를/와/로 a vowel), then one derivational suffix (하다/되다/
// 시키다 forms, plural 들) when a stem of two syllables or more remains. Words that merely end in a
// particle-like syllable (회의, 바다, 결과, 민주주의) are protected by minimum stem lengths and a list
// of common words; the rules and their limits are documented in docs/analysis/korean.md.
//
// The analyzer: standard tokenizer, lowercase (mixed Latin), a small stop list of standalone
// function words (conjunctions, determiners, a few adverbs), korean_particles. No dictionary and no
// extra package.
#include <unicode/uchar.h>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "analyzers/registry.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

// ---- Hangul syllables ------------------------------------------------------------------------------
constexpr char32_t kSBase = 0xAC00;
constexpr char32_t kSLast = 0xD7A3;
bool is_syllable(char32_t c) { return c >= kSBase && c <= kSLast; }
int jong(char32_t c) { return static_cast<int>((c - kSBase) % 28); }   // final consonant, 0: none
int jung(char32_t c) { return static_cast<int>(((c - kSBase) / 28) % 21); }  // vowel
int cho(char32_t c) { return static_cast<int>((c - kSBase) / 588); }  // initial consonant
char32_t compose(int l, int v, int t) { return kSBase + static_cast<char32_t>((l * 21 + v) * 28 + t); }

// Vowel and final consonant indices used by the rules.
enum : int { kA = 0, kAe = 1, kEo = 4, kE = 5, kYeo = 6, kO = 8, kWa = 9, kWae = 10, kOe = 11, kU = 13, kWo = 14, kI = 20 };
enum : int { kFinalN = 4, kFinalL = 8, kFinalB = 17, kFinalSs = 20 };
constexpr int kInitialH = 18;
constexpr char32_t kIss = 0xC788;  // 있

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    if (i + static_cast<size_t>(n) > s.size()) n = 1;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    out.push_back(c);
    i += static_cast<size_t>(n);
  }
  return out;
}

std::string encode(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) append_utf8(c, &out);
  return out;
}

// ---- Rules ------------------------------------------------------------------------------------------
// What the character before a suffix must be. Particles after a non-Hangul character (API를, 2024년에
// is Hangul; SQL은) accept either form: the reading of Latin letters and digits is unknown.
enum class Cond : uint8_t {
  kAny,        // anything
  kConsonant,  // a syllable with a final consonant (은, 이, 을, 과, 으로, 습니다, 는다)
  kVowel,      // a syllable without one (는, 가, 를, 와, 라도)
  kVowelOrL,   // without one, or ending in ㄹ (로, 로서)
  kAeo,        // an open syllable whose vowel contracts 아/어 (해서, 가서, 봐요): ㅏ ㅓ ㅐ ㅔ ㅕ ㅘ ㅝ ㅙ
};

struct Rule {
  std::u32string suffix;
  Cond cond = Cond::kAny;
  uint8_t min_stem = 1;    // characters that must remain (a batchim rule's syllable included)
  bool predicate = false;  // a verb/adjective ending: the stem must end in a Hangul syllable
  int batchim = 0;         // the syllable before `suffix` carries this final consonant (ㅂ니다, ㄴ다,
                           // ㅆ다), which belongs to the ending and is removed from it
};

struct RuleSpec {
  const char* suffix;
  Cond cond;
  uint8_t min_stem;
  bool predicate;
  int batchim;
};

// Particles (josa), alone and in the common combinations, and the copula's forms.
constexpr RuleSpec kParticles[] = {
    // Any preceding sound.
    {"에서부터", Cond::kAny, 1, false, 0}, {"에게서", Cond::kAny, 1, false, 0}, {"한테서", Cond::kAny, 1, false, 0},
    {"에서는", Cond::kAny, 1, false, 0}, {"에서도", Cond::kAny, 1, false, 0}, {"에서의", Cond::kAny, 1, false, 0},
    {"에서만", Cond::kAny, 1, false, 0}, {"에게는", Cond::kAny, 1, false, 0}, {"에게도", Cond::kAny, 1, false, 0},
    {"에게만", Cond::kAny, 1, false, 0}, {"한테는", Cond::kAny, 1, false, 0}, {"한테도", Cond::kAny, 1, false, 0},
    {"께서는", Cond::kAny, 1, false, 0}, {"께서도", Cond::kAny, 1, false, 0}, {"까지는", Cond::kAny, 1, false, 0},
    {"까지도", Cond::kAny, 1, false, 0}, {"까지의", Cond::kAny, 1, false, 0}, {"까지만", Cond::kAny, 1, false, 0},
    {"부터는", Cond::kAny, 1, false, 0}, {"부터도", Cond::kAny, 1, false, 0}, {"부터의", Cond::kAny, 1, false, 0},
    {"보다는", Cond::kAny, 1, false, 0}, {"보다도", Cond::kAny, 1, false, 0}, {"에서", Cond::kAny, 1, false, 0},
    {"에게", Cond::kAny, 1, false, 0}, {"한테", Cond::kAny, 1, false, 0}, {"께서", Cond::kAny, 1, false, 0},
    {"까지", Cond::kAny, 1, false, 0}, {"부터", Cond::kAny, 1, false, 0}, {"처럼", Cond::kAny, 1, false, 0},
    {"마다", Cond::kAny, 1, false, 0}, {"조차", Cond::kAny, 1, false, 0}, {"마저", Cond::kAny, 1, false, 0},
    {"밖에", Cond::kAny, 1, false, 0}, {"만큼", Cond::kAny, 1, false, 0}, {"에는", Cond::kAny, 1, false, 0},
    {"에도", Cond::kAny, 1, false, 0}, {"에만", Cond::kAny, 1, false, 0}, {"에의", Cond::kAny, 1, false, 0},
    {"보다", Cond::kAny, 2, false, 0}, {"하고", Cond::kAny, 2, false, 0}, {"만은", Cond::kAny, 2, false, 0},
    {"만을", Cond::kAny, 2, false, 0}, {"만이", Cond::kAny, 2, false, 0}, {"만의", Cond::kAny, 2, false, 0},
    {"에", Cond::kAny, 1, false, 0}, {"께", Cond::kAny, 2, false, 0}, {"뿐", Cond::kAny, 1, false, 0},
    {"의", Cond::kAny, 2, false, 0}, {"도", Cond::kAny, 2, false, 0}, {"만", Cond::kAny, 2, false, 0},
    // Copula (이다) forms; 이 drops after a vowel in speech but is written either way.
    {"이었습니다", Cond::kAny, 1, false, 0}, {"이었다", Cond::kAny, 1, false, 0}, {"입니다", Cond::kAny, 1, false, 0},
    {"입니까", Cond::kAny, 1, false, 0}, {"이에요", Cond::kConsonant, 1, false, 0}, {"이지만", Cond::kConsonant, 1, false, 0},
    {"이라는", Cond::kConsonant, 1, false, 0}, {"이라고", Cond::kConsonant, 1, false, 0}, {"이다", Cond::kAny, 1, false, 0},
    {"였습니다", Cond::kVowel, 1, false, 0}, {"였다", Cond::kVowel, 1, false, 0}, {"예요", Cond::kVowel, 1, false, 0},
    {"라는", Cond::kVowel, 1, false, 0}, {"라고", Cond::kVowel, 1, false, 0},
    // After a consonant.
    {"으로부터", Cond::kConsonant, 1, false, 0}, {"으로서", Cond::kConsonant, 1, false, 0},
    {"으로써", Cond::kConsonant, 1, false, 0}, {"으로는", Cond::kConsonant, 1, false, 0},
    {"으로도", Cond::kConsonant, 1, false, 0}, {"으로의", Cond::kConsonant, 1, false, 0},
    {"으로만", Cond::kConsonant, 1, false, 0}, {"이라도", Cond::kConsonant, 1, false, 0},
    {"이든지", Cond::kConsonant, 1, false, 0}, {"으로", Cond::kConsonant, 1, false, 0},
    {"이나", Cond::kConsonant, 1, false, 0}, {"이랑", Cond::kConsonant, 1, false, 0}, {"이며", Cond::kConsonant, 1, false, 0},
    {"이야", Cond::kConsonant, 1, false, 0}, {"이란", Cond::kConsonant, 1, false, 0}, {"과는", Cond::kConsonant, 1, false, 0},
    {"과의", Cond::kConsonant, 1, false, 0}, {"과도", Cond::kConsonant, 1, false, 0}, {"은", Cond::kConsonant, 1, false, 0},
    {"이", Cond::kConsonant, 1, false, 0}, {"을", Cond::kConsonant, 1, false, 0}, {"과", Cond::kConsonant, 1, false, 0},
    // After a vowel.
    {"라도", Cond::kVowel, 1, false, 0}, {"든지", Cond::kVowel, 1, false, 0}, {"와는", Cond::kVowel, 1, false, 0},
    {"와의", Cond::kVowel, 1, false, 0}, {"와도", Cond::kVowel, 1, false, 0}, {"는", Cond::kVowel, 1, false, 0},
    {"가", Cond::kVowel, 1, false, 0}, {"를", Cond::kVowel, 1, false, 0}, {"와", Cond::kVowel, 1, false, 0},
    {"나", Cond::kVowel, 2, false, 0}, {"랑", Cond::kVowel, 2, false, 0}, {"며", Cond::kVowel, 1, false, 0},
    {"란", Cond::kVowel, 2, false, 0},
    // After a vowel or ㄹ.
    {"로부터", Cond::kVowelOrL, 1, false, 0}, {"로서", Cond::kVowelOrL, 1, false, 0}, {"로써", Cond::kVowelOrL, 1, false, 0},
    {"로는", Cond::kVowelOrL, 1, false, 0}, {"로도", Cond::kVowelOrL, 1, false, 0}, {"로의", Cond::kVowelOrL, 1, false, 0},
    {"로만", Cond::kVowelOrL, 1, false, 0}, {"로", Cond::kVowelOrL, 1, false, 0},
};

// Verb and adjective endings (eomi) after a Hangul stem. Past ㅆ, formal ㅂ and plain ㄴ fuse
// into the stem's last syllable (했다, 합니다, 한다) and are removed from it.
constexpr RuleSpec kEndings[] = {
    {"었습니다", Cond::kAny, 1, true, 0}, {"았습니다", Cond::kAny, 1, true, 0}, {"였습니다", Cond::kAny, 1, true, 0},
    {"겠습니다", Cond::kAny, 1, true, 0}, {"었어요", Cond::kAny, 1, true, 0}, {"았어요", Cond::kAny, 1, true, 0},
    {"었지만", Cond::kAny, 1, true, 0}, {"았지만", Cond::kAny, 1, true, 0}, {"었는데", Cond::kAny, 1, true, 0},
    {"았는데", Cond::kAny, 1, true, 0}, {"습니다", Cond::kConsonant, 1, true, 0}, {"습니까", Cond::kConsonant, 1, true, 0},
    {"었다", Cond::kAny, 1, true, 0}, {"았다", Cond::kAny, 1, true, 0}, {"었고", Cond::kAny, 1, true, 0},
    {"았고", Cond::kAny, 1, true, 0}, {"었던", Cond::kAny, 1, true, 0}, {"았던", Cond::kAny, 1, true, 0},
    {"겠다", Cond::kAny, 1, true, 0}, {"는다", Cond::kConsonant, 1, true, 0}, {"어요", Cond::kConsonant, 1, true, 0},
    {"아요", Cond::kConsonant, 1, true, 0}, {"어서", Cond::kConsonant, 1, true, 0}, {"아서", Cond::kConsonant, 1, true, 0},
    {"으면", Cond::kConsonant, 1, true, 0}, {"지만", Cond::kAny, 1, true, 0}, {"는데", Cond::kAny, 1, true, 0},
    {"네요", Cond::kAny, 1, true, 0}, {"으면서", Cond::kConsonant, 1, true, 0}, {"면서", Cond::kAny, 1, true, 0},
    {"으세요", Cond::kConsonant, 1, true, 0}, {"세요", Cond::kVowel, 1, true, 0}, {"을까요", Cond::kConsonant, 1, true, 0},
    {"을까", Cond::kConsonant, 1, true, 0}, {"으러", Cond::kConsonant, 1, true, 0}, {"서", Cond::kAeo, 1, true, 0}, {"요", Cond::kAeo, 1, true, 0},
    {"는", Cond::kAny, 1, true, 0}, {"다", Cond::kAny, 1, true, 0},
    // Fused into the stem's last syllable.
    {"습니다", Cond::kAny, 1, true, kFinalSs}, {"어요", Cond::kAny, 1, true, kFinalSs}, {"지만", Cond::kAny, 1, true, kFinalSs},
    {"는데", Cond::kAny, 1, true, kFinalSs}, {"다", Cond::kAny, 1, true, kFinalSs}, {"고", Cond::kAny, 1, true, kFinalSs},
    {"던", Cond::kAny, 1, true, kFinalSs}, {"니다", Cond::kAny, 1, true, kFinalB}, {"니까", Cond::kAny, 1, true, kFinalB},
    {"다", Cond::kAny, 1, true, kFinalN}, {"까요", Cond::kAny, 1, true, kFinalL}, {"까", Cond::kAny, 1, true, kFinalL},
};

// Derivational suffixes removed after the ending when at least two syllables remain: 하다/되다/시키다
// verbs of Sino-Korean and loan nouns (분석하는 -> 분석) and the plural 들 (학생들 -> 학생).
constexpr const char* kDerivations[] = {
    "하여", "하기", "하게", "하지", "하면", "되어", "되기", "되게", "되지", "되면", "시키", "시킨", "시킬", "시켜", "시킴",
    "하", "한", "할", "함", "해", "되", "된", "될", "됨", "돼", "들",
};

// Common words that end in a particle- or ending-like syllable the rules would cut: no rule cuts
// inside one of them when a token begins with it (회의, 결과는 -> 결과, 민주주의를 -> 민주주의). Words
// whose stem would be a single syllable under a two-syllable minimum (정도, 불만) need no entry.
constexpr const char* kProtected[] = {
    // -의
    "민주주의", "자본주의", "사회주의", "공산주의", "개인주의", "자유주의", "현실주의", "이상주의", "보호주의",
    "민족주의", "제국주의", "완벽주의", "채식주의", "국제회의", "정상회의", "무의미",
    // -도
    "경기도", "제주도", "강원도", "충청도", "전라도", "경상도", "신뢰도", "난이도", "만족도", "중요도", "인지도",
    "바나나",
    // -이 (after a consonant)
    "고양이", "원숭이", "어린이", "종이", "놀이", "길이", "높이", "넓이", "깊이", "먹이", "물놀이", "불놀이",
    // -가 (after a vowel)
    "휴가", "화가", "대가", "주가", "시가", "원가", "단가", "주부가", "소설가", "작곡가", "예술가", "사업가", "정치가",
    "평론가", "미식가", "전문가",
    // -과 (after a consonant)
    "결과", "성과", "학과", "통과", "경과", "내과", "일과", "인과", "전과", "연구결과",
    // -로 (after a vowel or ㄹ)
    "도로", "회로", "미로", "피로", "철로", "수로", "과로", "활로", "고로",
    // -다 (bare 다 is also the dictionary ending of verbs and adjectives)
    "바다", "캐나다", "판다", "혼다", "아젠다", "베란다", "플로리다", "네바다", "우간다", "르완다",
    // -을 (after a consonant)
    "마을", "가을", "노을",
    // derivational look-alikes with stems of two syllables or more
    "무제한", "최소한", "최대한", "자연재해", "피해", "이해", "오해", "방해", "손해", "재해", "영하", "이하", "지하",
};

struct CompiledRule {
  std::u32string suffix;
  Cond cond;
  uint8_t min_stem;
  bool predicate;
  int batchim;
  size_t key;  // longest first; a literal rule before a fused one of the same length
};

struct Tables {
  std::vector<CompiledRule> rules;
  std::vector<std::u32string> derivations;
  std::unordered_set<std::u32string> protected_words;
  size_t max_protected = 0;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables out;
    auto add = [&](const RuleSpec& r) {
      std::u32string s = decode(r.suffix);
      const size_t key = 2 * (s.size() + (r.batchim != 0 ? 1 : 0)) + (r.batchim != 0 ? 0 : 1);
      out.rules.push_back({std::move(s), r.cond, r.min_stem, r.predicate, r.batchim, key});
    };
    for (const RuleSpec& r : kParticles) add(r);
    for (const RuleSpec& r : kEndings) add(r);
    std::stable_sort(out.rules.begin(), out.rules.end(),
                     [](const CompiledRule& a, const CompiledRule& b) { return a.key > b.key; });
    for (const char* d : kDerivations) out.derivations.push_back(decode(d));
    std::stable_sort(out.derivations.begin(), out.derivations.end(),
                     [](const std::u32string& a, const std::u32string& b) { return a.size() > b.size(); });
    for (const char* p : kProtected) {
      std::u32string w = decode(p);
      out.max_protected = std::max(out.max_protected, w.size());
      out.protected_words.insert(std::move(w));
    }
    return out;
  }();
  return t;
}

bool ends_with(std::u32string_view s, std::u32string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether cutting `word` at `cut` (keeping word[0, cut)) falls inside a protected word that begins
// `word`: 결과는 keeps 결과 (not 결 + 과는), 고양이가 keeps 고양이.
bool cuts_protected(const Tables& t, std::u32string_view word, size_t cut) {
  for (size_t len = cut + 1; len <= t.max_protected && len <= word.size(); ++len) {
    if (t.protected_words.count(std::u32string(word.substr(0, len))) > 0) return true;
  }
  return false;
}

bool cond_holds(Cond cond, char32_t prev) {
  if (!is_syllable(prev)) return cond != Cond::kAeo;
  const int t = jong(prev);
  switch (cond) {
    case Cond::kAny: return true;
    case Cond::kConsonant: return t != 0;
    case Cond::kVowel: return t == 0;
    case Cond::kVowelOrL: return t == 0 || t == kFinalL;
    case Cond::kAeo: {
      const int v = jung(prev);
      return t == 0 && (v == kA || v == kEo || v == kAe || v == kE || v == kYeo || v == kWa || v == kWo || v == kWae);
    }
  }
  return false;
}

// The stem syllable once a fused past ㅆ is removed: 했 -> 하, 됐 -> 되, 봤 -> 보, 줬 -> 주, 셨 -> 시
// (아/어 contracted into the stem's vowel); 갔, 섰 keep their vowel.
char32_t uncontract(char32_t c) {
  const int l = cho(c);
  int v = jung(c);
  if (v == kAe && l == kInitialH) v = kA;
  else if (v == kWae) v = kOe;
  else if (v == kWa) v = kO;
  else if (v == kWo) v = kU;
  else if (v == kYeo) v = kI;
  return compose(l, v, 0);
}

// Whether `c` may end a stem: a letter or digit of any script (not punctuation left by a tokenizer).
bool stem_char(char32_t c) { return is_syllable(c) || u_isalnum(static_cast<UChar32>(c)); }

// One particle or ending off the end of `w`; false when none applies.
bool strip_suffix(const Tables& t, std::u32string* w) {
  for (const CompiledRule& r : t.rules) {
    if (!ends_with(*w, r.suffix)) continue;
    const size_t cut = w->size() - r.suffix.size();
    if (cut < r.min_stem || cut == 0) continue;
    const char32_t prev = (*w)[cut - 1];
    if (r.batchim != 0) {
      if (!is_syllable(prev) || jong(prev) != r.batchim) continue;
      if (prev == kIss) continue;  // 있 (to be) is a stem, not 이 + past ㅆ
      if (cuts_protected(t, *w, cut)) continue;
      char32_t stem_last = prev - static_cast<char32_t>(r.batchim);
      if (r.batchim == kFinalSs) stem_last = uncontract(prev);
      w->resize(cut);
      w->back() = stem_last;
      return true;
    }
    if (r.predicate && !is_syllable(prev)) continue;
    if (!stem_char(prev) || !cond_holds(r.cond, prev)) continue;
    if (cuts_protected(t, *w, cut)) continue;
    w->resize(cut);
    return true;
  }
  return false;
}

// One derivational suffix (하다/되다/시키다 forms, plural 들) when two syllables or more remain.
bool strip_derivation(const Tables& t, std::u32string* w) {
  for (const std::u32string& d : t.derivations) {
    if (!ends_with(*w, d)) continue;
    const size_t cut = w->size() - d.size();
    if (cut < 2 || !is_syllable((*w)[cut - 1]) || !is_syllable((*w)[cut - 2])) continue;
    if (cuts_protected(t, *w, cut)) continue;
    w->resize(cut);
    return true;
  }
  return false;
}

bool has_hangul(std::string_view term) {
  // Hangul syllables are U+AC00..U+D7A3: lead bytes EA..ED.
  for (char c : term) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0xEA && b <= 0xED) return true;
  }
  return false;
}

// The terms `korean_particles` makes of one term: the stem without its particle or ending, cut
// where Hangul meets other letters or digits (2024년에 -> 2024, 년; API를 -> api).
void korean_pieces(std::string_view term, std::vector<std::string>* out) {
  out->clear();
  const Tables& t = tables();
  std::u32string w = decode(term);
  if (w.empty()) {
    out->emplace_back(term);
    return;
  }
  if (is_syllable(w.back())) {
    strip_suffix(t, &w);
    strip_derivation(t, &w);
  }
  size_t begin = 0;
  for (size_t i = 1; i <= w.size(); ++i) {
    if (i == w.size() || is_syllable(w[i]) != is_syllable(w[i - 1])) {
      out->push_back(encode(std::u32string_view(w).substr(begin, i - begin)));
      begin = i;
    }
  }
}

// The standard tokenizer's type for a piece of a split token.
const char* piece_type(std::string_view piece) {
  if (has_hangul(piece)) return "<HANGUL>";
  return std::all_of(piece.begin(), piece.end(), [](char c) { return c >= '0' && c <= '9'; }) ? "<NUM>" : "<ALPHANUM>";
}

// Strips particles and endings from each token and splits it where Hangul meets other characters
// (later tokens move up a position per added piece). Offsets: when the term still spans its text
// (no char filter changed its length), each piece covers its own characters, so a stem's end drops
// its particle, as nori reports it; otherwise every piece keeps the token's offsets.
class KoreanParticlesFilter final : public TokenFilter {
 public:
  void filter(TokenStream* s) const override {
    std::vector<Token> out;
    out.reserve(s->tokens.size());
    std::vector<std::string> pieces;
    uint32_t extra = 0;          // positions added by splits at earlier positions
    uint32_t group_extra = 0;    // the most a token at the current position added
    uint32_t group_position = 0;
    for (Token& tok : s->tokens) {
      if (tok.position != group_position) {
        extra += group_extra;
        group_extra = 0;
        group_position = tok.position;
      }
      tok.position += extra;
      if (tok.keyword || !has_hangul(tok.term)) {
        out.push_back(std::move(tok));
        continue;
      }
      korean_pieces(tok.term, &pieces);
      const bool spans_text = utf16_length(tok.term) == tok.end_offset - tok.start_offset;
      uint32_t start = tok.start_offset;
      for (size_t i = 0; i < pieces.size(); ++i) {
        Token t = tok;
        t.position = tok.position + static_cast<uint32_t>(i);
        if (spans_text) {
          t.start_offset = start;
          t.end_offset = start + utf16_length(pieces[i]);
          start = t.end_offset;
        }
        if (pieces.size() > 1) t.type = piece_type(pieces[i]);
        t.term = std::move(pieces[i]);
        out.push_back(std::move(t));
      }
      group_extra = std::max(group_extra, static_cast<uint32_t>(pieces.size()) - 1);
    }
    extra += group_extra;
    s->tokens = std::move(out);
    s->end_position += extra;
  }
};

// Standalone words nori's part-of-speech filter removes and that carry no search value:
// conjunctions, determiners, a few degree adverbs. Applied before particle stripping, so 그는
// (he + topic) keeps 그.
constexpr const char* kKoreanStopwords[] = {
    "및", "등", "또는", "혹은", "그리고", "그러나", "하지만", "그런데", "그래서", "따라서", "그러므로", "또한", "즉",
    "이", "그", "저", "이런", "그런", "저런", "모든", "각", "매우", "아주", "너무", "가장", "더", "잘", "또", "다시",
    "이미", "아직", "바로", "곧", "약",
};

}  // namespace

void register_korean(ComponentTypes* types) {
  types->filters["korean_particles"] = [](const ComponentSettings&) -> Result<std::shared_ptr<const TokenFilter>> {
    return std::shared_ptr<const TokenFilter>(std::make_shared<KoreanParticlesFilter>());
  };
  types->analyzers["korean"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Analyzer>> {
    const ComponentTypes& all = ComponentTypes::get();
    auto tokenizer_it = all.tokenizers.find("standard");
    if (tokenizer_it == all.tokenizers.end()) return internal_error("analysis component [standard] is not registered");
    std::map<std::string, std::string> tokenizer_settings{{"type", "standard"}};
    if (auto n = s.get("max_token_length")) tokenizer_settings["max_token_length"] = *n;
    SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const Tokenizer> tokenizer,
                          tokenizer_it->second(ComponentSettings("standard", tokenizer_settings)));
    std::vector<Named<TokenFilter>> filters;
    auto add = [&](const std::string& type, std::map<std::string, std::string> values) -> Status {
      auto it = all.filters.find(type);
      if (it == all.filters.end()) return internal_error("analysis component [" + type + "] is not registered");
      values["type"] = type;
      SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const TokenFilter> f, it->second(ComponentSettings(type, std::move(values))));
      filters.push_back({type, std::move(f)});
      return Status::ok();
    };
    SIFT_RETURN_IF_ERROR(add("lowercase", {}));
    // `stopwords` replaces the built-in list (`_none_` for none), as in the language analyzers.
    std::map<std::string, std::string> stop;
    for (const auto& [k, v] : s.values()) {
      if (k == "stopwords" || k.rfind("stopwords.", 0) == 0) stop[k] = v;
    }
    if (stop.empty()) {
      size_t i = 0;
      for (const char* w : kKoreanStopwords) stop["stopwords." + std::to_string(i++)] = w;
    }
    SIFT_RETURN_IF_ERROR(add("stop", std::move(stop)));
    SIFT_RETURN_IF_ERROR(add("korean_particles", {}));
    return std::shared_ptr<const Analyzer>(std::make_shared<ChainAnalyzer>(
        s.name(), std::vector<Named<CharFilter>>{}, Named<Tokenizer>{"standard", std::move(tokenizer)}, std::move(filters)));
  };
}

}  // namespace sift::analysis
