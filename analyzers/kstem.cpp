// Krovetz's stemmer (R. Krovetz, "Viewing morphology as an inference process", SIGIR 1993) as
// Lucene 8.7's KStemFilter runs it (`kstem`, `stemmer` language light_english): inflectional
// endings (plurals, -ed, -ing) and then derivational ones (-ity, -ness, -ion, -er/-or, -ly, -al,
// -ive, -ize, -ment, -able/-ible, -ism, -ic, -ncy, -nce) are removed or rewritten step by step, and
// each candidate is looked up in a dictionary; the first candidate found ends stemming (a
// dictionary entry may name another root). When nothing is found the steps' defaults stand.
// Only lower-case ASCII words of 3..49 letters are stemmed; other terms are left alone.
// The dictionary is Lucene's, read from its classes (kstem_dictionary.inc, see its header).
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "analyzers/light_stemmers.h"

namespace sift::analysis::stem {
namespace {

struct Entry {
  bool exception = false;  // a word whose endings must not be taken off (e.g. "aide")
  std::string root;        // empty: the word is its own root
};

const std::unordered_map<std::string, Entry>& dictionary() {
  static const std::unordered_map<std::string, Entry>* d = [] {
    static constexpr std::string_view kData =
#include "analyzers/kstem_dictionary.inc"
        ;
    auto* m = new std::unordered_map<std::string, Entry>();
    m->reserve(30000);
    std::string_view rest = kData;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (line.empty()) continue;
      const size_t space = line.find(' ');
      Entry e;
      if (space != std::string_view::npos) {
        std::string_view second = line.substr(space + 1);
        if (second == "!") {
          e.exception = true;
        } else {
          e.root = std::string(second);
        }
        line = line.substr(0, space);
      }
      m->emplace(std::string(line), std::move(e));
    }
    return m;
  }();
  return *d;
}

constexpr int kMaxWordLength = 50;

// The word being stemmed: `buf` keeps characters past `len` (steps shorten the word and later
// lengthen it again over what was there), `k` is the index of the last character the current step
// considers and `j` the index before a matched ending.
class Krovetz {
 public:
  explicit Krovetz(const std::unordered_map<std::string, Entry>& dict) : dict_(dict) {}

  // Returns false when the term stays as it is; otherwise *out is the stem.
  bool run(std::string_view term, std::string* out) {
    const int n = static_cast<int>(term.size());
    k_ = n - 1;
    if (k_ <= 1 || k_ >= kMaxWordLength - 1) return false;
    if (auto it = dict_.find(std::string(term)); it != dict_.end()) {
      if (it->second.exception) return false;  // its own root
      *out = it->second.root.empty() ? std::string(term) : it->second.root;
      return true;
    }
    for (char c : term) {
      if (c < 'a' || c > 'z') return false;
    }
    buf_.assign(term);
    buf_.resize(n + 16, '\0');
    len_ = n;
    found_ = nullptr;
    steps();
    if (found_ != nullptr && !found_->root.empty()) {
      *out = found_->root;
    } else {
      out->assign(buf_.data(), len_);
    }
    return true;
  }

 private:
  void steps() {
    using Step = void (Krovetz::*)();
    static constexpr Step kFirst[] = {&Krovetz::plural, &Krovetz::past_tense, &Krovetz::aspect, &Krovetz::ity,
                                      &Krovetz::ness,   &Krovetz::ion,        &Krovetz::er_or,  &Krovetz::ly,
                                      &Krovetz::al};
    for (Step s : kFirst) {
      (this->*s)();
      if (found_ != nullptr) return;
    }
    in_dictionary();  // the word as it stands now, if a plain (non-exception) entry
    static constexpr Step kSecond[] = {&Krovetz::ive, &Krovetz::ize, &Krovetz::ment, &Krovetz::ble,
                                       &Krovetz::ism, &Krovetz::ic,  &Krovetz::ncy,  &Krovetz::nce};
    for (Step s : kSecond) {
      (this->*s)();
      if (found_ != nullptr) return;
    }
  }

  char at(int i) const { return buf_[static_cast<size_t>(i)]; }
  void put(int i, char c) { buf_[static_cast<size_t>(i)] = c; }
  void cut(int n) { len_ = n; }
  void push(char c) { buf_[static_cast<size_t>(len_++)] = c; }
  void push(std::string_view s) {
    for (char c : s) push(c);
  }

  // Looks the current word up; any entry (exceptions too) ends stemming.
  bool look() {
    auto it = dict_.find(std::string(buf_.data(), len_));
    found_ = it == dict_.end() ? nullptr : &it->second;
    return found_ != nullptr;
  }
  // Looks the current word up, keeping the entry only when it is not an exception.
  const Entry* in_dictionary() {
    if (found_ != nullptr) return found_;
    auto it = dict_.find(std::string(buf_.data(), len_));
    if (it == dict_.end()) return nullptr;
    if (!it->second.exception) found_ = &it->second;
    return &it->second;
  }

