// libFuzzer harness for text analysis (analyzers/): every tokenizer family, char filters in front of
// tokenizers, and token filter chains, built from index settings as an index builds them
// (AnalyzerRegistry::from_settings / make_chain). Each output is checked against the invariants
// Lucene's own analysis tests (BaseTokenStreamTestCase) and indexing chain hold every chain to;
// a broken invariant aborts with a message naming the analyzer and the token.
//
// Input layout: byte 0 picks the family (one of the letters below, any other byte: byte % 10),
// byte 1 picks the variant inside it (byte % count), families with parameters read more bytes
// (see each fuzz_* function), the rest is the text. SIFT_ANALYSIS_FAMILY=<name> in the environment
// forces one family whatever byte 0 says (one corpus serves every family; README.md shows the runs).
//
//   'U' uax29      standard tokenizer, built-in analyzers standard/english/german/french/russian/cjk/korean
//   'I' icu        icu_tokenizer alone and with icu_normalizer
//   'C' charclass  whitespace, letter, lowercase, char_group tokenizers; simple/whitespace/stop analyzers
//   'P' pattern    pattern tokenizer with fixed patterns; variant byte >= 0x80: the input supplies a
//                  Java regex (java_regex.cpp) for the pattern tokenizer and pattern_replace filters
//   'N' ngram      ngram/edge_ngram tokenizers and filters with fuzzed min/max/token_chars
//   'H' path       path_hierarchy with fuzzed delimiter/replacement/skip/reverse/buffer_size
//   'K' keyword    keyword tokenizer/analyzer: the term is the whole (decoded) input
//   'F' charfilter html_strip, mapping, pattern_replace in front of tokenizers
//   'G' filters    word_delimiter(_graph), synonym(_graph), shingle, cjk_bigram, stemmers,
//                  asciifolding, icu_normalizer, edge_ngram, keyword_repeat chains
//   'X' utf        invalid UTF-8 handling only (the decoder against an independent reference)
//
// Invariants (checked for every analyzer, see check()):
//   - 0 <= start_offset <= end_offset <= the stream's final offset <= UTF-16 length of the ORIGINAL
//     input (char-filter corrections included): Lucene's "endOffset must be <= finalOffset";
//   - positions non-decreasing in stream order, position_length >= 1, every position < end_position
//     (the next value of a multi-valued field must not overlap this one);
//   - start offsets non-decreasing in stream order ("offsets must not go backwards"), except for
//     chains with a component Lucene's TestRandomChains lists as producing broken offsets
//     (path_hierarchy, cjk_bigram, word_delimiter) or a graph filter consuming a graph;
//   - terms are well-formed UTF-8;
//   - tokenizers that cut terms out of the text (standard, icu, whitespace, letter, char_group,
//     pattern, ngram, keyword) emit exactly the text between their offsets;
//   - invalid UTF-8 is decoded as documented in README.md: every maximal ill-formed subpart becomes
//     one U+FFFD (Unicode's recommended practice; reference decoder below, independent of ICU), and
//     utf16_length() agrees with the decoded length;
//   - analyzing the same text twice gives the same tokens (per-thread scratch buffers), and
//     Analyzer::analyze shifts positions/offsets by exactly its bases.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/registry.h"
#include "analyzers/utf.h"

