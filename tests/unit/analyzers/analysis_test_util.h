// Small helpers the analysis tests share: an analyzer's tokens for a text and their terms, filters
// built from settings and run on one word, custom analyzers from index settings.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/registry.h"

namespace sift::analysis::testing {

inline std::vector<Token> run(const Analyzer& a, std::string_view text) {
  std::vector<Token> out;
  a.analyze(text, 0, 0, &out);
  return out;
}

inline std::vector<std::string> terms(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(t.term);
  return out;
}

inline std::vector<std::string> terms(const Analyzer& a, std::string_view text) { return terms(run(a, text)); }

// A token filter of `type` from its settings (the test fails when they are refused).
inline std::shared_ptr<const TokenFilter> make_filter(const std::string& type,
                                                      std::map<std::string, std::string> values = {}) {
  values["type"] = type;
  auto f = ComponentTypes::get().filters.at(type)(ComponentSettings(type, values));
  REQUIRE(f.is_ok());
  return *f;
}

// The same with a `language` setting, none when `language` is empty.
inline std::shared_ptr<const TokenFilter> language_filter(const std::string& type, const std::string& language) {
  return language.empty() ? make_filter(type) : make_filter(type, {{"language", language}});
}

// One word through `f` (marked keyword or not): the term the filter leaves (it must keep the token).
inline std::string filter_word(const TokenFilter& f, const std::string& word, bool keyword = false) {
  TokenStream s;
  Token& t = s.tokens.emplace_back();
  t.term = word;
  t.keyword = keyword;
  s.end_position = 1;
  f.filter(&s);
  REQUIRE(s.tokens.size() == 1);
  return s.tokens[0].term;
}

// Analyzer `name` of a registry built from index `settings`, kept alive until the tests end.
inline const Analyzer& custom_analyzer(const std::map<std::string, std::string>& settings,
                                       const std::string& name = "my") {
  static std::vector<std::shared_ptr<const AnalyzerRegistry>> keep;
  auto r = AnalyzerRegistry::from_settings(settings);
  REQUIRE(r.is_ok());
  keep.push_back(*r);
  const Analyzer* a = keep.back()->get(name);
  REQUIRE(a != nullptr);
  return *a;
}

}  // namespace sift::analysis::testing
