#include "analyzers/stopwords.h"

#include <map>

#include "analyzers/normalize.h"

namespace sift::analysis {
namespace {

// Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.
const std::vector<std::string_view> kEnglish = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with"};
const std::vector<std::string_view> kNone = {};

// The default stop sets of Lucene 8.7's language analyzers (kArabic ... kTurkish), the lists
// OpenSearch names `_arabic_` ... `_turkish_`.
#include "analyzers/stopwords_lucene.inc"

const std::map<std::string_view, const std::vector<std::string_view>*>& lists() {
  static const std::map<std::string_view, const std::vector<std::string_view>*> m = {
      {"_english_", &kEnglish},
      {"_none_", &kNone},
      {"_arabic_", &kArabic},
      {"_armenian_", &kArmenian},
      {"_basque_", &kBasque},
      {"_bengali_", &kBengali},
      {"_brazilian_", &kBrazilian},
      {"_bulgarian_", &kBulgarian},
      {"_catalan_", &kCatalan},
      {"_czech_", &kCzech},
      {"_danish_", &kDanish},
      {"_dutch_", &kDutch},
      {"_estonian_", &kEstonian},
      {"_finnish_", &kFinnish},
      {"_french_", &kFrench},
      {"_galician_", &kGalician},
      {"_german_", &kGerman},
      {"_greek_", &kGreek},
      {"_hindi_", &kHindi},
      {"_hungarian_", &kHungarian},
      {"_indonesian_", &kIndonesian},
      {"_irish_", &kIrish},
      {"_italian_", &kItalian},
      {"_latvian_", &kLatvian},
      {"_lithuanian_", &kLithuanian},
      {"_norwegian_", &kNorwegian},
      {"_persian_", &kPersian},
      {"_portuguese_", &kPortuguese},
      {"_romanian_", &kRomanian},
      {"_russian_", &kRussian},
      {"_sorani_", &kSorani},
      {"_spanish_", &kSpanish},
      {"_swedish_", &kSwedish},
      {"_thai_", &kThai},
      {"_turkish_", &kTurkish},
  };
  return m;
}

}  // namespace

const std::vector<std::string_view>* predefined_stopwords(std::string_view name) {
  auto it = lists().find(name);
  return it == lists().end() ? nullptr : it->second;
}

Result<std::unordered_set<std::string>> stopword_set(const ComponentSettings& s, std::string_view fallback, bool lower,
                                                    std::string_view key) {
  if (s.has(std::string(key) + "_path")) {
    return invalid_argument("[" + std::string(key) + "_path] is not supported: list the words in [" +
                            std::string(key) + "]");
  }
  std::vector<std::string> words;
  if (auto list = s.get_list(key)) {
    words = std::move(*list);
  } else {
    words.emplace_back(fallback);
  }
  std::unordered_set<std::string> out;
  for (const std::string& w : words) {
    if (const auto* predefined = predefined_stopwords(w)) {
      for (std::string_view p : *predefined) out.insert(lower ? lowercase_utf8(p) : std::string(p));
    } else {
      out.insert(lower ? lowercase_utf8(w) : w);
    }
  }
  return out;
}

}  // namespace sift::analysis
