#include <catch2/catch.hpp>

#include <map>

#include "analyzers/registry.h"

using namespace sift::analysis;

namespace {

std::shared_ptr<const TokenFilter> make(const std::string& type, const std::string& language = "") {
  std::map<std::string, std::string> v = {{"type", type}};
  if (!language.empty()) v["language"] = language;
  auto f = ComponentTypes::get().filters.at(type)(ComponentSettings("f", v));
  REQUIRE(f.is_ok());
  return *f;
}

std::string run(const TokenFilter& f, const std::string& word, bool keyword = false) {
  TokenStream s;
  Token t;
  t.term = word;
  t.keyword = keyword;
  s.tokens.push_back(t);
  s.end_position = 1;
  f.filter(&s);
  return s.tokens[0].term;
}

std::vector<std::string> terms(const Analyzer& a, std::string_view text) {
  TokenStream s;
  a.analyze_stream(text, &s);
  std::vector<std::string> out;
  for (const Token& t : s.tokens) out.push_back(t.term);
  return out;
}

}  // namespace

TEST_CASE("kstem: Krovetz's stemmer with Lucene's dictionary", "[language][kstem]") {
  auto k = make("kstem");
  // Dictionary conflations, inflections and derivations (values recorded from Lucene 8.7).
  CHECK(run(*k, "aging") == "age");
  CHECK(run(*k, "american") == "america");
  CHECK(run(*k, "definitions") == "definition");
  CHECK(run(*k, "running") == "running");
  CHECK(run(*k, "abilities") == "abilities");
  CHECK(run(*k, "happiness") == "happiness");
  // Not lower-case ASCII letters, or too short / too long: unchanged.
  CHECK(run(*k, "Books") == "Books");
  CHECK(run(*k, "naïve") == "naïve");
  CHECK(run(*k, "is") == "is");
  CHECK(run(*k, std::string(49, 'x') + "s") == std::string(49, 'x') + "s");
  CHECK(run(*k, std::string(48, 'x') + "s") == std::string(48, 'x'));
  // Keywords stay; the stemmer names of OpenSearch's factory all build it.
  CHECK(run(*k, "cats", true) == "cats");
  CHECK(run(*k, "cats") == "cat");
  for (const char* name : {"light_english", "lightEnglish", "kstem", "KStem"}) {
    CHECK(run(*make("stemmer", name), "walked") == "walk");
  }
  CHECK(!k->normalizing());
}

TEST_CASE("Bengali and Sorani filters: keywords and normalization", "[language]") {
  // BengaliNormalizationFilter checks the keyword flag; SoraniNormalizationFilter does not.
  CHECK(run(*make("bengali_normalization"), "শান্তি", true) == "শান্তি");
  CHECK(run(*make("bengali_normalization"), "শান্তি") == "সান্তি");
  CHECK(run(*make("sorani_normalization"), "كتيب", true) == "کتیب");
  CHECK(run(*make("stemmer", "sorani"), "منداڵەکان", true) == "منداڵەکان");
  CHECK(run(*make("stemmer", "sorani"), "منداڵەکان") == "منداڵ");
  CHECK(run(*make("stemmer", "Bengali"), "বন্ধুরা") == "বন্ধু");
  CHECK(make("bengali_normalization")->normalizing());
  CHECK(make("sorani_normalization")->normalizing());
  CHECK(!make("stemmer", "bengali")->normalizing());
}

TEST_CASE("bengali and sorani analyzers: settings and normalization", "[language]") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.bn.type", "bengali"},
                                            {"index.analysis.analyzer.bn.stem_exclusion.0", "বন্ধুরা"},
                                            {"index.analysis.analyzer.ckb.type", "sorani"},
                                            {"index.analysis.analyzer.ckb.stopwords", "_none_"}});
  REQUIRE(r.is_ok());
  CHECK(terms(*(*r)->get("bn"), "বন্ধুরা কবিতা") == std::vector<std::string>{"বন্ধুরা", "কব"});
  // "و" (and) is a Sorani stop word unless stopwords say otherwise.
  CHECK(terms(*(*r)->get("ckb"), "و کتێبەکان") == std::vector<std::string>{"و", "کتێب"});
  auto builtin = AnalyzerRegistry::builtin();
  CHECK(terms(*builtin->get("sorani"), "و کتێبەکان") == std::vector<std::string>{"کتێب"});
  CHECK(builtin->get("sorani")->normalize("كتيب٢") == "کتیب2");
  CHECK(builtin->get("bengali")->normalize("শান্তি২") == "সান্তি2");
}
