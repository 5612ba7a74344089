// Token filters that rewrite, drop or add tokens one at a time (Lucene 8.7's, as OpenSearch
// configures them): case, folding, normalization, length and shape filters, keyword marking,
// CJK width and bigrams, fingerprinting; and the `fingerprint` and `cjk` analyzer types.
//
// Each filter rewrites the whole stream (components.h). Lucene filters that drop a token without
// keeping its position increment (unique) renumber the positions after it; FilteringTokenFilters
// (length) leave the position unused.
#include <unicode/normalizer2.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/java_regex.h"
#include "analyzers/normalize.h"
#include "analyzers/registry.h"
#include "analyzers/stopwords.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

using FilterPtr = std::shared_ptr<const TokenFilter>;

// Code points of a UTF-8 term, and back.
std::u32string code_points(std::string_view utf8) {
  std::u16string u = to_utf16(utf8);
  std::u32string out;
  out.reserve(u.size());
  for (size_t i = 0; i < u.size();) {
    UChar32 c;
    U16_NEXT(u.data(), i, u.size(), c);
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

std::string from_code_points(const std::u32string& cps) {
  std::string out;
  for (char32_t c : cps) append_utf8(c, &out);
  return out;
}

// A filter built from a function over each term.
template <typename F>
class TermFilter final : public TokenFilter {
 public:
  TermFilter(F f, bool normalizing) : f_(std::move(f)), normalizing_(normalizing) {}
  void filter(TokenStream* s) const override {
    for (Token& t : s->tokens) f_(&t.term);
  }
  bool normalizing() const override { return normalizing_; }

 private:
  F f_;
  bool normalizing_;
};

template <typename F>
FilterPtr term_filter(F f, bool normalizing) {
  return std::make_shared<TermFilter<F>>(std::move(f), normalizing);
}

template <typename F>
Factory<TokenFilter> simple(F f, bool normalizing) {
  return [f, normalizing](const ComponentSettings&) -> Result<FilterPtr> { return term_filter(f, normalizing); };
}

// The built-in used by name (OpenSearch's pre-configured filter) rather than a definition.
bool preconfigured(const ComponentSettings& s) {
  return s.values().size() == 1 && s.type() == s.name();
}

// Positions when tokens were dropped together with their increments (Lucene filters that do not
// keep increments): each kept token moves back by the increments of the dropped ones before it.
void drop_with_increments(TokenStream* s, const std::vector<bool>& keep) {
  const size_t n = s->tokens.size();
  if (n == 0) return;
  const uint32_t last_in = s->tokens.back().position;
  int64_t prev_in = -1;
  int64_t lost = 0;
  size_t out = 0;
  for (size_t i = 0; i < n; ++i) {
    Token& t = s->tokens[i];
    const int64_t inc = static_cast<int64_t>(t.position) - prev_in;
    prev_in = t.position;
    if (!keep[i]) {
      lost += inc;
      continue;
    }
    t.position = static_cast<uint32_t>(t.position - lost);
    if (out != i) s->tokens[out] = std::move(t);
    ++out;
  }
  s->tokens.resize(out);
  // The final increment (positions removed after the last token) survives; the last token's own
  // increment is lost when it was dropped.
  const int64_t end = static_cast<int64_t>(s->end_position) - lost;
  s->end_position = static_cast<uint32_t>(std::max<int64_t>(end, out == 0 ? 0 : s->tokens.back().position + 1));
  (void)last_in;
}

// --- case ---

void upper_case(std::string* term) {
  std::u32string cps = code_points(*term);
  for (char32_t& c : cps) c = static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
  *term = from_code_points(cps);
}

char32_t greek_lower(char32_t c) {
  switch (c) {
    case 0x03C2: return 0x03C3;
    case 0x0386: case 0x03AC: return 0x03B1;
    case 0x0388: case 0x03AD: return 0x03B5;
    case 0x0389: case 0x03AE: return 0x03B7;
    case 0x038A: case 0x03AF: case 0x03AA: case 0x03CA: case 0x0390: return 0x03B9;
    case 0x038E: case 0x03CD: case 0x03AB: case 0x03CB: case 0x03B0: return 0x03C5;
    case 0x038C: case 0x03CC: return 0x03BF;
    case 0x038F: case 0x03CE: return 0x03C9;
    case 0x03A2: return 0x03C2;
    default: return static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
  }
}

void greek_lower_case(std::string* term) {
  std::u32string cps = code_points(*term);
  for (char32_t& c : cps) c = greek_lower(c);
  *term = from_code_points(cps);
}

// Irish: n/t before an upper-case vowel gets a hyphen (nAthair -> n-athair), then lower-casing
// per UTF-16 unit.
void irish_lower_case(std::string* term) {
  std::u16string u = to_utf16(*term);
  auto upper_vowel = [](char16_t c) {
    switch (c) {
      case u'A': case u'E': case u'I': case u'O': case u'U':
      case u'\u00C1': case u'\u00C9': case u'\u00CD': case u'\u00D3': case u'\u00DA':
        return true;
      default:
        return false;
    }
  };
  size_t from = 0;
  if (u.size() > 1 && (u[0] == u'n' || u[0] == u't') && upper_vowel(u[1])) {
    u.insert(u.begin() + 1, u'-');
    from = 2;
  }
  for (size_t i = from; i < u.size(); ++i) {
    if (!U16_IS_SURROGATE(u[i])) u[i] = static_cast<char16_t>(u_tolower(u[i]));
  }
  to_utf8(u, term);
}

// Turkish: I -> ı, and I or İ with a combining dot above -> i (the dot removed).
void turkish_lower_case(std::string* term) {
  std::u32string in = code_points(*term);
  std::u32string out;
  out.reserve(in.size());
  bool i_or_after = false;
  auto nonspacing = [](char32_t c) { return u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK; };
  for (size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in[i];
    i_or_after = c == U'I' || (i_or_after && nonspacing(c));
    if (i_or_after) {
      if (c == 0x0307) continue;  // the dot above is dropped after I
      if (c == U'I') {
        bool before_dot = false;
        for (size_t k = i + 1; k < in.size() && nonspacing(in[k]); ++k) {
          if (in[k] == 0x0307) {
            before_dot = true;
            break;
          }
        }
        out.push_back(before_dot ? U'i' : 0x0131);
        if (!before_dot) i_or_after = false;
        continue;
      }
    }
    out.push_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
  }
  *term = from_code_points(out);
}

// --- ascii folding ---

struct AsciiFold {
  char16_t c;
  const char* folded;
};
constexpr AsciiFold kAsciiFolding[] = {
#include "analyzers/token_filters_ascii_folding.inc"
};

const std::unordered_map<char16_t, const char*>& ascii_folding_map() {
  static const std::unordered_map<char16_t, const char*> m = [] {
    std::unordered_map<char16_t, const char*> out;
    for (const AsciiFold& f : kAsciiFolding) out.emplace(f.c, f.folded);
    return out;
  }();
  return m;
}

// Lucene folds per UTF-16 unit (surrogates pass through).
bool fold_to_ascii(const std::string& term, std::string* out) {
  bool ascii = true;
  for (unsigned char c : term) ascii = ascii && c < 0x80;
  if (ascii) return false;
  const auto& m = ascii_folding_map();
  std::u16string u = to_utf16(term);
  std::u16string folded;
  folded.reserve(u.size());
  for (char16_t c : u) {
    auto it = c < 0x80 ? m.end() : m.find(c);
    if (it == m.end()) {
      folded.push_back(c);
    } else {
      for (const char* p = it->second; *p; ++p) folded.push_back(static_cast<char16_t>(static_cast<unsigned char>(*p)));
    }
  }
  to_utf8(folded, out);
  return true;
}

class AsciiFoldingFilter final : public TokenFilter {
 public:
  explicit AsciiFoldingFilter(bool preserve) : preserve_(preserve) {}
  // Normalization (one term) takes the first token: the folded form, as OpenSearch's normalize()
  // without preserve_original.
  void filter(TokenStream* s) const override { run(s, preserve_); }
  bool normalizing() const override { return true; }

 private:
  static void run(TokenStream* s, bool preserve) {
    std::string folded;
    if (!preserve) {
      for (Token& t : s->tokens) {
        if (fold_to_ascii(t.term, &folded)) t.term = folded;
      }
      return;
    }
    // The folded form, then the original at the same position when they differ (Lucene's order).
    std::vector<Token> out;
    out.reserve(s->tokens.size());
    for (Token& t : s->tokens) {
      const bool changed = fold_to_ascii(t.term, &folded) && folded != t.term;
      if (changed) {
        Token f = t;
        f.term = folded;
        out.push_back(std::move(f));
      }
      out.push_back(std::move(t));
    }
    s->tokens = std::move(out);
  }
  bool preserve_;
};

// --- ICU normalizers ---

class IcuNormalizerFilter final : public TokenFilter {
 public:
  IcuNormalizerFilter(const icu::Normalizer2* base, std::unique_ptr<icu::UnicodeSet> set)
      : base_(base), set_(std::move(set)) {
    if (set_ != nullptr) filtered_ = std::make_unique<icu::FilteredNormalizer2>(*base_, *set_);
  }
  void filter(TokenStream* s) const override {
    const icu::Normalizer2& n = filtered_ != nullptr ? *filtered_ : *base_;
    for (Token& t : s->tokens) {
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString in = icu::UnicodeString::fromUTF8(t.term);
      if (n.quickCheck(in, e) == UNORM_YES && U_SUCCESS(e)) continue;
      e = U_ZERO_ERROR;
      icu::UnicodeString out = n.normalize(in, e);
      if (U_FAILURE(e)) continue;
      t.term.clear();
      out.toUTF8String(t.term);
    }
  }
  bool normalizing() const override { return true; }

 private:
  const icu::Normalizer2* base_;
  std::unique_ptr<icu::UnicodeSet> set_;
  std::unique_ptr<icu::FilteredNormalizer2> filtered_;
};

Result<std::unique_ptr<icu::UnicodeSet>> unicode_set_filter(const ComponentSettings& s) {
  auto pattern = s.get("unicode_set_filter");
  if (!pattern) pattern = s.get("unicodeSetFilter");
  if (!pattern) return std::unique_ptr<icu::UnicodeSet>();
  UErrorCode e = U_ZERO_ERROR;
  auto set = std::make_unique<icu::UnicodeSet>(icu::UnicodeString::fromUTF8(*pattern), e);
  if (U_FAILURE(e)) return invalid_argument("Error in unicode set filter [" + *pattern + "]: " + u_errorName(e));
  set->freeze();
  return set;
}

// --- length, truncate, trim, reverse ---

class LengthFilter final : public TokenFilter {
 public:
  LengthFilter(int64_t min, int64_t max) : min_(min), max_(max) {}
  void filter(TokenStream* s) const override {
    size_t out = 0;
    for (size_t i = 0; i < s->tokens.size(); ++i) {
      const int64_t len = utf16_length(s->tokens[i].term);
      if (len < min_ || len > max_) continue;
      if (out != i) s->tokens[out] = std::move(s->tokens[i]);
      ++out;
    }
    s->tokens.resize(out);
  }

 private:
  int64_t min_, max_;
};

void truncate_to(std::string* term, size_t length) {
  if (term->size() <= length) return;  // UTF-8 bytes >= UTF-16 units
  std::u16string u = to_utf16(*term);
  if (u.size() <= length) return;
  u.resize(length);
  to_utf8(u, term);  // a split surrogate pair becomes U+FFFD, as Lucene's UTF-8 conversion
}

void trim(std::string* term) {
  std::u16string u = to_utf16(*term);
  size_t b = 0, e = u.size();
  while (b < e && u_isWhitespace(u[b])) ++b;
  while (e > b && u_isWhitespace(u[e - 1])) --e;
  if (b == 0 && e == u.size()) return;
  to_utf8(std::u16string_view(u).substr(b, e - b), term);
}

void reverse(std::string* term) {
  std::u32string cps = code_points(*term);
  std::reverse(cps.begin(), cps.end());
  *term = from_code_points(cps);
}

// --- elision, apostrophe, classic ---

class ElisionFilter final : public TokenFilter {
 public:
  ElisionFilter(std::unordered_set<std::string> articles, bool ignore_case)
      : articles_(std::move(articles)), ignore_case_(ignore_case) {}
  void filter(TokenStream* s) const override {
    for (Token& t : s->tokens) {
      // The first ' or U+2019 (E2 80 99).
      size_t cut = std::string::npos, skip = 0;
      for (size_t i = 0; i < t.term.size(); ++i) {
        if (t.term[i] == '\'') {
          cut = i, skip = 1;
          break;
        }
        if (t.term.compare(i, 3, "\xE2\x80\x99") == 0) {
          cut = i, skip = 3;
          break;
        }
      }
      if (cut == std::string::npos) continue;
      std::string article = t.term.substr(0, cut);
      if (ignore_case_) article = lowercase_utf8(article);
      if (articles_.count(article) > 0) t.term.erase(0, cut + skip);
    }
  }
  bool normalizing() const override { return true; }

 private:
  std::unordered_set<std::string> articles_;
  bool ignore_case_;
};

void apostrophe(std::string* term) {
  for (size_t i = 0; i < term->size(); ++i) {
    if ((*term)[i] == '\'' || term->compare(i, 3, "\xE2\x80\x99") == 0) {
      term->resize(i);
      return;
    }
  }
}

class ClassicFilter final : public TokenFilter {
 public:
  void filter(TokenStream* s) const override {
    for (Token& t : s->tokens) {
      const std::string_view type = t.type;
      if (type == "<APOSTROPHE>") {
        const size_t n = t.term.size();
        if (n >= 2 && t.term[n - 2] == '\'' && (t.term[n - 1] == 's' || t.term[n - 1] == 'S')) t.term.resize(n - 2);
      } else if (type == "<ACRONYM>") {
        t.term.erase(std::remove(t.term.begin(), t.term.end(), '.'), t.term.end());
      }
    }
  }
};

// --- CJK ---

// Lucene's CJKWidthFilter: full-width ASCII to ASCII, half-width katakana to full width, a
// half-width (semi-)voiced mark combining with the kana before it.
class CjkWidthFilter final : public TokenFilter {
 public:
  void filter(TokenStream* s) const override {
    UErrorCode e = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(e);
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(e);
    if (U_FAILURE(e)) return;
    for (Token& t : s->tokens) {
      bool wide = false;
      for (unsigned char c : t.term) wide = wide || c == 0xEF;  // U+F000..U+FFFF lead byte
      if (!wide) continue;
      std::u16string u = to_utf16(t.term);
      std::u16string out;
      out.reserve(u.size());
      for (char16_t c : u) {
        if (c >= 0xFF01 && c <= 0xFF5E) {
          out.push_back(static_cast<char16_t>(c - 0xFEE0));
        } else if (c >= 0xFF65 && c <= 0xFF9F) {
          if ((c == 0xFF9E || c == 0xFF9F) && !out.empty()) {
            const char16_t prev = out.back();
            if (prev >= 0x30A6 && prev <= 0x30FD) {
              UChar32 composed = nfc->composePair(prev, c == 0xFF9E ? 0x3099 : 0x309A);
              if (composed > 0 && composed != prev) {
                out.back() = static_cast<char16_t>(composed);
                continue;
              }
            }
          }
          icu::UnicodeString d;
          if (nfkc->getDecomposition(c, d) && d.length() == 1) {
            out.push_back(d.charAt(0));
          } else {
            out.push_back(c);
          }
        } else {
          out.push_back(c);
        }
      }
      to_utf8(out, &t.term);
    }
  }
  bool normalizing() const override { return true; }
};

constexpr int kHan = 1, kHiragana = 2, kKatakana = 4, kHangul = 8;

// Lucene's CJKBigramFilter, over the whole stream: runs of adjacent CJK tokens (by offsets) of the
// enabled scripts become overlapping bigrams (<DOUBLE>); a lone character stays a unigram
// (<SINGLE>); with output_unigrams every character is also a unigram and bigrams span two
// positions.
class CjkBigramFilter final : public TokenFilter {
 public:
  CjkBigramFilter(int flags, bool unigrams) : flags_(flags), unigrams_(unigrams) {}

  void filter(TokenStream* s) const override {
    const size_t n = s->tokens.size();
    if (n == 0) return;
    const int64_t final_inc = static_cast<int64_t>(s->end_position) - s->tokens.back().position - 1;
    std::vector<Token> in = std::move(s->tokens);
    std::vector<int64_t> incs(n);
    int64_t prev = -1;
    for (size_t i = 0; i < n; ++i) {
      incs[i] = static_cast<int64_t>(in[i].position) - prev;
      prev = in[i].position;
    }
    struct Out {
      Token t;
      int64_t inc;
    };
    std::vector<Out> out;
    // The buffered code points with their offsets.
    std::vector<char32_t> buf;
    std::vector<uint32_t> starts, ends;
    size_t index = 0;
    uint32_t last_end = 0;
    bool ngram_state = false;
    auto buffered_bigram = [&] { return buf.size() - index > 1; };
    auto buffered_unigram = [&] {
      return unigrams_ ? buf.size() - index == 1 : (buf.size() == 1 && index == 0);
    };
    auto flush_unigram = [&] {
      Token t;
      append_utf8(buf[index], &t.term);
      t.start_offset = starts[index];
      t.end_offset = ends[index];
      t.type = "<SINGLE>";
      out.push_back({std::move(t), 1});
      ++index;
    };
    auto flush_bigram = [&] {
      Token t;
      append_utf8(buf[index], &t.term);
      append_utf8(buf[index + 1], &t.term);
      t.start_offset = starts[index];
      t.end_offset = ends[index + 1];
      t.type = "<DOUBLE>";
      int64_t inc = 1;
      if (unigrams_) {
        inc = 0;
        t.position_length = 2;
      }
      out.push_back({std::move(t), inc});
      ++index;
    };
    auto refill = [&](const Token& t) {
      std::u16string u = to_utf16(t.term);
      uint32_t start = t.start_offset;
      const uint32_t end = t.end_offset;
      const bool aligned = end - start == u.size();
      for (size_t i = 0; i < u.size();) {
        UChar32 c;
        const size_t before = i;
        U16_NEXT(u.data(), i, u.size(), c);
        buf.push_back(static_cast<char32_t>(c));
        starts.push_back(start);
        if (aligned) start += static_cast<uint32_t>(i - before);
        ends.push_back(aligned ? start : end);
      }
      last_end = end;
    };
    size_t next = 0;        // the next input token
    bool lone = false;      // the token at next - 1 was peeked and is to be revisited
    for (;;) {
      if (buffered_bigram()) {
        if (unigrams_) {
          if (ngram_state) {
            flush_bigram();
          } else {
            flush_unigram();
            --index;
          }
          ngram_state = !ngram_state;
        } else {
          flush_bigram();
        }
        continue;
      }
      const Token* t = nullptr;
      int64_t inc = 0;
      if (lone) {
        lone = false;
        t = &in[next - 1];
        inc = incs[next - 1];
      } else if (next < n) {
        t = &in[next];
        inc = incs[next];
        ++next;
      }
      if (t == nullptr) {
        if (buffered_unigram()) {
          flush_unigram();
          continue;
        }
        break;
      }
      if (is_cjk(t->type)) {
        if (t->start_offset != last_end) {
          if (buffered_unigram()) {
            lone = true;
            flush_unigram();
            continue;
          }
          index = 0;
          buf.clear();
          starts.clear();
          ends.clear();
        }
        refill(*t);
      } else {
        if (buffered_unigram()) {
          lone = true;
          flush_unigram();
          continue;
        }
        out.push_back({*t, inc});
      }
    }
    s->tokens.clear();
    int64_t pos = -1;
    for (Out& o : out) {
      pos += o.inc;
      o.t.position = static_cast<uint32_t>(std::max<int64_t>(pos, 0));
      s->tokens.push_back(std::move(o.t));
    }
    s->end_position = static_cast<uint32_t>(std::max<int64_t>(pos + 1 + final_inc, 0));
  }

 private:
  bool is_cjk(std::string_view type) const {
    return ((flags_ & kHan) && type == "<IDEOGRAPHIC>") || ((flags_ & kHiragana) && type == "<HIRAGANA>") ||
           ((flags_ & kKatakana) && type == "<KATAKANA>") || ((flags_ & kHangul) && type == "<HANGUL>");
  }
  int flags_;
  bool unigrams_;
};

void decimal_digit(std::string* term) {
  bool ascii = true;
  for (unsigned char c : *term) ascii = ascii && c < 0x80;
  if (ascii) return;
  std::u32string cps = code_points(*term);
  for (char32_t& c : cps) {
    if (u_charType(static_cast<UChar32>(c)) == U_DECIMAL_DIGIT_NUMBER) {
      c = static_cast<char32_t>(U'0' + u_charDigitValue(static_cast<UChar32>(c)));
    }
  }
  *term = from_code_points(cps);
}

// --- pattern_replace ---

class PatternReplaceFilter final : public TokenFilter {
 public:
  PatternReplaceFilter(std::unique_ptr<icu::RegexPattern> p, icu::UnicodeString replacement, bool all)
      : pattern_(std::move(p)), replacement_(std::move(replacement)), all_(all) {}
  void filter(TokenStream* s) const override {
    UErrorCode e = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(pattern_->matcher(e));
    if (U_FAILURE(e)) return;
    for (Token& t : s->tokens) {
      icu::UnicodeString in = icu::UnicodeString::fromUTF8(t.term);
      e = U_ZERO_ERROR;
      m->reset(in);
      limit_match_time(m.get(), static_cast<size_t>(in.length()));
      if (!m->find(0, e)) continue;
      m->reset(in);
      icu::UnicodeString out = all_ ? m->replaceAll(replacement_, e) : m->replaceFirst(replacement_, e);
      if (U_FAILURE(e)) continue;
      t.term.clear();
      out.toUTF8String(t.term);
    }
  }
  bool normalizing() const override { return true; }

 private:
  std::unique_ptr<icu::RegexPattern> pattern_;
  icu::UnicodeString replacement_;
  bool all_;
};

// --- keyword marking, repeats, duplicates ---

class KeywordSetMarker final : public TokenFilter {
 public:
  KeywordSetMarker(std::unordered_set<std::string> words, bool ignore_case)
      : words_(std::move(words)), ignore_case_(ignore_case) {}
  void filter(TokenStream* s) const override {
    for (Token& t : s->tokens) {
      if (words_.count(ignore_case_ ? lowercase_utf8(t.term) : t.term) > 0) t.keyword = true;
    }
  }

 private:
  std::unordered_set<std::string> words_;
  bool ignore_case_;
};

class KeywordPatternMarker final : public TokenFilter {
 public:
  explicit KeywordPatternMarker(std::unique_ptr<icu::RegexPattern> p) : pattern_(std::move(p)) {}
  void filter(TokenStream* s) const override {
    UErrorCode e = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(pattern_->matcher(e));
    if (U_FAILURE(e)) return;
    for (Token& t : s->tokens) {
      icu::UnicodeString in = icu::UnicodeString::fromUTF8(t.term);
      m->reset(in);
      limit_match_time(m.get(), static_cast<size_t>(in.length()));
      e = U_ZERO_ERROR;
      if (m->matches(e) && U_SUCCESS(e)) t.keyword = true;
    }
  }

 private:
  std::unique_ptr<icu::RegexPattern> pattern_;
};

class KeywordRepeatFilter final : public TokenFilter {
 public:
  void filter(TokenStream* s) const override {
    std::vector<Token> out;
    out.reserve(s->tokens.size() * 2);
    for (Token& t : s->tokens) {
      out.push_back(t);
      out.back().keyword = true;
      out.push_back(std::move(t));
      out.back().keyword = false;
    }
    s->tokens = std::move(out);
  }
};

// remove_duplicates (Lucene's, same term at the same position) and unique (OpenSearch's: a term
// seen anywhere before, or only at the same position); neither keeps the removed increments.
class DuplicatesFilter final : public TokenFilter {
 public:
  explicit DuplicatesFilter(bool same_position_only) : same_position_only_(same_position_only) {}
  void filter(TokenStream* s) const override {
    std::unordered_set<std::string> seen;
    std::vector<bool> keep(s->tokens.size(), true);
    bool any = false;
    int64_t prev = -1;
    for (size_t i = 0; i < s->tokens.size(); ++i) {
      const Token& t = s->tokens[i];
      const bool moved = static_cast<int64_t>(t.position) != prev;
      prev = t.position;
      bool duplicate;
      if (same_position_only_) {
        if (moved) seen.clear();
        duplicate = !moved && seen.count(t.term) > 0;
      } else {
        duplicate = seen.count(t.term) > 0;
      }
      seen.insert(t.term);
      if (duplicate) {
        keep[i] = false;
        any = true;
      }
    }
    if (any) drop_with_increments(s, keep);
  }

 private:
  bool same_position_only_;
};

// --- fingerprint ---

class FingerprintFilter final : public TokenFilter {
 public:
  FingerprintFilter(char16_t separator, int64_t max_size) : separator_(separator), max_size_(max_size) {}
  void filter(TokenStream* s) const override {
    std::vector<std::u16string> unique;
    std::unordered_set<std::string> seen;
    int64_t size = 0;
    for (const Token& t : s->tokens) {
      if (size > max_size_) continue;
      if (!seen.insert(t.term).second) continue;
      std::u16string u = to_utf16(t.term);
      if (!unique.empty()) ++size;
      size += static_cast<int64_t>(u.size());
      unique.push_back(std::move(u));
    }
    const uint32_t end_offset = s->end_offset;
    s->tokens.clear();
    if (unique.empty() || size > max_size_) {
      s->end_position = 1;
      return;
    }
    std::sort(unique.begin(), unique.end());  // UTF-16 code unit order, as Lucene's
    std::u16string joined;
    for (size_t i = 0; i < unique.size(); ++i) {
      if (i > 0) joined.push_back(separator_);
      joined += unique[i];
    }
    Token t;
    to_utf8(joined, &t.term);
    t.start_offset = 0;
    t.end_offset = end_offset;
    t.position = 0;
    t.type = "fingerprint";
    s->tokens.push_back(std::move(t));
    s->end_position = 2;
  }

 private:
  char16_t separator_;
  int64_t max_size_;
};

Result<char16_t> fingerprint_separator(const ComponentSettings& s) {
  auto sep = s.get("separator");
  if (!sep) return u' ';
  std::u16string u = to_utf16(*sep);
  if (u.size() != 1) {
    return invalid_argument("Setting [separator] must be a single, non-null character. [" + *sep + "] was provided.");
  }
  return u[0];
}

// --- analyzers ---

using Values = std::map<std::string, std::string>;

template <typename T>
Result<Named<T>> part(const std::map<std::string, Factory<T>, std::less<>>& types, const std::string& type, Values values) {
  auto it = types.find(type);
  if (it == types.end()) return internal_error("analysis component [" + type + "] is not registered");
  values["type"] = type;
  SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const T> c, it->second(ComponentSettings(type, std::move(values))));
  return Named<T>{type, std::move(c)};
}

// The stopwords settings of an analyzer (stopwords, stopwords.N), or `fallback` as a list.
Values stop_settings(const ComponentSettings& s, const std::vector<std::string_view>& fallback) {
  Values out;
  for (const auto& [k, v] : s.values()) {
    if (k == "stopwords" || k.rfind("stopwords.", 0) == 0 || k == "stopwords_path") out[k] = v;
  }
  if (out.empty()) {
    if (fallback.empty()) {
      out["stopwords"] = "_none_";
    } else {
      for (size_t i = 0; i < fallback.size(); ++i) out["stopwords." + std::to_string(i)] = std::string(fallback[i]);
    }
  }
  return out;
}

Result<std::shared_ptr<const Analyzer>> analyzer_chain(const ComponentSettings& s,
                                                       std::vector<std::pair<std::string, Values>> filters) {
  const ComponentTypes& types = ComponentTypes::get();
  SIFT_ASSIGN_OR_RETURN(Named<Tokenizer> t, part(types.tokenizers, "standard", {}));
  std::vector<Named<TokenFilter>> fs;
  for (auto& [type, values] : filters) {
    SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f, part(types.filters, type, std::move(values)));
    fs.push_back(std::move(f));
  }
  return std::shared_ptr<const Analyzer>(
      std::make_shared<ChainAnalyzer>(s.name(), std::vector<Named<CharFilter>>{}, std::move(t), std::move(fs)));
}

