#include "analyzers/registry.h"

#include <set>

#include "analyzers/scanner_tokenizers.h"

namespace sift::analysis {
namespace {

constexpr std::string_view kPrefix = "index.analysis.";

// index.analysis.<kind>.<name>.<key> -> kind -> name -> key -> value.
using Definitions = std::map<std::string, std::map<std::string, std::map<std::string, std::string>>>;

Definitions group(const std::map<std::string, std::string>& settings) {
  Definitions out;
  for (auto it = settings.lower_bound(std::string(kPrefix)); it != settings.end(); ++it) {
    std::string_view key = it->first;
    if (key.substr(0, kPrefix.size()) != kPrefix) break;
    key.remove_prefix(kPrefix.size());
    size_t dot1 = key.find('.');
    if (dot1 == std::string_view::npos) continue;
    size_t dot2 = key.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos) continue;
    out[std::string(key.substr(0, dot1))][std::string(key.substr(dot1 + 1, dot2 - dot1 - 1))]
       [std::string(key.substr(dot2 + 1))] = it->second;
  }
  return out;
}

template <typename T>
Result<std::shared_ptr<const T>> make(const std::map<std::string, Factory<T>, std::less<>>& types,
                                      const ComponentSettings& s, std::string_view component) {
  std::string type = s.type();
  if (type.empty()) {
    return invalid_argument(std::string(component) + " [" + s.name() +
                            "] must specify either an analyzer type, or a tokenizer");
  }
  auto it = types.find(type);
  if (it == types.end()) {
    return invalid_argument("Unknown " + std::string(component) + " type [" + type + "] for [" + s.name() + "]");
  }
  return it->second(s);
}

// A built-in component used by name: its type with default settings; nullptr when unknown.
template <typename T>
Result<std::shared_ptr<const T>> by_type_name(const std::map<std::string, Factory<T>, std::less<>>& types,
                                              std::string_view name) {
  auto it = types.find(name);
  if (it == types.end()) return std::shared_ptr<const T>();
  return it->second(ComponentSettings(std::string(name), {{"type", std::string(name)}}));
}

}  // namespace

const ComponentTypes& ComponentTypes::get() {
  static const ComponentTypes types = [] {
    ComponentTypes t;
    register_core_components(&t);
    register_tokenizers(&t);
    register_token_filters(&t);
    register_stemmers(&t);
    register_graph_filters(&t);
    register_char_filters(&t);
    register_builtin_analyzers(&t);
    register_language_analyzers(&t);
    register_korean(&t);
    register_scanner_tokenizers(&t);
    return t;
  }();
  return types;
}

std::shared_ptr<const AnalyzerRegistry> AnalyzerRegistry::builtin() {
  static const std::shared_ptr<const AnalyzerRegistry> registry = [] {
    std::shared_ptr<AnalyzerRegistry> r(new AnalyzerRegistry());
    Status st = r->build({});
    if (!st.is_ok()) std::abort();  // the built-ins must build; analyzer tests catch a broken one
    return std::shared_ptr<const AnalyzerRegistry>(std::move(r));
  }();
  return registry;
}

Result<std::shared_ptr<const AnalyzerRegistry>> AnalyzerRegistry::from_settings(
    const std::map<std::string, std::string>& settings) {
  auto it = settings.lower_bound(std::string(kPrefix));
  if (it == settings.end() || it->first.compare(0, kPrefix.size(), kPrefix) != 0) return builtin();
  std::shared_ptr<AnalyzerRegistry> r(new AnalyzerRegistry());
  SIFT_RETURN_IF_ERROR(r->build(settings));
  return std::shared_ptr<const AnalyzerRegistry>(std::move(r));
}

Result<std::shared_ptr<const ChainAnalyzer>> AnalyzerRegistry::make_chain(std::string name,
                                                                          std::vector<Named<CharFilter>> char_filters,
                                                                          Named<Tokenizer> tokenizer,
                                                                          std::vector<Named<TokenFilter>> filters,
                                                                          int32_t gap) {
  ChainPrefix prefix{char_filters, tokenizer, {}};
  for (Named<TokenFilter>& f : filters) {
    SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const TokenFilter> bound, f.component->bind(prefix));
    if (bound != nullptr) f.component = std::move(bound);
    prefix.filters.push_back(f);
  }
  return std::make_shared<const ChainAnalyzer>(std::move(name), std::move(char_filters), std::move(tokenizer),
                                               std::move(filters), gap);
}

