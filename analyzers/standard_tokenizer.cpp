#include "analyzers/standard_tokenizer.h"

#include <unicode/rbbi.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "common/log.h"
#include "common/status.h"

namespace sift::analysis {
namespace {

// The rules, for ICU's RuleBasedBreakIterator without chaining: from each boundary the iterator
// takes the longest text that one rule matches (as a scanner does), or one code point when none
// does. Written from UAX#29 (word boundaries) and UTS#51 (emoji sequences).
constexpr char16_t kRules[] = uR"RULES(
# Unicode 9.0, the version of Lucene 8's tables: characters assigned since then are not part of
# any token, and the few whose Word_Break value changed since keep their 9.0 value (the modifier
# letters and Armenian marks that became ALetter in 11.0, the emoji modifiers that became Extend).
$V9            = [\p{Age = 9.0}];
$EmojiModifier = [\p{Emoji_Modifier}];
$ALetterSince9 = [\u02C2-\u02C5 \u02D2-\u02D7 \u02DE-\u02DF \u02E5-\u02EB \u02ED \u02EF-\u02FF \u055A-\u055C
                  \u055E \u058A \u1CF2-\u1CF3 \uA708-\uA716 \uA720-\uA721 \uA789-\uA78A \uAB5B];
$Extend        = [[[[\p{Word_Break = Extend}] & $V9] - $EmojiModifier - [\U000111C9]] \u1CF2\u1CF3];
$Format        = [[\p{Word_Break = Format}] & $V9];
$ZWJ           = [[\p{Word_Break = ZWJ}] & $V9];
$ALetter       = [[[\p{Word_Break = ALetter}] & $V9] - $ALetterSince9];
$Hebrew_Letter = [[\p{Word_Break = Hebrew_Letter}] & $V9];
$Numeric       = [[\p{Word_Break = Numeric}] & $V9];
$Katakana      = [[\p{Word_Break = Katakana}] & $V9];
$ExtendNumLet  = [[\p{Word_Break = ExtendNumLet}] & $V9];
$MidLetter     = [[[\p{Word_Break = MidLetter}] & $V9] - [\u055F] \u02D7];
$MidNum        = [[\p{Word_Break = MidNum}] & $V9];
$MidNumLet     = [[\p{Word_Break = MidNumLet}] & $V9];
$Single_Quote  = [[\p{Word_Break = Single_Quote}] & $V9];
$Double_Quote  = [[\p{Word_Break = Double_Quote}] & $V9];
$Regional_Indicator = [[\p{Word_Break = Regional_Indicator}] & $V9];
$Han           = [[\p{Script = Han}] & $V9];
$Hiragana      = [[\p{Script = Hiragana}] & $V9];
$Hangul        = [[\p{Script = Hangul}] & $ALetter];
$ComplexContext = [[\p{Line_Break = Complex_Context}] & $V9];

# Emoji (UTS#51 11.0): Extended_Pictographic covers the code points reserved for future pictographs
# too; 11.0 still reserved the block U+1FB00..U+1FBFF, assigned to legacy computing symbols since.
$Emoji          = [[\p{Emoji} \p{Extended_Pictographic} \U0001FB00-\U0001FBFF] - [0-9\#*] - $Regional_Indicator];
$KeycapBase     = [0-9\#*];

# WB4: Extend, Format and ZWJ belong to the character before them.
$ExtFmtZwj      = [$Extend $Format $ZWJ];
$AHLetterEx     = [$ALetter $Hebrew_Letter] $ExtFmtZwj*;
$HebrewLetterEx = $Hebrew_Letter $ExtFmtZwj*;
$NumericEx      = $Numeric $ExtFmtZwj*;
$KatakanaEx     = $Katakana $ExtFmtZwj*;
$HangulEx       = $Hangul $ExtFmtZwj*;
$ExtendNumLetEx = $ExtendNumLet $ExtFmtZwj*;
$MidLetterEx    = [$MidLetter $MidNumLet $Single_Quote] $ExtFmtZwj*;
$MidNumericEx   = [$MidNum $MidNumLet $Single_Quote] $ExtFmtZwj*;
$SingleQuoteEx  = $Single_Quote $ExtFmtZwj*;
$DoubleQuoteEx  = $Double_Quote $ExtFmtZwj*;
$RegionalIndicatorEx = $Regional_Indicator $ExtFmtZwj*;
$HanEx          = $Han $ExtFmtZwj*;
$HiraganaEx     = $Hiragana $ExtFmtZwj*;
$ComplexContextEx = $ComplexContext $ExtFmtZwj*;

# Rule statuses (type_of below): the type that wins a tie has the larger status, as ICU reports the
# largest status of the rules that match the longest text. Status 0 (no status): not a token.

# WB5-WB7c, WB8-WB12: letters and numbers, joined directly or across one middle character.
$LetterRun  = $AHLetterEx ($MidLetterEx? $AHLetterEx)*;
$NumberRun  = $NumericEx ($MidNumericEx? $NumericEx)*;
$HebrewUnit = $HebrewLetterEx ($SingleQuoteEx | $DoubleQuoteEx $HebrewLetterEx);
$WordCore   = ($KatakanaEx+ | ($HebrewUnit | $NumberRun | $LetterRun)+);

# UTS#51: emoji characters, presentation and modifier sequences, ZWJ and tag sequences, keycaps, flags.
# As in Lucene (checked against it, see bench/analyzer_parity.py): Extend/Format characters other than
# the variation selectors stay with the emoji before them; a presentation selector (FE0F) ends an
# element, so a skin tone after it stands alone and only a ZWJ or a tag sequence may follow; ZWJs
# before a pictograph belong to it; a flag is one pair of regional indicators.
# Emoji_Modifier_Base as of Emoji 11.0: later versions made these take skin tones too.
$EmojiModifierBase = [[\p{Emoji_Modifier_Base}] - [\U0001F46A-\U0001F46D \U0001F46F \U0001F48F \U0001F491 \U0001F90C
                      \U0001F90F \U0001F91D \U0001F93C \U0001F977 \U0001F9BB \U0001F9CD-\U0001F9CF \U0001FAC3-\U0001FAC5
                      \U0001FAF0-\U0001FAF8]];
$Pictograph    = [$Emoji - $EmojiModifier];
$EmojiExt      = [$ExtFmtZwj - [\uFE0E\uFE0F]];
$PictographEx  = $Pictograph $EmojiExt* \uFE0F?;
$ModifierSeqEx = $EmojiModifierBase $EmojiExt* $EmojiModifier $EmojiExt*;
$ModifierEx    = $EmojiModifier $EmojiExt*;
$ZwjElement    = (\u200D* ($PictographEx | $ModifierSeqEx) | $ModifierEx);

$ZwjElement ((\u200D $ZwjElement)* | [\U000E0020-\U000E007E]+ \U000E007F) {800};
$KeycapBase $EmojiExt* \uFE0F? \u20E3 $EmojiExt* {800};
$RegionalIndicatorEx $RegionalIndicatorEx {800};

# WB13a, WB13b: ExtendNumLet joins anything above.
$ExtendNumLetEx* $NumberRun ($ExtendNumLetEx+ $NumberRun)* $ExtendNumLetEx* {700};
$HangulEx+ {600};
$KatakanaEx+ {500};
$ExtendNumLetEx* $WordCore ($ExtendNumLetEx+ $WordCore)* $ExtendNumLetEx* {400};
$ComplexContextEx+ {300};
$HanEx {200};
$HiraganaEx {100};
)RULES";

std::unique_ptr<icu::RuleBasedBreakIterator> compile_rules() {
  UParseError where{};
  UErrorCode status = U_ZERO_ERROR;
  auto it = std::make_unique<icu::RuleBasedBreakIterator>(icu::UnicodeString(kRules), where, status);
  if (U_FAILURE(status)) {
    log::error("standard tokenizer rules do not compile: " + std::string(u_errorName(status)) + " at rule line " +
               std::to_string(where.line) + ", offset " + std::to_string(where.offset));
  }
  SIFT_ASSERT(U_SUCCESS(status));
  return it;
}

// The compiled rules, shared; each thread iterates with its own clones.
const icu::RuleBasedBreakIterator& prototype() {
  static const std::unique_ptr<icu::RuleBasedBreakIterator> proto = compile_rules();
  return *proto;
}

bool type_of(int32_t rule_status, StandardTokenType* type) {
  switch (rule_status) {
    case 800: *type = StandardTokenType::kEmoji; return true;
    case 700: *type = StandardTokenType::kNum; return true;
    case 600: *type = StandardTokenType::kHangul; return true;
    case 500: *type = StandardTokenType::kKatakana; return true;
    case 400: *type = StandardTokenType::kAlphanum; return true;
    case 300: *type = StandardTokenType::kSoutheastAsian; return true;
    case 200: *type = StandardTokenType::kIdeographic; return true;
    case 100: *type = StandardTokenType::kHiragana; return true;
    default: return false;
  }
}

}  // namespace

const char* standard_token_type_name(StandardTokenType type) {
  switch (type) {
    case StandardTokenType::kEmoji: return "<EMOJI>";
    case StandardTokenType::kNum: return "<NUM>";
    case StandardTokenType::kHangul: return "<HANGUL>";
    case StandardTokenType::kKatakana: return "<KATAKANA>";
    case StandardTokenType::kAlphanum: return "<ALPHANUM>";
    case StandardTokenType::kSoutheastAsian: return "<SOUTHEAST_ASIAN>";
    case StandardTokenType::kIdeographic: return "<IDEOGRAPHIC>";
    case StandardTokenType::kHiragana: return "<HIRAGANA>";
  }
  return "<ALPHANUM>";
}

namespace {

// ICU over a stretch of text that starts at a boundary and ends at one.
void tokenize_with_icu(std::u16string_view text, int32_t offset, int32_t max_token_length,
                       std::vector<StandardSpan>* out) {
  if (text.empty()) return;
  // `iter` walks the text; `window` finds where Lucene cuts a token that is too long.
  thread_local std::unique_ptr<icu::RuleBasedBreakIterator> iter, window;
  if (!iter) {
    iter.reset(prototype().clone());
    window.reset(prototype().clone());
  }
  UText ut = UTEXT_INITIALIZER, wt = UTEXT_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t base = 0;
  while (base < n) {
    utext_openUChars(&ut, text.data() + base, n - base, &status);
    iter->setText(&ut, status);
    if (U_FAILURE(status)) break;
    int32_t start = 0, restart = -1;
    for (int32_t end = iter->next(); end != icu::BreakIterator::DONE; start = end, end = iter->next()) {
      int32_t rule = iter->getRuleStatus();
      if (end - start > max_token_length) {
        // Lucene's scanner sees at most max_token_length units from the token's start: the token is
        // the longest match within them, and scanning resumes right after it.
        utext_openUChars(&wt, text.data() + base + start, max_token_length, &status);
        window->setText(&wt, status);
        end = start + window->next();
        rule = window->getRuleStatus();
        restart = end;
      }
      StandardTokenType type;
      if (type_of(rule, &type)) out->push_back({offset + base + start, offset + base + end, type});
      if (restart >= 0) break;
    }
    if (restart < 0) break;
    base += restart;
  }
  utext_close(&ut);
  utext_close(&wt);
}

// The ASCII fast path. Most ASCII characters (spaces, controls, most punctuation) take no part in
// any rule above: no token contains one and no match starts with one, so each is a boundary on
// both sides and the text between two of them (a stretch) segments on its own. A stretch of the
// other ASCII characters (letters, digits, `_`, the middle characters `:` `.` `,` `;` `'`, and
// `"` `#` `*`, which join only non-ASCII neighbours) is segmented by the rules restricted to ASCII,
// a DFA over character classes; a stretch with a non-ASCII character goes to ICU. The unit tests
// compare both paths on every ASCII character in context and on random mixed text.
enum AsciiClass : uint8_t {
  kSeparator,   // a boundary on both sides
  kLetter,      // ALetter
  kDigit,       // Numeric
  kUnderscore,  // ExtendNumLet
  kMidLetter,   // `:` joins letters
  kMidNum,      // `,` `;` join digits
  kMidBoth,     // `.` `'` join letters or digits
  kInert,       // `"` `#` `*`: in no ASCII-only token, but may join non-ASCII neighbours
  kNonAscii,
  kClasses
};

constexpr std::array<uint8_t, 128> make_ascii_classes() {
  std::array<uint8_t, 128> c{};
  for (int i = 'a'; i <= 'z'; ++i) c[i] = kLetter;
  for (int i = 'A'; i <= 'Z'; ++i) c[i] = kLetter;
  for (int i = '0'; i <= '9'; ++i) c[i] = kDigit;
  c['_'] = kUnderscore;
  c[':'] = kMidLetter;
  c[','] = kMidNum;
  c[';'] = kMidNum;
  c['.'] = kMidBoth;
  c['\''] = kMidBoth;
  c['"'] = kInert;
  c['#'] = kInert;
  c['*'] = kInert;
  return c;
}
constexpr std::array<uint8_t, 128> kAsciiClass = make_ascii_classes();

inline uint8_t class_of(char16_t c) { return c < 128 ? kAsciiClass[c] : kNonAscii; }

// The DFA of the token rules on ASCII: U* W (U+ W)* U*, W = (letters (mid? letters)* | digits
// (mid? digits)*)+. kFail: no rule continues.
enum State : uint8_t { kFail, kStart, kLeadingUnderscores, kInLetters, kInDigits, kAfterUnderscore, kLetterMid, kDigitMid, kStates };

constexpr bool accepting(uint8_t s) { return s == kInLetters || s == kInDigits || s == kAfterUnderscore; }

constexpr std::array<std::array<uint8_t, kClasses>, kStates> make_transitions() {
  std::array<std::array<uint8_t, kClasses>, kStates> t{};  // all kFail
  for (uint8_t s = kStart; s < kStates; ++s) {
    if (s != kDigitMid) t[s][kLetter] = kInLetters;
    if (s != kLetterMid) t[s][kDigit] = kInDigits;
  }
  t[kStart][kUnderscore] = t[kLeadingUnderscores][kUnderscore] = kLeadingUnderscores;
  t[kInLetters][kUnderscore] = t[kInDigits][kUnderscore] = t[kAfterUnderscore][kUnderscore] = kAfterUnderscore;
  t[kInLetters][kMidLetter] = t[kInLetters][kMidBoth] = kLetterMid;
  t[kInDigits][kMidNum] = t[kInDigits][kMidBoth] = kDigitMid;
  return t;
}
constexpr auto kTransitions = make_transitions();

// The longest token starting at `text[start]` within `text[start, limit)`: its end, or `start` when
// no rule matches (the segmentation then moves one character on). `has_letter` tells <ALPHANUM>
// from <NUM>: a token of digits, underscores and middle characters between digits is a number.
// The match stops at a non-ASCII character.
inline int32_t match_ascii(const char16_t* text, int32_t start, int32_t limit, bool* has_letter) {
  uint8_t state = kStart;
  int32_t accepted = start;
  bool letters = false;
  for (int32_t i = start; i < limit; ++i) {
    const uint8_t c = class_of(text[i]);
    state = kTransitions[state][c];
    if (state == kFail) break;
    letters |= c == kLetter;
    if (accepting(state)) {
      accepted = i + 1;
      *has_letter = letters;
    }
  }
  return accepted;
}

inline bool is_separator(char16_t c) { return c < 128 && kAsciiClass[c] == kSeparator; }

// The end of the stretch that contains `i`.
int32_t stretch_end(std::u16string_view text, int32_t i) {
  const auto n = static_cast<int32_t>(text.size());
  while (i < n && !is_separator(text[i])) ++i;
  return i;
}

}  // namespace

void standard_tokenize_icu(std::u16string_view text, int32_t max_token_length, std::vector<StandardSpan>* out) {
  tokenize_with_icu(text, 0, std::max<int32_t>(1, max_token_length), out);
}

void standard_tokenize(std::u16string_view text, int32_t max_token_length, std::vector<StandardSpan>* out) {
  max_token_length = std::max<int32_t>(1, max_token_length);
  const auto n = static_cast<int32_t>(text.size());
  const char16_t* p = text.data();
  const size_t first_span = out->size();
  int32_t stretch_begin = 0;  // where the stretch of position i began
  int32_t i = 0;
  while (i < n) {
    const uint8_t c = class_of(p[i]);
    if (c == kSeparator) {
      stretch_begin = ++i;
      continue;
    }
    if (c == kNonAscii) {
      // The whole stretch goes to ICU, with the tokens the fast path found in it taken back, and
      // so do the stretches after it up to one that is all ASCII (separators are boundaries to
      // ICU as well), so that text in other scripts does not pay for one ICU pass per word.
      while (out->size() > first_span && out->back().start >= stretch_begin) out->pop_back();
      int32_t end = stretch_end(text, i);
      for (int32_t next = end; next < n;) {
        while (next < n && is_separator(p[next])) ++next;
        const int32_t next_end = stretch_end(text, next);
        bool ascii = true;
        for (int32_t k = next; k < next_end && ascii; ++k) ascii = p[k] < 128;
        if (ascii) break;
        end = next = next_end;
      }
      tokenize_with_icu(text.substr(stretch_begin, end - stretch_begin), stretch_begin, max_token_length, out);
      i = stretch_begin = end;
      continue;
    }
    bool has_letter = false;
    const int32_t end = match_ascii(p, i, std::min(n, i + max_token_length), &has_letter);
    if (end == i) {
      ++i;
      continue;
    }
    out->push_back({i, end, has_letter ? StandardTokenType::kAlphanum : StandardTokenType::kNum});
    i = end;
  }
}

}  // namespace sift::analysis
