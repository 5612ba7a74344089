// OpenSearch's language analyzers: Lucene 8.7's XxxAnalyzer chains, each a ChainAnalyzer of
// registered components (standard tokenizer, lowercase, stop, stemmers) and the private filters
// below (elision with the language's articles, the stem_exclusion keyword marker, Dutch's stem
// overrides). Settings: `stopwords` (a list or a predefined `_lang_` name; default the language's
// list), `stem_exclusion` (words the stemmer leaves alone), and `stopwords_case`
// (compare stop words case-insensitively).
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/light_stemmers.h"
#include "analyzers/normalize.h"
#include "analyzers/registry.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

// Lucene's ElisionFilter: the part before the first apostrophe (' or U+2019) is dropped when it is
// one of the articles (compared case-insensitively, as the analyzers' article sets are).
class ElisionFilter final : public TokenFilter {
 public:
  explicit ElisionFilter(const std::vector<const char*>& articles) {
    for (const char* a : articles) articles_.insert(a);
  }
  void filter(TokenStream* stream) const override {
    for (Token& t : stream->tokens) {
      const std::string& term = t.term;
      size_t cut = std::string::npos;
      size_t width = 0;
      for (size_t i = 0; i < term.size(); ++i) {
        if (term[i] == '\'') {
          cut = i;
          width = 1;
          break;
        }
        if (term.compare(i, 3, "\xE2\x80\x99") == 0) {  // U+2019
          cut = i;
          width = 3;
          break;
        }
      }
      if (cut == std::string::npos) continue;
      if (articles_.count(lowercase_utf8(std::string_view(term).substr(0, cut))) > 0) {
        t.term = term.substr(cut + width);
      }
    }
  }
  bool normalizing() const override { return true; }

 private:
  std::unordered_set<std::string> articles_;
};

// Lucene's SetKeywordMarkerFilter: the listed terms (exactly as given) are marked as keywords.
class KeywordMarkerFilter final : public TokenFilter {
 public:
  explicit KeywordMarkerFilter(std::unordered_set<std::string> words) : words_(std::move(words)) {}
  void filter(TokenStream* stream) const override {
    for (Token& t : stream->tokens) {
      if (words_.count(t.term) > 0) t.keyword = true;
    }
  }

 private:
  std::unordered_set<std::string> words_;
};

// Lucene's StemmerOverrideFilter with DutchAnalyzer's default dictionary: an overridden term gets
// its fixed stem and is marked as a keyword, so the stemmer after it leaves it alone.
class DutchStemOverrideFilter final : public TokenFilter {
 public:
  void filter(TokenStream* stream) const override {
    static const std::unordered_map<std::string, std::string> dict = {
        {"fiets", "fiets"}, {"bromfiets", "bromfiets"}, {"ei", "eier"}, {"kind", "kinder"}};
    for (Token& t : stream->tokens) {
      if (t.keyword) continue;
      auto it = dict.find(t.term);
      if (it == dict.end()) continue;
      t.term = it->second;
      t.keyword = true;
    }
  }
};

using Settings = std::map<std::string, std::string>;

Settings pick(const ComponentSettings& s, std::initializer_list<const char*> keys) {
  Settings out;
  for (const auto& [k, v] : s.values()) {
    for (const char* key : keys) {
      const size_t n = std::strlen(key);
      if (k == key || (k.size() > n && k.compare(0, n, key) == 0 && k[n] == '.')) out[k] = v;
    }
  }
  return out;
}

template <typename T>
Result<Named<T>> part(const std::map<std::string, Factory<T>, std::less<>>& types, const std::string& type, Settings values) {
  auto it = types.find(type);
  if (it == types.end()) return internal_error("analysis component [" + type + "] is not registered");
  values["type"] = type;
  SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const T> c, it->second(ComponentSettings(type, std::move(values))));
  return Named<T>{type, std::move(c)};
}

