#include "index/mapping.h"

#include "analyzers/registry.h"

#include <utility>

namespace sift::index {

namespace {

struct TypeName {
  FieldType type;
  const char* name;
};

constexpr TypeName kTypeNames[] = {
    {FieldType::kObject, "object"},     {FieldType::kNested, "nested"},
    {FieldType::kText, "text"},         {FieldType::kKeyword, "keyword"},
    {FieldType::kLong, "long"},         {FieldType::kInteger, "integer"},
    {FieldType::kShort, "short"},       {FieldType::kByte, "byte"},
    {FieldType::kDouble, "double"},     {FieldType::kFloat, "float"},
    {FieldType::kHalfFloat, "half_float"}, {FieldType::kScaledFloat, "scaled_float"},
    {FieldType::kDate, "date"},         {FieldType::kBoolean, "boolean"},
    {FieldType::kIp, "ip"},         {FieldType::kDateNanos, "date_nanos"},
    {FieldType::kUnsignedLong, "unsigned_long"},
};

bool is_object_type(FieldType t) { return t == FieldType::kObject || t == FieldType::kNested; }

std::string join_path(std::string_view prefix, std::string_view name) {
  std::string out;
  out.reserve(prefix.size() + name.size() + 1);
  out.append(prefix);
  if (!prefix.empty()) out.push_back('.');
  out.append(name);
  return out;
}

Status type_change(const std::string& path, FieldType from, FieldType to) {
  return invalid_argument("mapper [" + path + "] cannot be changed from type [" + field_type_name(from) +
                          "] to [" + field_type_name(to) + "]");
}

Status param_conflict(const std::string& path, std::string_view param, std::string_view from,
                      std::string_view to) {
  return invalid_argument("Mapper for [" + path + "] conflicts with existing mapper:\n\tCannot update parameter [" +
                          std::string(param) + "] from [" + std::string(from) + "] to [" + std::string(to) + "]");
}

std::string bool_text(bool b) { return b ? "true" : "false"; }

// Parameters OpenSearch refuses to change on a live field. Only an explicit, different value in
// the update conflicts; an omitted one keeps what the index has (index templates rely on that).
Status check_fixed_params(const std::string& path, const FieldMapping& base, const FieldMapping& update) {
  auto check_str = [&](const char* name, const std::optional<std::string>& b, const std::optional<std::string>& u,
                       const char* dflt) -> Status {
    if (!u) return Status::ok();
    std::string from = b ? *b : dflt;
    if (from != *u) return param_conflict(path, name, from, *u);
    return Status::ok();
  };
  auto check_bool = [&](const char* name, std::optional<bool> b, std::optional<bool> u, bool dflt) -> Status {
    if (!u) return Status::ok();
    bool from = b.value_or(dflt);
    if (from != *u) return param_conflict(path, name, bool_text(from), bool_text(*u));
    return Status::ok();
  };
  SIFT_RETURN_IF_ERROR(check_str("analyzer", base.analyzer, update.analyzer, "default"));
  SIFT_RETURN_IF_ERROR(check_str("normalizer", base.normalizer, update.normalizer, "null"));
  SIFT_RETURN_IF_ERROR(check_str("similarity", base.similarity, update.similarity, "null"));
  SIFT_RETURN_IF_ERROR(check_str("format", base.format, update.format,
                                  base.type == FieldType::kDateNanos ? "strict_date_optional_time_nanos||epoch_millis"
                                                                     : "strict_date_optional_time||epoch_millis"));
  SIFT_RETURN_IF_ERROR(check_bool("index", base.index, update.index, true));
  SIFT_RETURN_IF_ERROR(check_bool("store", base.store, update.store, false));
  SIFT_RETURN_IF_ERROR(check_bool("doc_values", base.doc_values, update.doc_values, base.type != FieldType::kText));
  if (update.scaling_factor && base.scaling_factor && *update.scaling_factor != *base.scaling_factor) {
    return param_conflict(path, "scaling_factor", std::to_string(*base.scaling_factor),
                          std::to_string(*update.scaling_factor));
  }
  return Status::ok();
}

Status merge_field(const std::string& path, FieldMapping& base, const FieldMapping& update);

Status merge_children(const std::string& path, std::map<std::string, FieldMapping>& base,
                      const std::map<std::string, FieldMapping>& update) {
  for (const auto& [name, child] : update) {
    auto it = base.find(name);
    if (it == base.end()) {
      base.emplace(name, child);
      continue;
    }
    SIFT_RETURN_IF_ERROR(merge_field(join_path(path, name), it->second, child));
  }
  return Status::ok();
}

template <typename T>
void take_if_set(std::optional<T>& base, const std::optional<T>& update) {
  if (update) base = update;
}

Status merge_field(const std::string& path, FieldMapping& base, const FieldMapping& update) {
  const bool base_obj = is_object_type(base.type), update_obj = is_object_type(update.type);
  if (base_obj != update_obj) {
    if (base_obj) return invalid_argument("can't merge a non object mapping [" + path + "] with an object mapping");
    return type_change(path, base.type, update.type);
  }
  if (base_obj) {
    if (base.type != update.type) {
      return invalid_argument(base.type == FieldType::kNested
                                  ? "object mapping [" + path + "] can't be changed from nested to non-nested"
                                  : "object mapping [" + path + "] can't be changed from non-nested to nested");
    }
    if (update.dynamic != Dynamic::kInherit) base.dynamic = update.dynamic;
    take_if_set(base.enabled, update.enabled);
    for (const auto& [k, v] : update.other_params) base.other_params[k] = v;
    return merge_children(path, base.properties, update.properties);
  }
  if (base.type != update.type) return type_change(path, base.type, update.type);
  SIFT_RETURN_IF_ERROR(check_fixed_params(path, base, update));
  take_if_set(base.index, update.index);
  take_if_set(base.doc_values, update.doc_values);
  take_if_set(base.store, update.store);
  take_if_set(base.norms, update.norms);
  take_if_set(base.coerce, update.coerce);
  take_if_set(base.ignore_malformed, update.ignore_malformed);
  take_if_set(base.ignore_above, update.ignore_above);
  take_if_set(base.null_value, update.null_value);
  take_if_set(base.analyzer, update.analyzer);
  take_if_set(base.search_analyzer, update.search_analyzer);
  take_if_set(base.normalizer, update.normalizer);
  take_if_set(base.similarity, update.similarity);
  take_if_set(base.format, update.format);
  take_if_set(base.scaling_factor, update.scaling_factor);
  if (!update.copy_to.empty()) base.copy_to = update.copy_to;
  for (const auto& [k, v] : update.other_params) base.other_params[k] = v;
  return merge_children(path, base.fields, update.fields);
}

}  // namespace

const char* field_type_name(FieldType t) {
  for (const TypeName& tn : kTypeNames) {
    if (tn.type == t) return tn.name;
  }
  return "object";
}

std::optional<FieldType> parse_field_type(std::string_view name) {
  for (const TypeName& tn : kTypeNames) {
    if (name == tn.name) return tn.type;
  }
  return std::nullopt;
}

Mapping::Mapping() { rebuild_index(); }

Mapping::Mapping(const Mapping& other)
    : date_detection(other.date_detection),
      numeric_detection(other.numeric_detection),
      dynamic_date_formats(other.dynamic_date_formats),
      meta_json(other.meta_json),
      dynamic_templates_json(other.dynamic_templates_json),
      source_enabled(other.source_enabled),
      routing_required(other.routing_required),
      root_(other.root_),
      similarities_(other.similarities_),
      analyzers_(other.analyzers_) {
  rebuild_index();
}

Mapping& Mapping::operator=(const Mapping& other) {
  if (this == &other) return *this;
  date_detection = other.date_detection;
  numeric_detection = other.numeric_detection;
  dynamic_date_formats = other.dynamic_date_formats;
  meta_json = other.meta_json;
  dynamic_templates_json = other.dynamic_templates_json;
  source_enabled = other.source_enabled;
  routing_required = other.routing_required;
  root_ = other.root_;
  similarities_ = other.similarities_;
  analyzers_ = other.analyzers_;
  rebuild_index();
  return *this;
}

namespace {

// A leaf's similarity: its own when the name resolves, else the default (bind_similarities has
// refused unknown names; a mapping not bound yet scores everything with the default).
Similarity leaf_similarity(const SimilaritySettings& s, const FieldMapping& f) {
  if (!f.similarity) return s.default_similarity;
  auto r = resolve_similarity(s, *f.similarity, "");
  return r.is_ok() ? *r : s.default_similarity;
}

struct IndexBuilder {
  std::vector<ResolvedField>* leaves;
  std::unordered_map<std::string, const FieldMapping*>* objects;
  std::unordered_map<std::string, std::string>* nested_parents;
  const SimilaritySettings* similarities;
  size_t count = 0;
  std::string nested;  // the innermost nested object around the current walk

