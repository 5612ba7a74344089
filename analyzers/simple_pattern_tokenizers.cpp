// The `simple_pattern` and `simple_pattern_split` tokenizers: Lucene 8.7's SimplePatternTokenizer
// and SimplePatternSplitTokenizer. The pattern is Lucene's RegExp syntax with all its optional
// operators (& ~ # @ <n-m>; <name> names no automaton here), not Java's: no \d \w \s classes, no
// anchors, no lookaround. It is determinized (at most 10000 states, as Lucene) and run greedily:
// simple_pattern emits the longest match from each position (no match: one character skipped),
// simple_pattern_split emits the text between matches. As Lucene, a scan that reaches the end of the
// text without a match ends the tokenizer (simple_pattern) or the last token (split) there.
//
// Lucene's RegExp compiler lives in query/ (regexp queries), which analyzers/ may not depend on;
// this is a second, smaller parser over code_point_automaton.h.
#include <string>

#include "analyzers/code_point_automaton.h"
#include "analyzers/registry.h"
#include "analyzers/scanner_tokenizers.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

constexpr size_t kMaxDeterminizedStates = 10000;

// Lucene's RegExp parser (RegExp.java's grammar, all flags on), positions in UTF-16 units as its
// error messages count them.
class RegExpParser {
 public:
  explicit RegExpParser(std::u16string s) : s_(std::move(s)) {}

  Result<ReP> parse() {
    if (s_.empty()) return re_empty_string();
    ReP e = union_exp();
    if (error_.empty() && pos_ < s_.size()) fail("end-of-string expected at position " + std::to_string(pos_));
    // Lucene's RegExp determinizes everything but a lone decimal interval of open width, which
    // SimplePatternTokenizer then refuses.
    if (error_.empty() && e == open_width_interval_) fail("please determinize the incoming automaton first");
    if (!error_.empty()) return invalid_argument(error_);
    return e;
  }