  // Whether the word ends in `suffix` with at least one character before it; sets j_.
  bool ends(std::string_view suffix) {
    const int n = static_cast<int>(suffix.size());
    if (n > k_) return false;
    const int start = k_ + 1 - n;
    if (std::string_view(buf_.data() + start, suffix.size()) != suffix) return false;
    j_ = start - 1;
    return true;
  }
  // ends() for the long -ation family, which measures from the word's length.
  bool ends_long(std::string_view suffix) {
    const int n = static_cast<int>(suffix.size());
    if (n > k_) return false;
    const int start = len_ - n;
    if (start < 0 || std::string_view(buf_.data() + start, suffix.size()) != suffix) return false;
    j_ = start - 1;
    return true;
  }

  bool consonant(int i) const {
    const char c = at(i);
    if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return false;
    if (c != 'y' || i == 0) return true;
    return !consonant(i - 1);
  }
  bool vowel_before_ending() const {
    for (int i = 0; i <= j_; ++i) {
      if (!consonant(i)) return true;
    }
    return false;
  }
  bool doubled_consonant(int i) const { return i >= 1 && at(i) == at(i - 1) && consonant(i); }
  // The word up to j_ followed by `s`.
  void replace_ending(std::string_view s) {
    cut(j_ + 1);
    push(s);
    k_ = j_ + static_cast<int>(s.size());
  }

  void plural() {
    if (at(k_) != 's') return;
    if (ends("ies")) {
      cut(j_ + 3);  // -ie (calories -> calorie)
      --k_;
      if (look()) return;
      ++k_;
      push('s');
      replace_ending("y");
      look();
    } else if (ends("es")) {
      cut(j_ + 2);  // drop the s
      --k_;
      const bool try_e = j_ > 0 && !(at(j_) == 's' && at(j_ - 1) == 's');
      if (try_e && look()) return;
      cut(j_ + 1);  // drop -es
      --k_;
      if (look()) return;
      push('e');
      ++k_;
      if (!try_e) look();
    } else if (len_ > 3 && at(k_ - 1) != 's' && !ends("ous")) {
      cut(k_);
      --k_;
      look();
    }
  }

  void past_tense() {
    if (len_ <= 4) return;
    if (ends("ied")) {
      cut(j_ + 3);
      --k_;
      if (look()) return;
      ++k_;
      push('d');
      replace_ending("y");
      look();
      return;
    }
    if (ends("ed") && vowel_before_ending()) {
      cut(j_ + 2);  // -e
      k_ = j_ + 1;
      if (const Entry* e = in_dictionary(); e != nullptr && !e->exception) return;
      cut(j_ + 1);  // no ending
      k_ = j_;
      if (look()) return;
      if (doubled_consonant(k_)) {
        cut(k_);
        --k_;
        if (look()) return;
        push(at(k_));
        ++k_;
        look();
        return;
      }
      if (at(0) == 'u' && at(1) == 'n') {  // un- words keep their -ed
        push("ed");
        k_ += 2;
        return;
      }
      cut(j_ + 1);
      push('e');
      k_ = j_ + 1;
    }
  }

  void aspect() {
    if (len_ <= 5) return;
    if (!(ends("ing") && vowel_before_ending())) return;
    put(j_ + 1, 'e');
    cut(j_ + 2);
    k_ = j_ + 1;
    if (const Entry* e = in_dictionary(); e != nullptr && !e->exception) return;
    cut(k_);
    --k_;
    if (look()) return;
    if (doubled_consonant(k_)) {
      --k_;
      cut(k_ + 1);
      if (look()) return;
      push(at(k_));
      ++k_;
      look();
      return;
    }
    if (j_ > 0 && consonant(j_) && consonant(j_ - 1)) {
      k_ = j_;
      cut(k_ + 1);
      return;
    }
    cut(j_ + 1);
    push('e');
    k_ = j_ + 1;
  }

  void ity() {
    const int old_k = k_;
    if (!ends("ity")) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    push('e');
    k_ = j_ + 1;
    if (look()) return;
    put(j_ + 1, 'i');
    push("ity");
    k_ = old_k;
    if (j_ > 0 && at(j_ - 1) == 'i' && at(j_) == 'l') {  // -ility -> -le (-ability -> -able)
      cut(j_ - 1);
      push("le");
      k_ = j_;
      look();
      return;
    }
    if (j_ > 0 && at(j_ - 1) == 'i' && at(j_) == 'v') {  // -ivity -> -ive
      cut(j_ + 1);
      push('e');
      k_ = j_ + 1;
      look();
      return;
    }
    if (j_ > 0 && at(j_ - 1) == 'a' && at(j_) == 'l') {  // -ality -> -al
      cut(j_ + 1);
      k_ = j_;
      look();
      return;
    }
    if (look()) return;
    cut(j_ + 1);
    k_ = j_;
  }