Status AnalyzerRegistry::build(const std::map<std::string, std::string>& settings) {
  const ComponentTypes& types = ComponentTypes::get();
  if (settings.empty()) {  // the built-in registry: every analyzer type with default settings
    for (const auto& [type, factory] : types.analyzers) {
      SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const Analyzer> a,
                            factory(ComponentSettings(type, {{"type", type}})));
      analyzers_[type] = std::move(a);
    }
    default_ = default_search_ = analyzers_.at("standard").get();
    return Status::ok();
  }
  Definitions defs = group(settings);
  SIFT_ASSIGN_OR_RETURN(const IndexLimits limits, index_limits(settings));
  auto component = [&limits](const std::string& name, const std::map<std::string, std::string>& values) {
    ComponentSettings s(name, values);
    s.set_limits(limits);
    return s;
  };
  for (const auto& [name, values] : defs["tokenizer"]) {
    SIFT_ASSIGN_OR_RETURN(tokenizers_[name], make(types.tokenizers, component(name, values), "tokenizer"));
  }
  for (const auto& [name, values] : defs["char_filter"]) {
    SIFT_ASSIGN_OR_RETURN(char_filters_[name], make(types.char_filters, component(name, values), "char_filter"));
  }
  for (const auto& [name, values] : defs["filter"]) {
    SIFT_ASSIGN_OR_RETURN(filters_[name], make(types.filters, component(name, values), "filter"));
  }
  // Custom chains resolve their parts by name: the index's, then the built-ins.
  auto resolve_parts = [&](const std::string& what, const std::string& name, const ComponentSettings& s,
                           std::vector<Named<CharFilter>>* cfs, std::vector<Named<TokenFilter>>* fs) -> Status {
    for (const std::string& cf : s.get_list("char_filter").value_or(std::vector<std::string>{})) {
      SIFT_ASSIGN_OR_RETURN(auto c, char_filter(cf));
      if (c == nullptr) return invalid_argument(what + " [" + name + "] failed to find char_filter under name [" + cf + "]");
      cfs->push_back({cf, std::move(c)});
    }
    for (const std::string& f : s.get_list("filter").value_or(std::vector<std::string>{})) {
      SIFT_ASSIGN_OR_RETURN(auto c, token_filter(f));
      if (c == nullptr) return invalid_argument(what + " [" + name + "] failed to find filter under name [" + f + "]");
      fs->push_back({f, std::move(c)});
    }
    return Status::ok();
  };
  for (const auto& [name, values] : defs["analyzer"]) {
    ComponentSettings s = component(name, values);
    const std::string type = s.type();
    if (type.empty() || type == "custom") {
      auto tok_name = s.get("tokenizer");
      if (!tok_name) return invalid_argument("analyzer [" + name + "] must specify either an analyzer type, or a tokenizer");
      SIFT_ASSIGN_OR_RETURN(auto tok, tokenizer(*tok_name));
      if (tok == nullptr) {
        return invalid_argument("Custom Analyzer [" + name + "] failed to find tokenizer under name [" + *tok_name + "]");
      }
      std::vector<Named<CharFilter>> cfs;
      std::vector<Named<TokenFilter>> fs;
      SIFT_RETURN_IF_ERROR(resolve_parts("Custom Analyzer", name, s, &cfs, &fs));
      SIFT_ASSIGN_OR_RETURN(int64_t gap, s.get_int("position_increment_gap", 100));
      if (gap < 0) return invalid_argument("position increment gap must be a positive number, got [" + std::to_string(gap) + "]");
      SIFT_ASSIGN_OR_RETURN(auto chain, make_chain(name, std::move(cfs), {*tok_name, std::move(tok)}, std::move(fs),
                                                   static_cast<int32_t>(gap)));
      analyzers_[name] = std::move(chain);
      continue;
    }
    SIFT_ASSIGN_OR_RETURN(analyzers_[name], make(types.analyzers, s, "analyzer"));
  }
  for (const auto& [name, values] : defs["normalizer"]) {
    ComponentSettings s(name, values);
    const std::string type = s.type();
    if (!type.empty() && type != "custom") {
      return invalid_argument("Unknown normalizer type [" + type + "] for [" + name + "]");
    }
    std::vector<Named<CharFilter>> cfs;
    std::vector<Named<TokenFilter>> fs;
    SIFT_RETURN_IF_ERROR(resolve_parts("Custom normalizer", name, s, &cfs, &fs));
    for (const auto& cf : cfs) {
      if (!cf.component->normalizing()) {
        return invalid_argument("Custom normalizer [" + name + "] may not use char filter [" + cf.name + "]");
      }
    }
    for (const auto& f : fs) {
      if (!f.component->normalizing()) {
        return invalid_argument("Custom normalizer [" + name + "] may not use filter [" + f.name + "]");
      }
    }
    SIFT_ASSIGN_OR_RETURN(auto keyword, by_type_name(types.tokenizers, "keyword"));
    normalizers_[name] =
        std::make_shared<const ChainAnalyzer>(name, std::move(cfs), Named<Tokenizer>{"keyword", keyword}, std::move(fs));
  }
  const Analyzer* d = get("default");
  default_ = d != nullptr ? d : builtin()->get("standard");
  const Analyzer* ds = get("default_search");
  default_search_ = ds != nullptr ? ds : default_;
  return Status::ok();
}

