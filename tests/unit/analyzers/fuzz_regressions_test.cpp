// Reproducers of what the analysis fuzzer (tests/fuzz/analysis_fuzz.cpp) found, each asserting the
// correct output. tests/fuzz/README.md describes every finding.
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/registry.h"
#include "analyzers/utf.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;
using sift::analysis::testing::run;

TEST_CASE("utf16_length counts invalid UTF-8 as to_utf16 decodes it", "[analysis][fuzz]") {
  // Found by the fuzzer on "x\x80\x80y": utf16_length guessed a sequence's length from its first
  // byte and skipped that many bytes, so stray continuation bytes, truncated sequences and bad lead
  // bytes were counted differently from the U+FFFD that to_utf16 (and so every analyzer's final
  // offset) produces for each maximal ill-formed subpart.
  CHECK(utf16_length("x\x80\x80y") == 4);          // x U+FFFD U+FFFD y
  CHECK(utf16_length("ab\xff" "cd") == 5);         // a lead byte that is never valid: one U+FFFD
  CHECK(utf16_length("caf\xc3") == 4);             // truncated at the end
  CHECK(utf16_length("\xf0\x9f\x98 x") == 3);      // a truncated 4-byte sequence is one U+FFFD, not 2 units
  CHECK(utf16_length("\xed\xa0\x80") == 3);        // an encoded surrogate: three U+FFFD
  CHECK(utf16_length("\xf0\x9f\x98\x80") == 2);    // valid supplementary: a surrogate pair
  CHECK(utf16_length("h\xc3\xa9llo") == 5);
  for (const char* s : {"x\x80\x80y", "ab\xff" "cd", "caf\xc3", "\xf0\x9f\x98 x", "\xed\xa0\x80", "\xc0\xaf",
                        "\xf4\x90\x80\x80", "\xe6\x97" "a", "\xf0\x28\x8c\xbc"}) {
    INFO(s);
    CHECK(utf16_length(s) == to_utf16(s).size());
  }
  // The keyword analyzer's token ends where the decoded text ends.
  auto tokens = run(*AnalyzerRegistry::builtin()->get("keyword"), "x\x80\x80y");
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].term == "x\xEF\xBF\xBD\xEF\xBF\xBDy");
  CHECK(tokens[0].end_offset == utf16_length("x\x80\x80y"));
}

TEST_CASE("pattern_replace char filter whose replacement names a missing group leaves the text alone",
          "[analysis][fuzz]") {
  // Found by the fuzzer: a replacement naming a group the pattern lacks ("$2" here; Java throws
  // "No group 2") made ICU fail halfway through appendReplacement. The filter stopped there but kept
  // the half-written replacement and the text after it, without the offset correction for the
  // match, so the token's end offset (5) and the final offset pointed past the 3-unit input.
  auto r = AnalyzerRegistry::from_settings({
      {"index.analysis.char_filter.bad.type", "pattern_replace"},
      {"index.analysis.char_filter.bad.pattern", "b"},
      {"index.analysis.char_filter.bad.replacement", "xyz$2"},
      {"index.analysis.analyzer.a.tokenizer", "whitespace"},
      {"index.analysis.analyzer.a.char_filter.0", "bad"},
  });
  REQUIRE(r.is_ok());
  const Analyzer* a = (*r)->get("a");
  REQUIRE(a != nullptr);
  auto tokens = run(*a, "abc ab");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].term == "abc");
  CHECK(tokens[0].start_offset == 0);
  CHECK(tokens[0].end_offset == 3);
  CHECK(tokens[1].term == "ab");
  CHECK(tokens[1].start_offset == 4);
  CHECK(tokens[1].end_offset == 6);
  TokenStream s;
  a->analyze_stream("abc", &s);
  CHECK(s.end_offset == 3);
}

