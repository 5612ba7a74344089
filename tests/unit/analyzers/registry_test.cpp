#include <catch2/catch.hpp>

#include "analyzers/registry.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;
using sift::analysis::testing::run;
using sift::analysis::testing::terms;

TEST_CASE("a custom analyzer from index settings chains its parts") {
  auto r = AnalyzerRegistry::from_settings({
      {"index.number_of_shards", "1"},
      {"index.analysis.analyzer.my.type", "custom"},
      {"index.analysis.analyzer.my.tokenizer", "whitespace"},
      {"index.analysis.analyzer.my.filter.0", "lowercase"},
      {"index.analysis.analyzer.my.filter.1", "my_stop"},
      {"index.analysis.analyzer.my.position_increment_gap", "7"},
      {"index.analysis.filter.my_stop.type", "stop"},
      {"index.analysis.filter.my_stop.stopwords.0", "the"},
      {"index.analysis.filter.my_stop.stopwords.1", "b"},
  });
  REQUIRE(r.is_ok());
  const Analyzer* a = (*r)->get("my");
  REQUIRE(a != nullptr);
  auto tokens = run(*a, "The A-b  B Fox");
  CHECK(terms(tokens) == std::vector<std::string>{"a-b", "fox"});
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].position == 1);  // "the" leaves its position unused
  CHECK(tokens[1].position == 3);
  CHECK(tokens[1].start_offset == 11);
  CHECK(tokens[1].end_offset == 14);
  CHECK(a->position_increment_gap() == 7);
  // The built-ins stay reachable, and the default is standard.
  CHECK((*r)->get("standard") != nullptr);
  CHECK(&(*r)->default_analyzer() == AnalyzerRegistry::builtin()->get("standard"));
  CHECK((*r)->get("nope") == nullptr);
}

TEST_CASE("an index's default and default_search analyzers") {
  auto r = AnalyzerRegistry::from_settings({
      {"index.analysis.analyzer.default.tokenizer", "whitespace"},
      {"index.analysis.analyzer.default_search.type", "keyword"},
  });
  REQUIRE(r.is_ok());
  CHECK(terms(run((*r)->default_analyzer(), "A b")) == std::vector<std::string>{"A", "b"});
  CHECK(terms(run((*r)->default_search_analyzer(), "A b")) == std::vector<std::string>{"A b"});
}

TEST_CASE("analysis settings errors name the component, as OpenSearch's") {
  auto error = [](std::map<std::string, std::string> s) {
    auto r = AnalyzerRegistry::from_settings(s);
    REQUIRE_FALSE(r.is_ok());
    return r.status().reason();
  };
  CHECK(error({{"index.analysis.analyzer.a.filter.0", "lowercase"}}) ==
        "analyzer [a] must specify either an analyzer type, or a tokenizer");
  CHECK(error({{"index.analysis.analyzer.a.tokenizer", "nope"}}) ==
        "Custom Analyzer [a] failed to find tokenizer under name [nope]");
  CHECK(error({{"index.analysis.analyzer.a.tokenizer", "standard"}, {"index.analysis.analyzer.a.filter", "nope"}}) ==
        "Custom Analyzer [a] failed to find filter under name [nope]");
  CHECK(error({{"index.analysis.analyzer.a.tokenizer", "standard"}, {"index.analysis.analyzer.a.char_filter", "nope"}}) ==
        "Custom Analyzer [a] failed to find char_filter under name [nope]");
  CHECK(error({{"index.analysis.analyzer.a.type", "nope"}}) == "Unknown analyzer type [nope] for [a]");
  CHECK(error({{"index.analysis.filter.f.type", "nope"}}) == "Unknown filter type [nope] for [f]");
  CHECK(error({{"index.analysis.filter.f.stopwords", "x"}}) ==
        "filter [f] must specify either an analyzer type, or a tokenizer");
  CHECK(error({{"index.analysis.normalizer.n.filter", "stop"}}) == "Custom normalizer [n] may not use filter [stop]");
  CHECK(error({{"index.analysis.filter.s.type", "stop"}, {"index.analysis.filter.s.ignore_case", "maybe"}}) ==
        "Failed to parse value [maybe] as only [true] or [false] are allowed.");
}