namespace {

using namespace sift::analysis;

constexpr char kFamilyLetters[] = "UICPNHKFGX";
constexpr int kFamilies = 10;
const char* const kFamilyNames[kFamilies] = {"uax29",   "icu",        "charclass", "pattern", "ngram",
                                             "path",    "keyword",    "charfilter", "filters", "utf"};

// ---------------------------------------------------------------------------------------------
// Reference UTF-8 decoder (Unicode 15, table 3-7 and "U+FFFD substitution of maximal subparts"),
// written from the standard, not from ICU: what README.md documents for invalid input.

std::u16string reference_decode(std::string_view in) {
  std::u16string out;
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    int need;       // continuation bytes
    uint8_t lo = 0x80, hi = 0xBF;  // range of the first continuation byte
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2, cp = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3, cp = b & 0x07;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {  // 80..C1, F5..FF: never a lead byte
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool ok = true;
    for (int k = 0; k < need; ++k, ++j) {
      const uint8_t l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF;
      if (j >= n || s[j] < l || s[j] > h) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (s[j] & 0x3F);
    }
    if (!ok) {  // the bytes read so far are a maximal subpart: one U+FFFD, resume at s[j]
      out.push_back(0xFFFD);
      i = j;
      continue;
    }
    if (cp < 0x10000) {
      out.push_back(static_cast<char16_t>(cp));
    } else {
      out.push_back(static_cast<char16_t>(0xD7C0 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 | (cp & 0x3FF)));
    }
    i = j;
  }
  return out;
}

bool valid_utf8(std::string_view in) {
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  const size_t n = in.size();
  for (size_t i = 0; i < n;) {
    const uint8_t b = s[i];
    int need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    for (int k = 1; k <= need; ++k) {
      if (i + k >= n) return false;
      const uint8_t c = s[i + k];
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return false;
    }
    i += need + 1;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Invariant checks.

struct Case {
  const char* name;
  const Analyzer* analyzer;
  bool monotone_offsets = true;  // Lucene guarantees start offsets never go backwards for this chain
  bool substring_terms = false;  // a tokenizer alone that cuts its terms out of the (unfiltered) text
};

const char* g_family = "?";

void dump(const TokenStream& s) {
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    const Token& t = s.tokens[i];
    std::fprintf(stderr, "  #%zu pos=%u len=%u [%u,%u) type=%s term=", i, t.position, t.position_length, t.start_offset,
                 t.end_offset, t.type);
    for (unsigned char c : t.term) {
      if (c >= 0x20 && c < 0x7F) {
        std::fputc(c, stderr);
      } else {
        std::fprintf(stderr, "\\x%02X", c);
      }
    }
    std::fputc('\n', stderr);
  }
  std::fprintf(stderr, "  end_position=%u end_offset=%u\n", s.end_position, s.end_offset);
}

[[noreturn]] void fail(const Case& c, const char* what, const TokenStream* s, size_t token) {
  std::fprintf(stderr, "\n==== analysis invariant broken: family %s, analyzer %s: %s (token #%zu)\n", g_family, c.name, what,
               token);
  if (s != nullptr) dump(*s);
  std::abort();
}

bool same(const TokenStream& a, const TokenStream& b) {
  if (a.tokens.size() != b.tokens.size() || a.end_position != b.end_position || a.end_offset != b.end_offset) return false;
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    const Token &x = a.tokens[i], &y = b.tokens[i];
    if (x.term != y.term || x.start_offset != y.start_offset || x.end_offset != y.end_offset ||
        x.position != y.position || x.position_length != y.position_length || std::strcmp(x.type, y.type) != 0 ||
        x.keyword != y.keyword) {
      return false;
    }
  }
  return true;
}

// Runs `c` over `text` (whose decoded form is `decoded`) and checks every invariant.
void check(const Case& c, std::string_view text, const std::u16string& decoded) {
  if (c.analyzer == nullptr) return;
  const uint32_t length = static_cast<uint32_t>(decoded.size());
  TokenStream s;
  c.analyzer->analyze_stream(text, &s);
  if (s.end_offset > length) fail(c, "final offset beyond the input's UTF-16 length", &s, 0);
  uint32_t last_position = 0, last_start = 0;
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    const Token& t = s.tokens[i];
    if (t.start_offset > t.end_offset) fail(c, "start_offset > end_offset", &s, i);
    if (t.end_offset > length) fail(c, "end_offset beyond the input's UTF-16 length", &s, i);
    if (t.end_offset > s.end_offset) fail(c, "end_offset beyond the final offset", &s, i);
    if (t.position_length < 1) fail(c, "position_length < 1", &s, i);
    if (i > 0 && t.position < last_position) fail(c, "positions go backwards", &s, i);
    if (t.position >= s.end_position) fail(c, "position not below end_position", &s, i);
    if (c.monotone_offsets && i > 0 && t.start_offset < last_start) fail(c, "start offsets go backwards", &s, i);
    if (!valid_utf8(t.term)) fail(c, "term is not valid UTF-8", &s, i);
    if (t.type == nullptr) fail(c, "null type", &s, i);
    if (c.substring_terms) {
      std::string expected = to_utf8(std::u16string_view(decoded).substr(t.start_offset, t.end_offset - t.start_offset));
      if (expected != t.term) fail(c, "term differs from the text between its offsets", &s, i);
    }
    last_position = t.position;
    last_start = t.start_offset;
  }
  // The per-thread buffers are reused: a second run must give the same stream.
  TokenStream again;
  c.analyzer->analyze_stream(text, &again);
  if (!same(s, again)) fail(c, "a second run differs", &again, 0);
  // analyze() appends with bases.
  std::vector<Token> appended(1);
  const uint32_t end = c.analyzer->analyze(text, 7, 11, &appended);
  if (end != 7 + s.end_position || appended.size() != 1 + s.tokens.size()) fail(c, "analyze() disagrees", &s, 0);
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    const Token &a = appended[i + 1], &t = s.tokens[i];
    if (a.term != t.term || a.position != t.position + 7 || a.start_offset != t.start_offset + 11 ||
        a.end_offset != t.end_offset + 11) {
      fail(c, "analyze() shifted a token wrongly", &s, i);
    }
  }
  // Normalization (multi-term queries, normalizers) must take any text.
  const std::string normalized = c.analyzer->normalize(text);
  if (!valid_utf8(normalized)) fail(c, "normalize() output is not valid UTF-8", nullptr, 0);
}

// ---------------------------------------------------------------------------------------------
// Analyzers built once from index settings.

using Settings = std::map<std::string, std::string>;

