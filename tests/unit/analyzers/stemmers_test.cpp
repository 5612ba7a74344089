#include <catch2/catch.hpp>

#include "analyzers/light_stemmers.h"
#include "analyzers/registry.h"
#include "analyzers/stopwords.h"
#include "analyzers/utf.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;
using namespace sift::analysis::testing;

namespace {

struct StemCase {
  const char* language;
  const char* word;
  const char* stem;
};

// Lucene 8.7's outputs (bench/lucene_oracles/LangOracle.java `stem`).
const StemCase kCases[] = {
#include "tests/unit/analyzers/stemmer_cases.inc"
};

}  // namespace

TEST_CASE("stemmers equal Lucene 8.7 on recorded words", "[stemmers]") {
  std::map<std::string, std::shared_ptr<const TokenFilter>> filters;
  size_t checked = 0;
  for (const StemCase& c : kCases) {
    auto& f = filters[c.language];
    if (!f) {
      f = std::string(c.language) == "german_normalization" ? make_filter("german_normalization")
                                                             : make_filter("stemmer", {{"language", c.language}});
    }
    INFO(c.language << ": " << c.word);
    CHECK(filter_word(*f, c.word) == c.stem);
    ++checked;
  }
  CHECK(checked > 2000);
  CHECK(filters.size() == 34);
}

TEST_CASE("stemmers skip keywords, normalizers do not", "[stemmers]") {
  CHECK(filter_word(*make_filter("stemmer", {{"language", "english"}}), "running") == "run");
  CHECK(filter_word(*make_filter("stemmer", {{"language", "english"}}), "running", true) == "running");
  CHECK(filter_word(*make_filter("snowball", {{"language", "Russian"}}), "книгами", true) == "книгами");
  CHECK(filter_word(*make_filter("snowball", {{"language", "Russian"}}), "книгами") == "книг");
  CHECK(filter_word(*make_filter("porter_stem"), "relational", true) == "relational");
  CHECK(filter_word(*make_filter("porter_stem"), "relational") == "relat");
  CHECK(filter_word(*make_filter("german_normalization"), "häuser", true) == "hauser");
  CHECK(filter_word(*make_filter("stemmer", {{"language", "possessive_english"}}), "john's", true) == "john");
}

TEST_CASE("stemmer names and errors as OpenSearch's", "[stemmers]") {
  // Language names ignore case and have camelCase aliases; `name` is read when `language` is absent.
  CHECK(filter_word(*make_filter("stemmer", {{"language", "Light_German"}}), "häuser") == "haus");
  CHECK(filter_word(*make_filter("stemmer", {{"language", "lightGerman"}}), "häuser") == "haus");
  CHECK(filter_word(*make_filter("stemmer", {{"name", "porter2"}}), "generously") == "generous");
  CHECK(filter_word(*make_filter("stemmer"), "hopping") == "hop");  // default porter
  CHECK(filter_word(*make_filter("snowball"), "generously") == "generous");  // default English
  // Other names are Snowball classes.
  CHECK(filter_word(*make_filter("stemmer", {{"language", "Romanian"}}), "copiilor") == "cop");
  auto bad = ComponentTypes::get().filters.at("stemmer")(ComponentSettings("s", {{"type", "stemmer"}, {"language", "klingon"}}));
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason() == "Invalid stemmer class specified: Klingon");
  auto list = ComponentTypes::get().filters.at("stemmer")(
      ComponentSettings("s", {{"type", "stemmer"}, {"language.0", "english"}, {"language.1", "light_english"}}));
  REQUIRE_FALSE(list.is_ok());
  CHECK(list.status().reason() == "Invalid stemmer class specified: [english, light_english]");
  auto snow = ComponentTypes::get().filters.at("snowball")(ComponentSettings("s", {{"type", "snowball"}, {"language", "Nope"}}));
  REQUIRE_FALSE(snow.is_ok());
  CHECK(snow.status().reason() == "Invalid stemmer class specified: Nope");
  auto missing = ComponentTypes::get().filters.at("stemmer")(ComponentSettings("s", {{"type", "stemmer"}, {"language", "lovins"}}));
  CHECK_FALSE(missing.is_ok());
}

TEST_CASE("a custom analyzer with stemmer filters", "[stemmers]") {
  auto r = AnalyzerRegistry::from_settings({
      {"index.analysis.analyzer.my.tokenizer", "standard"},
      {"index.analysis.analyzer.my.filter.0", "lowercase"},
      {"index.analysis.analyzer.my.filter.1", "german_normalization"},
      {"index.analysis.analyzer.my.filter.2", "my_stem"},
      {"index.analysis.filter.my_stem.type", "stemmer"},
      {"index.analysis.filter.my_stem.language", "light_german"},
  });
  REQUIRE(r.is_ok());
  const Analyzer* a = (*r)->get("my");
  REQUIRE(a != nullptr);
  TokenStream s;
  a->analyze_stream("Die Häuser der Straße", &s);
  REQUIRE(s.tokens.size() == 4);
  CHECK(s.tokens[1].term == "haus");
  CHECK(s.tokens[3].term == "strass");
  // german_normalization is a normalizing filter; the stemmer is not.
  CHECK(a->normalize("Häuser") == "hauser");
}

TEST_CASE("predefined stop word lists of every language", "[stemmers]") {
  for (const char* name : {"_arabic_", "_armenian_", "_basque_", "_bengali_", "_brazilian_", "_bulgarian_", "_catalan_",
                           "_czech_", "_danish_", "_dutch_", "_english_", "_estonian_", "_finnish_", "_french_",
                           "_galician_", "_german_", "_greek_", "_hindi_", "_hungarian_", "_indonesian_", "_irish_",
                           "_italian_", "_latvian_", "_lithuanian_", "_norwegian_", "_persian_", "_portuguese_",
                           "_romanian_", "_russian_", "_sorani_", "_spanish_", "_swedish_", "_thai_", "_turkish_"}) {
    INFO(name);
    const auto* list = predefined_stopwords(name);
    REQUIRE(list != nullptr);
    CHECK(list->size() > 30);
  }
  // Sizes of Lucene 8.7's sets.
  CHECK(predefined_stopwords("_german_")->size() == 231);
  CHECK(predefined_stopwords("_french_")->size() == 164);
  CHECK(predefined_stopwords("_russian_")->size() == 159);
  CHECK(predefined_stopwords("_spanish_")->size() == 308);
  CHECK(predefined_stopwords("_english_")->size() == 33);
  CHECK(predefined_stopwords("_klingon_") == nullptr);
}

TEST_CASE("possessive on UTF-8 terms equals the UTF-16 algorithm", "[stemmers]") {
  for (const char* w : {"dog's", "dog’s", "dog＇s", "dog'S", "dog’S", "'s", "’s", "s", "", "x's's", "é’s", "café's",
                        "dogs", "dog'", "dog’", "’", "a＇S", "it’ss", "ǅ’s"}) {
    std::u16string u = sift::analysis::to_utf16(w);
    sift::analysis::stem::english_possessive(&u);
    std::string direct = w;
    sift::analysis::stem::english_possessive_utf8(&direct);
    INFO(w);
    CHECK(direct == sift::analysis::to_utf8(u));
  }
}