TEST_CASE("normalizers and Analyzer::normalize apply only character-level steps") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.normalizer.n.filter.0", "lowercase"}});
  REQUIRE(r.is_ok());
  const Analyzer* n = (*r)->normalizer("n");
  REQUIRE(n != nullptr);
  CHECK(terms(run(*n, "Hello World")) == std::vector<std::string>{"hello world"});
  CHECK(n->normalize("ÉCOLE") == "école");
  CHECK((*r)->normalizer("lowercase") != nullptr);
  CHECK((*r)->normalizer("nope") == nullptr);
  // stop is not a normalizing filter: `stop`'s normalize lower-cases and keeps stop words.
  CHECK(AnalyzerRegistry::builtin()->get("stop")->normalize("The") == "the");
  CHECK(AnalyzerRegistry::builtin()->get("standard")->normalize("Foo-Bar") == "foo-bar");
}

TEST_CASE("offset maps correct char-filtered offsets back to the input") {
  OffsetMap m;
  CHECK(m.correct(5) == 5);
  m.add(3, 2);   // from output offset 3 on, input is 2 further
  m.add(10, -1);
  CHECK(m.correct(0) == 0);
  CHECK(m.correct(2) == 2);
  CHECK(m.correct(3) == 5);
  CHECK(m.correct(9) == 11);
  CHECK(m.correct(10) == 9);
}

TEST_CASE("component settings read lists, numbers and booleans") {
  ComponentSettings s("x", {{"type", "stop"}, {"w.1", "b"}, {"w.0", "a"}, {"one", "z"}, {"n", "12"}, {"bad", "1x"}});
  CHECK(s.get_list("w") == std::vector<std::string>{"a", "b"});
  CHECK(s.get_list("one") == std::vector<std::string>{"z"});
  CHECK_FALSE(s.get_list("none").has_value());
  CHECK(s.get_int("n", 0).value() == 12);
  CHECK(s.get_int("missing", 5).value() == 5);
  CHECK_FALSE(s.get_int("bad", 0).is_ok());
  CHECK(s.type() == "stop");
  CHECK(s.has("w"));
}

TEST_CASE("index.max_ngram_diff and index.max_shingle_diff bound ngram and shingle components") {
  const std::map<std::string, std::string> ngrams{{"index.analysis.tokenizer.tri.type", "ngram"},
                                                  {"index.analysis.tokenizer.tri.min_gram", "1"},
                                                  {"index.analysis.tokenizer.tri.max_gram", "4"},
                                                  {"index.analysis.analyzer.a.tokenizer", "tri"}};
  auto refused = AnalyzerRegistry::from_settings(ngrams);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().reason() ==
        "The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [1] but was "
        "[3]. This limit can be set by changing the [index.max_ngram_diff] index level setting.");
  auto raised = ngrams;
  raised["index.max_ngram_diff"] = "3";
  auto r = AnalyzerRegistry::from_settings(raised);
  REQUIRE(r.is_ok());
  CHECK(terms(run(*(*r)->get("a"), "abcd")) ==
        std::vector<std::string>{"a", "ab", "abc", "abcd", "b", "bc", "bcd", "c", "cd", "d"});

  std::map<std::string, std::string> filter{{"index.analysis.filter.ng.type", "ngram"},
                                            {"index.analysis.filter.ng.min_gram", "2"},
                                            {"index.analysis.filter.ng.max_gram", "5"},
                                            {"index.analysis.analyzer.a.tokenizer", "whitespace"},
                                            {"index.analysis.analyzer.a.filter.0", "ng"}};
  CHECK_FALSE(AnalyzerRegistry::from_settings(filter).is_ok());
  filter["index.max_ngram_diff"] = "3";
  CHECK(AnalyzerRegistry::from_settings(filter).is_ok());

  std::map<std::string, std::string> shingles{{"index.analysis.filter.sh.type", "shingle"},
                                              {"index.analysis.filter.sh.min_shingle_size", "2"},
                                              {"index.analysis.filter.sh.max_shingle_size", "5"},
                                              {"index.analysis.analyzer.a.tokenizer", "whitespace"},
                                              {"index.analysis.analyzer.a.filter.0", "sh"}};
  auto shingle_refused = AnalyzerRegistry::from_settings(shingles);
  REQUIRE_FALSE(shingle_refused.is_ok());
  CHECK(shingle_refused.status().reason().find("must be less than or equal to: [3] but was [4]") != std::string::npos);
  shingles["index.max_shingle_diff"] = "4";
  CHECK(AnalyzerRegistry::from_settings(shingles).is_ok());

  shingles["index.max_shingle_diff"] = "four";
  auto bad = AnalyzerRegistry::from_settings(shingles);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason() == "Failed to parse value [four] for setting [index.max_shingle_diff]");
}