void add_analyzer(Settings* s, const std::string& name, const std::string& tokenizer,
                  const std::vector<std::string>& filters, const std::vector<std::string>& char_filters = {}) {
  const std::string p = "index.analysis.analyzer." + name + ".";
  (*s)[p + "type"] = "custom";
  (*s)[p + "tokenizer"] = tokenizer;
  for (size_t i = 0; i < filters.size(); ++i) (*s)[p + "filter." + std::to_string(i)] = filters[i];
  for (size_t i = 0; i < char_filters.size(); ++i) (*s)[p + "char_filter." + std::to_string(i)] = char_filters[i];
}

void add_component(Settings* s, const std::string& kind, const std::string& name, const Settings& values) {
  for (const auto& [k, v] : values) (*s)["index.analysis." + kind + "." + name + "." + k] = v;
}

void add_list(Settings* s, const std::string& kind, const std::string& name, const std::string& key,
              const std::vector<std::string>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    (*s)["index.analysis." + kind + "." + name + "." + key + "." + std::to_string(i)] = items[i];
  }
}

const AnalyzerRegistry& registry() {
  static const std::shared_ptr<const AnalyzerRegistry> r = [] {
    Settings s;
    // Tokenizers with settings.
    add_component(&s, "tokenizer", "std3", {{"type", "standard"}, {"max_token_length", "3"}});
    add_component(&s, "tokenizer", "ws4", {{"type", "whitespace"}, {"max_token_length", "4"}});
    add_component(&s, "tokenizer", "cg_punct", {{"type", "char_group"}});
    add_list(&s, "tokenizer", "cg_punct", "tokenize_on_chars", {"whitespace", "punctuation", "-", "\\u00e9"});
    add_component(&s, "tokenizer", "cg_sym", {{"type", "char_group"}, {"max_token_length", "5"}});
    add_list(&s, "tokenizer", "cg_sym", "tokenize_on_chars", {"symbol", "digit", "letter", "\\n"});
    add_component(&s, "tokenizer", "pat_comma", {{"type", "pattern"}, {"pattern", ",\\s*"}});
    add_component(&s, "tokenizer", "pat_quoted", {{"type", "pattern"}, {"pattern", "'([^']*)'"}, {"group", "1"}});
    add_component(&s, "tokenizer", "pat_whole", {{"type", "pattern"}, {"pattern", "\\p{L}+|\\d+"}, {"group", "0"}});
    add_component(&s, "tokenizer", "pat_empty", {{"type", "pattern"}, {"pattern", "\\s*"}});
    add_component(&s, "tokenizer", "pat_look", {{"type", "pattern"}, {"pattern", "(?<=[a-z])(?=[A-Z])|\\W+"}});
    add_component(&s, "tokenizer", "pat_ci",
                  {{"type", "pattern"}, {"pattern", "x|\\b"}, {"flags", "CASE_INSENSITIVE|UNICODE_CHARACTER_CLASS"}});
    add_component(&s, "tokenizer", "url5", {{"type", "uax_url_email"}, {"max_token_length", "5"}});
    add_component(&s, "tokenizer", "sp_word", {{"type", "simple_pattern"}, {"pattern", "[a-zA-Z]+|[0-9]+(\\.[0-9]+)?"}});
    add_component(&s, "tokenizer", "sps_punct", {{"type", "simple_pattern_split"}, {"pattern", "[ ,;./]+"}});
    add_component(&s, "tokenizer", "ngram12", {{"type", "ngram"}, {"min_gram", "1"}, {"max_gram", "2"}});
    // Char filters.
    add_component(&s, "char_filter", "html_b", {{"type", "html_strip"}});
    add_list(&s, "char_filter", "html_b", "escaped_tags", {"b"});
    add_component(&s, "char_filter", "map", {{"type", "mapping"}});
    add_list(&s, "char_filter", "map", "mappings",
             {"ph => f", "a => ", "x => xyz", "&amp; => &", "\\u0660 => 0", "ß => ss", "ﬁ => fi", "- => \\u0020",
              "<br> => \\n", "😀 => smile", "\\u200d => "});
    add_component(&s, "char_filter", "pr_digits", {{"type", "pattern_replace"}, {"pattern", "(\\d+)-(?=\\d)"},
                                                   {"replacement", "$1_"}});
    add_component(&s, "char_filter", "pr_vowels", {{"type", "pattern_replace"}, {"pattern", "[aeiouAEIOU]"}});
    add_component(&s, "char_filter", "pr_double", {{"type", "pattern_replace"}, {"pattern", "(\\w)"},
                                                   {"replacement", "$1$1"}});
    add_component(&s, "char_filter", "pr_gap", {{"type", "pattern_replace"}, {"pattern", "\\s+"},
                                                {"replacement", " - "}});
    // Token filters.
    add_component(&s, "filter", "wdg", {{"type", "word_delimiter_graph"}});
    add_component(&s, "filter", "wdg_all", {{"type", "word_delimiter_graph"}, {"catenate_all", "true"},
                                            {"catenate_words", "true"}, {"catenate_numbers", "true"},
                                            {"preserve_original", "true"}});
    add_component(&s, "filter", "wdg_noadjust", {{"type", "word_delimiter_graph"}, {"adjust_offsets", "false"},
                                                 {"preserve_original", "true"}, {"catenate_words", "true"},
                                                 {"split_on_numerics", "false"}, {"stem_english_possessive", "false"}});
    add_component(&s, "filter", "wd_all", {{"type", "word_delimiter"}, {"catenate_all", "true"},
                                           {"preserve_original", "true"}});
    add_component(&s, "filter", "syn", {{"type", "synonym_graph"}});
    add_list(&s, "filter", "syn", "synonyms",
             {"ny, new york", "wifi, wi fi, wireless fidelity", "usa => united states of america",
              "dns, domain name system", "a b c => x", "tv, television", "i pod, ipod", "foo => foo bar baz"});
    add_component(&s, "filter", "syn_flat", {{"type", "synonym"}});
    add_list(&s, "filter", "syn_flat", "synonyms", {"ny, new york", "wifi, wi fi", "a b => c d e"});
    add_component(&s, "filter", "shingle3", {{"type", "shingle"}, {"max_shingle_size", "3"}});
    add_component(&s, "filter", "shingle_no_uni", {{"type", "shingle"}, {"min_shingle_size", "2"},
                                                   {"max_shingle_size", "4"}, {"output_unigrams", "false"},
                                                   {"output_unigrams_if_no_shingles", "true"},
                                                   {"token_separator", "+"}, {"filler_token", ""}});
    add_component(&s, "filter", "bigram_uni", {{"type", "cjk_bigram"}, {"output_unigrams", "true"}});
    add_component(&s, "filter", "bigram_han", {{"type", "cjk_bigram"}});
    add_list(&s, "filter", "bigram_han", "ignored_scripts", {"hangul", "hiragana"});
    add_component(&s, "filter", "stem_en", {{"type", "stemmer"}, {"language", "english"}});
    add_component(&s, "filter", "stem_de", {{"type", "stemmer"}, {"language", "light_german"}});
    add_component(&s, "filter", "stem_ru", {{"type", "stemmer"}, {"language", "russian"}});
    add_component(&s, "filter", "stem_fr", {{"type", "snowball"}, {"language", "French"}});
    add_component(&s, "filter", "fold_keep", {{"type", "asciifolding"}, {"preserve_original", "true"}});
    add_component(&s, "filter", "nfkc_cf", {{"type", "icu_normalizer"}});
    add_component(&s, "filter", "nfd", {{"type", "icu_normalizer"}, {"name", "nfc"}, {"mode", "decompose"}});
    add_component(&s, "filter", "edge15", {{"type", "edge_ngram"}, {"min_gram", "1"}, {"max_gram", "5"},
                                           {"preserve_original", "true"}});
    add_component(&s, "filter", "stop_en", {{"type", "stop"}});

    // Analyzers.
    add_analyzer(&s, "std_plain", "standard", {});
    add_analyzer(&s, "std3", "std3", {});
    add_analyzer(&s, "url_plain", "uax_url_email", {});
    add_analyzer(&s, "url5", "url5", {});
    add_analyzer(&s, "url_lower_stop", "uax_url_email", {"lowercase", "stop_en"});
    add_analyzer(&s, "classic_plain", "classic", {});
    add_analyzer(&s, "classic_filter", "classic", {"classic", "lowercase"});
    add_analyzer(&s, "thai_plain", "thai", {});
    add_analyzer(&s, "sp_word", "sp_word", {});
    add_analyzer(&s, "sps_punct", "sps_punct", {});
    add_analyzer(&s, "icu_plain", "icu_tokenizer", {});
    add_analyzer(&s, "icu_nfkc", "icu_tokenizer", {"nfkc_cf"});
    add_analyzer(&s, "icu_nfd", "icu_tokenizer", {"nfd", "lowercase"});
    add_analyzer(&s, "ws_plain", "whitespace", {});
    add_analyzer(&s, "ws4", "ws4", {});
    add_analyzer(&s, "letter_plain", "letter", {});
    add_analyzer(&s, "lower_plain", "lowercase", {});
    add_analyzer(&s, "cg_punct", "cg_punct", {});
    add_analyzer(&s, "cg_sym", "cg_sym", {});
    add_analyzer(&s, "pat_default", "pattern", {});
    add_analyzer(&s, "pat_comma", "pat_comma", {});
    add_analyzer(&s, "pat_quoted", "pat_quoted", {});
    add_analyzer(&s, "pat_whole", "pat_whole", {});
    add_analyzer(&s, "pat_empty", "pat_empty", {});
    add_analyzer(&s, "pat_look", "pat_look", {});
    add_analyzer(&s, "pat_ci", "pat_ci", {});
    add_analyzer(&s, "kw_plain", "keyword", {});
    add_analyzer(&s, "kw_lower_fold", "keyword", {"lowercase", "asciifolding"});
    add_analyzer(&s, "cf_html_std", "standard", {}, {"html_strip"});
    add_analyzer(&s, "cf_html_b_ws", "whitespace", {}, {"html_b"});
    add_analyzer(&s, "cf_map_ws", "whitespace", {}, {"map"});
    add_analyzer(&s, "cf_map_std", "standard", {"lowercase"}, {"map"});
    add_analyzer(&s, "cf_pr_std", "standard", {}, {"pr_digits"});
    add_analyzer(&s, "cf_pr_vowels_ws", "whitespace", {}, {"pr_vowels"});
    add_analyzer(&s, "cf_pr_double_ws", "whitespace", {}, {"pr_double"});
    add_analyzer(&s, "cf_all_kw", "keyword", {}, {"html_strip", "map", "pr_double"});
    add_analyzer(&s, "cf_all_std", "standard", {}, {"pr_gap", "html_b", "map", "pr_digits"});
    add_analyzer(&s, "cf_html_ngram", "ngram12", {}, {"html_strip"});
    add_analyzer(&s, "cf_map_icu", "icu_tokenizer", {}, {"map"});
    add_analyzer(&s, "cf_map_wdg", "whitespace", {"wdg_all"}, {"map"});
    add_analyzer(&s, "wdg_default", "whitespace", {"wdg"});
    add_analyzer(&s, "wdg_all", "whitespace", {"wdg_all"});
    add_analyzer(&s, "wdg_noadjust", "whitespace", {"wdg_noadjust"});
    add_analyzer(&s, "wdg_std_lower", "standard", {"lowercase", "wdg_all"});
    add_analyzer(&s, "wd_all", "whitespace", {"wd_all"});
    add_analyzer(&s, "syn_graph", "standard", {"lowercase", "syn"});
    add_analyzer(&s, "syn_flat", "standard", {"lowercase", "syn_flat"});
    add_analyzer(&s, "syn_stop", "standard", {"lowercase", "syn", "stop_en"});
    add_analyzer(&s, "shingle3", "standard", {"lowercase", "stop_en", "shingle3"});
    add_analyzer(&s, "shingle_no_uni", "standard", {"shingle_no_uni"});
    add_analyzer(&s, "syn_shingle", "standard", {"lowercase", "syn", "shingle3"});
    add_analyzer(&s, "cjk_bigram_uni", "standard", {"cjk_width", "lowercase", "bigram_uni"});
    add_analyzer(&s, "icu_bigram", "icu_tokenizer", {"bigram_han"});
    add_analyzer(&s, "stem_en", "standard", {"lowercase", "stem_en"});
    add_analyzer(&s, "stem_de", "standard", {"lowercase", "german_normalization", "stem_de"});
    add_analyzer(&s, "stem_ru", "standard", {"lowercase", "stem_ru"});
    add_analyzer(&s, "stem_fr", "standard", {"lowercase", "elision", "stem_fr"});
    add_analyzer(&s, "repeat_stem", "standard", {"lowercase", "keyword_repeat", "porter_stem", "remove_duplicates"});
    add_analyzer(&s, "fold_keep", "standard", {"fold_keep"});
    add_analyzer(&s, "ws_nfkc", "whitespace", {"nfkc_cf"});
    add_analyzer(&s, "edge_filter", "standard", {"edge15"});
    add_analyzer(&s, "kitchen", "standard", {"lowercase", "fold_keep", "syn", "stop_en", "wdg_all", "stem_en"},
                 {"html_strip", "map"});
    auto built = AnalyzerRegistry::from_settings(s);
    if (!built.is_ok()) {
      std::fprintf(stderr, "analysis fuzz settings do not build: %s\n", built.status().to_string().c_str());
      std::abort();  // the harness itself is broken
    }
    return std::move(built).value();
  }();
  return *r;
}