// What one language's chain is made of.
struct Language {
  const char* name;
  const char* stopwords;                        // the default list
  std::vector<const char*> articles;            // elision first when not empty
  bool possessive = false;                      // English: the possessive filter before lowercase
  bool dutch_overrides = false;
  std::vector<std::pair<const char*, const char*>> stemming;  // (filter type, language) after the marker
  // When not empty, the whole filter chain instead of the fields above, in Lucene's order: filter
  // types ("type" or "type:language"), "$stop" (the `stopwords` setting), "$marker" (stem_exclusion),
  // "$elision:a,b" (articles, any case), "$stop:a,b" (a fixed stop set, any case).
  std::vector<const char*> chain = {};
  const char* tokenizer = "standard";
  bool zwnj_to_space = false;  // PersianCharFilter: U+200C (zero-width non-joiner) read as a space
};

Result<std::shared_ptr<const Analyzer>> build_chain(const Language& lang, const ComponentSettings& s);

Result<std::shared_ptr<const Analyzer>> build(const Language& lang, const ComponentSettings& s) {
  if (!lang.chain.empty()) return build_chain(lang, s);
  const ComponentTypes& types = ComponentTypes::get();
  SIFT_ASSIGN_OR_RETURN(Named<Tokenizer> tokenizer, part(types.tokenizers, "standard", {}));
  std::vector<Named<TokenFilter>> filters;
  if (!lang.articles.empty()) {
    filters.push_back({"elision", std::make_shared<ElisionFilter>(lang.articles)});
  }
  if (lang.possessive) {
    SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f, part(types.filters, "stemmer", {{"language", "possessive_english"}}));
    filters.push_back(std::move(f));
  }
  SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> lower, part(types.filters, "lowercase", {}));
  filters.push_back(std::move(lower));
  Settings stop = pick(s, {"stopwords"});
  if (!s.has("stopwords")) stop["stopwords"] = lang.stopwords;
  if (auto c = s.get("stopwords_case")) stop["ignore_case"] = *c;  // Analysis.parseStopWords
  SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> stop_filter, part(types.filters, "stop", std::move(stop)));
  filters.push_back(std::move(stop_filter));
  if (auto excluded = s.get_list("stem_exclusion")) {
    std::unordered_set<std::string> words;
    for (const std::string& w : *excluded) {
      if (w != "_none_") words.insert(w);
    }
    if (!words.empty()) filters.push_back({"keyword_marker", std::make_shared<KeywordMarkerFilter>(std::move(words))});
  }
  if (lang.dutch_overrides) filters.push_back({"stemmer_override", std::make_shared<DutchStemOverrideFilter>()});
  for (const auto& [type, language] : lang.stemming) {
    Settings values;
    if (language != nullptr) values["language"] = language;
    SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f, part(types.filters, type, std::move(values)));
    if (std::strcmp(type, "german_normalization") == 0) {
      // Not part of GermanAnalyzer.normalize (only lower-casing is): a non-normalizing copy.
      struct Plain final : TokenFilter {
        std::shared_ptr<const TokenFilter> inner;
        void filter(TokenStream* stream) const override { inner->filter(stream); }
      };
      auto plain = std::make_shared<Plain>();
      plain->inner = std::move(f.component);
      f.component = std::move(plain);
    }
    filters.push_back(std::move(f));
  }
  return std::shared_ptr<const Analyzer>(
      std::make_shared<ChainAnalyzer>(s.name(), std::vector<Named<CharFilter>>{}, std::move(tokenizer), std::move(filters)));
}

// PersianCharFilter: the zero-width non-joiner reads as a space (same length: no offset changes).
// Not part of PersianAnalyzer.normalize (it overrides initReader only).
class ZwnjCharFilter final : public CharFilter {
 public:
  void filter(std::u16string_view in, std::u16string* out, OffsetMap*) const override {
    out->assign(in);
    for (char16_t& c : *out) c = c == u'\u200C' ? u' ' : c;
  }
};

std::vector<std::string> split_commas(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return out;
}