  void ness() {
    if (!ends("ness")) return;
    cut(j_ + 1);
    k_ = j_;
    if (at(j_) == 'i') put(j_, 'y');
    look();
  }

  void ism() {
    if (!ends("ism")) return;
    cut(j_ + 1);
    k_ = j_;
    look();
  }

  void ment() {
    const int old_k = k_;
    if (!ends("ment")) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    push("ment");
    k_ = old_k;
  }

  void ize() {
    const int old_k = k_;
    if (!ends("ize")) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    push('i');
    if (doubled_consonant(j_)) {
      cut(j_);
      k_ = j_ - 1;
      if (look()) return;
      push(at(j_ - 1));
    }
    cut(j_ + 1);
    push('e');
    k_ = j_ + 1;
    if (look()) return;
    cut(j_ + 1);
    push("ize");
    k_ = old_k;
  }

  void ncy() {
    if (!ends("ncy")) return;
    if (at(j_) != 'e' && at(j_) != 'a') return;
    put(j_ + 2, 't');  // -nt
    cut(j_ + 3);
    k_ = j_ + 2;
    if (look()) return;
    put(j_ + 2, 'c');  // -nce
    push('e');
    k_ = j_ + 3;
    look();
  }

  void ble() {
    const int old_k = k_;
    if (!ends("ble")) return;
    const char vowel = at(j_);
    if (vowel != 'a' && vowel != 'i') return;
    cut(j_);
    k_ = j_ - 1;
    if (look()) return;
    if (doubled_consonant(k_)) {
      cut(k_);
      --k_;
      if (look()) return;
      ++k_;
      push(at(k_ - 1));
    }
    cut(j_);
    push('e');
    k_ = j_;
    if (look()) return;
    cut(j_);
    push("ate");
    k_ = j_ + 2;
    if (look()) return;
    cut(j_);
    push(vowel);
    push("ble");
    k_ = old_k;
  }

  void ic() {
    if (!ends("ic")) return;
    cut(j_ + 3);
    push("al");  // -ical
    k_ = j_ + 4;
    if (look()) return;
    put(j_ + 1, 'y');  // -y
    cut(j_ + 2);
    k_ = j_ + 1;
    if (look()) return;
    put(j_ + 1, 'e');  // -e
    if (look()) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    push("ic");
    k_ = j_ + 2;
  }

  void ion() {
    const int old_k = k_;
    if (!ends("ion")) return;
    if (ends_long("ization")) {  // -ize, always
      cut(j_ + 3);
      push('e');
      k_ = j_ + 3;
      look();
      return;
    }
    if (ends_long("ition")) {
      cut(j_ + 1);
      push('e');
      k_ = j_ + 1;
      if (look()) return;
      cut(j_ + 1);
      push("ition");
      k_ = old_k;
    } else if (ends_long("ation")) {
      cut(j_ + 3);
      push('e');  // -ate
      k_ = j_ + 3;
      if (look()) return;
      cut(j_ + 1);
      push('e');
      k_ = j_ + 1;
      if (look()) return;
      cut(j_ + 1);
      k_ = j_;
      if (look()) return;
      cut(j_ + 1);
      push("ation");
      k_ = old_k;
    }
    if (ends_long("ication")) {
      cut(j_ + 1);
      push('y');
      k_ = j_ + 1;
      if (look()) return;
      cut(j_ + 1);
      push("ication");
      k_ = old_k;
    }
    j_ = k_ - 3;
    cut(j_ + 1);
    push('e');
    k_ = j_ + 1;
    if (look()) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    cut(j_ + 1);
    push("ion");
    k_ = old_k;
  }