const Analyzer* get(const char* name) {
  const Analyzer* a = registry().get(name);
  if (a == nullptr) {
    std::fprintf(stderr, "analysis fuzz: no analyzer [%s]\n", name);
    std::abort();
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Families.

void run_fixed(const std::vector<Case>& cases, uint8_t variant, std::string_view text, const std::u16string& decoded) {
  check(cases[variant % cases.size()], text, decoded);
}

const std::vector<Case>& uax29_cases() {
  static const std::vector<Case> cases = {
      {"std_plain", get("std_plain"), true, true},   {"std3", get("std3"), true, true},
      {"standard", get("standard")},                 {"english", get("english")},
      {"german", get("german")},                     {"french", get("french")},
      {"russian", get("russian")},                   {"cjk", get("cjk"), false},  // cjk_bigram: Lucene's broken offsets
      {"korean", get("korean")},
      {"url_plain", get("url_plain"), true, true},   {"url5", get("url5"), true, true},
      {"url_lower_stop", get("url_lower_stop")},     {"classic_plain", get("classic_plain"), true, true},
      {"classic_filter", get("classic_filter")},
  };
  return cases;
}

const std::vector<Case>& icu_cases() {
  static const std::vector<Case> cases = {
      {"icu_plain", get("icu_plain"), true, true},
      {"icu_nfkc", get("icu_nfkc")},
      {"icu_nfd", get("icu_nfd")},
      {"thai_plain", get("thai_plain"), true, true},
  };
  return cases;
}

const std::vector<Case>& charclass_cases() {
  static const std::vector<Case> cases = {
      {"ws_plain", get("ws_plain"), true, true},     {"ws4", get("ws4"), true, true},
      {"letter_plain", get("letter_plain"), true, true},
      {"lower_plain", get("lower_plain")},           {"cg_punct", get("cg_punct"), true, true},
      {"cg_sym", get("cg_sym"), true, true},         {"whitespace", get("whitespace")},
      {"simple", get("simple")},                     {"stop", get("stop")},
  };
  return cases;
}

const std::vector<Case>& pattern_cases() {
  static const std::vector<Case> cases = {
      {"pat_default", get("pat_default"), true, true}, {"pat_comma", get("pat_comma"), true, true},
      {"pat_quoted", get("pat_quoted"), true, true},   {"pat_whole", get("pat_whole"), true, true},
      {"pat_empty", get("pat_empty"), true, true},     {"pat_look", get("pat_look"), true, true},
      {"pat_ci", get("pat_ci"), true, true},           {"pattern", get("pattern")},
      {"sp_word", get("sp_word"), true, true},         {"sps_punct", get("sps_punct"), true, true},
  };
  return cases;
}

const std::vector<Case>& keyword_cases() {
  static const std::vector<Case> cases = {
      {"kw_plain", get("kw_plain"), true, true},
      {"keyword", get("keyword"), true, true},
      {"kw_lower_fold", get("kw_lower_fold")},
  };
  return cases;
}

const std::vector<Case>& charfilter_cases() {
  static const std::vector<Case> cases = {
      {"cf_html_std", get("cf_html_std")},         {"cf_html_b_ws", get("cf_html_b_ws")},
      {"cf_map_ws", get("cf_map_ws")},             {"cf_map_std", get("cf_map_std")},
      {"cf_pr_std", get("cf_pr_std")},             {"cf_pr_vowels_ws", get("cf_pr_vowels_ws")},
      {"cf_pr_double_ws", get("cf_pr_double_ws")}, {"cf_all_kw", get("cf_all_kw")},
      {"cf_all_std", get("cf_all_std")},           {"cf_html_ngram", get("cf_html_ngram")},
      {"cf_map_icu", get("cf_map_icu")},
  };
  return cases;
}

const std::vector<Case>& filter_cases() {
  static const std::vector<Case> cases = {
      {"wdg_default", get("wdg_default")},
      {"wdg_all", get("wdg_all")},
      {"wdg_noadjust", get("wdg_noadjust")},
      {"wdg_std_lower", get("wdg_std_lower")},
      {"cf_map_wdg", get("cf_map_wdg")},
      {"wd_all", get("wd_all"), false},  // word_delimiter: Lucene's broken offsets
      {"syn_graph", get("syn_graph")},
      {"syn_flat", get("syn_flat")},
      {"syn_stop", get("syn_stop")},
      {"shingle3", get("shingle3")},
      {"shingle_no_uni", get("shingle_no_uni")},
      {"syn_shingle", get("syn_shingle"), false},  // shingle over a graph: Lucene does not support it
      {"cjk_bigram_uni", get("cjk_bigram_uni"), false},
      {"icu_bigram", get("icu_bigram"), false},
      {"stem_en", get("stem_en")},
      {"stem_de", get("stem_de")},
      {"stem_ru", get("stem_ru")},
      {"stem_fr", get("stem_fr")},
      {"repeat_stem", get("repeat_stem")},
      {"fold_keep", get("fold_keep")},
      {"ws_nfkc", get("ws_nfkc")},
      {"edge_filter", get("edge_filter")},
      {"kitchen", get("kitchen"), false},  // word_delimiter_graph consuming synonym_graph's graph
  };
  return cases;
}

// A chain built for this input only (parameters from the input).
std::shared_ptr<const ChainAnalyzer> chain(std::vector<Named<CharFilter>> cfs, Named<Tokenizer> tok,
                                           std::vector<Named<TokenFilter>> fs) {
  auto a = AnalyzerRegistry::make_chain("fuzz", std::move(cfs), std::move(tok), std::move(fs), -1);
  return a.is_ok() ? std::move(a).value() : nullptr;
}

// Bytes: p (edges, min, filter form), q (max), r (token_chars bits).
void fuzz_ngram(std::string_view in) {
  if (in.size() < 3) return;
  const uint8_t p = in[0], q = in[1], r = in[2];
  in.remove_prefix(3);
  const bool edges = p & 1, as_filter = p & 0x40, preserve = p & 0x80;
  const int min = 1 + ((p >> 1) % 4);
  int max = min + (edges ? q % 8 : q % 2);
  if (q & 0x80) max = min - 1 + (q & 0x40 ? 3 : 0);  // sometimes invalid settings: must be an error, not a crash
  std::map<std::string, std::string> v{{"type", edges ? "edge_ngram" : "ngram"},
                                       {"min_gram", std::to_string(min)},
                                       {"max_gram", std::to_string(max)}};
  if (as_filter) {
    if (preserve) v["preserve_original"] = "true";
    auto f = AnalyzerRegistry::make_token_filter(ComponentSettings("ng", v));
    if (!f.is_ok()) return;
    auto tok = AnalyzerRegistry::make_tokenizer(ComponentSettings("ws", {{"type", "whitespace"}}));
    auto a = chain({}, {"whitespace", tok.value()}, {{"ng", f.value()}});
    if (a == nullptr) return;
    check({"ngram_filter", a.get()}, in, to_utf16(in));
    return;
  }
  static const char* const kChars[] = {"letter", "digit", "whitespace", "punctuation", "symbol", "custom", "other_letter"};
  int n = 0;
  for (int i = 0; i < 7; ++i) {
    if (r & (1 << i)) v["token_chars." + std::to_string(n++)] = kChars[i];
  }
  if (r & 0x80) v["custom_token_chars"] = "+-_\xC3\xA9\xF0\x9F\x98\x80";  // "+-_é😀" (the emoji never matches)
  auto t = AnalyzerRegistry::make_tokenizer(ComponentSettings("ng", v));
  if (!t.is_ok()) return;
  auto a = chain({}, {"ng", t.value()}, {});
  check({edges ? "edge_ngram_tokenizer" : "ngram_tokenizer", a.get(), true, true}, in, to_utf16(in));
}

// Bytes: p (delimiter), q (replacement), r (skip, reverse, buffer_size).
void fuzz_path(std::string_view in) {
  if (in.size() < 3) return;
  static const char* const kDelims[] = {"/", "\\", "-", ".", ":", "|", "a", "\xE2\x82\xAC" /* € */, " ", "\xF0\x9F\x98\x80"};
  const uint8_t p = in[0], q = in[1], r = in[2];
  in.remove_prefix(3);
  std::map<std::string, std::string> v{{"type", "path_hierarchy"}, {"delimiter", kDelims[p % 10]},
                                       {"skip", std::to_string(r % 4)}, {"reverse", r & 4 ? "true" : "false"}};
  if (q < 200) v["replacement"] = kDelims[q % 10];
  if (r & 8) v["buffer_size"] = r & 16 ? "0" : "1";
  auto t = AnalyzerRegistry::make_tokenizer(ComponentSettings("ph", v));
  if (!t.is_ok()) return;  // a supplementary-character delimiter is not one char: an error
  auto a = chain({}, {"ph", t.value()}, {});
  // Lucene lists both path tokenizers among the components with broken (graph-inconsistent) offsets.
  check({"path_hierarchy", a.get(), false}, in, to_utf16(in));
}

// Variant byte >= 0x80: p (low 6 bits: pattern length, at most 48; high 2: replacement), q (flags,
// group), the pattern, then at
// most 64 bytes of text (ICU backtracks like Java: exponential patterns on long texts only time out).
void fuzz_pattern(uint8_t variant, std::string_view in, const std::u16string& decoded) {
  if (variant < 0x80) {
    run_fixed(pattern_cases(), variant, in, decoded);
    return;
  }
  if (in.size() < 2) return;
  const uint8_t p = in[0], q = in[1];
  in.remove_prefix(2);
  const size_t len = std::min<size_t>(std::min(p & 0x3F, 48), in.size());
  const std::string pattern(in.substr(0, len));
  in.remove_prefix(len);
  if (in.size() > 64) in = in.substr(0, 64);
  static const char* const kFlags[] = {"CASE_INSENSITIVE", "COMMENTS", "DOTALL", "MULTILINE", "UNICODE_CHARACTER_CLASS", "LITERAL"};
  std::string flags;
  for (int i = 0; i < 6; ++i) {
    if (q & (1 << i)) flags += (flags.empty() ? "" : "|") + std::string(kFlags[i]);
  }
  const int group = (q >> 6) - 1;  // -1 .. 2
  const std::u16string text16 = to_utf16(in);
  auto t = AnalyzerRegistry::make_tokenizer(ComponentSettings(
      "pt", {{"type", "pattern"}, {"pattern", pattern}, {"flags", flags}, {"group", std::to_string(group)}}));
  if (t.is_ok()) {
    auto a = chain({}, {"pt", t.value()}, {});
    check({"fuzzed_pattern_tokenizer", a.get(), true, true}, in, text16);
  }
  // The same text as a Lucene RegExp for simple_pattern and simple_pattern_split.
  for (const char* type : {"simple_pattern", "simple_pattern_split"}) {
    auto sp = AnalyzerRegistry::make_tokenizer(ComponentSettings("sp", {{"type", type}, {"pattern", pattern}}));
    if (!sp.is_ok()) continue;
    auto a = chain({}, {type, sp.value()}, {});
    check({type, a.get(), true, true}, in, text16);
  }
  // The same pattern in pattern_replace, as a char filter and as a token filter.
  static const char* const kReplacements[] = {"", "$1", "<$0>", "x$2y", "\\$"};
  const char* replacement = kReplacements[(p >> 6) + (q & 1)];
  auto cf = AnalyzerRegistry::make_char_filter(ComponentSettings(
      "pr", {{"type", "pattern_replace"}, {"pattern", pattern}, {"flags", flags}, {"replacement", replacement}}));
  auto f = AnalyzerRegistry::make_token_filter(ComponentSettings(
      "prf", {{"type", "pattern_replace"}, {"pattern", pattern}, {"flags", flags}, {"replacement", replacement},
              {"all", q & 2 ? "false" : "true"}}));
  auto ws = AnalyzerRegistry::make_tokenizer(ComponentSettings("ws", {{"type", "whitespace"}}));
  if (cf.is_ok()) {
    auto a = chain({{"pr", cf.value()}}, {"whitespace", ws.value()}, {});
    check({"fuzzed_pattern_replace_char_filter", a.get()}, in, text16);
  }
  if (f.is_ok()) {
    auto a = chain({}, {"whitespace", ws.value()}, {{"prf", f.value()}});
    check({"fuzzed_pattern_replace_filter", a.get()}, in, text16);
  }
}

// The documented handling of invalid UTF-8 (README.md): to_utf16 equals the reference decoder,
// utf16_length agrees with it, and the keyword tokenizer's single term is its UTF-8 form.
void check_decoding(std::string_view text, const std::u16string& decoded) {
  static const Case kDecoder{"to_utf16", nullptr};
  if (decoded != reference_decode(text)) fail(kDecoder, "to_utf16 differs from the reference decoder", nullptr, 0);
  if (utf16_length(text) != decoded.size()) fail(kDecoder, "utf16_length differs from the decoded length", nullptr, 0);
  const std::string round = to_utf8(decoded);
  if (!valid_utf8(round)) fail(kDecoder, "to_utf8 output is not valid UTF-8", nullptr, 0);
  if (valid_utf8(text) && round != text) fail(kDecoder, "valid UTF-8 does not round-trip", nullptr, 0);
}

int forced_family() {
  static const int forced = [] {
    const char* env = std::getenv("SIFT_ANALYSIS_FAMILY");
    if (env == nullptr || *env == '\0') return -1;
    for (int i = 0; i < kFamilies; ++i) {
      if (std::strcmp(env, kFamilyNames[i]) == 0) return i;
    }
    std::fprintf(stderr, "SIFT_ANALYSIS_FAMILY=%s: unknown family\n", env);
    std::abort();
  }();
  return forced;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)registry();  // build every analyzer up front: a broken setting fails before fuzzing starts
  (void)forced_family();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  int family = forced_family();
  if (family < 0) {
    const char* letter = std::strchr(kFamilyLetters, input[0]);
    family = letter != nullptr && input[0] != '\0' ? static_cast<int>(letter - kFamilyLetters) : data[0] % kFamilies;
  }
  g_family = kFamilyNames[family];
  const uint8_t variant = data[1];
  std::string_view text = input.substr(2);
  const std::u16string decoded = to_utf16(text);
  check_decoding(text, decoded);
  switch (family) {
    case 0: run_fixed(uax29_cases(), variant, text, decoded); break;
    case 1: run_fixed(icu_cases(), variant, text, decoded); break;
    case 2: run_fixed(charclass_cases(), variant, text, decoded); break;
    case 3: fuzz_pattern(variant, text, decoded); break;
    case 4: fuzz_ngram(text); break;
    case 5: fuzz_path(text); break;
    case 6: {
      run_fixed(keyword_cases(), variant, text, decoded);
      // The keyword tokenizer's term is the decoded input, ill-formed subparts as U+FFFD.
      TokenStream s;
      get("kw_plain")->analyze_stream(text, &s);
      static const Case kKeyword{"kw_plain", nullptr};
      if (!text.empty() && (s.tokens.size() != 1 || s.tokens[0].term != to_utf8(reference_decode(text)))) {
        fail(kKeyword, "the keyword term is not the decoded input", &s, 0);
      }
      break;
    }
    case 7: run_fixed(charfilter_cases(), variant, text, decoded); break;
    case 8: run_fixed(filter_cases(), variant, text, decoded); break;
    default: break;  // 'X': check_decoding above is the whole test
  }
  return 0;
}
