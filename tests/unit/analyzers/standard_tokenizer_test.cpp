// The standard tokenizer against Lucene 8.7's StandardAnalyzer: every expectation below is what
// Lucene emits for the same text (bench/analyzer_parity.py, /work/shared/bench/lucene), written as
// "term start end type position" with offsets in UTF-16 units.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "analyzers/registry.h"
#include "analyzers/standard_tokenizer.h"

using sift::analysis::AnalyzerRegistry;
using sift::analysis::Token;

namespace {

std::vector<std::string> standard(std::string_view text) {
  std::vector<Token> tokens;
  AnalyzerRegistry::builtin()->get("standard")->analyze(text, 0, 0, &tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) {
    out.push_back(t.term + " " + std::to_string(t.start_offset) + " " + std::to_string(t.end_offset) + " " + t.type +
                  " " + std::to_string(t.position));
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("standard: '@' separates words and is dropped") {
  CHECK(standard("mail foo@example.com or @stake, not @") ==
        V{"mail 0 4 <ALPHANUM> 0", "foo 5 8 <ALPHANUM> 1", "example.com 9 20 <ALPHANUM> 2", "or 21 23 <ALPHANUM> 3",
          "stake 25 30 <ALPHANUM> 4", "not 32 35 <ALPHANUM> 5"});
}

TEST_CASE("standard: a colon between letters is MidLetter (UAX#29 WB6/WB7)") {
  CHECK(standard("x:xs news:comp.soft 12:30 a::b") ==
        V{"x:xs 0 4 <ALPHANUM> 0", "news:comp.soft 5 19 <ALPHANUM> 1", "12 20 22 <NUM> 2", "30 23 25 <NUM> 3",
          "a 26 27 <ALPHANUM> 4", "b 29 30 <ALPHANUM> 5"});
}

TEST_CASE("standard: underscores join words but are no token alone") {
  CHECK(standard("____ a_b _1 __init__ x_") == V{"a_b 5 8 <ALPHANUM> 0", "_1 9 11 <NUM> 1",
                                                 "__init__ 12 20 <ALPHANUM> 2", "x_ 21 23 <ALPHANUM> 3"});
}

TEST_CASE("standard: numbers and words with digits") {
  CHECK(standard("3.14 1,000 1.2.3 v2.0 tty1 1_000") ==
        V{"3.14 0 4 <NUM> 0", "1,000 5 10 <NUM> 1", "1.2.3 11 16 <NUM> 2", "v2.0 17 21 <ALPHANUM> 3",
          "tty1 22 26 <ALPHANUM> 4", "1_000 27 32 <NUM> 5"});
}

TEST_CASE("standard: one token per Han or Hiragana character, katakana runs stay whole") {
  CHECK(standard("日本語のテキストです") ==
        V{"日 0 1 <IDEOGRAPHIC> 0", "本 1 2 <IDEOGRAPHIC> 1", "語 2 3 <IDEOGRAPHIC> 2", "の 3 4 <HIRAGANA> 3",
          "テキスト 4 8 <KATAKANA> 4", "で 8 9 <HIRAGANA> 5", "す 9 10 <HIRAGANA> 6"});
}

TEST_CASE("standard: Hangul, Thai and halfwidth katakana") {
  CHECK(standard("한국어 ภาษาไทย ｶﾀｶﾅ") ==
        V{"한국어 0 3 <HANGUL> 0", "ภาษาไทย 4 11 <SOUTHEAST_ASIAN> 1", "ｶﾀｶﾅ 12 16 <KATAKANA> 2"});
}

TEST_CASE("standard: Hebrew quotes (WB7a-WB7c)") {
  CHECK(standard("צה\"ל א'1") == V{"צה\"ל 0 4 <ALPHANUM> 0", "א'1 5 8 <ALPHANUM> 1"});
}

TEST_CASE("standard: emoji and symbols are tokens") {
  CHECK(standard("© 🔬 ⚠ ✔ ™") == V{"© 0 1 <EMOJI> 0", "🔬 2 4 <EMOJI> 1", "⚠ 5 6 <EMOJI> 2", "✔ 7 8 <EMOJI> 3",
                                     "™ 9 10 <EMOJI> 4"});
  CHECK(standard("abc😀def") == V{"abc 0 3 <ALPHANUM> 0", "😀 3 5 <EMOJI> 1", "def 5 8 <ALPHANUM> 2"});
  CHECK(standard("😀 Über café") == V{"😀 0 2 <EMOJI> 0", "über 3 7 <ALPHANUM> 1", "café 8 12 <ALPHANUM> 2"});
}

TEST_CASE("standard: emoji sequences (ZWJ, skin tone, flags, keycap, tags)") {
  const std::string england = "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";  // a tag sequence
  CHECK(standard("👨\u200d👩\u200d👧 👍🏽 🇩🇪🇫🇷🇮 1️⃣ " + england) ==
        V{"👨\u200d👩\u200d👧 0 8 <EMOJI> 0", "👍🏽 9 13 <EMOJI> 1", "🇩🇪 14 18 <EMOJI> 2", "🇫🇷 18 22 <EMOJI> 3",
          "1️⃣ 25 28 <EMOJI> 4", england + " 29 43 <EMOJI> 5"});
  // A leading ZWJ belongs to the pictograph; a text-style selector (FE0E) is left out; a skin tone
  // after a presentation selector stands alone.
  CHECK(standard("\u200d😀 ☺\ufe0e 👍\ufe0f🏽") ==
        V{"\u200d😀 0 3 <EMOJI> 0", "☺ 4 5 <EMOJI> 1", "👍\ufe0f 7 10 <EMOJI> 2", "🏽 10 12 <EMOJI> 3"});
}

TEST_CASE("standard: character tables are Unicode 9.0 (emoji 11.0), as Lucene 8's") {
  // U+11D00 (Masaram Gondi, Unicode 10) is no token; U+1F971 was reserved as a pictograph already;
  // U+02C2 became ALetter in Unicode 11; U+1FAF6 takes a skin tone only since Emoji 15.
  CHECK(standard("\U00011D00 🥱 ˂x 🫶🏽") ==
        V{"🥱 3 5 <EMOJI> 0", "x 7 8 <ALPHANUM> 1", "🫶 9 11 <EMOJI> 2", "🏽 11 13 <EMOJI> 3"});
}

TEST_CASE("standard: a token longer than 255 units is cut at the longest token within 255") {
  // 253 letters, '.', 10 letters: the first token is "a..a.a" (255 units), the rest starts after it.
  auto t = standard(std::string(253, 'a') + "." + std::string(10, 'a'));
  REQUIRE(t.size() == 2);
  CHECK(t[0] == std::string(253, 'a') + ".a 0 255 <ALPHANUM> 0");
  CHECK(t[1] == std::string(9, 'a') + " 255 264 <ALPHANUM> 1");
  // A surrogate pair does not fit in the last unit: the cut comes before it.
  t = standard(std::string(254, 'a') + "\U0001D400bb");
  REQUIRE(t.size() == 2);
  CHECK(t[0] == std::string(254, 'a') + " 0 254 <ALPHANUM> 0");
  CHECK(t[1] == "\U0001D400bb 254 258 <ALPHANUM> 1");
}

TEST_CASE("standard_tokenize honours other max token lengths") {
  std::u16string text = u"abcdefghijk lm";
  std::vector<sift::analysis::StandardSpan> spans;
  sift::analysis::standard_tokenize(text, 5, &spans);
  REQUIRE(spans.size() == 4);
  CHECK(spans[0].start == 0);
  CHECK(spans[0].end == 5);
  CHECK(spans[1].end == 10);
  CHECK(spans[2].start == 10);
  CHECK(spans[2].end == 11);
  CHECK(spans[3].start == 12);
  CHECK(spans[3].end == 14);
}

TEST_CASE("standard: offset base and first position shift the tokens") {
  std::vector<Token> tokens;
  AnalyzerRegistry::builtin()->get("standard")->analyze("a 😀", 7, 100, &tokens);
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[1].position == 8);
  CHECK(tokens[1].start_offset == 102);
  CHECK(tokens[1].end_offset == 104);
}

TEST_CASE("standard: concurrent analysis gives the same tokens") {
  const std::string text = "The x:xs 👍🏽 日本語 foo@bar.com 3.14";
  const auto expected = standard(text);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      int good = 0;
      for (int n = 0; n < 200; ++n) good += standard(text) == expected;
      ok[i] = good;
    });
  }
  for (auto& t : threads) t.join();
  for (int good : ok) CHECK(good == 200);
}