  void er_or() {
    const int old_k = k_;
    if (at(k_) != 'r') return;
    if (ends("izer")) {
      cut(j_ + 4);
      k_ = j_ + 3;
      look();
      return;
    }
    if (!(ends("er") || ends("or"))) return;
    const char vowel = at(j_ + 1);
    if (doubled_consonant(j_)) {
      cut(j_);
      k_ = j_ - 1;
      if (look()) return;
      push(at(j_ - 1));
    }
    if (at(j_) == 'i') {  // -ier -> -y
      put(j_, 'y');
      cut(j_ + 1);
      k_ = j_;
      if (look()) return;
      put(j_, 'i');
      push('e');
    }
    if (at(j_) == 'e') {  // -eer
      cut(j_);
      k_ = j_ - 1;
      if (look()) return;
      push('e');
    }
    cut(j_ + 2);  // without the r
    k_ = j_ + 1;
    if (look()) return;
    cut(j_ + 1);  // without -er / -or
    k_ = j_;
    if (look()) return;
    push('e');
    k_ = j_ + 1;
    if (look()) return;
    cut(j_ + 1);
    push(vowel);
    push('r');
    k_ = old_k;
  }

  void ly() {
    const int old_k = k_;
    if (!ends("ly")) return;
    put(j_ + 2, 'e');  // -le
    if (look()) return;
    put(j_ + 2, 'y');
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    if (j_ > 0 && at(j_ - 1) == 'a' && at(j_) == 'l') return;  // -ally -> -al
    push("ly");
    k_ = old_k;
    if (j_ > 0 && at(j_ - 1) == 'a' && at(j_) == 'b') {  // -ably -> -able
      put(j_ + 2, 'e');
      k_ = j_ + 2;
      return;
    }
    if (at(j_) == 'i') {  // -ily -> -y
      cut(j_);
      push('y');
      k_ = j_;
      if (look()) return;
      cut(j_);
      push("ily");
      k_ = old_k;
    }
    cut(j_ + 1);
    k_ = j_;
  }

  void al() {
    const int old_k = k_;
    if (len_ < 4) return;
    if (!ends("al")) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    if (doubled_consonant(j_)) {
      cut(j_);
      k_ = j_ - 1;
      if (look()) return;
      push(at(j_ - 1));
    }
    cut(j_ + 1);
    push('e');
    k_ = j_ + 1;
    if (look()) return;
    cut(j_ + 1);
    push("um");  // optimal -> optimum
    k_ = j_ + 2;
    if (look()) return;
    cut(j_ + 1);
    push("al");
    k_ = old_k;
    if (j_ > 0 && at(j_ - 1) == 'i' && at(j_) == 'c') {
      cut(j_ - 1);  // without -ical
      k_ = j_ - 2;
      if (look()) return;
      cut(j_ - 1);
      push('y');
      k_ = j_ - 1;
      if (look()) return;
      cut(j_ - 1);
      push("ic");  // -ical -> -ic by default
      k_ = j_;
      look();
      return;
    }
    if (at(j_) == 'i') {  // -ial
      cut(j_);
      k_ = j_ - 1;
      if (look()) return;
      push("ial");
      k_ = old_k;
      look();
    }
  }

  void ive() {
    const int old_k = k_;
    if (!ends("ive")) return;
    cut(j_ + 1);
    k_ = j_;
    if (look()) return;
    push('e');
    k_ = j_ + 1;
    if (look()) return;
    cut(j_ + 1);
    push("ive");
    if (j_ > 0 && at(j_ - 1) == 'a' && at(j_) == 't') {  // -ative
      put(j_ - 1, 'e');
      cut(j_);
      k_ = j_ - 1;
      if (look()) return;
      cut(j_ - 1);
      if (look()) return;
      push("ative");
      k_ = old_k;
    }
    put(j_ + 2, 'o');  // -ion
    put(j_ + 3, 'n');
    if (look()) return;
    put(j_ + 2, 'v');
    put(j_ + 3, 'e');
    k_ = old_k;
  }

  void nce() {
    const int old_k = k_;
    if (!ends("nce")) return;
    const char vowel = at(j_);
    if (vowel != 'e' && vowel != 'a') return;
    cut(j_);
    push('e');  // -ance / -ence -> -e
    k_ = j_;
    if (look()) return;
    cut(j_);
    k_ = j_ - 1;
    if (look()) return;
    push(vowel);
    push("nce");
    k_ = old_k;
  }

  const std::unordered_map<std::string, Entry>& dict_;
  std::string buf_;
  int len_ = 0;
  int j_ = 0;
  int k_ = 0;
  const Entry* found_ = nullptr;
};

}  // namespace

void kstem_ascii(std::string* s) {
  Krovetz stemmer(dictionary());
  std::string out;
  if (stemmer.run(*s, &out)) *s = std::move(out);
}

void kstem(std::u16string* s) {
  // Only ASCII letters stem; any other unit leaves the term alone.
  std::string ascii;
  ascii.reserve(s->size());
  for (char16_t c : *s) {
    if (c >= 0x80) return;
    ascii.push_back(static_cast<char>(c));
  }
  kstem_ascii(&ascii);
  s->assign(ascii.begin(), ascii.end());
}

}  // namespace sift::analysis::stem