 private:
  bool more() const { return pos_ < s_.size(); }
  bool peek(std::u16string_view chars) const { return more() && chars.find(s_[pos_]) != std::u16string_view::npos; }
  bool match(char16_t c) {
    if (more() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char32_t next() {
    if (!more()) {
      fail("unexpected end-of-string");
      return 0;
    }
    return decode_code_point(s_, pos_, &pos_);
  }
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    pos_ = s_.size();
  }

  ReP union_exp() {
    ReP e = inter_exp();
    if (match(u'|')) e = re_alt({e, union_exp()});
    return e;
  }
  ReP inter_exp() {
    ReP e = concat_exp();
    if (match(u'&')) e = re_intersect(e, inter_exp());
    return e;
  }
  ReP concat_exp() {
    ReP e = repeat_exp();
    if (more() && !peek(u")|") && !peek(u"&")) e = re_cat({e, concat_exp()});
    return e;
  }
  bool number(int64_t* out) {
    size_t start = pos_;
    while (peek(u"0123456789")) ++pos_;
    if (start == pos_) return false;
    *out = 0;
    for (size_t i = start; i < pos_; ++i) *out = std::min<int64_t>(*out * 10 + (s_[i] - u'0'), INT32_MAX);
    return true;
  }
  ReP repeat_exp() {
    ReP e = compl_exp();
    while (error_.empty() && peek(u"?*+{")) {
      if (match(u'?')) {
        e = re_opt(e);
      } else if (match(u'*')) {
        e = re_star(e);
      } else if (match(u'+')) {
        e = re_plus(e);
      } else if (match(u'{')) {
        int64_t n = 0, m = -1;
        if (!number(&n)) {
          fail("integer expected at position " + std::to_string(pos_));
          break;
        }
        if (match(u',')) {
          number(&m);
        } else {
          m = n;
        }
        if (!match(u'}')) {
          fail("expected '}' at position " + std::to_string(pos_));
          break;
        }
        if (m >= 0 && n > m) {
          e = re_nothing();
        } else if (n > 1000 || m > 1000) {
          fail("Determinizing " + to_utf8(s_) + " would result in more than 10000 states.");
        } else {
          e = re_repeat(e, static_cast<int32_t>(n), static_cast<int32_t>(m));
        }
      }
    }
    return e;
  }
  ReP compl_exp() {
    if (match(u'~')) return re_complement(compl_exp());
    return char_class_exp();
  }
  ReP char_class_exp() {
    if (!match(u'[')) return simple_exp();
    const bool negate = match(u'^');
    CodePointSet set;
    do {
      char32_t from = char_exp();
      char32_t to = from;
      if (match(u'-')) {
        to = char_exp();
        if (error_.empty() && from > to) {
          fail("invalid range: from (" + std::to_string(from) + ") cannot be > to (" + std::to_string(to) + ")");
        }
      }
      set.push_back({from, to});
    } while (more() && !peek(u"]"));
    if (!match(u']')) fail("expected ']' at position " + std::to_string(pos_));
    return re_set(negate ? complement_set(set) : set);
  }
  char32_t char_exp() {
    match(u'\\');
    return next();
  }
  ReP simple_exp() {
    if (match(u'.')) return re_set({{0, 0x10FFFF}});
    if (match(u'#')) return re_nothing();
    if (match(u'@')) return re_any_string();
    if (match(u'"')) {
      size_t start = pos_;
      while (more() && !peek(u"\"")) ++pos_;
      if (!match(u'"')) {
        fail("expected '\"' at position " + std::to_string(pos_));
        return re_nothing();
      }
      std::u16string_view lit(s_.data() + start, pos_ - 1 - start);
      std::u32string cps;
      for (size_t i = 0; i < lit.size();) cps.push_back(decode_code_point(lit, i, &i));
      return re_str(cps);
    }
    if (match(u'(')) {
      if (match(u')')) return re_empty_string();
      ReP e = union_exp();
      if (!match(u')')) fail("expected ')' at position " + std::to_string(pos_));
      return e;
    }
    if (match(u'<')) return angle_exp();
    return re_char(char_exp());
  }
  // <name> (an automaton by name: none exist here) or <min-max> (a decimal interval).
  ReP angle_exp() {
    size_t start = pos_;
    while (more() && !peek(u">")) ++pos_;
    if (!match(u'>')) {
      fail("expected '>' at position " + std::to_string(pos_));
      return re_nothing();
    }
    std::string body = to_utf8(std::u16string_view(s_.data() + start, pos_ - 1 - start));
    const size_t dash = body.find('-');
    if (dash == std::string::npos) {
      fail("'" + body + "' not found");
      return re_nothing();
    }
    std::string lo = body.substr(0, dash), hi = body.substr(dash + 1);
    auto digits_only = [](const std::string& v) {
      return !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!digits_only(lo) || !digits_only(hi)) {
      fail("interval syntax error at position " + std::to_string(pos_ - 1));
      return re_nothing();
    }
    const size_t digits = lo.size() == hi.size() ? lo.size() : 0;
    int64_t a = std::stoll(lo), b = std::stoll(hi);
    if (a > b) std::swap(a, b);
    ReP e = interval(a, b, digits);
    if (digits == 0) open_width_interval_ = e;
    return e;
  }

  // Equal-length digit strings lo <= hi: the strings between them.
  static ReP fixed_range(const std::string& lo, const std::string& hi) {
    if (lo.empty()) return re_empty_string();
    const std::string lo_rest = lo.substr(1), hi_rest = hi.substr(1);
    if (lo[0] == hi[0]) return re_cat({re_char(static_cast<char32_t>(lo[0])), fixed_range(lo_rest, hi_rest)});
    std::vector<ReP> alts;
    alts.push_back(re_cat({re_char(static_cast<char32_t>(lo[0])), fixed_range(lo_rest, std::string(lo_rest.size(), '9'))}));
    if (hi[0] - lo[0] > 1) {
      alts.push_back(re_cat({re_set({{static_cast<char32_t>(lo[0] + 1), static_cast<char32_t>(hi[0] - 1)}}),
                             re_repeat(re_set({{'0', '9'}}), static_cast<int32_t>(lo_rest.size()),
                                       static_cast<int32_t>(lo_rest.size()))}));
    }
    alts.push_back(re_cat({re_char(static_cast<char32_t>(hi[0])), fixed_range(std::string(hi_rest.size(), '0'), hi_rest)}));
    return re_alt(std::move(alts));
  }
  // Lucene's makeDecimalInterval: `digits` > 0: exactly that many digits, zero-padded; otherwise
  // the number with any number of leading zeros.
  static ReP interval(int64_t a, int64_t b, size_t digits) {
    std::string lo = std::to_string(a), hi = std::to_string(b);
    if (digits > 0) {
      lo.insert(0, digits - lo.size(), '0');
      hi.insert(0, digits - hi.size(), '0');
      return fixed_range(lo, hi);
    }
    std::vector<ReP> widths;
    for (size_t w = lo.size(); w <= hi.size(); ++w) {
      std::string from = w == lo.size() ? lo : "1" + std::string(w - 1, '0');
      std::string to = w == hi.size() ? hi : std::string(w, '9');
      widths.push_back(fixed_range(from, to));
    }
    return re_cat({re_star(re_char('0')), re_alt(std::move(widths))});
  }

  std::u16string s_;
  ReP open_width_interval_;
  size_t pos_ = 0;
  std::string error_;
};

Result<std::shared_ptr<const Dfa>> compile_pattern(const ComponentSettings& s) {
  const std::string pattern = s.get_or("pattern", "");
  RegExpParser parser(to_utf16(pattern));
  SIFT_ASSIGN_OR_RETURN(ReP re, parser.parse());
  auto dfa = Dfa::build({re}, kMaxDeterminizedStates);
  if (!dfa.is_ok()) {
    return invalid_argument("Determinizing " + pattern + " would result in more than " +
                            std::to_string(kMaxDeterminizedStates) + " states.");
  }
  return std::make_shared<const Dfa>(std::move(dfa).value());
}

// The longest match of `dfa` from `from` (its length in UTF-16 units, 0 when none), and whether the
// scan stopped at the end of the text.
size_t longest_match(const Dfa& dfa, std::u16string_view text, size_t from, bool* hit_end) {
  int32_t state = dfa.start();
  size_t i = from, best = 0;
  *hit_end = false;
  while (true) {
    if (i == text.size()) {
      *hit_end = true;
      break;
    }
    state = dfa.step(state, decode_code_point(text, i, &i));
    if (state == Dfa::kDead) break;
    if (dfa.accepts(state)) best = i - from;
  }
  return best;
}

void emit(std::u16string_view text, size_t start, size_t end, TokenStream* out) {
  append_token(text, start, end, static_cast<uint32_t>(out->tokens.size()), "word", out);
}

class SimplePatternTokenizer final : public Tokenizer {
 public:
  explicit SimplePatternTokenizer(std::shared_ptr<const Dfa> dfa) : dfa_(std::move(dfa)) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    size_t p = 0;
    while (p < text.size()) {
      size_t after_first;
      if (dfa_->step(dfa_->start(), decode_code_point(text, p, &after_first)) == Dfa::kDead) {
        p = after_first;
        continue;
      }
      bool hit_end;
      const size_t len = longest_match(*dfa_, text, p, &hit_end);
      if (len > 0) {
        emit(text, p, p + len, out);
        p += len;
      } else if (hit_end) {
        break;  // Lucene gives up here
      } else {
        p += 1;  // all but the first UTF-16 unit scanned again
      }
    }
    out->end_position = static_cast<uint32_t>(out->tokens.size());
  }

