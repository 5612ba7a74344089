#include <catch2/catch.hpp>

#include <set>

#include "analyzers/registry.h"

using namespace sift::analysis;

namespace {

struct Expected {
  const char* term;
  uint32_t start, end, position, position_length;
  const char* type;
  bool keyword;
};
struct Case {
  const char* spec;
  const char* text;
  uint32_t end_position;
  std::vector<Expected> tokens;
};
const Case kCases[] = {
#include "filter_cases.inc"
};

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

const std::set<std::string> kListKeys = {"articles", "keywords", "ignored_scripts", "mappings", "escaped_tags", "stopwords"};

// "name(k=v&k=v)" as flat settings under `prefix`; returns the name.
std::string component(const std::string& c, const std::string& prefix, std::map<std::string, std::string>* settings) {
  size_t open = c.find('(');
  if (open == std::string::npos) return c;
  std::string name = c.substr(0, open);
  (*settings)[prefix + "type"] = name;
  for (const std::string& kv : split(std::string_view(c).substr(open + 1, c.size() - open - 2), '&')) {
    size_t eq = kv.find('=');
    std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    if (kListKeys.count(k) > 0) {
      auto items = split(v, '|');
      if (items.empty()) items.push_back("");
      for (size_t i = 0; i < items.size(); ++i) (*settings)[prefix + k + "." + std::to_string(i)] = unescape(items[i]);
    } else {
      (*settings)[prefix + k] = unescape(v);
    }
  }
  return "";
}

// The analyzer a spec describes, or nullptr when a part is not registered here (skipped).
std::shared_ptr<const AnalyzerRegistry> registry_for(const std::string& spec) {
  std::map<std::string, std::string> s;
  const std::string a = "index.analysis.analyzer.t.";
  if (spec[0] == '@') {
    std::string name = component(spec.substr(1), a, &s);
    if (!name.empty()) s[a + "type"] = name;
  } else {
    auto parts = split(spec, '>');
    REQUIRE(parts.size() == 3);
    if (ComponentTypes::get().tokenizers.count(parts[1]) == 0) return nullptr;
    s[a + "tokenizer"] = parts[1];
    int n = 0;
    for (const std::string& c : split(parts[0], ';')) {
      std::string id = "c" + std::to_string(n);
      std::string name = component(c, "index.analysis.char_filter." + id + ".", &s);
      s[a + "char_filter." + std::to_string(n++)] = name.empty() ? id : name;
    }
    n = 0;
    for (const std::string& f : split(parts[2], ';')) {
      std::string id = "f" + std::to_string(n);
      std::string name = component(f, "index.analysis.filter." + id + ".", &s);
      s[a + "filter." + std::to_string(n++)] = name.empty() ? id : name;
    }
  }
  auto r = AnalyzerRegistry::from_settings(s);
  INFO(spec << ": " << (r.is_ok() ? "" : r.status().reason()));
  REQUIRE(r.is_ok());
  return *r;
}

}  // namespace

TEST_CASE("token filters and char filters equal Lucene's", "[token_filters][char_filters]") {
  size_t checked = 0;
  for (const Case& c : kCases) {
    auto r = registry_for(c.spec);
    if (r == nullptr) {
      WARN("skipped (tokenizer not registered): " << c.spec);
      continue;
    }
    const Analyzer* a = r->get("t");
    REQUIRE(a != nullptr);
    TokenStream s;
    a->analyze_stream(c.text, &s);
    INFO(c.spec << " | " << c.text);
    std::string got, want;
    for (const Token& t : s.tokens) {
      got += t.term + " " + std::to_string(t.start_offset) + "-" + std::to_string(t.end_offset) + " @" +
             std::to_string(t.position) + "/" + std::to_string(t.position_length) + " " + t.type + (t.keyword ? " K" : "") + "\n";
    }
    for (const Expected& t : c.tokens) {
      want += std::string(t.term) + " " + std::to_string(t.start) + "-" + std::to_string(t.end) + " @" +
              std::to_string(t.position) + "/" + std::to_string(t.position_length) + " " + t.type + (t.keyword ? " K" : "") + "\n";
    }
    CHECK(got == want);
    CHECK(s.end_position == c.end_position);
    ++checked;
  }
  CHECK(checked >= 70);
}

