#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "analyzers/registry.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;
using namespace sift::analysis::testing;

namespace {

struct FilterCase {
  const char* type;
  const char* language;  // the `language` setting, "" for none
  const char* word;
  const char* result;
};

// Lucene 8.7's filters on single words (bench/lucene_oracles/LangOracle.java `stem`).
const FilterCase kCases[] = {
#include "tests/unit/analyzers/lucene_filter_more_cases.inc"
};

}  // namespace

TEST_CASE("Lucene's Arabic, Persian, Indic, Hindi, Bulgarian, Czech, Latvian and Indonesian filters", "[language]") {
  std::map<std::string, std::shared_ptr<const TokenFilter>> filters;
  for (const FilterCase& c : kCases) {
    auto& f = filters[std::string(c.type) + "/" + c.language];
    if (!f) f = language_filter(c.type, c.language);
    INFO(c.type << " " << c.language << ": " << c.word);
    CHECK(filter_word(*f, c.word) == c.result);
  }
  CHECK(filters.size() == 16);
}

TEST_CASE("the new language filters: keywords, normalization, stemmer names", "[language]") {
  // Stemmers and Hindi's normalizer leave keywords alone; the Arabic and Indic normalizers do not.
  CHECK(filter_word(*language_filter("stemmer", "arabic"), "والكتاب", true) == "والكتاب");
  CHECK(filter_word(*language_filter("stemmer", "arabic"), "والكتاب") == "كتاب");
  CHECK(filter_word(*make_filter("arabic_stem"), "والكتاب") == "كتاب");
  CHECK(filter_word(*make_filter("czech_stem"), "městech") == "měst");
  CHECK(filter_word(*make_filter("arabic_normalization"), "أحمد", true) == "احمد");
  CHECK(filter_word(*make_filter("hindi_normalization"), "क़िताब", true) == "क़िताब");
  CHECK(filter_word(*make_filter("hindi_normalization"), "क़िताब") == "किताब");
  CHECK(make_filter("arabic_normalization")->normalizing());
  CHECK(make_filter("persian_normalization")->normalizing());
  CHECK(make_filter("indic_normalization")->normalizing());
  CHECK(!language_filter("stemmer", "hindi")->normalizing());
  CHECK(filter_word(*language_filter("stemmer", "Bulgarian"), "градовете") == "град");
  CHECK(filter_word(*language_filter("stemmer", "LATVIAN"), "pilsētām") == "pilsēt");
  CHECK(filter_word(*language_filter("stemmer", "indonesian"), "pembangunan") == "bangun");
  // Still missing: a 400 naming the language.
  auto lovins = ComponentTypes::get().filters.at("stemmer")(ComponentSettings("s", {{"type", "stemmer"}, {"language", "lovins"}}));
  CHECK(!lovins.is_ok());
}

TEST_CASE("the new language analyzers take stopwords and stem_exclusion", "[language]") {
  const Analyzer& arabic = custom_analyzer({{"index.analysis.analyzer.my.type", "arabic"},
                                   {"index.analysis.analyzer.my.stem_exclusion.0", "الكتاب"}});
  CHECK(terms(arabic, "الكتاب والكتاب") == std::vector<std::string>{"الكتاب", "كتاب"});
  const Analyzer& irish = custom_analyzer({{"index.analysis.analyzer.my.type", "irish"},
                                  {"index.analysis.analyzer.my.stopwords", "_none_"}});
  // The hyphenation set (h, n, t) still applies; "an" is no longer a stop word.
  CHECK(terms(irish, "an t-uisce") == std::vector<std::string>{"an", "uisce"});
  const Analyzer& turkish = custom_analyzer({{"index.analysis.analyzer.my.type", "turkish"},
                                    {"index.analysis.analyzer.my.stopwords.0", "kitapları"},
                                    {"index.analysis.analyzer.my.stem_exclusion.0", "evlerden"}});
  CHECK(terms(turkish, "Kitapları ve evlerden") == std::vector<std::string>{"ve", "evlerden"});
  const Analyzer& thai = custom_analyzer({{"index.analysis.analyzer.my.type", "thai"},
                                 {"index.analysis.analyzer.my.stopwords", "_english_"}});
  CHECK(terms(thai, "the ๑๒๓ ABC") == std::vector<std::string>{"123", "abc"});
  const Analyzer& hindi = custom_analyzer({{"index.analysis.analyzer.my.type", "hindi"},
                                  {"index.analysis.analyzer.my.stem_exclusion.0", "लड़कियाँ"}});
  // Excluded before normalization, as HindiAnalyzer marks keywords first: only the Indic
  // normalizer (which ignores keywords) composes its ड + nukta into ड़ (U+095C).
  CHECK(terms(hindi, "लड़कियाँ लड़कियों") == std::vector<std::string>{"ल\u095Cकियाँ", "लडक"});
}

TEST_CASE("the new language analyzers' normalization", "[language]") {
  auto registry = AnalyzerRegistry::builtin();
  CHECK(registry->get("irish")->normalize("D'Athair") == "athair");
  CHECK(registry->get("irish")->normalize("nAthair") == "n-athair");
  CHECK(registry->get("turkish")->normalize("DİYARBAKIR'DAN") == "diyarbakır'dan");
  CHECK(registry->get("thai")->normalize("ABC๑๒๓") == "abc123");
  CHECK(registry->get("arabic")->normalize("الكِتَابُ") == "الكتاب");
  CHECK(registry->get("persian")->normalize("کتاب‌ها") == "كتاب‌ها");  // no ZWNJ char filter in normalize
  CHECK(registry->get("hindi")->normalize("क़िताबें") == "किताबें");
}
