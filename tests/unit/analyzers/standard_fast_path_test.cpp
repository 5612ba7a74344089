// The standard tokenizer's ASCII fast path against ICU running the same rules on the whole text
// (standard_tokenize_icu): every span and type must be equal. The alphabet mixes each ASCII class
// (letters, digits, `_`, the middle characters, `"` `#` `*`, separators) with the non-ASCII
// characters that join them (combining marks, ZWJ, keycap, variation selector, Hebrew, Han,
// Hangul, emoji), so both paths meet at every kind of stretch boundary.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "analyzers/standard_tokenizer.h"
#include "analyzers/utf.h"

using sift::analysis::StandardSpan;

namespace {

std::string describe(const std::vector<StandardSpan>& spans) {
  std::string out;
  for (const StandardSpan& s : spans) {
    out += std::to_string(s.start) + "-" + std::to_string(s.end) + ":" + sift::analysis::standard_token_type_name(s.type) + " ";
  }
  return out;
}

void check_same(const std::u16string& text, int32_t max_len) {
  std::vector<StandardSpan> fast, icu;
  sift::analysis::standard_tokenize(text, max_len, &fast);
  sift::analysis::standard_tokenize_icu(text, max_len, &icu);
  INFO("text [" << sift::analysis::to_utf8(text) << "] max_token_length " << max_len);
  REQUIRE(describe(fast) == describe(icu));
}

}  // namespace

TEST_CASE("standard fast path: every ASCII character between letters and digits", "[standard][fast_path]") {
  for (char16_t c = 0; c < 128; ++c) {
    for (const std::u16string& left : {u"a", u"1", u"_", u"", u"\u05D0", u"a\u0301"}) {
      for (const std::u16string& right : {u"b", u"2", u"_", u"", u"\u05D1", u"\u20E3", u"\uFE0F\u20E3"}) {
        check_same(left + c + right, 255);
        check_same(left + c + c + right, 255);
      }
    }
  }
}

TEST_CASE("standard fast path: random mixed text equals ICU", "[standard][fast_path]") {
  const std::vector<std::u16string> alphabet = {
      u"a", u"Z", u"q", u"0", u"7", u"_", u":", u".", u",", u";", u"'", u"\"", u"#", u"*", u" ", u"-", u"\t", u"@",
      u"/", u"\n", u"é", u"\u0301", u"\u200D", u"\u20E3", u"\uFE0F", u"\u05D0", u"\u4E2D", u"\uD55C", u"\U0001F600",
      u"\U0001F3FB", u"\u00AD", u"\u30A2", u"\u3042", u"\u0E01", u"\U0001F1FA", u"\u2019", u"\uFF0E"};
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(1, 16);
  for (int n = 0; n < 40000; ++n) {
    std::u16string text;
    for (int k = length(rng); k > 0; --k) {
      // Mostly ASCII, as real text is, so long ASCII stretches meet the non-ASCII characters.
      text += pick(rng) % 3 == 0 ? alphabet[pick(rng)] : alphabet[pick(rng) % 20];
    }
    check_same(text, n % 7 == 0 ? 1 + static_cast<int32_t>(n % 5) : 255);
  }
}

TEST_CASE("standard fast path: long tokens are cut where ICU cuts them", "[standard][fast_path]") {
  const std::u16string word = u"abc1.5_x'y:z,9;8";
  for (int32_t max_len = 1; max_len <= 20; ++max_len) {
    check_same(word, max_len);
    check_same(word + u" " + word + u"\u0301" + word, max_len);
    check_same(u"__" + word + u"__", max_len);
  }
}
