#include <catch2/catch.hpp>

#include "analyzers/registry.h"
#include "analyzers/rule_escapes.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;

TEST_CASE("analysis rule escapes decode as OpenSearch's parseString", "[rule_escapes]") {
  CHECK(unescape_rule(u"a\\tb\\u0041\\\\\\=").value() == u"a\tbA\\=");
  CHECK(unescape_rule(u"\\n\\r\\b\\f").value() == u"\n\r\b\f");
  CHECK(unescape_rule(u"x\\").status().reason() == "Invalid escaped char in [x\\]");
  CHECK(unescape_rule(u"\\u00").status().reason() == "Invalid escaped char in [\\u00]");
  CHECK(unescape_rule(u"\\u00G1").status().reason() == "For input string: \"00G1\"");
}

TEST_CASE("mapping and type_table rules share the escapes", "[rule_escapes]") {
  auto r = AnalyzerRegistry::from_settings({
      {"index.analysis.char_filter.m.type", "mapping"},
      {"index.analysis.char_filter.m.mappings.0", "\\u0041 => \\t"},
      {"index.analysis.filter.w.type", "word_delimiter_graph"},
      {"index.analysis.filter.w.type_table.0", "\\u002D => ALPHA"},
      {"index.analysis.analyzer.a.tokenizer", "whitespace"},
      {"index.analysis.analyzer.a.char_filter.0", "m"},
      {"index.analysis.analyzer.a.filter.0", "w"},
  });
  REQUIRE(r.is_ok());
  // "A" became a tab, splitting "x" from "y"; "-" is a letter for the word delimiter, so "a-b" stays.
  CHECK(testing::terms(testing::run(*(*r)->get("a"), "xAy a-b")) == std::vector<std::string>{"x", "y", "a-b"});
  auto bad = AnalyzerRegistry::from_settings({{"index.analysis.filter.w.type", "word_delimiter"},
                                              {"index.analysis.filter.w.type_table.0", "\\u12 => ALPHA"}});
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason() == "Invalid escaped char in [\\u12]");
}
