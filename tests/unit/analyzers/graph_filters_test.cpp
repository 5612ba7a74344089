// Graph token filters (analyzers/graph_filters.cpp) against Lucene 8.7's output, recorded by
// bench/lucene_oracles/GraphFilterCheck.java into graph_filter_cases.inc.
#include <catch2/catch.hpp>

#include <sstream>

#include "analyzers/registry.h"

using namespace sift::analysis;

namespace {

struct ExpectedToken {
  std::string term;
  uint32_t start, end, position, length;
  std::string type;
};

struct Case {
  std::string tokenizer;
  std::vector<std::vector<std::pair<std::string, std::string>>> filters;
  std::string text;
  std::vector<ExpectedToken> tokens;
};

constexpr std::string_view kCases =
#include "graph_filter_cases.inc"
    ;

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

// The recorded cases: "C tokenizer text", "F key value ..." per filter, "T term start end pos len type".
const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    std::vector<Case> out;
    size_t at = 0;
    while (at < kCases.size()) {
      size_t nl = kCases.find('\n', at);
      if (nl == std::string_view::npos) nl = kCases.size();
      const std::string_view line = kCases.substr(at, nl - at);
      at = nl + 1;
      if (line.size() < 2) continue;
      std::vector<std::string> f = split_tabs(line);
      if (f[0] == "C") {
        out.push_back({f.at(1), {}, f.size() > 2 ? f[2] : "", {}});
      } else if (f[0] == "F") {
        auto& filter = out.back().filters.emplace_back();
        for (size_t i = 1; i + 1 < f.size(); i += 2) filter.emplace_back(f[i], f[i + 1]);
      } else if (f[0] == "T") {
        out.back().tokens.push_back({f.at(1), static_cast<uint32_t>(std::stoul(f.at(2))),
                                     static_cast<uint32_t>(std::stoul(f.at(3))), static_cast<uint32_t>(std::stoul(f.at(4))),
                                     static_cast<uint32_t>(std::stoul(f.at(5))), f.at(6)});
      }
    }
    return out;
  }();
  return all;
}

std::map<std::string, std::string> chain_settings(const std::string& tokenizer,
                                                  const std::vector<std::vector<std::pair<std::string, std::string>>>& filters) {
  std::map<std::string, std::string> s{{"index.analysis.analyzer.a.tokenizer", tokenizer}};
  for (size_t i = 0; i < filters.size(); ++i) {
    const std::string name = "f" + std::to_string(i);
    s["index.analysis.analyzer.a.filter." + std::to_string(i)] = name;
    for (const auto& [k, v] : filters[i]) s["index.analysis.filter." + name + "." + k] = v;
  }
  return s;
}

std::string describe(const std::vector<Token>& tokens) {
  std::ostringstream o;
  for (const Token& t : tokens) {
    o << "[" << t.term << " " << t.start_offset << "-" << t.end_offset << " @" << t.position << "+" << t.position_length
      << " " << t.type << "] ";
  }
  return o.str();
}

std::string describe(const std::vector<ExpectedToken>& tokens) {
  std::ostringstream o;
  for (const auto& t : tokens) {
    o << "[" << t.term << " " << t.start << "-" << t.end << " @" << t.position << "+" << t.length << " " << t.type << "] ";
  }
  return o.str();
}

std::string error_of(std::map<std::string, std::string> settings) {
  auto r = AnalyzerRegistry::from_settings(settings);
  REQUIRE_FALSE(r.is_ok());
  return r.status().reason();
}

std::vector<Token> run(const std::map<std::string, std::string>& settings, std::string_view text) {
  auto r = AnalyzerRegistry::from_settings(settings);
  REQUIRE(r.is_ok());
  std::vector<Token> out;
  (*r)->get("a")->analyze(text, 0, 0, &out);
  return out;
}

}  // namespace

TEST_CASE("graph filters equal Lucene 8.7 token for token", "[graph_filters]") {
  size_t checked = 0;
  for (const Case& c : cases()) {
    auto settings = chain_settings(c.tokenizer, c.filters);
    std::string chain;
    for (const auto& f : c.filters) {
      for (const auto& [k, v] : f) chain += k + "=" + v + " ";
      chain += "| ";
    }
    INFO(c.tokenizer << " | " << chain << " text: " << c.text);
    auto r = AnalyzerRegistry::from_settings(settings);
    if (!r.is_ok()) {
      FAIL_CHECK(r.status().reason());
      continue;
    }
    std::vector<Token> got;
    (*r)->get("a")->analyze(c.text, 0, 0, &got);
    CHECK(describe(got) == describe(c.tokens));
    ++checked;
  }
  CHECK(checked == cases().size());
  CHECK(checked > 1000);
}

