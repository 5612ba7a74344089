// Where analysis names resolve.
//
// ComponentTypes: every component type Sift knows (tokenizer, filter, char_filter and analyzer
// types), each a factory from its settings. Each source file registers its own types
// (register_* below), so the parts grow independently.
//
// AnalyzerRegistry: the analyzers, normalizers and components one index can name: the built-ins,
// plus the definitions of its `index.analysis.*` settings. `builtin()` is the registry of an index
// without analysis settings (and of the global `_analyze`).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/component_settings.h"
#include "analyzers/components.h"
#include "common/status.h"

namespace sift::analysis {

template <typename T>
using Factory = std::function<Result<std::shared_ptr<const T>>(const ComponentSettings&)>;

struct ComponentTypes {
  std::map<std::string, Factory<Tokenizer>, std::less<>> tokenizers;
  std::map<std::string, Factory<TokenFilter>, std::less<>> filters;
  std::map<std::string, Factory<CharFilter>, std::less<>> char_filters;
  // Analyzer types other than `custom` ("standard", "english", "pattern", ...): the analyzer named
  // settings.name(). Every type is also a built-in analyzer of that name with default settings.
  std::map<std::string, Factory<Analyzer>, std::less<>> analyzers;

  static const ComponentTypes& get();
};

// Registration, one function per source file (each defined there).
void register_core_components(ComponentTypes* types);      // registry.cpp: keyword tokenizer, lowercase
void register_builtin_analyzers(ComponentTypes* types);    // builtin_analyzers.cpp
void register_tokenizers(ComponentTypes* types);           // tokenizers.cpp
void register_token_filters(ComponentTypes* types);        // token_filters.cpp
void register_stemmers(ComponentTypes* types);             // stemmers.cpp
void register_graph_filters(ComponentTypes* types);        // graph_filters.cpp
void register_char_filters(ComponentTypes* types);         // char_filters.cpp
void register_language_analyzers(ComponentTypes* types);   // language_analyzers.cpp
void register_korean(ComponentTypes* types);               // korean.cpp

class AnalyzerRegistry {
 public:
  // The built-ins only.
  static std::shared_ptr<const AnalyzerRegistry> builtin();
  // The built-ins plus `index.analysis.*` from flat index settings ("index.analysis.analyzer.my.
  // tokenizer" -> "standard"). Errors are OpenSearch's and name the bad component.
  static Result<std::shared_ptr<const AnalyzerRegistry>> from_settings(const std::map<std::string, std::string>& settings);

  // An analyzer by name (the index's, then the built-ins); nullptr when none has it.
  const Analyzer* get(std::string_view name) const;
  // `default` (the index's `analysis.analyzer.default`, else standard) and `default_search`.
  const Analyzer& standard() const { return *default_; }
  const Analyzer& default_analyzer() const { return *default_; }
  const Analyzer& default_search_analyzer() const { return *default_search_; }
  // A normalizer by name (the index's, then `lowercase`); nullptr when none has it.
  const Analyzer* normalizer(std::string_view name) const;

  // Components by name: the index's definitions, then the built-in types with default settings.
  // nullptr when the name is unknown; an error when a built-in needs settings it lacks.
  Result<std::shared_ptr<const Tokenizer>> tokenizer(std::string_view name) const;
  Result<std::shared_ptr<const TokenFilter>> token_filter(std::string_view name) const;
  Result<std::shared_ptr<const CharFilter>> char_filter(std::string_view name) const;

  // Components from inline definitions (`_analyze` bodies): settings with a "type".
  static Result<std::shared_ptr<const Tokenizer>> make_tokenizer(const ComponentSettings& s);
  static Result<std::shared_ptr<const TokenFilter>> make_token_filter(const ComponentSettings& s);
  static Result<std::shared_ptr<const CharFilter>> make_char_filter(const ComponentSettings& s);

  // A chain from resolved parts, binding chain-aware filters (synonyms) to what precedes them.
  static Result<std::shared_ptr<const ChainAnalyzer>> make_chain(std::string name, std::vector<Named<CharFilter>> char_filters,
                                                                 Named<Tokenizer> tokenizer,
                                                                 std::vector<Named<TokenFilter>> filters, int32_t gap);

 private:
  AnalyzerRegistry() = default;
  Status build(const std::map<std::string, std::string>& settings);

  std::map<std::string, std::shared_ptr<const Analyzer>, std::less<>> analyzers_;  // index-defined and built
  std::map<std::string, std::shared_ptr<const Analyzer>, std::less<>> normalizers_;
  std::map<std::string, std::shared_ptr<const Tokenizer>, std::less<>> tokenizers_;  // index-defined
  std::map<std::string, std::shared_ptr<const TokenFilter>, std::less<>> filters_;
  std::map<std::string, std::shared_ptr<const CharFilter>, std::less<>> char_filters_;
  const Analyzer* default_ = nullptr;
  const Analyzer* default_search_ = nullptr;
};

}  // namespace sift::analysis
