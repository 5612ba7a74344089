// The tokenizers OpenSearch has besides standard/keyword/whitespace/letter/lowercase
// (core_components.cpp), with Lucene 8.7's output: icu_tokenizer, pattern, char_group, ngram,
// edge_ngram, path_hierarchy; and the `pattern` analyzer type. Oracle: bench/lucene_oracles/
// TokenizerCheck.java, recorded in tests/unit/analyzers/tokenizer_cases.inc.
#include <unicode/brkiter.h>
#include <unicode/rbbi.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "analyzers/java_regex.h"
#include "analyzers/normalize.h"
#include "analyzers/registry.h"
#include "common/log.h"

namespace sift::analysis {
namespace {

using TokenizerResult = Result<std::shared_ptr<const Tokenizer>>;

// The code point at `i` (an unpaired surrogate stands for itself); `*next` is the index after it.
UChar32 code_point_at(std::u16string_view text, size_t i, size_t* next) {
  UChar32 c = text[i];
  *next = i + 1;
  if (U16_IS_LEAD(c) && i + 1 < text.size() && U16_IS_TRAIL(text[i + 1])) {
    c = U16_GET_SUPPLEMENTARY(c, text[i + 1]);
    *next = i + 2;
  }
  return c;
}

// Java's Character.getType categories by OpenSearch's lower-cased names (ngram token_chars), as
// ICU's categories (Java's numbering skips 17, ICU's does not).
struct NamedCategory {
  const char* name;
  UCharCategory category;
};
constexpr NamedCategory kCategories[] = {
    {"unassigned", U_UNASSIGNED},
    {"uppercase_letter", U_UPPERCASE_LETTER},
    {"lowercase_letter", U_LOWERCASE_LETTER},
    {"titlecase_letter", U_TITLECASE_LETTER},
    {"modifier_letter", U_MODIFIER_LETTER},
    {"other_letter", U_OTHER_LETTER},
    {"non_spacing_mark", U_NON_SPACING_MARK},
    {"enclosing_mark", U_ENCLOSING_MARK},
    {"combining_spacing_mark", U_COMBINING_SPACING_MARK},
    {"decimal_digit_number", U_DECIMAL_DIGIT_NUMBER},
    {"letter_number", U_LETTER_NUMBER},
    {"other_number", U_OTHER_NUMBER},
    {"space_separator", U_SPACE_SEPARATOR},
    {"line_separator", U_LINE_SEPARATOR},
    {"paragraph_separator", U_PARAGRAPH_SEPARATOR},
    {"control", U_CONTROL_CHAR},
    {"format", U_FORMAT_CHAR},
    {"private_use", U_PRIVATE_USE_CHAR},
    {"surrogate", U_SURROGATE},
    {"dash_punctuation", U_DASH_PUNCTUATION},
    {"start_punctuation", U_START_PUNCTUATION},
    {"end_punctuation", U_END_PUNCTUATION},
    {"connector_punctuation", U_CONNECTOR_PUNCTUATION},
    {"other_punctuation", U_OTHER_PUNCTUATION},
    {"math_symbol", U_MATH_SYMBOL},
    {"currency_symbol", U_CURRENCY_SYMBOL},
    {"modifier_symbol", U_MODIFIER_SYMBOL},
    {"other_symbol", U_OTHER_SYMBOL},
    {"initial_quote_punctuation", U_INITIAL_PUNCTUATION},
    {"final_quote_punctuation", U_FINAL_PUNCTUATION},
};

// OpenSearch's CharMatcher.Basic classes (Java's Character predicates; ICU's u_isWhitespace is
// Java's isWhitespace).
bool is_punctuation(UChar32 c) {
  switch (u_charType(c)) {
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION: return true;
    default: return false;
  }
}
bool is_symbol(UChar32 c) {
  switch (u_charType(c)) {
    case U_CURRENCY_SYMBOL:
    case U_MATH_SYMBOL:
    case U_OTHER_SYMBOL:
    case U_MODIFIER_SYMBOL: return true;
    default: return false;
  }
}

// A list setting as OpenSearch's Settings.getAsList reads it: an array, or one string split at commas.
std::vector<std::string> list_setting(const ComponentSettings& s, std::string_view key) {
  std::vector<std::string> out;
  auto list = s.get_list(key);
  if (!list) return out;
  if (s.get(key) && list->size() == 1) {
    const std::string& v = list->front();
    size_t from = 0;
    while (true) {
      size_t comma = v.find(',', from);
      std::string part = v.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
      // Strings.splitStringByCommaToArray keeps the pieces as they are; trimming is the reader's.
      out.push_back(part);
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    return out;
  }
  return *list;
}

// ---------------------------------------------------------------------------------------------
// icu_tokenizer: Lucene's ICUTokenizer with DefaultICUTokenizerConfig(cjkAsWords = true,
// myanmarAsWords = true), what OpenSearch's analysis-icu uses without rule_files.
//
// The text is read in chunks of 4096 UTF-16 units cut after their last whitespace (a longer run
// without whitespace is cut at 4096), as Lucene's tokenizer buffers it. Each chunk is split into
// script runs (common and inherited characters join their neighbours, non-spacing marks their
// base; Han, Hiragana and Katakana count as one script, fullwidth digits as Latin). Han/kana runs
// are segmented by ICU's root word iterator (its CJK dictionary); all others by Lucene's word rules
// below, which leave CJK to that iterator and break Thai, Lao, Khmer and Myanmar by ICU's
// dictionaries. Segments with rule status 0 are not tokens; a segment starting with an emoji
// (keycap bases and ©®™〰〽 only when FE0F or 20E3 follows) is an <EMOJI>.

// Lucene's word rules (its Default.rbbi: UAX#29 word boundaries for Unicode 9 with emoji sequences,
// without ICU's CJK dictionary), restated. Statuses: 100 number, 200 letter, 300 kana, 400 ideograph.
constexpr char16_t kIcuWordRules[] = uR"RULES(
!!chain;
!!quoted_literals_only;

$CR                 = [\p{Word_Break = CR}];
$LF                 = [\p{Word_Break = LF}];
$Newline            = [\p{Word_Break = Newline}];
$Extend             = [\p{Word_Break = Extend}];
$ZWJ                = [\p{Word_Break = ZWJ}];
$RegionalIndicator  = [\p{Word_Break = Regional_Indicator}];
$Format             = [\p{Word_Break = Format}];
$Katakana           = [\p{Word_Break = Katakana}];
$HebrewLetter       = [\p{Word_Break = Hebrew_Letter}];
$ALetter            = [\p{Word_Break = ALetter}];
$SingleQuote        = [\p{Word_Break = Single_Quote}];
$DoubleQuote        = [\p{Word_Break = Double_Quote}];
$MidNumLet          = [\p{Word_Break = MidNumLet}];
$MidLetter          = [\p{Word_Break = MidLetter}];
$MidNum             = [\p{Word_Break = MidNum}];
# Fullwidth decimal digits are numbers too.
$Numeric            = [\p{Word_Break = Numeric} [[:Decomposition_Type = Wide:] & [:General_Category = Decimal_Number:]]];
$ExtendNumLet       = [\p{Word_Break = ExtendNumLet}];
$WSegSpace          = [\p{Word_Break = WSegSpace}];
$ExtPict            = [:ExtPict:];
$Han                = [:Han:];
$Hiragana           = [:Hiragana:];
$Control            = [\p{Grapheme_Cluster_Break = Control}];
$HangulSyllable     = [\uac00-\ud7a3];
$ComplexContext     = [:LineBreak = Complex_Context:];
$Ideographic        = [\p{Ideographic}];

# Runs of these characters go to ICU's dictionary break engines (Thai, Lao, Khmer, Myanmar).
$dictionary         = [$ComplexContext];

# Letters, without the CJK scripts, plus the dictionary scripts' characters.
$Letter             = [$ALetter - [$Han $Hiragana $HangulSyllable] [$ComplexContext - $Extend - $Control]];

# WB4: Extend, Format and ZWJ stay with the character before them.
$Ign                = ($Extend | $Format | $ZWJ);
$KatakanaX          = $Katakana $Ign*;
$HebrewLetterX      = $HebrewLetter $Ign*;
$LetterX            = $Letter $Ign*;
$SingleQuoteX       = $SingleQuote $Ign*;
$DoubleQuoteX       = $DoubleQuote $Ign*;
$MidNumLetX         = $MidNumLet $Ign*;
$MidLetterX         = $MidLetter $Ign*;
$MidNumX            = $MidNum $Ign*;
$NumericX           = $Numeric $Ign*;
$ExtendNumLetX      = $ExtendNumLet $Ign*;
$RegionalIndicatorX = $RegionalIndicator $Ign*;
$HiraganaX          = $Hiragana $Ign*;
$IdeographicX       = $Ideographic $Ign*;

# WB3, WB3c, WB3d.
$CR $LF;
$ZWJ $ExtPict;
$WSegSpace $WSegSpace;

# WB4 at the start of the text or after a character no other rule takes.
[^$CR $LF $Newline]? $Ign+;

# Single characters, with their statuses.
$NumericX {100};
$LetterX {200};
$HangulSyllable {200};
$HebrewLetterX {200};
$KatakanaX {300};
$HiraganaX {300};
$IdeographicX {400};
$ExtPict $Ign*;

# WB5-WB7c: letters, also across one middle character.
($LetterX | $HebrewLetterX) ($LetterX | $HebrewLetterX) {200};
($LetterX | $HebrewLetterX) ($MidLetterX | $MidNumLetX | $SingleQuoteX) ($LetterX | $HebrewLetterX) {200};
$HebrewLetterX $SingleQuoteX {200};
$HebrewLetterX $DoubleQuoteX $HebrewLetterX {200};

# WB8-WB12: numbers, and letters next to numbers.
$NumericX $NumericX {100};
($LetterX | $HebrewLetterX) $NumericX {200};
$NumericX ($LetterX | $HebrewLetterX) {200};
$NumericX ($MidNumX | $MidNumLetX | $SingleQuoteX) $NumericX {100};

# WB13-WB13b: katakana, and connectors (underscore) joining words.
$KatakanaX $KatakanaX {300};
$LetterX $ExtendNumLetX {200};
$HebrewLetterX $ExtendNumLetX {200};
$NumericX $ExtendNumLetX {100};
$KatakanaX $ExtendNumLetX {300};
$ExtendNumLetX $ExtendNumLetX {200};
$ExtendNumLetX $LetterX {200};
$ExtendNumLetX $HebrewLetter {200};
$ExtendNumLetX $NumericX {100};
$ExtendNumLetX $KatakanaX {300};

# WB15-WB17: regional indicators pair up (no chaining into a third).
^$RegionalIndicatorX $RegionalIndicatorX;

# Hangul syllables chain into one word.
$HangulSyllable $HangulSyllable {200};

# Anything else: one code point.
.;
)RULES";

struct IcuPrototypes {
  std::unique_ptr<icu::RuleBasedBreakIterator> words;  // the rules above
  std::unique_ptr<icu::BreakIterator> cjk;             // ICU's root word iterator
  icu::UnicodeSet emoji;                               // [[:Emoji:][:Extended_Pictographic:]]
  icu::UnicodeSet emoji_needs_presentation;            // keycap bases and ©®™〰〽
};

const IcuPrototypes& icu_prototypes() {
  static const IcuPrototypes* p = [] {
    auto* out = new IcuPrototypes;
    UParseError where{};
    UErrorCode status = U_ZERO_ERROR;
    out->words = std::make_unique<icu::RuleBasedBreakIterator>(icu::UnicodeString(kIcuWordRules), where, status);
    if (U_FAILURE(status)) {
      log::error("icu_tokenizer rules do not compile: " + std::string(u_errorName(status)) + " at line " +
                 std::to_string(where.line) + ", offset " + std::to_string(where.offset));
    }
    SIFT_ASSERT(U_SUCCESS(status));
    out->cjk.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    SIFT_ASSERT(U_SUCCESS(status));
    out->emoji.applyPattern(u"[[:Emoji:][:Extended_Pictographic:]]", status);
    out->emoji_needs_presentation.applyPattern(u"[*#0-9\u00A9\u00AE\u2122\u3030\u303D]", status);
    SIFT_ASSERT(U_SUCCESS(status));
    out->emoji.freeze();
    out->emoji_needs_presentation.freeze();
    return out;
  }();
  return *p;
}

constexpr size_t kIcuBuffer = 4096;

class IcuTokenizer final : public Tokenizer {
 public:
  void tokenize(std::u16string_view text, TokenStream* out) const override {
    const IcuPrototypes& proto = icu_prototypes();
    thread_local std::unique_ptr<icu::BreakIterator> words, cjk;
    if (!words) {
      words.reset(proto.words->clone());
      cjk.reset(proto.cjk->clone());
    }
    uint32_t position = 0;
    size_t offset = 0, length = 0, usable = 0, read = 0;
    while (true) {
      // Lucene's refill: keep what follows the last safe point, read up to a full buffer.
      offset += usable;
      const size_t leftover = length - usable;
      const size_t requested = kIcuBuffer - leftover;
      const size_t returned = std::min(requested, text.size() - read);
      read += returned;
      length = leftover + returned;
      if (length == 0) break;
      if (returned < requested) {
        usable = length;
      } else {
        usable = length;
        for (size_t i = length; i-- > 0;) {
          if (u_isWhitespace(text[offset + i])) {
            usable = i + 1;
            break;
          }
        }
      }
      segment_chunk(text, offset, usable, proto, words.get(), cjk.get(), &position, out);
    }
    out->end_position = position;
  }

