#include "analyzers/light_stemmers.h"

#include <unicode/uchar.h>

#include <initializer_list>
#include <string_view>

namespace sift::analysis::stem {
namespace {

using S = std::u16string;

bool ends_with(const S& s, size_t len, std::u16string_view suffix) {
  return len >= suffix.size() && std::u16string_view(s).substr(len - suffix.size(), suffix.size()) == suffix;
}

bool ends_with_any(const S& s, size_t len, std::initializer_list<std::u16string_view> suffixes) {
  for (std::u16string_view x : suffixes) {
    if (ends_with(s, len, x)) return true;
  }
  return false;
}

bool is_letter(char16_t c) { return u_isalpha(c) != 0; }  // Java's Character.isLetter(char)

// Porter's algorithm (1980) in the form of his reference implementation, which Lucene follows:
// words of one or two letters are left alone, `bli` -> `ble` and `logi` -> `log` in step 2.
template <typename Str>
class Porter {
 public:
  explicit Porter(Str* s) : b_(*s) {}

  void run() {
    if (b_.size() <= 2) return;
    k_ = static_cast<int>(b_.size()) - 1;
    step1ab();
    step1c();
    step2();
    step3();
    step4();
    step5();
    b_.resize(static_cast<size_t>(k_ + 1));
  }

 private:
  bool cons(int i) const {
    switch (b_[static_cast<size_t>(i)]) {
      case u'a': case u'e': case u'i': case u'o': case u'u': return false;
      case u'y': return i == 0 ? true : !cons(i - 1);
      default: return true;
    }
  }
  // The number of vowel-consonant sequences in b[0..j].
  int m() const {
    int n = 0;
    int i = 0;
    for (;; ++i) {
      if (i > j_) return n;
      if (!cons(i)) break;
    }
    ++i;
    for (;;) {
      for (;; ++i) {
        if (i > j_) return n;
        if (cons(i)) break;
      }
      ++i;
      ++n;
      for (;; ++i) {
        if (i > j_) return n;
        if (!cons(i)) break;
      }
      ++i;
    }
  }
  bool vowel_in_stem() const {
    for (int i = 0; i <= j_; ++i) {
      if (!cons(i)) return true;
    }
    return false;
  }
  bool doublec(int j) const { return j >= 1 && b_[static_cast<size_t>(j)] == b_[static_cast<size_t>(j - 1)] && cons(j); }
  bool cvc(int i) const {
    if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
    const char16_t c = static_cast<char16_t>(b_[static_cast<size_t>(i)]);
    return c != u'w' && c != u'x' && c != u'y';
  }
  bool ends(std::u16string_view s) {
    const int l = static_cast<int>(s.size());
    if (l > k_ + 1) return false;
    const size_t from = static_cast<size_t>(k_ + 1 - l);
    for (size_t i = 0; i < s.size(); ++i) {
      if (static_cast<char16_t>(b_[from + i]) != s[i]) return false;
    }
    j_ = k_ - l;
    return true;
  }
  void setto(std::u16string_view s) {
    b_.resize(static_cast<size_t>(j_ + 1));
    for (char16_t c : s) b_.push_back(static_cast<typename Str::value_type>(c));
    k_ = j_ + static_cast<int>(s.size());
  }
  void r(std::u16string_view s) {
    if (m() > 0) setto(s);
  }

