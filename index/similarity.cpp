// Similarity settings: parsing `index.similarity.*` with OpenSearch's checks and messages
// (SimilarityService, SimilarityProviders, Lucene's BM25Similarity constructor), and resolving the
// names a mapping uses.
#include "index/similarity.h"

#include "analyzers/registry.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "common/json_writer.h"
#include "index/mapping.h"

namespace sift::index {

namespace {

constexpr std::string_view kPrefix = "index.similarity.";

// The type names OpenSearch registers; none may be used as the name of a configured similarity.
constexpr std::string_view kBuiltInTypes[] = {"BM25", "LegacyBM25", "boolean", "classic", "DFR",
                                              "IB",   "LMDirichlet", "LMJelinekMercer", "DFI", "scripted"};

bool is_built_in_type(std::string_view name) {
  return std::find(std::begin(kBuiltInTypes), std::end(kBuiltInTypes), name) != std::end(kBuiltInTypes);
}

Status classic_error() {
  return invalid_argument(
      "The [classic] similarity may not be used anymore. Please use the [BM25] similarity or build a custom "
      "[scripted] similarity instead.");
}

// Java's Float.toString for the numbers Lucene prints in its messages.
std::string java_float_text(float v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return format_float(v);
}

// Java's Float.parseFloat: surrounding blanks trimmed, an optional f/F/d/D suffix, "NaN" and
// "Infinity" spelled as Java spells them.
bool parse_java_float(std::string_view text, float* out) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  std::string_view unsigned_part = text;
  if (!unsigned_part.empty() && (unsigned_part[0] == '+' || unsigned_part[0] == '-')) unsigned_part.remove_prefix(1);
  if (unsigned_part == "NaN" || unsigned_part == "Infinity") {
    *out = unsigned_part == "NaN" ? std::nanf("") : (text[0] == '-' ? -INFINITY : INFINITY);
    return true;
  }
  if (!text.empty() && std::strchr("fFdD", text.back()) != nullptr) text.remove_suffix(1);
  if (text.empty()) return false;
  for (char c : text) {
    // strtof also reads "inf"/"nan" spellings and hex floats with letters Java does not take here.
    if (!std::isdigit(static_cast<unsigned char>(c)) && std::strchr("+-.eE", c) == nullptr) return false;
  }
  std::string s(text);
  char* end = nullptr;
  *out = std::strtof(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

using Params = std::map<std::string, std::string>;

Status check_known_params(std::string_view type, const Params& params, std::initializer_list<std::string_view> known) {
  std::vector<std::string> unknown;
  for (const auto& [k, v] : params) {
    if (k != "type" && std::find(known.begin(), known.end(), k) == known.end()) unknown.push_back(k);
  }
  if (unknown.empty()) return Status::ok();
  std::string list;
  for (const auto& k : unknown) list += (list.empty() ? "" : ", ") + k;
  return invalid_argument("Unknown settings for similarity of type [" + std::string(type) + "]: [" + list + "]");
}

Result<float> float_param(const Params& params, const std::string& key, float fallback) {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  float v = 0;
  if (!parse_java_float(it->second, &v)) {
    return invalid_argument("Failed to parse float setting [" + key + "] with value [" + it->second + "]");
  }
  return v;
}

Result<bool> bool_param(const Params& params, const std::string& key, bool fallback) {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  if (it->second == "true" || it->second == "false") return it->second == "true";
  return invalid_argument("Failed to parse value [" + it->second + "] as only [true] or [false] are allowed.");
}

// One configured similarity, `name` with its parameters (keys relative to index.similarity.<name>.).
Result<Similarity> parse_one(const std::string& name, const Params& params) {
  if (is_built_in_type(name)) return invalid_argument("Cannot redefine built-in Similarity [" + name + "]");
  auto type_it = params.find("type");
  if (type_it == params.end()) return invalid_argument("Similarity [" + name + "] must have an associated type");
  const std::string& type = type_it->second;
  if (!is_built_in_type(type)) return invalid_argument("Unknown Similarity type [" + type + "] for [" + name + "]");
  if (type == "classic") return classic_error();
  Similarity sim;
  if (type == "boolean") {
    SIFT_RETURN_IF_ERROR(check_known_params(type, params, {}));
    sim.kind = SimilarityKind::kBoolean;
    return sim;
  }
  if (type != "BM25" && type != "LegacyBM25") {
    return invalid_argument("Similarity type [" + type + "] of [" + name +
                            "] is not supported; Sift scores with [BM25], [LegacyBM25] and [boolean]");
  }
  SIFT_RETURN_IF_ERROR(check_known_params(type, params, {"k1", "b", "discount_overlaps"}));
  sim.kind = type == "BM25" ? SimilarityKind::kBM25 : SimilarityKind::kLegacyBM25;
  SIFT_ASSIGN_OR_RETURN(sim.k1, float_param(params, "k1", 1.2f));
  SIFT_ASSIGN_OR_RETURN(sim.b, float_param(params, "b", 0.75f));
  SIFT_ASSIGN_OR_RETURN(sim.discount_overlaps, bool_param(params, "discount_overlaps", true));
  // Lucene's BM25Similarity constructor.
  if (!std::isfinite(sim.k1) || sim.k1 < 0) {
    return invalid_argument("illegal k1 value: " + java_float_text(sim.k1) + ", must be a non-negative finite value");
  }
  if (std::isnan(sim.b) || sim.b < 0 || sim.b > 1) {
    return invalid_argument("illegal b value: " + java_float_text(sim.b) + ", must be between 0 and 1");
  }
  return sim;
}

}  // namespace

Result<SimilaritySettings> parse_similarity_settings(const std::map<std::string, std::string>& index_settings) {
  std::map<std::string, Params> groups;
  for (auto it = index_settings.lower_bound(std::string(kPrefix));
       it != index_settings.end() && std::string_view(it->first).substr(0, kPrefix.size()) == kPrefix; ++it) {
    std::string_view rest = std::string_view(it->first).substr(kPrefix.size());
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size()) {
      return invalid_argument("Failed to get setting group for [" + std::string(kPrefix) +
                              "] setting prefix and setting [" + it->first + "] because of a missing '.'");
    }
    groups[std::string(rest.substr(0, dot))][std::string(rest.substr(dot + 1))] = it->second;
  }
  SimilaritySettings out;
  for (const auto& [name, params] : groups) {
    SIFT_ASSIGN_OR_RETURN(Similarity sim, parse_one(name, params));
    out.named.emplace(name, sim);
  }
  auto d = out.named.find("default");
  if (d != out.named.end()) out.default_similarity = d->second;
  return out;
}

Result<Similarity> resolve_similarity(const SimilaritySettings& settings, std::string_view name,
                                      std::string_view field) {
  auto it = settings.named.find(std::string(name));
  if (it != settings.named.end()) return it->second;
  if (name == "BM25") return Similarity{};
  if (name == "boolean") return Similarity{SimilarityKind::kBoolean};
  if (name == "classic") return classic_error();
  return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                "Unknown Similarity type [" + std::string(name) + "] for field [" + std::string(field) + "]");
}

Status bind_similarities(const std::map<std::string, std::string>& index_settings, Mapping* mapping) {
  SIFT_ASSIGN_OR_RETURN(SimilaritySettings settings, parse_similarity_settings(index_settings));
  return mapping->bind_similarities(std::move(settings));
}

Status bind_index_settings(const std::map<std::string, std::string>& index_settings, Mapping* mapping,
                           const Mapping* current) {
  SIFT_RETURN_IF_ERROR(bind_similarities(index_settings, mapping));
  std::shared_ptr<const analysis::AnalyzerRegistry> analyzers;
  if (current != nullptr) analyzers = current->bound_analyzers();
  if (analyzers == nullptr) {
    SIFT_ASSIGN_OR_RETURN(analyzers, analysis::AnalyzerRegistry::from_settings(index_settings));
  }
  return mapping->bind_analysis(std::move(analyzers));
}

}  // namespace sift::index