namespace {

std::shared_ptr<const AnalyzerRegistry> reg(std::map<std::string, std::string> s) {
  auto r = AnalyzerRegistry::from_settings(s);
  INFO((r.is_ok() ? "" : r.status().reason()));
  REQUIRE(r.is_ok());
  return *r;
}

std::string error(std::map<std::string, std::string> s) {
  auto r = AnalyzerRegistry::from_settings(s);
  REQUIRE_FALSE(r.is_ok());
  return r.status().reason();
}

}  // namespace

TEST_CASE("unique drops repeated terms without keeping their positions", "[token_filters]") {
  auto r = reg({{"index.analysis.analyzer.t.tokenizer", "whitespace"}, {"index.analysis.analyzer.t.filter", "unique"}});
  TokenStream s;
  r->get("t")->analyze_stream("a b a c b d", &s);
  REQUIRE(s.tokens.size() == 4);
  CHECK(s.tokens[2].term == "c");
  CHECK(s.tokens[2].position == 2);  // OpenSearch's UniqueTokenFilter closes the gaps
  CHECK(s.tokens[3].term == "d");
  CHECK(s.tokens[3].position == 3);
  CHECK(s.tokens[3].start_offset == 10);
  CHECK(s.end_position == 4);

  auto same = reg({{"index.analysis.analyzer.t.tokenizer", "whitespace"},
                   {"index.analysis.analyzer.t.filter.0", "keyword_repeat"},
                   {"index.analysis.analyzer.t.filter.1", "u"},
                   {"index.analysis.filter.u.type", "unique"},
                   {"index.analysis.filter.u.only_on_same_position", "true"}});
  same->get("t")->analyze_stream("a a b", &s);
  REQUIRE(s.tokens.size() == 3);
  CHECK(s.tokens[1].position == 1);
  CHECK(s.tokens[2].position == 2);
  CHECK(s.end_position == 3);
}

TEST_CASE("normalizers use the normalizing filters, asciifolding without the original", "[token_filters]") {
  auto r = reg({{"index.analysis.analyzer.t.tokenizer", "keyword"},
                {"index.analysis.analyzer.t.filter.0", "f"},
                {"index.analysis.analyzer.t.filter.1", "uppercase"},
                {"index.analysis.analyzer.t.filter.2", "reverse"},
                {"index.analysis.filter.f.type", "asciifolding"},
                {"index.analysis.filter.f.preserve_original", "true"}});
  CHECK(r->get("t")->normalize("café") == "CAFE");  // reverse is not normalizing
  TokenStream s;
  r->get("t")->analyze_stream("café", &s);
  REQUIRE(s.tokens.size() == 2);
  CHECK(s.tokens[0].term == "EFAC");  // Lucene emits the folded form first
  CHECK(s.tokens[1].term == "ÉFAC");
  const ComponentTypes& types = ComponentTypes::get();
  for (const char* name : {"lowercase", "uppercase", "asciifolding", "cjk_width", "decimal_digit", "elision", "trim",
                           "icu_normalizer"}) {
    auto f = types.filters.at(name)(ComponentSettings(name, {{"type", name}}));
    REQUIRE(f.is_ok());
    CHECK((*f)->normalizing());
  }
  for (const char* name : {"reverse", "truncate", "unique", "length", "cjk_bigram", "keyword_repeat", "fingerprint",
                           "apostrophe", "classic", "remove_duplicates"}) {
    auto f = types.filters.at(name)(ComponentSettings(name, {{"type", name}}));
    REQUIRE(f.is_ok());
    CHECK_FALSE((*f)->normalizing());
  }
}