 private:
  static int32_t script_of(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t script = uscript_getScript(c, &status);
    if (c < 128) return script;
    if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) return USCRIPT_JAPANESE;
    if (c >= 0xFF10 && c <= 0xFF19) return USCRIPT_LATIN;
    return script;
  }

  static const char* type_of(int32_t script, int32_t status) {
    switch (status) {
      case 400: return "<IDEOGRAPHIC>";
      case 300: return script == USCRIPT_HIRAGANA ? "<HIRAGANA>" : "<KATAKANA>";
      case 200: return script == USCRIPT_HANGUL ? "<HANGUL>" : "<ALPHANUM>";
      case 100: return "<NUM>";
      case 299: return "<EMOJI>";
      default: return "<OTHER>";
    }
  }

  static void segment_chunk(std::u16string_view text, size_t base, size_t limit, const IcuPrototypes& proto,
                            icu::BreakIterator* words, icu::BreakIterator* cjk, uint32_t* position, TokenStream* out) {
    std::u16string_view chunk = text.substr(base, limit);
    size_t run_start = 0;
    UText ut = UTEXT_INITIALIZER;
    while (run_start < chunk.size()) {
      // One script run.
      int32_t script = USCRIPT_COMMON;
      size_t i = run_start;
      while (i < chunk.size()) {
        size_t next;
        const UChar32 c = code_point_at(chunk, i, &next);
        const int32_t sc = script_of(c);
        const bool same = script <= USCRIPT_INHERITED || sc <= USCRIPT_INHERITED || script == sc;
        if (!same && u_charType(c) != U_NON_SPACING_MARK) break;
        i = next;
        if (script <= USCRIPT_INHERITED && sc > USCRIPT_INHERITED) script = sc;
      }
      const size_t run_end = i;
      icu::BreakIterator* it = script == USCRIPT_JAPANESE ? cjk : words;
      UErrorCode status = U_ZERO_ERROR;
      utext_openUChars(&ut, chunk.data() + run_start, static_cast<int64_t>(run_end - run_start), &status);
      it->setText(&ut, status);
      if (U_SUCCESS(status)) {
        int32_t prev = it->first();
        for (int32_t b = it->next(); b != icu::BreakIterator::DONE; prev = b, b = it->next()) {
          const size_t s = run_start + static_cast<size_t>(prev), e = run_start + static_cast<size_t>(b);
          int32_t rule = it->getRuleStatus();
          size_t after;
          const UChar32 first = code_point_at(chunk.substr(0, e), s, &after);
          if (proto.emoji.contains(first)) {
            if (!proto.emoji_needs_presentation.contains(first) ||
                (after < e && (chunk[after] == 0xFE0F || chunk[after] == 0x20E3))) {
              rule = 299;
            }
          }
          if (rule == 0) continue;
          append_token(text, base + s, base + e, (*position)++, type_of(script, rule), out);
        }
      }
      run_start = run_end;
    }
    utext_close(&ut);
  }
};

// ---------------------------------------------------------------------------------------------
// Lucene's CharTokenizer over a predicate: runs of token characters, cut after max_len UTF-16 units.
template <typename IsTokenChar>
void char_tokenize(std::u16string_view text, int32_t max_len, const IsTokenChar& is_token_char, TokenStream* out) {
  uint32_t position = 0;
  size_t start = 0, end = 0;
  int32_t length = 0;
  for (size_t i = 0; i < text.size();) {
    size_t next;
    const UChar32 c = code_point_at(text, i, &next);
    if (is_token_char(c)) {
      if (length == 0) start = i;
      end = next;
      length += static_cast<int32_t>(next - i);
      if (length >= max_len) {
        append_token(text, start, end, position++, "word", out);
        length = 0;
      }
    } else if (length > 0) {
      append_token(text, start, end, position++, "word", out);
      length = 0;
    }
    i = next;
  }
  if (length > 0) append_token(text, start, end, position++, "word", out);
  out->end_position = position;
}

// char_group: splits on the given characters and classes.
class CharGroupTokenizer final : public Tokenizer {
 public:
  struct Config {
    std::unordered_set<UChar32> chars;
    bool whitespace = false, letter = false, digit = false, punctuation = false, symbol = false;
    int32_t max_len = 255;
  };
  explicit CharGroupTokenizer(Config c) : c_(std::move(c)) {}
  void tokenize(std::u16string_view text, TokenStream* out) const override {
    char_tokenize(
        text, c_.max_len,
        [this](UChar32 c) {
          if (c_.whitespace && u_isWhitespace(c)) return false;
          if (c_.letter && u_isalpha(c)) return false;
          if (c_.digit && u_isdigit(c)) return false;
          if (c_.punctuation && is_punctuation(c)) return false;
          if (c_.symbol && is_symbol(c)) return false;
          return c_.chars.count(c) == 0;
        },
        out);
  }

