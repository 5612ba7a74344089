#include <catch2/catch.hpp>

#include <map>

#include "analyzers/registry.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;
using namespace sift::analysis::testing;

TEST_CASE("kstem: Krovetz's stemmer with Lucene's dictionary", "[language][kstem]") {
  auto k = make_filter("kstem");
  // Dictionary conflations, inflections and derivations (values recorded from Lucene 8.7).
  CHECK(filter_word(*k, "aging") == "age");
  CHECK(filter_word(*k, "american") == "america");
  CHECK(filter_word(*k, "definitions") == "definition");
  CHECK(filter_word(*k, "running") == "running");
  CHECK(filter_word(*k, "abilities") == "abilities");
  CHECK(filter_word(*k, "happiness") == "happiness");
  // Not lower-case ASCII letters, or too short / too long: unchanged.
  CHECK(filter_word(*k, "Books") == "Books");
  CHECK(filter_word(*k, "naïve") == "naïve");
  CHECK(filter_word(*k, "is") == "is");
  CHECK(filter_word(*k, std::string(49, 'x') + "s") == std::string(49, 'x') + "s");
  CHECK(filter_word(*k, std::string(48, 'x') + "s") == std::string(48, 'x'));
  // Keywords stay; the stemmer names of OpenSearch's factory all build it.
  CHECK(filter_word(*k, "cats", true) == "cats");
  CHECK(filter_word(*k, "cats") == "cat");
  for (const char* name : {"light_english", "lightEnglish", "kstem", "KStem"}) {
    CHECK(filter_word(*language_filter("stemmer", name), "walked") == "walk");
  }
  CHECK(!k->normalizing());
}

TEST_CASE("Bengali and Sorani filters: keywords and normalization", "[language]") {
  // BengaliNormalizationFilter checks the keyword flag; SoraniNormalizationFilter does not.
  CHECK(filter_word(*make_filter("bengali_normalization"), "শান্তি", true) == "শান্তি");
  CHECK(filter_word(*make_filter("bengali_normalization"), "শান্তি") == "সান্তি");
  CHECK(filter_word(*make_filter("sorani_normalization"), "كتيب", true) == "کتیب");
  CHECK(filter_word(*language_filter("stemmer", "sorani"), "منداڵەکان", true) == "منداڵەکان");
  CHECK(filter_word(*language_filter("stemmer", "sorani"), "منداڵەکان") == "منداڵ");
  CHECK(filter_word(*language_filter("stemmer", "Bengali"), "বন্ধুরা") == "বন্ধু");
  CHECK(make_filter("bengali_normalization")->normalizing());
  CHECK(make_filter("sorani_normalization")->normalizing());
  CHECK(!language_filter("stemmer", "bengali")->normalizing());
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