TEST_CASE("graph filter settings errors are OpenSearch's", "[graph_filters]") {
  auto with = [](std::map<std::string, std::string> filter) {
    std::map<std::string, std::string> s{{"index.analysis.analyzer.a.tokenizer", "whitespace"},
                                         {"index.analysis.analyzer.a.filter.0", "f"}};
    for (auto& [k, v] : filter) s["index.analysis.filter.f." + k] = v;
    return s;
  };
  CHECK(error_of(with({{"type", "synonym_graph"}})) ==
        "synonym requires either `synonyms` or `synonyms_path` to be configured");
  CHECK(error_of(with({{"type", "synonym"}, {"synonyms_path", "analysis/syn.txt"}})).find("synonyms_path") !=
        std::string::npos);
  CHECK(error_of(with({{"type", "synonym"}, {"synonyms.0", "a => b => c"}})) == "failed to build synonyms");
  CHECK(error_of(with({{"type", "synonym"}, {"synonyms.0", "a, , b"}})) == "failed to build synonyms");
  CHECK(error_of(with({{"type", "synonym_graph"}, {"format", "wordnet"}, {"synonyms.0", "junk"}})) ==
        "failed to build synonyms");
  CHECK(error_of(with({{"type", "synonym"}, {"synonyms.0", "a, b"}, {"expand", "maybe"}})) ==
        "Failed to parse value [maybe] as only [true] or [false] are allowed.");
  CHECK(error_of(with({{"type", "ngram"}, {"min_gram", "1"}, {"max_gram", "3"}})) ==
        "The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [1] but was "
        "[2]. This limit can be set by changing the [index.max_ngram_diff] index level setting.");
  CHECK(error_of(with({{"type", "ngram"}, {"min_gram", "0"}, {"max_gram", "1"}})) == "minGram must be greater than zero");
  CHECK(error_of(with({{"type", "edge_ngram"}, {"min_gram", "3"}, {"max_gram", "2"}})) ==
        "minGram must not be greater than maxGram");
  CHECK(error_of(with({{"type", "edge_ngram"}, {"side", "middle"}})) == "invalid side: middle");
  CHECK(error_of(with({{"type", "shingle"}, {"max_shingle_size", "5"}})) ==
        "In Shingle TokenFilter the difference between max_shingle_size and min_shingle_size (and +1 if outputting "
        "unigrams) must be less than or equal to: [3] but was [4]. This limit can be set by changing the "
        "[index.max_shingle_diff] index level setting.");
  CHECK(error_of(with({{"type", "shingle"}, {"min_shingle_size", "1"}})) == "Min shingle size must be >= 2");
  CHECK(error_of(with({{"type", "shingle"}, {"min_shingle_size", "3"}})) == "Min shingle size must be <= max shingle size");
  CHECK(error_of(with({{"type", "word_delimiter_graph"}, {"type_table.0", "ab => DIGIT"}})) ==
        "Invalid Mapping Rule : [ab => DIGIT]. Only a single character is allowed.");
  CHECK(error_of(with({{"type", "word_delimiter"}, {"type_table.0", "a => NOPE"}})) ==
        "Invalid Mapping Rule : [a => NOPE]. Illegal type.");
  CHECK(error_of(with({{"type", "nGram"}})).find("Please change the filter name to [ngram] instead.") != std::string::npos);
}

TEST_CASE("filters that cannot parse synonyms reject a later synonym filter", "[graph_filters]") {
  for (const char* type : {"word_delimiter_graph", "word_delimiter", "shingle", "ngram", "edge_ngram"}) {
    INFO(type);
    CHECK(error_of({{"index.analysis.analyzer.a.tokenizer", "whitespace"},
                    {"index.analysis.analyzer.a.filter.0", "before"},
                    {"index.analysis.analyzer.a.filter.1", "syn"},
                    {"index.analysis.filter.before.type", type},
                    {"index.analysis.filter.syn.type", "synonym_graph"},
                    {"index.analysis.filter.syn.synonyms.0", "a, b"}}) ==
          "Token filter [before] cannot be used to parse synonyms");
  }
}

TEST_CASE("synonym rules are analyzed by the chain before the filter", "[graph_filters]") {
  // Lower-cased rules match lower-cased text; a stop word in a rule is an error unless lenient.
  auto tokens = run({{"index.analysis.analyzer.a.tokenizer", "standard"},
                     {"index.analysis.analyzer.a.filter.0", "lowercase"},
                     {"index.analysis.analyzer.a.filter.1", "syn"},
                     {"index.analysis.filter.syn.type", "synonym_graph"},
                     {"index.analysis.filter.syn.synonyms.0", "Big Apple, NYC"}},
                    "the BIG apple");
  REQUIRE(tokens.size() == 4);
  CHECK(tokens[1].term == "nyc");
  CHECK(tokens[1].position_length == 2);
  CHECK(std::string(tokens[1].type) == "SYNONYM");
  const std::map<std::string, std::string> stop_rule{{"index.analysis.analyzer.a.tokenizer", "whitespace"},
                                                     {"index.analysis.analyzer.a.filter.0", "st"},
                                                     {"index.analysis.analyzer.a.filter.1", "syn"},
                                                     {"index.analysis.filter.st.type", "stop"},
                                                     {"index.analysis.filter.st.stopwords.0", "the"},
                                                     {"index.analysis.filter.syn.type", "synonym"},
                                                     {"index.analysis.filter.syn.synonyms.0", "the, a"}};
  CHECK(error_of(stop_rule) == "failed to build synonyms");
  auto lenient = stop_rule;
  lenient["index.analysis.filter.syn.lenient"] = "true";
  CHECK(run(lenient, "a b").size() == 2);
}

TEST_CASE("a multi-valued field continues after a synonym graph's extra positions", "[graph_filters]") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.a.tokenizer", "whitespace"},
                                            {"index.analysis.analyzer.a.filter.0", "syn"},
                                            {"index.analysis.filter.syn.type", "synonym_graph"},
                                            {"index.analysis.filter.syn.synonyms.0", "ny => new york city"}});
  REQUIRE(r.is_ok());
  std::vector<Token> out;
  const uint32_t end = (*r)->get("a")->analyze("ny", 0, 0, &out);
  CHECK(end == 3);
}