 private:
  Config c_;
};

Result<std::shared_ptr<const Tokenizer>> make_char_group(const ComponentSettings& s) {
  CharGroupTokenizer::Config c;
  SIFT_ASSIGN_OR_RETURN(int64_t max_len, s.get_int("max_token_length", 255));
  if (max_len <= 0 || max_len > 1024 * 1024) {
    return invalid_argument("maxTokenLen must be greater than 0 and less than 1048576 passed: " + std::to_string(max_len));
  }
  c.max_len = static_cast<int32_t>(max_len);
  for (const std::string& item : list_setting(s, "tokenize_on_chars")) {
    std::u16string u = to_utf16(item);
    if (u.empty()) return invalid_argument("[tokenize_on_chars] cannot contain empty characters");
    if (u.size() == 1) {
      c.chars.insert(u[0]);
    } else if (u[0] == u'\\') {
      // Java's parseEscapedChar: \\ \n \t \r \b \f and \uXXXX.
      const char16_t e = u[1];
      char16_t ch = 0;
      switch (e) {
        case u'\\': ch = u'\\'; break;
        case u'n': ch = u'\n'; break;
        case u't': ch = u'\t'; break;
        case u'r': ch = u'\r'; break;
        case u'b': ch = u'\b'; break;
        case u'f': ch = u'\f'; break;
        case u'u': {
          if (u.size() > 6) return invalid_argument("Invalid escaped char in [" + item + "]");
          const std::string hex = item.substr(2);
          char* end = nullptr;
          const long v = hex.empty() ? -1 : std::strtol(hex.c_str(), &end, 16);
          if (v < 0 || end == nullptr || *end != '\0') {
            return invalid_argument("For input string: \"" + hex + "\"" + (hex.empty() ? "" : " under radix 16"));
          }
          ch = static_cast<char16_t>(v);
          break;
        }
        default: return invalid_argument("Invalid escaped char " + to_utf8(std::u16string(1, e)) + " in [" + item + "]");
      }
      c.chars.insert(ch);
    } else if (item == "letter") {
      c.letter = true;
    } else if (item == "digit") {
      c.digit = true;
    } else if (item == "whitespace") {
      c.whitespace = true;
    } else if (item == "punctuation") {
      c.punctuation = true;
    } else if (item == "symbol") {
      c.symbol = true;
    } else {
      return invalid_argument("Invalid escaped char in [" + item + "]");
    }
  }
  return std::shared_ptr<const Tokenizer>(std::make_shared<CharGroupTokenizer>(std::move(c)));
}

// ---------------------------------------------------------------------------------------------
// ngram / edge_ngram: Lucene's NGramTokenizer. For each start code point (edge: only those that
// start the text or follow a non-token character), the grams of min..max code points made of token
// characters only, each at the next position.
class NGramTokenizer final : public Tokenizer {
 public:
  struct Classes {
    bool all = true;  // no token_chars: every character is a token character
    bool letter = false, digit = false, whitespace = false, punctuation = false, symbol = false;
    uint32_t categories = 0;  // 1 << UCharCategory
    std::unordered_set<UChar32> custom;
  };
  NGramTokenizer(int32_t min, int32_t max, bool edges, Classes classes)
      : min_(min), max_(max), edges_(edges), classes_(std::move(classes)) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    thread_local std::vector<size_t> starts;  // UTF-16 start of each code point, then the end
    thread_local std::vector<uint8_t> token;
    starts.clear();
    token.clear();
    for (size_t i = 0; i < text.size();) {
      size_t next;
      const UChar32 c = code_point_at(text, i, &next);
      starts.push_back(i);
      token.push_back(is_token_char(c) ? 1 : 0);
      i = next;
    }
    starts.push_back(text.size());
    const size_t n = token.size();
    uint32_t position = 0;
    size_t run_end = 0;  // token characters run from s up to run_end
    for (size_t s = 0; s < n; ++s) {
      if (!token[s]) continue;
      if (edges_ && s > 0 && token[s - 1]) continue;
      if (run_end <= s) {
        run_end = s;
        while (run_end < n && token[run_end]) ++run_end;
      }
      for (int32_t g = min_; g <= max_ && s + static_cast<size_t>(g) <= run_end; ++g) {
        append_token(text, starts[s], starts[s + static_cast<size_t>(g)], position++, "word", out);
      }
    }
    out->end_position = position;
  }