  void add_leaf(const std::string& path, const FieldMapping& f, bool multi) {
    ResolvedField r;
    r.path = path;
    r.mapping = &f;
    r.type = f.type;
    r.indexed = f.index.value_or(true);
    r.doc_values = f.doc_values.value_or(f.type != FieldType::kText);
    r.is_multi_field = multi;
    r.nested_path = nested;
    r.similarity = leaf_similarity(*similarities, f);
    leaves->push_back(std::move(r));
    ++count;
    for (const auto& [name, sub] : f.fields) add_leaf(join_path(path, name), sub, true);
  }

  void add_object(const std::string& path, const FieldMapping& obj) {
    (*objects)[path] = &obj;
    // A disabled object is kept in _source only: its properties are never indexed.
    if (obj.enabled == false) return;
    std::string outer = nested;
    if (obj.type == FieldType::kNested && !path.empty()) {
      (*nested_parents)[path] = nested;
      nested = path;
    }
    for (const auto& [name, child] : obj.properties) {
      std::string child_path = join_path(path, name);
      if (is_object_type(child.type)) {
        ++count;
        add_object(child_path, child);
      } else {
        add_leaf(child_path, child, false);
      }
    }
    nested = std::move(outer);
  }
};

}  // namespace

void Mapping::rebuild_index() {
  leaves_.clear();
  by_path_.clear();
  objects_.clear();
  nested_parents_.clear();
  IndexBuilder b{&leaves_, &objects_, &nested_parents_, &similarities_};
  b.add_object("", root_);
  total_fields_ = b.count;
  by_path_.reserve(leaves_.size());
  for (size_t i = 0; i < leaves_.size(); ++i) by_path_.emplace(leaves_[i].path, i);
  resolve_analyzers();
}

void Mapping::resolve_analyzers() {
  const analysis::AnalyzerRegistry* reg = &analyzers();
  for (ResolvedField& leaf : leaves_) {
    leaf.analyzers = reg;
    leaf.index_analyzer = leaf.type == FieldType::kText ? index_analyzer(leaf) : nullptr;
    leaf.search_analyzer = leaf.type == FieldType::kText ? search_analyzer(leaf) : nullptr;
    leaf.normalizer = normalizer(leaf);
  }
}

const ResolvedField* Mapping::find(std::string_view path) const {
  auto it = by_path_.find(std::string(path));
  return it == by_path_.end() ? nullptr : &leaves_[it->second];
}

Status Mapping::bind_similarities(SimilaritySettings similarities) {
  for (const ResolvedField& leaf : leaves_) {
    if (!leaf.mapping->similarity) continue;
    std::string_view name = leaf.path;
    if (size_t dot = name.rfind('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);
    SIFT_RETURN_IF_ERROR(resolve_similarity(similarities, *leaf.mapping->similarity, name).status());
  }
  similarities_ = std::move(similarities);
  for (ResolvedField& leaf : leaves_) leaf.similarity = leaf_similarity(similarities_, *leaf.mapping);
  return Status::ok();
}

Status Mapping::bind_analysis(std::shared_ptr<const analysis::AnalyzerRegistry> analyzers) {
  const analysis::AnalyzerRegistry& reg = analyzers != nullptr ? *analyzers : *analysis::AnalyzerRegistry::builtin();
  auto missing = [](const std::string& name) {
    return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                  "analyzer [" + name + "] has not been configured in mappings");
  };
  for (const ResolvedField& leaf : leaves_) {
    const FieldMapping& m = *leaf.mapping;
    if (m.analyzer && reg.get(*m.analyzer) == nullptr) return missing(*m.analyzer);
    if (m.search_analyzer && reg.get(*m.search_analyzer) == nullptr) return missing(*m.search_analyzer);
    if (m.normalizer && reg.normalizer(*m.normalizer) == nullptr) {
      return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                    "normalizer [" + *m.normalizer + "] not found for field [" + leaf.path + "]");
    }
  }
  analyzers_ = std::move(analyzers);
  resolve_analyzers();
  return Status::ok();
}

const analysis::AnalyzerRegistry& Mapping::analyzers() const {
  return analyzers_ != nullptr ? *analyzers_ : *analysis::AnalyzerRegistry::builtin();
}

const analysis::Analyzer* Mapping::index_analyzer(const ResolvedField& field) const {
  const analysis::AnalyzerRegistry& reg = analyzers();
  if (field.mapping != nullptr && field.mapping->analyzer) return reg.get(*field.mapping->analyzer);
  return &reg.default_analyzer();
}

const analysis::Analyzer* Mapping::search_analyzer(const ResolvedField& field) const {
  const analysis::AnalyzerRegistry& reg = analyzers();
  if (field.mapping != nullptr && field.mapping->search_analyzer) return reg.get(*field.mapping->search_analyzer);
  if (field.mapping != nullptr && field.mapping->analyzer) return reg.get(*field.mapping->analyzer);
  return &reg.default_search_analyzer();
}

const analysis::Analyzer* Mapping::normalizer(const ResolvedField& field) const {
  if (field.type != FieldType::kKeyword || field.mapping == nullptr || !field.mapping->normalizer) return nullptr;
  return analyzers().normalizer(*field.mapping->normalizer);
}

std::string Mapping::normalize_keyword(const ResolvedField& field, std::string_view value) const {
  const analysis::Analyzer* n = normalizer(field);
  return n != nullptr ? n->normalize(value) : std::string(value);
}

std::string Mapping::normalize_term(const ResolvedField& field, std::string_view value, const std::string& analyzer) {
  const analysis::AnalyzerRegistry& reg =
      field.analyzers != nullptr ? *field.analyzers : *analysis::AnalyzerRegistry::builtin();
  const analysis::Analyzer* a = nullptr;
  if (field.type == FieldType::kKeyword) {
    a = field.normalizer;
  } else if (field.type == FieldType::kText) {
    a = analyzer.empty() ? field.search_analyzer : reg.get(analyzer);
  }
  return a != nullptr ? a->normalize(value) : std::string(value);
}

const Similarity& Mapping::similarity(std::string_view path) const {
  const ResolvedField* f = find(path);
  return f != nullptr ? f->similarity : similarities_.default_similarity;
}

const FieldMapping* Mapping::find_object(std::string_view path) const {
  auto it = objects_.find(std::string(path));
  return it == objects_.end() ? nullptr : it->second;
}

Result<Mapping> merge_mappings(const Mapping& base, const Mapping& update) {
  Mapping out(base);
  FieldMapping& root = out.root();
  if (update.root().dynamic != Dynamic::kInherit) root.dynamic = update.root().dynamic;
  for (const auto& [k, v] : update.root().other_params) root.other_params[k] = v;
  // Root flags carry no "unset" state; a non-default value in the update is taken as explicit.
  if (!update.date_detection) out.date_detection = false;
  if (update.numeric_detection) out.numeric_detection = true;
  if (!update.dynamic_date_formats.empty()) out.dynamic_date_formats = update.dynamic_date_formats;
  if (!update.meta_json.empty()) out.meta_json = update.meta_json;
  if (!update.dynamic_templates_json.empty()) out.dynamic_templates_json = update.dynamic_templates_json;
  SIFT_RETURN_IF_ERROR(merge_children("", root.properties, update.root().properties));
  out.rebuild_index();
  return out;
}

}  // namespace sift::index