Result<std::shared_ptr<const Analyzer>> build_chain(const Language& lang, const ComponentSettings& s) {
  const ComponentTypes& types = ComponentTypes::get();
  std::vector<Named<CharFilter>> char_filters;
  if (lang.zwnj_to_space) char_filters.push_back({"persian_char_filter", std::make_shared<ZwnjCharFilter>()});
  SIFT_ASSIGN_OR_RETURN(Named<Tokenizer> tokenizer, part(types.tokenizers, lang.tokenizer, {}));
  std::vector<Named<TokenFilter>> filters;
  for (const char* step_name : lang.chain) {
    const std::string_view step(step_name);
    if (step == "$stop") {
      Settings stop = pick(s, {"stopwords"});
      if (!s.has("stopwords")) stop["stopwords"] = lang.stopwords;
      if (auto c = s.get("stopwords_case")) stop["ignore_case"] = *c;  // Analysis.parseStopWords
      SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f, part(types.filters, "stop", std::move(stop)));
      filters.push_back(std::move(f));
    } else if (step == "$marker") {
      if (auto excluded = s.get_list("stem_exclusion")) {
        std::unordered_set<std::string> words;
        for (const std::string& w : *excluded) {
          if (w != "_none_") words.insert(w);
        }
        if (!words.empty()) filters.push_back({"keyword_marker", std::make_shared<KeywordMarkerFilter>(std::move(words))});
      }
    } else if (step.substr(0, 9) == "$elision:") {
      std::vector<std::string> articles = split_commas(step.substr(9));
      std::vector<const char*> pointers;
      for (const std::string& a : articles) pointers.push_back(a.c_str());
      filters.push_back({"elision", std::make_shared<ElisionFilter>(pointers)});
    } else if (step.substr(0, 6) == "$stop:") {
      Settings stop = {{"ignore_case", "true"}};
      std::vector<std::string> words = split_commas(step.substr(6));
      for (size_t i = 0; i < words.size(); ++i) stop["stopwords." + std::to_string(i)] = words[i];
      SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f, part(types.filters, "stop", std::move(stop)));
      filters.push_back(std::move(f));
    } else {
      const size_t colon = step.find(':');
      Settings values;
      if (colon != std::string_view::npos) values["language"] = std::string(step.substr(colon + 1));
      SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f,
                            part(types.filters, std::string(step.substr(0, colon)), std::move(values)));
      filters.push_back(std::move(f));
    }
  }
  return std::shared_ptr<const Analyzer>(std::make_shared<ChainAnalyzer>(s.name(), std::move(char_filters),
                                                                         std::move(tokenizer), std::move(filters)));
}

const std::vector<Language>& languages() {
  static const std::vector<Language> list = {
      {"armenian", "_armenian_", {}, false, false, {{"snowball", "Armenian"}}},
      {"basque", "_basque_", {}, false, false, {{"snowball", "Basque"}}},
      {"catalan", "_catalan_", {"d", "l", "m", "n", "s", "t"}, false, false, {{"snowball", "Catalan"}}},
      {"danish", "_danish_", {}, false, false, {{"snowball", "Danish"}}},
      {"dutch", "_dutch_", {}, false, true, {{"snowball", "Dutch"}}},
      {"english", "_english_", {}, true, false, {{"porter_stem", nullptr}}},
      {"finnish", "_finnish_", {}, false, false, {{"snowball", "Finnish"}}},
      {"french",
       "_french_",
       {"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"},
       false,
       false,
       {{"stemmer", "light_french"}}},
      {"german", "_german_", {}, false, false, {{"german_normalization", nullptr}, {"stemmer", "light_german"}}},
      {"hungarian", "_hungarian_", {}, false, false, {{"snowball", "Hungarian"}}},
      {"italian",
       "_italian_",
       {"c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl", "negl", "sugl",
        "un", "m", "t", "s", "v", "d"},
       false,
       false,
       {{"stemmer", "light_italian"}}},
      {"lithuanian", "_lithuanian_", {}, false, false, {{"snowball", "Lithuanian"}}},
      {"norwegian", "_norwegian_", {}, false, false, {{"snowball", "Norwegian"}}},
      {"portuguese", "_portuguese_", {}, false, false, {{"stemmer", "light_portuguese"}}},
      {"romanian", "_romanian_", {}, false, false, {{"snowball", "Romanian"}}},
      {"russian", "_russian_", {}, false, false, {{"snowball", "Russian"}}},
      {"spanish", "_spanish_", {}, false, false, {{"stemmer", "light_spanish"}}},
      {"swedish", "_swedish_", {}, false, false, {{"snowball", "Swedish"}}},
      // Lucene 8.7's chains as written (javap of the XxxAnalyzer classes).
      {"irish", "_irish_", {}, false, false, {},
       {"$stop:h,n,t", "$elision:d,m,b", "lowercase:irish", "$stop", "$marker", "snowball:Irish"}},
      {"turkish", "_turkish_", {}, false, false, {}, {"apostrophe", "lowercase:turkish", "$stop", "$marker", "snowball:Turkish"}},
      {"thai", "_thai_", {}, false, false, {}, {"lowercase", "decimal_digit", "$stop"}, "thai"},
      {"arabic", "_arabic_", {}, false, false, {},
       {"lowercase", "decimal_digit", "$stop", "arabic_normalization", "$marker", "stemmer:arabic"}},
      {"persian", "_persian_", {}, false, false, {},
       {"lowercase", "decimal_digit", "arabic_normalization", "persian_normalization", "$stop"}, "standard", true},
      {"hindi", "_hindi_", {}, false, false, {},
       {"lowercase", "decimal_digit", "$marker", "indic_normalization", "hindi_normalization", "$stop", "stemmer:hindi"}},
      {"bulgarian", "_bulgarian_", {}, false, false, {}, {"lowercase", "$stop", "$marker", "stemmer:bulgarian"}},
      {"czech", "_czech_", {}, false, false, {}, {"lowercase", "$stop", "$marker", "stemmer:czech"}},
      {"latvian", "_latvian_", {}, false, false, {}, {"lowercase", "$stop", "$marker", "stemmer:latvian"}},
      {"indonesian", "_indonesian_", {}, false, false, {}, {"lowercase", "$stop", "$marker", "stemmer:indonesian"}},
      {"sorani", "_sorani_", {}, false, false, {},
       {"sorani_normalization", "lowercase", "decimal_digit", "$stop", "$marker", "stemmer:sorani"}},
      {"bengali", "_bengali_", {}, false, false, {},
       {"lowercase", "decimal_digit", "$marker", "indic_normalization", "bengali_normalization", "$stop", "stemmer:bengali"}},
  };
  return list;
}