TEST_CASE("filter settings errors are OpenSearch's", "[token_filters]") {
  const std::string f = "index.analysis.filter.f.";
  CHECK(error({{f + "type", "lowercase"}, {f + "language", "klingon"}}) == "language [klingon] not support for lower case");
  CHECK(error({{f + "type", "elision"}}) == "elision filter requires [articles] or [articles_path] setting");
  CHECK(error({{f + "type", "truncate"}}) == "length parameter must be provided");
  CHECK(error({{f + "type", "truncate"}, {f + "length", "0"}}) == "length parameter must be provided");
  CHECK(error({{f + "type", "pattern_replace"}}) == "pattern is missing for [f] token filter of type 'pattern_replace'");
  CHECK(error({{f + "type", "keyword_marker"}}) ==
        "keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured");
  CHECK(error({{f + "type", "keyword_marker"}, {f + "keywords", "a"}, {f + "keywords_pattern", "b"}}) ==
        "cannot specify both `keywords_pattern` and `keywords` or `keywords_path`");
  CHECK(error({{f + "type", "fingerprint"}, {f + "separator", "ab"}}) ==
        "Setting [separator] must be a single, non-null character. [ab] was provided.");
  CHECK(error({{f + "type", "trim"}, {f + "update_offsets", "true"}}) ==
        "update_offsets is not supported anymore. Please fix your analysis chain");
  CHECK(error({{f + "type", "length"}, {f + "enable_position_increments", "true"}}) ==
        "enable_position_increments is not supported anymore. Please fix your analysis chain");
  CHECK(error({{f + "type", "pattern_replace"}, {f + "pattern", "a"}, {f + "flags", "NOPE"}}) == "Unknown regex flag [NOPE]");
  CHECK(error({{f + "type", "pattern_replace"}, {f + "pattern", "(a"}}).rfind("Invalid regex pattern [(a]", 0) == 0);
  // By name, the pre-configured ones: truncate at 10, elision with French articles.
  auto r = reg({{"index.analysis.analyzer.t.tokenizer", "whitespace"},
                {"index.analysis.analyzer.t.filter.0", "elision"},
                {"index.analysis.analyzer.t.filter.1", "truncate"}});
  TokenStream s;
  r->get("t")->analyze_stream("l'abcdefghijkl", &s);
  REQUIRE(s.tokens.size() == 1);
  CHECK(s.tokens[0].term == "abcdefghij");
}

TEST_CASE("pattern_replace uses Java's ASCII \\d and \\w", "[token_filters]") {
  auto r = reg({{"index.analysis.analyzer.t.tokenizer", "whitespace"},
                {"index.analysis.analyzer.t.filter", "p"},
                {"index.analysis.filter.p.type", "pattern_replace"},
                {"index.analysis.filter.p.pattern", "\\d|\\w"},
                {"index.analysis.filter.p.replacement", "_"}});
  TokenStream s;
  r->get("t")->analyze_stream("a1١é", &s);
  REQUIRE(s.tokens.size() == 1);
  CHECK(s.tokens[0].term == "__١é");
}

TEST_CASE("stop: words of every length, short ones packed and long ones hashed, match whole terms only",
          "[token_filters][stop]") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.a.tokenizer", "whitespace"},
                                            {"index.analysis.analyzer.a.filter.0", "st"},
                                            {"index.analysis.filter.st.type", "stop"},
                                            {"index.analysis.filter.st.stopwords.0", "a"},
                                            {"index.analysis.filter.st.stopwords.1", "seven77"},
                                            {"index.analysis.filter.st.stopwords.2", "eight888"},
                                            {"index.analysis.filter.st.stopwords.3", "twelve-bytes"},
                                            {"index.analysis.filter.st.stopwords.4", "für"}});
  REQUIRE(r.is_ok());
  std::vector<Token> out;
  (*r)->get("a")->analyze("a aa seven77 seven7 seven777 eight888 eight88 twelve-bytes twelve-byte für fü A x", 0,
                          0, &out);
  std::vector<std::string> kept;
  for (const Token& t : out) kept.push_back(t.term + "@" + std::to_string(t.position));
  CHECK(kept == std::vector<std::string>{"aa@1", "seven7@3", "seven777@4", "eight88@6", "twelve-byte@8", "fü@10",
                                         "A@11", "x@12"});
}