TEST_CASE("patterns ICU would loop on forever end, with Java's output", "[analysis][fuzz]") {
  // Found by the fuzzer (pattern family, a fuzzed pattern in pattern_replace): ICU 72's matcher never
  // returns for a lazy loop over an empty group followed by a partial match, "()+?ph" on "pa"
  // (Java: no match, at once). Index settings could hang every indexing thread that analyzes such a
  // value. Matchers now carry a time limit (limit_match_time); without it these checks never end.
  auto r = AnalyzerRegistry::from_settings({
      {"index.analysis.tokenizer.pt.type", "pattern"},
      {"index.analysis.tokenizer.pt.pattern", "()+?ph"},
      {"index.analysis.char_filter.pr.type", "pattern_replace"},
      {"index.analysis.char_filter.pr.pattern", "()+?ph"},
      {"index.analysis.char_filter.pr.replacement", "f"},
      {"index.analysis.filter.prf.type", "pattern_replace"},
      {"index.analysis.filter.prf.pattern", "()+?ph"},
      {"index.analysis.filter.prf.replacement", "f"},
      {"index.analysis.analyzer.tok.tokenizer", "pt"},
      {"index.analysis.analyzer.cf.tokenizer", "whitespace"},
      {"index.analysis.analyzer.cf.char_filter.0", "pr"},
      {"index.analysis.analyzer.tf.tokenizer", "whitespace"},
      {"index.analysis.analyzer.tf.filter.0", "prf"},
  });
  REQUIRE(r.is_ok());
  for (const char* name : {"tok", "cf", "tf"}) {
    INFO(name);
    auto tokens = run(*(*r)->get(name), "pa");
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].term == "pa");
    CHECK(tokens[0].start_offset == 0);
    CHECK(tokens[0].end_offset == 2);
  }
  // The limit does not cut linear patterns short on long texts: every match is replaced.
  auto plain = AnalyzerRegistry::from_settings({
      {"index.analysis.char_filter.pr.type", "pattern_replace"},
      {"index.analysis.char_filter.pr.pattern", "p(h)"},
      {"index.analysis.char_filter.pr.replacement", "f$1"},
      {"index.analysis.analyzer.cf.tokenizer", "whitespace"},
      {"index.analysis.analyzer.cf.char_filter.0", "pr"},
  });
  REQUIRE(plain.is_ok());
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "ph pa ";
  auto tokens = run(*(*plain)->get("cf"), text);
  REQUIRE(tokens.size() == 200000);
  size_t replaced = 0;
  for (size_t i = 0; i < tokens.size(); i += 2) replaced += tokens[i].term == "fh" ? 1 : 0;
  CHECK(replaced == 100000);
  CHECK(tokens.back().term == "pa");
  CHECK(tokens.back().start_offset == text.size() - 3);
}

TEST_CASE("simple_pattern with nested repeats is refused at the state limit, not built in full",
          "[analysis][fuzz]") {
  // ((a{999}){999}){999} spells out 10^9 states before determinizing; Lucene stops at its limit.
  for (const char* type : {"simple_pattern", "simple_pattern_split"}) {
    auto r = AnalyzerRegistry::make_tokenizer(
        ComponentSettings("t", {{"type", type}, {"pattern", "((a{999}){999}){999}"}}));
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().reason() == "Determinizing ((a{999}){999}){999} would result in more than 10000 states.");
  }
  // A pattern well inside the limit still builds.
  auto ok = AnalyzerRegistry::make_tokenizer(ComponentSettings("t", {{"type", "simple_pattern"}, {"pattern", "(ab){3,40}"}}));
  CHECK(ok.is_ok());
}

TEST_CASE("simple_pattern with nested unbounded repeats builds at once, as Lucene's minimized repeats",
          "[analysis][fuzz]") {
  // Each `+` used to copy its operand twice: 32 of them meant 2^32 states.
  const std::string pattern = "9" + std::string(32, '+');
  auto t = AnalyzerRegistry::make_tokenizer(ComponentSettings("t", {{"type", "simple_pattern"}, {"pattern", pattern}}));
  REQUIRE(t.is_ok());
  TokenStream s;
  (*t)->tokenize(u"99 x 9", &s);
  REQUIRE(s.tokens.size() == 2);
  CHECK(s.tokens[0].term == "99");
  CHECK(s.tokens[1].term == "9");
  CHECK(s.tokens[1].start_offset == 5);
}
