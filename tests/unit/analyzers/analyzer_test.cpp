#include <catch2/catch.hpp>

#include "analyzers/analyzer.h"

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
  REQUIRE(t.size() == 2);
  CHECK(t[0].term == "über");
  CHECK(t[0].start_offset == 3);  // the emoji is two UTF-16 units, then a space
  CHECK(t[1].term == "café");
  CHECK(t[1].end_offset == 12);
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