 private:
  bool is_token_char(UChar32 c) const {
    const Classes& k = classes_;
    if (k.all) return true;
    if (k.letter && u_isalpha(c)) return true;
    if (k.digit && u_isdigit(c)) return true;
    if (k.whitespace && u_isWhitespace(c)) return true;
    if (k.punctuation && is_punctuation(c)) return true;
    if (k.symbol && is_symbol(c)) return true;
    if (k.categories != 0 && (k.categories & (1u << u_charType(c))) != 0) return true;
    return k.custom.count(c) > 0;
  }
  int32_t min_, max_;
  bool edges_;
  Classes classes_;
};

// The classes OpenSearch accepts in token_chars, in the order its error message lists them (a
// Java HashSet's).
constexpr const char* kTokenCharsList =
    "[symbol, private_use, paragraph_separator, start_punctuation, unassigned, enclosing_mark, connector_punctuation, "
    "letter_number, other_number, math_symbol, lowercase_letter, space_separator, surrogate, "
    "initial_quote_punctuation, decimal_digit_number, digit, other_punctuation, dash_punctuation, currency_symbol, "
    "non_spacing_mark, custom, format, modifier_letter, control, uppercase_letter, other_symbol, end_punctuation, "
    "modifier_symbol, other_letter, line_separator, titlecase_letter, letter, punctuation, combining_spacing_mark, "
    "final_quote_punctuation, whitespace]";