  void step1ab() {
    if (b_[static_cast<size_t>(k_)] == u's') {
      if (ends(u"sses")) {
        k_ -= 2;
      } else if (ends(u"ies")) {
        setto(u"i");
      } else if (b_[static_cast<size_t>(k_ - 1)] != u's') {
        --k_;
      }
    }
    if (ends(u"eed")) {
      if (m() > 0) --k_;
    } else if ((ends(u"ed") || ends(u"ing")) && vowel_in_stem()) {
      k_ = j_;
      if (ends(u"at")) {
        setto(u"ate");
      } else if (ends(u"bl")) {
        setto(u"ble");
      } else if (ends(u"iz")) {
        setto(u"ize");
      } else if (doublec(k_)) {
        const char16_t c = static_cast<char16_t>(b_[static_cast<size_t>(k_)]);
        if (c != u'l' && c != u's' && c != u'z') --k_;
      } else if (m() == 1 && cvc(k_)) {
        setto(u"e");
      }
    }
  }
  void step1c() {
    if (ends(u"y") && vowel_in_stem()) b_[static_cast<size_t>(k_)] = u'i';
  }
  // Replaces the first of `rules` (suffix, replacement) the word ends with, when m() > 0.
  void rules(std::initializer_list<std::pair<std::u16string_view, std::u16string_view>> list) {
    for (const auto& [suffix, to] : list) {
      if (ends(suffix)) {
        r(to);
        return;
      }
    }
  }
  void step2() {
    if (k_ == 0) return;
    switch (b_[static_cast<size_t>(k_ - 1)]) {
      case u'a': rules({{u"ational", u"ate"}, {u"tional", u"tion"}}); break;
      case u'c': rules({{u"enci", u"ence"}, {u"anci", u"ance"}}); break;
      case u'e': rules({{u"izer", u"ize"}}); break;
      case u'l': rules({{u"bli", u"ble"}, {u"alli", u"al"}, {u"entli", u"ent"}, {u"eli", u"e"}, {u"ousli", u"ous"}}); break;
      case u'o': rules({{u"ization", u"ize"}, {u"ation", u"ate"}, {u"ator", u"ate"}}); break;
      case u's': rules({{u"alism", u"al"}, {u"iveness", u"ive"}, {u"fulness", u"ful"}, {u"ousness", u"ous"}}); break;
      case u't': rules({{u"aliti", u"al"}, {u"iviti", u"ive"}, {u"biliti", u"ble"}}); break;
      case u'g': rules({{u"logi", u"log"}}); break;
      default: break;
    }
  }
  void step3() {
    switch (b_[static_cast<size_t>(k_)]) {
      case u'e': rules({{u"icate", u"ic"}, {u"ative", u""}, {u"alize", u"al"}}); break;
      case u'i': rules({{u"iciti", u"ic"}}); break;
      case u'l': rules({{u"ical", u"ic"}, {u"ful", u""}}); break;
      case u's': rules({{u"ness", u""}}); break;
      default: break;
    }
  }
  bool ends_any(std::initializer_list<std::u16string_view> list) {
    for (std::u16string_view s : list) {
      if (ends(s)) return true;
    }
    return false;
  }
  void step4() {
    if (k_ == 0) return;
    bool found = false;
    switch (b_[static_cast<size_t>(k_ - 1)]) {
      case u'a': found = ends(u"al"); break;
      case u'c': found = ends_any({u"ance", u"ence"}); break;
      case u'e': found = ends(u"er"); break;
      case u'i': found = ends(u"ic"); break;
      case u'l': found = ends_any({u"able", u"ible"}); break;
      case u'n': found = ends_any({u"ant", u"ement", u"ment", u"ent"}); break;
      case u'o':
        found = (ends(u"ion") && j_ >= 0 && (b_[static_cast<size_t>(j_)] == u's' || b_[static_cast<size_t>(j_)] == u't')) ||
                ends(u"ou");
        break;
      case u's': found = ends(u"ism"); break;
      case u't': found = ends_any({u"ate", u"iti"}); break;
      case u'u': found = ends(u"ous"); break;
      case u'v': found = ends(u"ive"); break;
      case u'z': found = ends(u"ize"); break;
      default: break;
    }
    if (found && m() > 1) k_ = j_;
  }
  void step5() {
    j_ = k_;
    if (b_[static_cast<size_t>(k_)] == u'e') {
      const int a = m();
      if (a > 1 || (a == 1 && !cvc(k_ - 1))) --k_;
    }
    if (b_[static_cast<size_t>(k_)] == u'l' && doublec(k_) && m() > 1) --k_;
  }