// CJKAnalyzer's default stop set (English articles and such).
const std::vector<std::string_view> kCjkStopWords = {
    "a", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "s", "such", "t", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with", "www"};

}  // namespace

void register_token_filters(ComponentTypes* types) {
  auto& f = types->filters;
  f["uppercase"] = simple(upper_case, true);
  // The plain filter is core_components.cpp's (registered first), which chains fold into their
  // tokenizer; the language variants are here.
  f["lowercase"] = [plain = f.at("lowercase")](const ComponentSettings& s) -> Result<FilterPtr> {
    auto lang = s.get("language");
    if (!lang) return plain(s);
    std::string l = lowercase_utf8(*lang);
    if (l == "greek") return term_filter(greek_lower_case, true);
    if (l == "irish") return term_filter(irish_lower_case, true);
    if (l == "turkish") return term_filter(turkish_lower_case, true);
    return invalid_argument("language [" + *lang + "] not support for lower case");
  };
  f["asciifolding"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    SIFT_ASSIGN_OR_RETURN(bool preserve, s.get_bool("preserve_original", false));
    return FilterPtr(std::make_shared<AsciiFoldingFilter>(preserve));
  };
  f["icu_normalizer"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    const std::string name = s.get_or("name", "nfkc_cf");
    const std::string mode = s.get_or("mode", "compose");
    UErrorCode e = U_ZERO_ERROR;
    const icu::Normalizer2* n =
        icu::Normalizer2::getInstance(nullptr, name.c_str(), mode == "decompose" ? UNORM2_DECOMPOSE : UNORM2_COMPOSE, e);
    if (U_FAILURE(e) || n == nullptr) {
      return invalid_argument("failed to build icu_normalizer [" + s.name() + "]: unknown normalization [" + name + "]");
    }
    SIFT_ASSIGN_OR_RETURN(auto set, unicode_set_filter(s));
    return FilterPtr(std::make_shared<IcuNormalizerFilter>(n, std::move(set)));
  };
  f["length"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    if (s.has("enable_position_increments")) {
      return invalid_argument("enable_position_increments is not supported anymore. Please fix your analysis chain");
    }
    SIFT_ASSIGN_OR_RETURN(int64_t min, s.get_int("min", 0));
    SIFT_ASSIGN_OR_RETURN(int64_t max, s.get_int("max", 2147483647));
    return FilterPtr(std::make_shared<LengthFilter>(min, max));
  };
  f["truncate"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    SIFT_ASSIGN_OR_RETURN(int64_t length, s.get_int("length", preconfigured(s) ? 10 : -1));
    if (length <= 0) return invalid_argument("length parameter must be provided");
    const auto n = static_cast<size_t>(length);
    return term_filter([n](std::string* t) { truncate_to(t, n); }, false);
  };
  f["trim"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    if (s.has("update_offsets")) {
      return invalid_argument("update_offsets is not supported anymore. Please fix your analysis chain");
    }
    return term_filter(trim, true);
  };
  f["reverse"] = simple(reverse, false);
  f["apostrophe"] = simple(apostrophe, false);
  f["decimal_digit"] = simple(decimal_digit, true);
  f["classic"] = [](const ComponentSettings&) -> Result<FilterPtr> { return FilterPtr(std::make_shared<ClassicFilter>()); };
  f["cjk_width"] = [](const ComponentSettings&) -> Result<FilterPtr> {
    return FilterPtr(std::make_shared<CjkWidthFilter>());
  };
  f["elision"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    auto articles = s.get_list("articles");
    if (!articles) {
      if (s.has("articles_path")) return invalid_argument("articles_path is not supported: files on nodes are not available");
      if (!preconfigured(s)) return invalid_argument("elision filter requires [articles] or [articles_path] setting");
      articles = std::vector<std::string>{"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"};
      std::unordered_set<std::string> set(articles->begin(), articles->end());
      return FilterPtr(std::make_shared<ElisionFilter>(std::move(set), true));
    }
    SIFT_ASSIGN_OR_RETURN(bool ignore_case, s.get_bool("articles_case", false));
    std::unordered_set<std::string> set;
    for (const std::string& a : *articles) set.insert(ignore_case ? lowercase_utf8(a) : a);
    return FilterPtr(std::make_shared<ElisionFilter>(std::move(set), ignore_case));
  };
  f["cjk_bigram"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    SIFT_ASSIGN_OR_RETURN(bool unigrams, s.get_bool("output_unigrams", false));
    int flags = kHan | kHiragana | kKatakana | kHangul;
    for (const std::string& script : s.get_list("ignored_scripts").value_or(std::vector<std::string>{})) {
      if (script == "han") flags &= ~kHan;
      if (script == "hiragana") flags &= ~kHiragana;
      if (script == "katakana") flags &= ~kKatakana;
      if (script == "hangul") flags &= ~kHangul;
    }
    return FilterPtr(std::make_shared<CjkBigramFilter>(flags, unigrams));
  };
  f["pattern_replace"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    auto pattern = s.get("pattern");
    if (!pattern) return invalid_argument("pattern is missing for [" + s.name() + "] token filter of type 'pattern_replace'");
    SIFT_ASSIGN_OR_RETURN(auto p, compile_java_regex(*pattern, s.get_or("flags", "")));
    SIFT_ASSIGN_OR_RETURN(bool all, s.get_bool("all", true));
    return FilterPtr(std::make_shared<PatternReplaceFilter>(std::move(p),
                                                            icu::UnicodeString::fromUTF8(s.get_or("replacement", "")), all));
  };
  f["keyword_marker"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    SIFT_ASSIGN_OR_RETURN(bool ignore_case, s.get_bool("ignore_case", false));
    if (auto pattern = s.get("keywords_pattern")) {
      if (s.has("keywords") || s.has("keywords_path")) {
        return invalid_argument("cannot specify both `keywords_pattern` and `keywords` or `keywords_path`");
      }
      SIFT_ASSIGN_OR_RETURN(auto p, compile_java_regex(*pattern, ""));
      return FilterPtr(std::make_shared<KeywordPatternMarker>(std::move(p)));
    }
    auto words = s.get_list("keywords");
    if (!words) {
      if (s.has("keywords_path")) return invalid_argument("keywords_path is not supported: files on nodes are not available");
      return invalid_argument("keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured");
    }
    std::unordered_set<std::string> set;
    for (const std::string& w : *words) set.insert(ignore_case ? lowercase_utf8(w) : w);
    return FilterPtr(std::make_shared<KeywordSetMarker>(std::move(set), ignore_case));
  };
  f["keyword_repeat"] = [](const ComponentSettings&) -> Result<FilterPtr> {
    return FilterPtr(std::make_shared<KeywordRepeatFilter>());
  };
  f["remove_duplicates"] = [](const ComponentSettings&) -> Result<FilterPtr> {
    return FilterPtr(std::make_shared<DuplicatesFilter>(true));
  };
  f["unique"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    SIFT_ASSIGN_OR_RETURN(bool same, s.get_bool("only_on_same_position", false));
    return FilterPtr(std::make_shared<DuplicatesFilter>(same));
  };
  f["fingerprint"] = [](const ComponentSettings& s) -> Result<FilterPtr> {
    SIFT_ASSIGN_OR_RETURN(char16_t sep, fingerprint_separator(s));
    SIFT_ASSIGN_OR_RETURN(int64_t max, s.get_int("max_output_size", 255));
    return FilterPtr(std::make_shared<FingerprintFilter>(sep, max));
  };

  // OpenSearch's FingerprintAnalyzer: standard, lowercase, asciifolding, stop (none by default),
  // fingerprint.
  types->analyzers["fingerprint"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Analyzer>> {
    SIFT_RETURN_IF_ERROR(fingerprint_separator(s).status());
    Values fp;
    for (const char* k : {"separator", "max_output_size"}) {
      if (auto v = s.get(k)) fp[k] = *v;
    }
    return analyzer_chain(s, {{"lowercase", {}}, {"asciifolding", {}}, {"stop", stop_settings(s, {})}, {"fingerprint", fp}});
  };
  // Lucene's CJKAnalyzer: standard, cjk_width, lowercase, cjk_bigram, stop (CJK's default set).
  types->analyzers["cjk"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Analyzer>> {
    return analyzer_chain(s, {{"cjk_width", {}}, {"lowercase", {}}, {"cjk_bigram", {}}, {"stop", stop_settings(s, kCjkStopWords)}});
  };
}

}  // namespace sift::analysis
