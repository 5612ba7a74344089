// The analyzer types OpenSearch has without plugins that are not language analyzers: standard,
// simple, whitespace, stop, keyword (pattern and fingerprint join them in tokenizers.cpp's and
// token_filters.cpp's issue work). Each is a chain of registered components, so `_analyze` and
// normalization see the same steps.
#include <cstring>

#include "analyzers/registry.h"

namespace sift::analysis {
namespace {

// A registered component by type, with the given settings (ComponentSettings of the analyzer, so
// its parameters such as max_token_length and stopwords reach the parts that read them).
template <typename T>
Result<Named<T>> part(const std::map<std::string, Factory<T>, std::less<>>& types, const std::string& type,
                      std::map<std::string, std::string> values) {
  auto it = types.find(type);
  if (it == types.end()) return internal_error("analysis component [" + type + "] is not registered");
  values["type"] = type;
  SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const T> c, it->second(ComponentSettings(type, std::move(values))));
  return Named<T>{type, std::move(c)};
}

std::map<std::string, std::string> pick(const ComponentSettings& s, std::initializer_list<const char*> keys) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : s.values()) {
    for (const char* key : keys) {
      if (k == key || (k.size() > std::strlen(key) && k.compare(0, std::strlen(key), key) == 0 && k[std::strlen(key)] == '.')) {
        out[k] = v;
      }
    }
  }
  return out;
}

Result<std::shared_ptr<const Analyzer>> chain(const ComponentSettings& s, const std::string& tokenizer,
                                              std::map<std::string, std::string> tokenizer_settings,
                                              std::vector<std::pair<std::string, std::map<std::string, std::string>>> filters) {
  const ComponentTypes& types = ComponentTypes::get();
  SIFT_ASSIGN_OR_RETURN(Named<Tokenizer> t, part(types.tokenizers, tokenizer, std::move(tokenizer_settings)));
  std::vector<Named<TokenFilter>> fs;
  for (auto& [type, values] : filters) {
    SIFT_ASSIGN_OR_RETURN(Named<TokenFilter> f, part(types.filters, type, std::move(values)));
    fs.push_back(std::move(f));
  }
  return std::shared_ptr<const Analyzer>(std::make_shared<ChainAnalyzer>(s.name(), std::vector<Named<CharFilter>>{},
                                                                         std::move(t), std::move(fs)));
}

}  // namespace

void register_builtin_analyzers(ComponentTypes* types) {
  // Lucene's StandardAnalyzer; OpenSearch's has no stop words unless `stopwords` is set.
  types->analyzers["standard"] = [](const ComponentSettings& s) {
    std::map<std::string, std::string> stop = pick(s, {"stopwords"});
    std::vector<std::pair<std::string, std::map<std::string, std::string>>> filters = {{"lowercase", {}}};
    if (!stop.empty()) filters.emplace_back("stop", std::move(stop));
    return chain(s, "standard", pick(s, {"max_token_length"}), std::move(filters));
  };
  types->analyzers["simple"] = [](const ComponentSettings& s) { return chain(s, "lowercase", {}, {}); };
  types->analyzers["whitespace"] = [](const ComponentSettings& s) {
    return chain(s, "whitespace", pick(s, {"max_token_length"}), {});
  };
  types->analyzers["stop"] = [](const ComponentSettings& s) {
    return chain(s, "lowercase", {}, {{"stop", pick(s, {"stopwords"})}});
  };
  types->analyzers["keyword"] = [](const ComponentSettings& s) { return chain(s, "keyword", {}, {}); };
}

}  // namespace sift::analysis
