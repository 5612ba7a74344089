#include <catch2/catch.hpp>

#include "analyzers/registry.h"

using namespace sift::analysis;

namespace {

std::string error(std::map<std::string, std::string> s) {
  auto r = AnalyzerRegistry::from_settings(s);
  REQUIRE_FALSE(r.is_ok());
  return r.status().reason();
}

}  // namespace

TEST_CASE("char filter settings errors are OpenSearch's", "[char_filters]") {
  const std::string c = "index.analysis.char_filter.c.";
  CHECK(error({{c + "type", "mapping"}}) == "mapping requires either `mappings` or `mappings_path` to be configured");
  CHECK(error({{c + "type", "mapping"}, {c + "mappings", "a -> b"}}) == "Invalid Mapping Rule : [a -> b]");
  CHECK(error({{c + "type", "mapping"}, {c + "mappings.0", "a => b"}, {c + "mappings.1", "a => c"}}) ==
        "match \"a\" was already added");
  CHECK(error({{c + "type", "mapping"}, {c + "mappings", " => b"}}) == "cannot match the empty string");
  CHECK(error({{c + "type", "mapping"}, {c + "mappings", "a\\ => b"}}) == "Invalid escaped char in [a\\]");
  CHECK(error({{c + "type", "pattern_replace"}}) == "pattern is missing for [c] char filter of type 'pattern_replace'");
}

TEST_CASE("mapping and pattern_replace normalize, html_strip does not", "[char_filters]") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.t.tokenizer", "keyword"},
                                            {"index.analysis.analyzer.t.char_filter.0", "html_strip"},
                                            {"index.analysis.analyzer.t.char_filter.1", "m"},
                                            {"index.analysis.analyzer.t.char_filter.2", "p"},
                                            {"index.analysis.char_filter.m.type", "mapping"},
                                            {"index.analysis.char_filter.m.mappings", "x => yy"},
                                            {"index.analysis.char_filter.p.type", "pattern_replace"},
                                            {"index.analysis.char_filter.p.pattern", "y+"},
                                            {"index.analysis.char_filter.p.replacement", "z"}});
  REQUIRE(r.is_ok());
  CHECK((*r)->get("t")->normalize("<b>x</b>") == "<b>z</b>");
  TokenStream s;
  (*r)->get("t")->analyze_stream("<b>x</b>", &s);
  REQUIRE(s.tokens.size() == 1);
  CHECK(s.tokens[0].term == "z");
  CHECK(s.tokens[0].start_offset == 3);
  CHECK(s.tokens[0].end_offset == 8);
}