 private:
  std::shared_ptr<const Dfa> dfa_;
};

class SimplePatternSplitTokenizer final : public Tokenizer {
 public:
  explicit SimplePatternSplitTokenizer(std::shared_ptr<const Dfa> dfa) : dfa_(std::move(dfa)) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    size_t token_start = 0, p = 0;
    while (true) {
      if (p == text.size()) {
        if (p > token_start) emit(text, token_start, p, out);
        break;
      }
      size_t after_first;
      if (dfa_->step(dfa_->start(), decode_code_point(text, p, &after_first)) == Dfa::kDead) {
        p = after_first;
        continue;
      }
      bool hit_end;
      const size_t len = longest_match(*dfa_, text, p, &hit_end);
      if (len > 0) {
        if (p > token_start) emit(text, token_start, p, out);
        p += len;
        token_start = p;
      } else if (hit_end) {
        if (text.size() > token_start) emit(text, token_start, text.size(), out);
        break;
      } else {
        p += 1;
      }
    }
    out->end_position = static_cast<uint32_t>(out->tokens.size());
  }

 private:
  std::shared_ptr<const Dfa> dfa_;
};

}  // namespace

void register_simple_pattern_tokenizers(ComponentTypes* types) {
  types->tokenizers["simple_pattern"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Tokenizer>> {
    SIFT_ASSIGN_OR_RETURN(auto dfa, compile_pattern(s));
    return std::shared_ptr<const Tokenizer>(std::make_shared<SimplePatternTokenizer>(std::move(dfa)));
  };
  types->tokenizers["simple_pattern_split"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Tokenizer>> {
    SIFT_ASSIGN_OR_RETURN(auto dfa, compile_pattern(s));
    return std::shared_ptr<const Tokenizer>(std::make_shared<SimplePatternSplitTokenizer>(std::move(dfa)));
  };
}

}  // namespace sift::analysis