// One of Lucene's per-term normalizers or stemmers over the term's UTF-16 form; keywords are left
// alone where the Lucene filter checks the keyword flag.
class Utf16TermFilter final : public TokenFilter {
 public:
  Utf16TermFilter(void (*f)(std::u16string*), bool skip_keywords, bool normalizing)
      : f_(f), skip_keywords_(skip_keywords), normalizing_(normalizing) {}
  void filter(TokenStream* stream) const override {
    std::u16string w;
    for (Token& t : stream->tokens) {
      if (skip_keywords_ && t.keyword) continue;
      to_utf16(t.term, &w);
      f_(&w);
      to_utf8(w, &t.term);
    }
  }
  bool normalizing() const override { return normalizing_; }

 private:
  void (*f_)(std::u16string*);
  bool skip_keywords_;
  bool normalizing_;
};

Factory<TokenFilter> term_filter(void (*f)(std::u16string*), bool skip_keywords, bool normalizing) {
  return [=](const ComponentSettings&) -> Result<std::shared_ptr<const TokenFilter>> {
    return std::shared_ptr<const TokenFilter>(std::make_shared<Utf16TermFilter>(f, skip_keywords, normalizing));
  };
}

}  // namespace

void register_language_analyzers(ComponentTypes* types) {
  for (const Language& lang : languages()) {
    types->analyzers[lang.name] = [&lang](const ComponentSettings& s) { return build(lang, s); };
  }
  // The language-specific token filters of OpenSearch's analysis-common module.
  types->filters["arabic_normalization"] = term_filter(&stem::arabic_normalize, false, true);
  types->filters["persian_normalization"] = term_filter(&stem::persian_normalize, false, true);
  types->filters["hindi_normalization"] = term_filter(&stem::hindi_normalize, true, true);
  types->filters["indic_normalization"] = term_filter(&stem::indic_normalize, false, true);
  types->filters["arabic_stem"] = term_filter(&stem::arabic_stem, true, false);
  types->filters["czech_stem"] = term_filter(&stem::czech_stem, true, false);
  types->filters["sorani_normalization"] = term_filter(&stem::sorani_normalize, false, true);
  types->filters["bengali_normalization"] = term_filter(&stem::bengali_normalize, true, true);
}

}  // namespace sift::analysis