  Str& b_;
  int k_ = 0;
  int j_ = 0;
};

// Vowels with accents to their base letter, as the Romance light stemmers fold them.
char16_t fold_accent(char16_t c, std::u16string_view a, std::u16string_view o, std::u16string_view e,
                     std::u16string_view u, std::u16string_view i) {
  if (a.find(c) != std::u16string_view::npos) return u'a';
  if (o.find(c) != std::u16string_view::npos) return u'o';
  if (e.find(c) != std::u16string_view::npos) return u'e';
  if (u.find(c) != std::u16string_view::npos) return u'u';
  if (i.find(c) != std::u16string_view::npos) return u'i';
  return c;
}

}  // namespace

void porter(S* s) { Porter<S>(s).run(); }

void porter_ascii(std::string* s) { Porter<std::string>(s).run(); }

void english_possessive_utf8(std::string* s) {
  // The UTF-16 units before the final s/S are one character each: ' (1 byte), U+2019 and U+FF07
  // (3 bytes each) in UTF-8.
  const size_t len = s->size();
  if (len < 2 || ((*s)[len - 1] != 's' && (*s)[len - 1] != 'S')) return;
  const std::string_view before = std::string_view(*s).substr(0, len - 1);
  if (before.back() == '\'') {
    s->resize(len - 2);
  } else if (before.size() >= 3 && (before.substr(before.size() - 3) == "\u2019" || before.substr(before.size() - 3) == "\uFF07")) {
    s->resize(len - 4);
  }
}

void english_minimal(S* s) {
  const size_t len = s->size();
  if (len < 3 || (*s)[len - 1] != u's') return;
  switch ((*s)[len - 2]) {
    case u'u':
    case u's':
      return;
    case u'e':
      if (len > 3 && (*s)[len - 3] == u'i' && (*s)[len - 4] != u'a' && (*s)[len - 4] != u'e') {
        (*s)[len - 3] = u'y';
        s->resize(len - 2);
        return;
      }
      if ((*s)[len - 3] == u'i' || (*s)[len - 3] == u'a' || (*s)[len - 3] == u'o' || (*s)[len - 3] == u'e') return;
      [[fallthrough]];
    default:
      s->resize(len - 1);
  }
}

void english_possessive(S* s) {
  const size_t len = s->size();
  if (len < 2) return;
  const char16_t q = (*s)[len - 2];
  if ((q == u'\'' || q == u'\u2019' || q == u'\uFF07') && ((*s)[len - 1] == u's' || (*s)[len - 1] == u'S')) {
    s->resize(len - 2);
  }
}

void german_normalize(S* s) {
  enum { kN, kV, kU } state = kN;
  S out;
  out.reserve(s->size() + 2);
  for (char16_t c : *s) {
    switch (c) {
      case u'a':
      case u'o':
        state = kU;
        break;
      case u'u':
        state = state == kN ? kU : kV;
        break;
      case u'e':
        if (state == kU) {
          state = kV;
          continue;  // the e of a, o or u written for an umlaut
        }
        state = kV;
        break;
      case u'i':
      case u'q':
      case u'y':
        state = kV;
        break;
      case u'ä': c = u'a'; state = kV; break;
      case u'ö': c = u'o'; state = kV; break;
      case u'ü': c = u'u'; state = kV; break;
      case u'ß':
        out.push_back(u's');
        c = u's';
        state = kN;
        break;
      default:
        state = kN;
    }
    out.push_back(c);
  }
  *s = std::move(out);
}

namespace {
bool german_st_ending(char16_t c) {
  switch (c) {
    case u'b': case u'd': case u'f': case u'g': case u'h': case u'k': case u'l': case u'm': case u'n': case u't':
      return true;
    default:
      return false;
  }
}
}  // namespace

void german_light(S* s) {
  for (char16_t& c : *s) c = fold_accent(c, u"äàáâ", u"öòóô", u"", u"üùúû", u"ïìíî");
  size_t len = s->size();
  const S& w = *s;
  // Step 1.
  if (len > 5 && ends_with(w, len, u"ern")) {
    len -= 3;
  } else if (len > 4 && w[len - 2] == u'e' &&
             (w[len - 1] == u'm' || w[len - 1] == u'n' || w[len - 1] == u'r' || w[len - 1] == u's')) {
    len -= 2;
  } else if (len > 3 && w[len - 1] == u'e') {
    len -= 1;
  } else if (len > 3 && w[len - 1] == u's' && german_st_ending(w[len - 2])) {
    len -= 1;
  }
  // Step 2.
  if (len > 5 && ends_with(w, len, u"est")) {
    len -= 3;
  } else if (len > 4 && w[len - 2] == u'e' && (w[len - 1] == u'r' || w[len - 1] == u'n')) {
    len -= 2;
  } else if (len > 4 && w[len - 2] == u's' && w[len - 1] == u't' && german_st_ending(w[len - 3])) {
    len -= 2;
  }
  s->resize(len);
}

void german_minimal(S* s) {
  size_t len = s->size();
  if (len < 5) return;
  for (char16_t& c : *s) c = fold_accent(c, u"ä", u"ö", u"", u"ü", u"");
  const S& w = *s;
  if (len > 6 && ends_with(w, len, u"nen")) {
    s->resize(len - 3);
    return;
  }
  if (len > 5) {
    const char16_t last = w[len - 1];
    const char16_t prev = w[len - 2];
    if ((last == u'n' && prev == u'e') || (last == u'e' && prev == u's') || (last == u's' && prev == u'e') ||
        (last == u'r' && prev == u'e')) {
      s->resize(len - 2);
      return;
    }
  }
  switch (w[len - 1]) {
    case u'n': case u's': case u'r': case u'e':
      s->resize(len - 1);
      return;
    default:
      return;
  }
}

namespace {

// FrenchLightStemmer's final normalization.
size_t french_norm(S* s, size_t len) {
  S& w = *s;
  if (len > 4) {
    for (size_t i = 0; i < len; ++i) {
      char16_t c = fold_accent(w[i], u"àáâ", u"ô", u"èéê", u"ùû", u"î");
      w[i] = c == u'ç' ? u'c' : c;
    }
    char16_t ch = w[0];
    for (size_t i = 1; i < len; ++i) {
      if (w[i] == ch && is_letter(ch)) {
        w.erase(i, 1);
        --len;
        --i;
      } else {
        ch = w[i];
      }
    }
  }
  if (len > 4 && ends_with(w, len, u"ie")) len -= 2;
  if (len > 4) {
    if (w[len - 1] == u'r') --len;
    if (w[len - 1] == u'e') --len;
    if (w[len - 1] == u'e') --len;
    if (w[len - 1] == w[len - 2] && is_letter(w[len - 1])) --len;
  }
  return len;
}

size_t french_light_len(S* s, size_t len) {
  S& w = *s;
  if (len > 5 && w[len - 1] == u'x') {
    if (w[len - 3] == u'a' && w[len - 2] == u'u' && w[len - 4] != u'e') w[len - 2] = u'l';
    --len;
  }
  if (len > 3 && w[len - 1] == u'x') --len;
  if (len > 3 && w[len - 1] == u's') --len;
  if (len > 9 && ends_with(w, len, u"issement")) {
    len -= 6;
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 8 && ends_with(w, len, u"issant")) {
    len -= 4;
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 6 && ends_with(w, len, u"ement")) {
    len -= 4;
    if (len > 3 && ends_with(w, len, u"ive")) {
      --len;
      w[len - 1] = u'f';
    }
    return french_norm(s, len);
  }
  if (len > 11 && ends_with(w, len, u"ficatrice")) {
    len -= 5;
    w[len - 2] = u'e';
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 10 && ends_with(w, len, u"ficateur")) {
    len -= 4;
    w[len - 2] = u'e';
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 9 && ends_with(w, len, u"catrice")) {
    len -= 3;
    w[len - 4] = u'q';
    w[len - 3] = u'u';
    w[len - 2] = u'e';
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 8 && ends_with(w, len, u"cateur")) {
    len -= 2;
    w[len - 4] = u'q';
    w[len - 3] = u'u';
    w[len - 2] = u'e';
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 8 && ends_with(w, len, u"atrice")) {
    len -= 4;
    w[len - 2] = u'e';
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 7 && ends_with(w, len, u"ateur")) {
    len -= 3;
    w[len - 2] = u'e';
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 6 && ends_with(w, len, u"trice")) {
    --len;
    w[len - 3] = u'e';
    w[len - 2] = u'u';
    w[len - 1] = u'r';
  }
  if (len > 5 && ends_with(w, len, u"ième")) return french_norm(s, len - 4);
  if (len > 7 && ends_with(w, len, u"teuse")) {
    len -= 2;
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 6 && ends_with(w, len, u"teur")) {
    --len;
    w[len - 1] = u'r';
    return french_norm(s, len);
  }
  if (len > 5 && ends_with(w, len, u"euse")) return french_norm(s, len - 2);
  if (len > 8 && ends_with(w, len, u"ère")) {
    --len;
    w[len - 2] = u'e';
    return french_norm(s, len);
  }
  if (len > 7 && ends_with(w, len, u"ive")) {
    --len;
    w[len - 1] = u'f';
    return french_norm(s, len);
  }
  if (len > 4 && (ends_with(w, len, u"folle") || ends_with(w, len, u"molle"))) {
    len -= 2;
    w[len - 1] = u'u';
    return french_norm(s, len);
  }
  if (len > 9 && ends_with(w, len, u"nnelle")) return french_norm(s, len - 5);
  if (len > 9 && ends_with(w, len, u"nnel")) return french_norm(s, len - 3);
  if (len > 4 && ends_with(w, len, u"ète")) {
    --len;
    w[len - 2] = u'e';
  }
  if (len > 8 && ends_with(w, len, u"ique")) len -= 4;
  if (len > 8 && ends_with(w, len, u"esse")) return french_norm(s, len - 3);
  if (len > 7 && ends_with(w, len, u"inage")) return french_norm(s, len - 3);
  if (len > 9 && ends_with(w, len, u"isation")) {
    len -= 7;
    if (len > 5 && ends_with(w, len, u"ual")) w[len - 2] = u'e';
    return french_norm(s, len);
  }
  if (len > 9 && ends_with(w, len, u"isateur")) return french_norm(s, len - 7);
  if (len > 8 && ends_with(w, len, u"ation")) return french_norm(s, len - 5);
  if (len > 8 && ends_with(w, len, u"ition")) return french_norm(s, len - 5);
  return french_norm(s, len);
}

}  // namespace

void french_light(S* s) { s->resize(french_light_len(s, s->size())); }

void french_minimal(S* s) {
  size_t len = s->size();
  if (len < 6) return;
  S& w = *s;
  if (w[len - 1] == u'x') {
    if (w[len - 3] == u'a' && w[len - 2] == u'u') w[len - 2] = u'l';
    s->resize(len - 1);
    return;
  }
  if (w[len - 1] == u's') --len;
  if (w[len - 1] == u'r') --len;
  if (w[len - 1] == u'e') --len;
  if (w[len - 1] == u'é') --len;
  if (w[len - 1] == w[len - 2]) --len;  // any character, unlike the light stemmer
  s->resize(len);
}

void spanish_light(S* s) {
  const size_t len = s->size();
  if (len < 5) return;
  S& w = *s;
  for (char16_t& c : w) c = fold_accent(c, u"àáâä", u"òóôö", u"èéêë", u"ùúûü", u"ìíîï");
  switch (w[len - 1]) {
    case u'o': case u'a': case u'e':
      s->resize(len - 1);
      return;
    case u's':
      if (w[len - 2] == u'e' && w[len - 3] == u's' && w[len - 4] == u'e') {
        s->resize(len - 2);
      } else if (w[len - 2] == u'e' && w[len - 3] == u'c') {
        w[len - 3] = u'z';
        s->resize(len - 2);
      } else if (w[len - 2] == u'o' || w[len - 2] == u'a' || w[len - 2] == u'e') {
        s->resize(len - 2);
      }
      return;
    default:
      return;
  }
}

void italian_light(S* s) {
  const size_t len = s->size();
  if (len < 6) return;
  S& w = *s;
  for (char16_t& c : w) c = fold_accent(c, u"àáâä", u"òóôö", u"èéêë", u"ùúûü", u"ìíîï");
  const char16_t prev = w[len - 2];
  switch (w[len - 1]) {
    case u'e':
      s->resize(prev == u'i' || prev == u'h' ? len - 2 : len - 1);
      return;
    case u'i':
      s->resize(prev == u'h' || prev == u'i' ? len - 2 : len - 1);
      return;
    case u'a':
      s->resize(prev == u'i' ? len - 2 : len - 1);
      return;
    case u'o':
      s->resize(prev == u'i' ? len - 2 : len - 1);
      return;
    default:
      return;
  }
}

namespace {

size_t portuguese_remove_suffix(S& w, size_t len) {
  if (len > 4 && ends_with(w, len, u"es")) {
    switch (w[len - 3]) {
      case u'r': case u's': case u'l': case u'z':
        return len - 2;
      default:
        break;
    }
  }
  if (len > 3 && ends_with(w, len, u"ns")) {
    w[len - 2] = u'm';
    return len - 1;
  }
  if (len > 4 && (ends_with(w, len, u"eis") || ends_with(w, len, u"éis"))) {
    w[len - 3] = u'e';
    w[len - 2] = u'l';
    return len - 1;
  }
  if (len > 4 && ends_with(w, len, u"ais")) {
    w[len - 2] = u'l';
    return len - 1;
  }
  if (len > 4 && ends_with(w, len, u"óis")) {
    w[len - 3] = u'o';
    w[len - 2] = u'l';
    return len - 1;
  }
  if (len > 4 && ends_with(w, len, u"is")) {
    w[len - 1] = u'l';
    return len;
  }
  if (len > 3 && (ends_with(w, len, u"ões") || ends_with(w, len, u"ães"))) {
    --len;
    w[len - 2] = u'ã';
    w[len - 1] = u'o';
    return len;
  }
  if (len > 6 && ends_with(w, len, u"mente")) return len - 5;
  if (len > 3 && w[len - 1] == u's') return len - 1;
  return len;
}

size_t portuguese_norm_feminine(S& w, size_t len) {
  if (len > 7 && ends_with_any(w, len, {u"inha", u"iaca", u"eira"})) {
    w[len - 1] = u'o';
    return len;
  }
  if (len > 6) {
    if (ends_with_any(w, len, {u"osa", u"ica", u"ida", u"ada", u"iva", u"ama"})) {
      w[len - 1] = u'o';
      return len;
    }
    if (ends_with(w, len, u"ona")) {
      w[len - 3] = u'ã';
      w[len - 2] = u'o';
      return len - 1;
    }
    if (ends_with(w, len, u"ora")) return len - 1;
    if (ends_with(w, len, u"esa")) {
      w[len - 3] = u'ê';
      return len - 1;
    }
    if (ends_with(w, len, u"na")) {
      w[len - 1] = u'o';
      return len;
    }
  }
  return len;
}

}  // namespace

void portuguese_light(S* s) {
  size_t len = s->size();
  if (len < 4) return;
  S& w = *s;
  len = portuguese_remove_suffix(w, len);
  if (len > 3 && w[len - 1] == u'a') len = portuguese_norm_feminine(w, len);
  if (len > 4 && (w[len - 1] == u'e' || w[len - 1] == u'a' || w[len - 1] == u'o')) --len;
  s->resize(len);
  for (char16_t& c : w) {
    c = fold_accent(c, u"àáâäã", u"òóôöõ", u"èéêë", u"ùúûü", u"ìíîï");
    if (c == u'ç') c = u'c';
  }
}

void russian_light(S* s) {
  size_t len = s->size();
  const S& w = *s;
  if (len > 6 && ends_with_any(w, len, {u"иями", u"оями"})) {
    len -= 4;
  } else if (len > 5 && ends_with_any(w, len, {u"иям", u"иях", u"оях", u"ями", u"оям", u"оьв", u"ами", u"его", u"ему",
                                                 u"ери", u"ими", u"ого", u"ому", u"ыми", u"оев"})) {
    len -= 3;
  } else if (len > 4 && ends_with_any(w, len, {u"ая", u"яя", u"ях", u"юю", u"ах", u"ею", u"их", u"ия", u"ию", u"ьв",
                                                 u"ою", u"ую", u"ям", u"ых", u"ея", u"ам", u"ем", u"ей", u"ём", u"ев",
                                                 u"ий", u"им", u"ое", u"ой", u"ом", u"ов", u"ые", u"ый", u"ым", u"ми"})) {
    len -= 2;
  } else if (len > 3 && std::u16string_view(u"аеиоуйыяь").find(w[len - 1]) != std::u16string_view::npos) {
    len -= 1;
  }
  if (len > 3) {
    if (w[len - 1] == u'ь' || w[len - 1] == u'и') {
      --len;
    } else if (w[len - 1] == u'н' && w[len - 2] == u'н') {
      --len;
    }
  }
  s->resize(len);
}

void swedish_light(S* s) {
  size_t len = s->size();
  const S& w = *s;
  if (len > 4 && w[len - 1] == u's') --len;
  if (len > 7 && ends_with_any(w, len, {u"elser", u"heten"})) {
    len -= 5;
  } else if (len > 6 && ends_with_any(w, len, {u"arne", u"erna", u"ande", u"else", u"aste", u"orna", u"aren"})) {
    len -= 4;
  } else if (len > 5 && ends_with_any(w, len, {u"are", u"ast", u"het"})) {
    len -= 3;
  } else if (len > 4 && ends_with_any(w, len, {u"ar", u"er", u"or", u"en", u"at", u"te", u"et"})) {
    len -= 2;
  } else if (len > 3 && std::u16string_view(u"taen").find(w[len - 1]) != std::u16string_view::npos) {
    len -= 1;
  }
  s->resize(len);
}

}  // namespace sift::analysis::stem
