#include <catch2/catch.hpp>

#include "analyzers/analyzer.h"
#include "analyzers/registry.h"

using sift::analysis::AnalyzerRegistry;
using sift::analysis::Token;

namespace {
std::vector<Token> run(const char* analyzer, std::string_view text) {
  std::vector<Token> out;
  AnalyzerRegistry::builtin()->get(analyzer)->analyze(text, 0, 0, &out);
  return out;
}
}  // namespace

TEST_CASE("standard analyzer splits on word boundaries and lower-cases") {
  auto t = run("standard", "The Quick-Brown fox's 42 jumps!");
  REQUIRE(t.size() == 6);
  CHECK(t[0].term == "the");
  CHECK(t[1].term == "quick");
  CHECK(t[2].term == "brown");
  CHECK(t[3].term == "fox's");
  CHECK(t[4].term == "42");
  CHECK(std::string(t[4].type) == "<NUM>");
  CHECK(t[5].term == "jumps");
  CHECK(t[1].start_offset == 4);
  CHECK(t[1].end_offset == 9);
  CHECK(t[5].position == 5);
}

TEST_CASE("standard analyzer offsets count UTF-16 units") {
  auto t = run("standard", "😀 Über café");
  REQUIRE(t.size() == 3);
  CHECK(t[0].term == "😀");
  CHECK(std::string(t[0].type) == "<EMOJI>");
  CHECK(t[1].term == "über");
  CHECK(t[1].start_offset == 3);  // the emoji is two UTF-16 units, then a space
  CHECK(t[2].term == "café");
  CHECK(t[2].end_offset == 12);
}

TEST_CASE("stop analyzer removes English stop words and leaves position gaps") {
  auto t = run("stop", "the cat and the hat");
  REQUIRE(t.size() == 2);
  CHECK(t[0].term == "cat");
  CHECK(t[0].position == 1);
  CHECK(t[1].term == "hat");
  CHECK(t[1].position == 4);
}

TEST_CASE("simple, whitespace and keyword analyzers") {
  auto s = run("simple", "Foo-bar 42baz");
  REQUIRE(s.size() == 3);
  CHECK(s[2].term == "baz");
  auto w = run("whitespace", "Foo-bar  42baz");
  REQUIRE(w.size() == 2);
  CHECK(w[0].term == "Foo-bar");
  auto k = run("keyword", "Foo Bar");
  REQUIRE(k.size() == 1);
  CHECK(k[0].term == "Foo Bar");
  CHECK(AnalyzerRegistry::builtin()->get("nope") == nullptr);
}

TEST_CASE("long words are cut at 255 characters") {
  std::string w(300, 'a');
  auto t = run("standard", w);
  REQUIRE(t.size() == 2);
  CHECK(t[0].term.size() == 255);
  CHECK(t[1].term.size() == 45);
}

TEST_CASE("whitespace splits on Java's whitespace: no-break spaces stay inside tokens") {
  // Lucene's WhitespaceTokenizer (Character.isWhitespace): U+00A0, U+2007 and U+0085 are no separators,
  // U+3000 and U+001C are.
  auto w = run("whitespace", "a\u00a0b c\u2007d e\u3000f g\u0085h i\u001cj");
  REQUIRE(w.size() == 7);
  CHECK(w[0].term == "a\u00a0b");
  CHECK(w[1].term == "c\u2007d");
  CHECK(w[2].term == "e");
  CHECK(w[4].term == "g\u0085h");
  CHECK(w[6].start_offset == 18);
}

TEST_CASE("simple and whitespace cut tokens at 255 units, as Lucene's CharTokenizer") {
  auto w = run("whitespace", std::string(300, 'b'));
  REQUIRE(w.size() == 2);
  CHECK(w[0].end_offset == 255);
  CHECK(w[1].start_offset == 255);
  CHECK(w[1].end_offset == 300);
  // The check comes after a whole code point: a surrogate pair may take a token to 256 units.
  auto s = run("simple", "x " + std::string(254, 'a') + "\U0001D400bc");
  REQUIRE(s.size() == 3);
  CHECK(s[1].start_offset == 2);
  CHECK(s[1].end_offset == 258);
  CHECK(s[2].term == "bc");
  CHECK(s[2].start_offset == 258);
}

TEST_CASE("a leading lowercase filter folded into the standard tokenizer gives the filter's tokens") {
  // analyze() folds the filter into the tokenizer's pass; trace() runs them one after the other.
  const auto* standard = dynamic_cast<const sift::analysis::ChainAnalyzer*>(AnalyzerRegistry::builtin()->get("standard"));
  REQUIRE(standard != nullptr);
  REQUIRE(standard->filters().size() == 1);
  REQUIRE(standard->filters()[0].component->plain_lowercase());
  for (const char* text : {"The QUICK Brown_Fox 3.14 ÉCOLE Straße ΣΟΦΟΣ İstanbul 😀 ǅemal x@Y.COM",
                           "ALLCAPS", "", "MiXeD  ÀÉÎ 日本語 한국어", "DŽ ǈ ǋ Ω K Å"}) {
    INFO(text);
    std::vector<Token> fused;
    standard->analyze(text, 0, 0, &fused);
    sift::analysis::ChainAnalyzer::Trace trace;
    standard->trace(text, &trace);
    const auto& separate = trace.stages.back().tokens;
    REQUIRE(fused.size() == separate.size());
    for (size_t i = 0; i < fused.size(); ++i) {
      CHECK(fused[i].term == separate[i].term);
      CHECK(fused[i].start_offset == separate[i].start_offset);
      CHECK(fused[i].end_offset == separate[i].end_offset);
      CHECK(fused[i].position == separate[i].position);
      CHECK(std::string(fused[i].type) == separate[i].type);
    }
    CHECK(trace.stages.front().tokens.size() == fused.size());
  }
}