std::string trim_lower(std::string v) {
  for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  size_t b = 0, e = v.size();
  while (b < e && static_cast<unsigned char>(v[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(v[e - 1]) <= ' ') --e;
  return v.substr(b, e - b);
}

Result<std::shared_ptr<const Tokenizer>> make_ngram(const ComponentSettings& s, bool edges) {
  SIFT_ASSIGN_OR_RETURN(int64_t min, s.get_int("min_gram", 1));
  SIFT_ASSIGN_OR_RETURN(int64_t max, s.get_int("max_gram", 2));
  if (!edges) {
    // OpenSearch checks max_gram - min_gram against the index setting index.max_ngram_diff.
    const int64_t max_diff = s.limits().max_ngram_diff;
    if (max - min > max_diff) {
      return invalid_argument("The difference between max_gram and min_gram in NGram Tokenizer must be less than or "
                              "equal to: [" + std::to_string(max_diff) + "] but was [" + std::to_string(max - min) +
                              "]. This limit can be set by changing the [index.max_ngram_diff] index level setting.");
    }
  }
  NGramTokenizer::Classes classes;
  for (const std::string& raw : list_setting(s, "token_chars")) {
    const std::string name = trim_lower(raw);
    classes.all = false;
    if (name == "letter") {
      classes.letter = true;
    } else if (name == "digit") {
      classes.digit = true;
    } else if (name == "whitespace") {
      classes.whitespace = true;
    } else if (name == "punctuation") {
      classes.punctuation = true;
    } else if (name == "symbol") {
      classes.symbol = true;
    } else if (name == "custom") {
      auto chars = s.get("custom_token_chars");
      if (!chars) return invalid_argument("Token type: 'custom' requires setting `custom_token_chars`");
      // Java's String.chars(): UTF-16 units (a supplementary character never matches).
      for (char16_t u : to_utf16(*chars)) classes.custom.insert(u);
    } else {
      bool found = false;
      for (const NamedCategory& c : kCategories) {
        if (name == c.name) {
          classes.categories |= 1u << c.category;
          found = true;
        }
      }
      if (!found) {
        return invalid_argument("Unknown token type: '" + name + "', must be one of " + kTokenCharsList);
      }
    }
  }
  if (min < 1) return invalid_argument("minGram must be greater than zero");
  if (min > max) return invalid_argument("minGram must not be greater than maxGram");
  return std::shared_ptr<const Tokenizer>(std::make_shared<NGramTokenizer>(static_cast<int32_t>(min),
                                                                           static_cast<int32_t>(max), edges,
                                                                           std::move(classes)));
}

// ---------------------------------------------------------------------------------------------
// path_hierarchy: Lucene's PathHierarchyTokenizer and ReversePathHierarchyTokenizer. All tokens
// share position 0.
class PathHierarchyTokenizer final : public Tokenizer {
 public:
  PathHierarchyTokenizer(char16_t delimiter, char16_t replacement, int32_t skip, bool reverse)
      : delimiter_(delimiter), replacement_(replacement), skip_(skip), reverse_(reverse) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    std::u16string replaced(text);
    for (char16_t& c : replaced) {
      if (c == delimiter_) c = replacement_;
    }
    if (reverse_) {
      tokenize_reverse(text, replaced, out);
    } else {
      tokenize_forward(text, out);
    }
    out->end_position = out->tokens.empty() ? 0 : 1;
  }

 private:
  // Lucene's state machine: `skip` segments are passed over; each token extends the previous one
  // to the next delimiter (a delimiter belongs to the segment it opens).
  void tokenize_forward(std::u16string_view text, TokenStream* out) const {
    const size_t n = text.size();
    std::u16string previous;
    size_t start = 0, i = 0;
    int64_t skipped = 0;
    bool delimiter_pending = false;
    while (true) {
      std::u16string term = previous;
      bool added = false;
      if (delimiter_pending) {
        term += replacement_;
        delimiter_pending = false;
        added = true;
      }
      bool at_end = false;
      while (true) {
        if (i >= n) {
          at_end = true;
          break;
        }
        const char16_t c = text[i++];
        if (!added || c == delimiter_) {
          if (added && skipped > skip_) {
            delimiter_pending = true;
            break;
          }
          added = true;
          ++skipped;
          if (skipped > skip_) {
            term += c == delimiter_ ? replacement_ : c;
          } else {
            ++start;
          }
        } else if (skipped > skip_) {
          term += c;
        } else {
          ++start;
        }
      }
      if (at_end && !(skipped > skip_ && added)) break;
      Token t;
      to_utf8(term, &t.term);
      t.start_offset = static_cast<uint32_t>(start);
      t.end_offset = static_cast<uint32_t>(start + term.size());
      t.position = 0;
      out->tokens.push_back(std::move(t));
      previous = std::move(term);
      if (at_end) break;
    }
  }

  void tokenize_reverse(std::u16string_view text, const std::u16string& replaced, TokenStream* out) const {
    const size_t n = text.size();
    std::vector<size_t> starts{0};
    for (size_t i = 0; i < n; ++i) {
      if (text[i] == delimiter_) starts.push_back(i + 1);
    }
    if (starts.back() < n) starts.push_back(n);
    const int64_t count = static_cast<int64_t>(starts.size());
    const int64_t idx = count - 1 - skip_;
    if (idx < 0) return;
    const size_t end = starts[static_cast<size_t>(idx)];
    for (int64_t k = 0; k < count - skip_ - 1; ++k) emit_term(replaced, starts[static_cast<size_t>(k)], end, out);
  }

  static void emit_term(const std::u16string& replaced, size_t start, size_t end, TokenStream* out) {
    Token t;
    to_utf8(std::u16string_view(replaced).substr(start, end - start), &t.term);
    t.start_offset = static_cast<uint32_t>(start);
    t.end_offset = static_cast<uint32_t>(end);
    t.position = 0;
    out->tokens.push_back(std::move(t));
  }

  char16_t delimiter_, replacement_;
  int32_t skip_;
  bool reverse_;
};

Result<char16_t> one_char(const ComponentSettings& s, const char* key, char16_t fallback, const char* what) {
  auto v = s.get(key);
  if (!v) return fallback;
  std::u16string u = to_utf16(*v);
  if (u.size() != 1) return invalid_argument(std::string(what) + " must be a one char value");
  return u[0];
}

Result<std::shared_ptr<const Tokenizer>> make_path_hierarchy(const ComponentSettings& s) {
  SIFT_ASSIGN_OR_RETURN(int64_t buffer_size, s.get_int("buffer_size", 1024));
  SIFT_ASSIGN_OR_RETURN(char16_t delimiter, one_char(s, "delimiter", u'/', "delimiter"));
  SIFT_ASSIGN_OR_RETURN(char16_t replacement, one_char(s, "replacement", delimiter, "replacement"));
  SIFT_ASSIGN_OR_RETURN(int64_t skip, s.get_int("skip", 0));
  SIFT_ASSIGN_OR_RETURN(bool reverse, s.get_bool("reverse", false));
  if (buffer_size < 0) return invalid_argument("bufferSize cannot be negative");
  if (skip < 0) return invalid_argument("skip cannot be negative");
  return std::shared_ptr<const Tokenizer>(std::make_shared<PathHierarchyTokenizer>(
      delimiter, replacement, static_cast<int32_t>(std::min<int64_t>(skip, INT32_MAX)), reverse));
}

// ---------------------------------------------------------------------------------------------
// pattern: Lucene's PatternTokenizer over a Java regular expression (java_regex.h), run by ICU's
// regex engine.

class PatternTokenizer final : public Tokenizer {
 public:
  PatternTokenizer(std::shared_ptr<const icu::RegexPattern> pattern, int32_t group)
      : pattern_(std::move(pattern)), group_(group) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(pattern_->matcher(status));
    if (U_FAILURE(status)) return;
    const icu::UnicodeString input(false, text.data(), static_cast<int32_t>(text.size()));
    m->reset(input);
    limit_match_time(m.get(), text.size());
    uint32_t position = 0;
    const int32_t n = static_cast<int32_t>(text.size());
    if (group_ >= 0) {
      while (m->find(status) && U_SUCCESS(status)) {
        const int32_t s = m->start(group_, status), e = m->end(group_, status);
        if (U_FAILURE(status) || s < 0 || s == e) continue;
        append_token(text, static_cast<size_t>(s), static_cast<size_t>(e), position++, "word", out);
      }
    } else {
      int32_t index = 0;
      while (index < n) {
        if (m->find(status) && U_SUCCESS(status)) {
          const int32_t s = m->start(status);
          if (s - index > 0) append_token(text, static_cast<size_t>(index), static_cast<size_t>(s), position++, "word", out);
          index = m->end(status);
        } else {
          append_token(text, static_cast<size_t>(index), static_cast<size_t>(n), position++, "word", out);
          break;
        }
      }
    }
    out->end_position = position;
  }

 private:
  std::shared_ptr<const icu::RegexPattern> pattern_;
  int32_t group_;
};