const Analyzer* AnalyzerRegistry::get(std::string_view name) const {
  auto it = analyzers_.find(name);
  if (it != analyzers_.end()) return it->second.get();
  if (name == "default" && default_ != nullptr) return default_;
  if (name == "default_search" && default_search_ != nullptr) return default_search_;
  const AnalyzerRegistry* b = builtin().get();
  if (b == this) return nullptr;
  return b->get(name);
}

const Analyzer* AnalyzerRegistry::normalizer(std::string_view name) const {
  auto it = normalizers_.find(name);
  if (it != normalizers_.end()) return it->second.get();
  if (name != "lowercase") return nullptr;
  static const std::shared_ptr<const Analyzer> lowercase = [] {
    const ComponentTypes& types = ComponentTypes::get();
    auto keyword = by_type_name(types.tokenizers, "keyword").value();
    auto lower = by_type_name(types.filters, "lowercase").value();
    return std::make_shared<const ChainAnalyzer>("lowercase", std::vector<Named<CharFilter>>{},
                                                 Named<Tokenizer>{"keyword", keyword},
                                                 std::vector<Named<TokenFilter>>{{"lowercase", lower}});
  }();
  return lowercase.get();
}

Result<std::shared_ptr<const Tokenizer>> AnalyzerRegistry::tokenizer(std::string_view name) const {
  auto it = tokenizers_.find(name);
  if (it != tokenizers_.end()) return it->second;
  return by_type_name(ComponentTypes::get().tokenizers, name);
}

Result<std::shared_ptr<const TokenFilter>> AnalyzerRegistry::token_filter(std::string_view name) const {
  auto it = filters_.find(name);
  if (it != filters_.end()) return it->second;
  return by_type_name(ComponentTypes::get().filters, name);
}

Result<std::shared_ptr<const CharFilter>> AnalyzerRegistry::char_filter(std::string_view name) const {
  auto it = char_filters_.find(name);
  if (it != char_filters_.end()) return it->second;
  return by_type_name(ComponentTypes::get().char_filters, name);
}

Result<std::shared_ptr<const Tokenizer>> AnalyzerRegistry::make_tokenizer(const ComponentSettings& s) {
  return make(ComponentTypes::get().tokenizers, s, "tokenizer");
}
Result<std::shared_ptr<const TokenFilter>> AnalyzerRegistry::make_token_filter(const ComponentSettings& s) {
  return make(ComponentTypes::get().filters, s, "filter");
}
Result<std::shared_ptr<const CharFilter>> AnalyzerRegistry::make_char_filter(const ComponentSettings& s) {
  return make(ComponentTypes::get().char_filters, s, "char_filter");
}

}  // namespace sift::analysis