Result<std::shared_ptr<const Tokenizer>> make_pattern(const ComponentSettings& s) {
  SIFT_ASSIGN_OR_RETURN(std::unique_ptr<icu::RegexPattern> compiled,
                        compile_java_regex(s.get_or("pattern", "\\W+"), s.get_or("flags", "")));
  std::shared_ptr<const icu::RegexPattern> pattern(std::move(compiled));
  SIFT_ASSIGN_OR_RETURN(int64_t group, s.get_int("group", -1));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(status));
  const int32_t groups = U_SUCCESS(status) ? m->groupCount() : 0;
  if (group >= 0 && group > groups) {
    return invalid_argument("invalid group specified: pattern only has: " + std::to_string(groups) + " capturing groups");
  }
  return std::shared_ptr<const Tokenizer>(
      std::make_shared<PatternTokenizer>(std::move(pattern), static_cast<int32_t>(std::max<int64_t>(group, -1))));
}

// ---------------------------------------------------------------------------------------------
// The `pattern` analyzer: pattern tokenizer (split mode), lowercase (default on), stop words
// (default none).
Result<std::shared_ptr<const Analyzer>> make_pattern_analyzer(const ComponentSettings& s) {
  const ComponentTypes& types = ComponentTypes::get();
  std::map<std::string, std::string> tokenizer_settings{{"type", "pattern"}};
  if (auto p = s.get("pattern")) tokenizer_settings["pattern"] = *p;
  if (auto f = s.get("flags")) tokenizer_settings["flags"] = *f;
  SIFT_ASSIGN_OR_RETURN(bool lowercase, s.get_bool("lowercase", true));
  auto tokenizer = make_pattern(ComponentSettings("pattern", std::move(tokenizer_settings)));
  if (!tokenizer.is_ok()) return tokenizer.status();
  std::vector<Named<TokenFilter>> filters;
  auto make_filter = [&](const std::string& type, std::map<std::string, std::string> values) -> Status {
    auto it = types.filters.find(type);
    if (it == types.filters.end()) return internal_error("analysis component [" + type + "] is not registered");
    values["type"] = type;
    auto f = it->second(ComponentSettings(type, std::move(values)));
    if (!f.is_ok()) return f.status();
    filters.push_back({type, std::move(*f)});
    return Status::ok();
  };
  if (lowercase) SIFT_RETURN_IF_ERROR(make_filter("lowercase", {}));
  std::map<std::string, std::string> stop;
  for (const auto& [k, v] : s.values()) {
    if (k == "stopwords" || k.rfind("stopwords.", 0) == 0 || k == "stopwords_path" || k == "ignore_case") stop[k] = v;
  }
  if (stop.count("stopwords") > 0 || s.has("stopwords") || stop.count("stopwords_path") > 0) {
    SIFT_RETURN_IF_ERROR(make_filter("stop", std::move(stop)));
  }
  return std::shared_ptr<const Analyzer>(std::make_shared<ChainAnalyzer>(
      s.name(), std::vector<Named<CharFilter>>{}, Named<Tokenizer>{"pattern", std::move(*tokenizer)}, std::move(filters)));
}

}  // namespace

void register_tokenizers(ComponentTypes* types) {
  types->tokenizers["icu_tokenizer"] = [](const ComponentSettings& s) -> TokenizerResult {
    if (s.has("rule_files")) {
      return invalid_argument("[rule_files] of the icu_tokenizer is not supported: rule files cannot be read");
    }
    return std::shared_ptr<const Tokenizer>(std::make_shared<IcuTokenizer>());
  };
  types->tokenizers["pattern"] = make_pattern;
  types->tokenizers["char_group"] = make_char_group;
  types->tokenizers["ngram"] = [](const ComponentSettings& s) { return make_ngram(s, false); };
  types->tokenizers["edge_ngram"] = [](const ComponentSettings& s) { return make_ngram(s, true); };
  types->tokenizers["path_hierarchy"] = make_path_hierarchy;
  types->analyzers["pattern"] = make_pattern_analyzer;
}

}  // namespace sift::analysis
