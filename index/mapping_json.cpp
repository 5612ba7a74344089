// Mapping <-> JSON. Parsing checks every parameter against the field type, as OpenSearch's type
// parsers do, so a typo is a 400 at PUT time rather than a silently ignored setting.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdlib>
#include <initializer_list>

#include "common/json_writer.h"
#include "index/date_format.h"
#include "index/mapping.h"

namespace sift::index {

namespace {

using rapidjson::Value;

// Far beyond any usable index.mapping.depth.limit; it only bounds the recursion below.
constexpr int kMaxMappingDepth = 200;

Status mapping_error(std::string reason) {
  return Status(Code::kInvalidArgument, "mapper_parsing_exception", std::move(reason));
}

std::string raw_json(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// How Java would name the value's class in "but got a class ..." messages.
std::string value_text(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  return raw_json(v);
}

bool in(std::string_view key, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (key == n) return true;
  }
  return false;
}

// Parameters accepted on the given type and kept only for rendering back.
bool is_passthrough(FieldType t, std::string_view key) {
  if (in(key, {"boost", "meta"})) return true;
  switch (t) {
    case FieldType::kText:
      return in(key, {"term_vector", "index_options", "position_increment_gap", "fielddata",
                      "fielddata_frequency_filter", "eager_global_ordinals", "index_prefixes", "index_phrases",
                      "search_quote_analyzer"});
    case FieldType::kKeyword:
      return in(key, {"index_options", "eager_global_ordinals", "split_queries_on_whitespace"});
    case FieldType::kDate:
    case FieldType::kDateNanos:
      return in(key, {"locale"});
    default:
      return false;
  }
}

// Which of the modelled parameters a type takes.
bool takes_param(FieldType t, std::string_view key) {
  const bool numeric = t == FieldType::kLong || t == FieldType::kInteger || t == FieldType::kShort ||
                       t == FieldType::kByte || t == FieldType::kDouble || t == FieldType::kFloat ||
                       t == FieldType::kHalfFloat || t == FieldType::kScaledFloat || t == FieldType::kUnsignedLong;
  if (in(key, {"index", "store", "fields", "copy_to"})) return true;
  if (key == "doc_values") return t != FieldType::kText;
  if (key == "null_value") return t != FieldType::kText;
  if (key == "norms" || key == "similarity") return t == FieldType::kText || t == FieldType::kKeyword;
  if (in(key, {"analyzer", "search_analyzer"})) return t == FieldType::kText;
  if (in(key, {"ignore_above", "normalizer"})) return t == FieldType::kKeyword;
  const bool date = t == FieldType::kDate || t == FieldType::kDateNanos;
  if (key == "format") return date;
  if (key == "scaling_factor") return t == FieldType::kScaledFloat;
  if (key == "coerce") return numeric;
  if (key == "ignore_malformed") return numeric || date || t == FieldType::kIp;
  return false;
}

Status bad_value(std::string_view param, const std::string& field, const Value& v) {
  return mapping_error("Failed to parse value [" + value_text(v) + "] for parameter [" + std::string(param) +
                       "] on mapper [" + field + "]");
}

Status read_bool(std::string_view param, const std::string& field, const Value& v, std::optional<bool>* out) {
  if (v.IsBool()) {
    *out = v.GetBool();
  } else if (v.IsString() && (std::string_view(v.GetString()) == "true" || std::string_view(v.GetString()) == "false")) {
    *out = std::string_view(v.GetString()) == "true";
  } else {
    return mapping_error("Failed to parse value [" + value_text(v) + "] as only [true] or [false] are allowed.");
  }
  return Status::ok();
}

Status read_int(std::string_view param, const std::string& field, const Value& v, std::optional<int32_t>* out) {
  if (v.IsInt()) {
    *out = v.GetInt();
    return Status::ok();
  }
  if (v.IsString()) {
    char* end = nullptr;
    long long x = std::strtoll(v.GetString(), &end, 10);
    if (v.GetStringLength() > 0 && *end == '\0' && x >= INT32_MIN && x <= INT32_MAX) {
      *out = static_cast<int32_t>(x);
      return Status::ok();
    }
  }
  return bad_value(param, field, v);
}

Status read_string(std::string_view param, const std::string& field, const Value& v, std::optional<std::string>* out) {
  if (!v.IsString()) return bad_value(param, field, v);
  *out = std::string(v.GetString(), v.GetStringLength());
  return Status::ok();
}

Status read_dynamic(const std::string& field, const Value& v, Dynamic* out) {
  std::string_view s = v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
  if ((v.IsBool() && v.GetBool()) || s == "true") {
    *out = Dynamic::kTrue;
  } else if ((v.IsBool() && !v.GetBool()) || s == "false") {
    *out = Dynamic::kFalse;
  } else if (s == "strict") {
    *out = Dynamic::kStrict;
  } else {
    return mapping_error("Could not convert [dynamic] to boolean, found [" + value_text(v) + "] on mapper [" +
                         (field.empty() ? std::string("_doc") : field) + "]");
  }
  return Status::ok();
}

struct Parser {
  Status parse_properties(const std::string& path, const Value& props, FieldMapping* obj, int depth);
  Status parse_field(const std::string& name, const std::string& path, const Value& def, FieldMapping* out,
                     int depth, bool multi);
  Status parse_object_params(const std::string& path, const Value& def, FieldMapping* out, int depth);
  Status parse_leaf_param(const std::string& path, std::string_view key, const Value& v, FieldMapping* out,
                          int depth);
};

Status Parser::parse_properties(const std::string& path, const Value& props, FieldMapping* obj, int depth) {
  if (!props.IsObject()) {
    return mapping_error("Expected map for property [properties] on field [" + (path.empty() ? "_doc" : path) +
                         "] but got a " + value_text(props));
  }
  for (auto it = props.MemberBegin(); it != props.MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    if (name.empty()) return Status(Code::kInvalidArgument, "illegal_argument_exception", "field name cannot be an empty string");
    // "a.b" in properties means object a with field b, as OpenSearch expands it.
    FieldMapping* parent = obj;
    std::string parent_path = path;
    size_t dot;
    while ((dot = name.find('.')) != std::string::npos) {
      std::string head = name.substr(0, dot);
      if (head.empty() || dot + 1 == name.size()) {
        return mapping_error("object field starting or ending with a [.] makes object resolution ambiguous: [" +
                             name + "]");
      }
      FieldMapping& next = parent->properties[head];
      if (next.type != FieldType::kObject && next.type != FieldType::kNested) {
        return mapping_error("Field [" + head + "] is defined both as an object and a field");
      }
      parent = &next;
      parent_path = parent_path.empty() ? head : parent_path + "." + head;
      name = name.substr(dot + 1);
    }
    std::string child_path = parent_path.empty() ? name : parent_path + "." + name;
    FieldMapping child;
    SIFT_RETURN_IF_ERROR(parse_field(name, child_path, it->value, &child, depth + 1, false));
    parent->properties[name] = std::move(child);
  }
  return Status::ok();
}

Status Parser::parse_object_params(const std::string& path, const Value& def, FieldMapping* out, int depth) {
  for (auto it = def.MemberBegin(); it != def.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    const Value& v = it->value;
    if (key == "type") continue;
    if (key == "properties") {
      SIFT_RETURN_IF_ERROR(parse_properties(path, v, out, depth));
    } else if (key == "dynamic") {
      SIFT_RETURN_IF_ERROR(read_dynamic(path, v, &out->dynamic));
    } else if (key == "enabled") {
      SIFT_RETURN_IF_ERROR(read_bool(key, path, v, &out->enabled));
    } else if (out->type == FieldType::kNested && (key == "include_in_parent" || key == "include_in_root")) {
      out->other_params[std::string(key)] = raw_json(v);
    } else {
      return mapping_error("Mapping definition for [" + path + "] has unsupported parameters:  [" +
                           std::string(key) + " : " + value_text(v) + "]");
    }
  }
  return Status::ok();
}

Status Parser::parse_leaf_param(const std::string& path, std::string_view key, const Value& v, FieldMapping* out,
                                int depth) {
  const std::string& field = path;
  if (key == "index") return read_bool(key, field, v, &out->index);
  if (key == "doc_values") return read_bool(key, field, v, &out->doc_values);
  if (key == "store") return read_bool(key, field, v, &out->store);
  if (key == "norms") return read_bool(key, field, v, &out->norms);
  if (key == "coerce") return read_bool(key, field, v, &out->coerce);
  if (key == "ignore_malformed") return read_bool(key, field, v, &out->ignore_malformed);
  if (key == "ignore_above") {
    SIFT_RETURN_IF_ERROR(read_int(key, field, v, &out->ignore_above));
    if (*out->ignore_above < 0) return mapping_error("[ignore_above] must be positive, got [" + value_text(v) + "]");
    return Status::ok();
  }
  if (key == "analyzer") return read_string(key, field, v, &out->analyzer);
  if (key == "search_analyzer") return read_string(key, field, v, &out->search_analyzer);
  if (key == "normalizer") return read_string(key, field, v, &out->normalizer);
  if (key == "similarity") {  // resolved when the index's similarities are bound; null: the default
    if (v.IsNull()) {
      out->similarity.reset();
      return Status::ok();
    }
    return read_string(key, field, v, &out->similarity);
  }
  if (key == "null_value") {
    if (v.IsObject() || v.IsArray()) return bad_value(key, field, v);
    if (!v.IsNull()) out->null_value = raw_json(v);
    return Status::ok();
  }
  if (key == "format") {
    SIFT_RETURN_IF_ERROR(read_string(key, field, v, &out->format));
    auto f = DateFormatter::create(*out->format);
    if (!f.is_ok()) {
      return mapping_error("Error parsing [format] on field [" + field + "]: " + f.status().reason());
    }
    return Status::ok();
  }
  if (key == "scaling_factor") {
    double d = 0;
    if (v.IsNumber()) {
      d = v.GetDouble();
    } else if (v.IsString()) {
      char* end = nullptr;
      d = std::strtod(v.GetString(), &end);
      if (v.GetStringLength() == 0 || *end != '\0') return bad_value(key, field, v);
    } else {
      return bad_value(key, field, v);
    }
    if (!std::isfinite(d) || d <= 0) {
      return mapping_error("[scaling_factor] must be a positive number, got [" + value_text(v) + "]");
    }
    out->scaling_factor = d;
    return Status::ok();
  }
  if (key == "copy_to") {
    out->copy_to.clear();
    if (v.IsString()) {
      out->copy_to.emplace_back(v.GetString(), v.GetStringLength());
      return Status::ok();
    }
    if (!v.IsArray()) return bad_value(key, field, v);
    for (const Value& t : v.GetArray()) {
      if (!t.IsString()) return bad_value(key, field, v);
      out->copy_to.emplace_back(t.GetString(), t.GetStringLength());
    }
    return Status::ok();
  }
  if (key == "fields") {
    if (!v.IsObject()) {
      return mapping_error("Expected map for property [fields] on field [" + field + "] but got a " + value_text(v));
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string name(it->name.GetString(), it->name.GetStringLength());
      if (name.empty()) return Status(Code::kInvalidArgument, "illegal_argument_exception", "field name cannot be an empty string");
      FieldMapping sub;
      SIFT_RETURN_IF_ERROR(parse_field(name, field + "." + name, it->value, &sub, depth + 1, true));
      out->fields[name] = std::move(sub);
    }
    return Status::ok();
  }
  return mapping_error("internal: unhandled parameter");
}

Status Parser::parse_field(const std::string& name, const std::string& path, const Value& def, FieldMapping* out,
                           int depth, bool multi) {
  if (depth > kMaxMappingDepth) return mapping_error("mapping is nested too deeply at [" + path + "]");
  if (!def.IsObject()) {
    return mapping_error("Expected map for property [fields] on field [" + name + "] but got a class " +
                         (def.IsString() ? "java.lang.String" : "of value " + value_text(def)));
  }
  auto type_it = def.FindMember("type");
  if (type_it == def.MemberEnd()) {
    if (multi) return mapping_error("No type specified for field [" + name + "]");
    bool object_like = true;
    for (auto it = def.MemberBegin(); it != def.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (!in(key, {"properties", "dynamic", "enabled"})) object_like = false;
    }
    if (!object_like) return mapping_error("No type specified for field [" + name + "]");
    out->type = FieldType::kObject;
    return parse_object_params(path, def, out, depth);
  }
  const Value& tv = type_it->value;
  if (!tv.IsString()) return mapping_error("No handler for type [" + value_text(tv) + "] declared on field [" + name + "]");
  std::string_view type_name(tv.GetString(), tv.GetStringLength());
  auto type = parse_field_type(type_name);
  if (!type) {
    return mapping_error("No handler for type [" + std::string(type_name) + "] declared on field [" + name + "]");
  }
  out->type = *type;
  if (*type == FieldType::kObject || *type == FieldType::kNested) {
    if (multi) return mapping_error("Type [" + std::string(type_name) + "] cannot be used in multi field");
    return parse_object_params(path, def, out, depth);
  }
  for (auto it = def.MemberBegin(); it != def.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (key == "type") continue;
    if (takes_param(*type, key)) {
      SIFT_RETURN_IF_ERROR(parse_leaf_param(path, key, it->value, out, depth));
    } else if (is_passthrough(*type, key)) {
      out->other_params[std::string(key)] = raw_json(it->value);
    } else {
      return mapping_error("unknown parameter [" + std::string(key) + "] on mapper [" + name + "] of type [" +
                           std::string(type_name) + "]");
    }
  }
  if (*type == FieldType::kScaledFloat && !out->scaling_factor) {
    return mapping_error("Field [scaling_factor] is required");
  }
  return Status::ok();
}

Status parse_root(const Value& body, Mapping* m) {
  Parser p;
  FieldMapping& root = m->root();
  std::string unsupported;
  for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    const Value& v = it->value;
    if (key == "properties") {
      SIFT_RETURN_IF_ERROR(p.parse_properties("", v, &root, 0));
    } else if (key == "dynamic") {
      SIFT_RETURN_IF_ERROR(read_dynamic("", v, &root.dynamic));
    } else if (key == "date_detection" || key == "numeric_detection") {
      std::optional<bool> b;
      SIFT_RETURN_IF_ERROR(read_bool(key, "_doc", v, &b));
      (key == "date_detection" ? m->date_detection : m->numeric_detection) = *b;
    } else if (key == "dynamic_date_formats") {
      m->dynamic_date_formats.clear();
      if (!v.IsArray()) return bad_value(key, "_doc", v);
      for (const Value& f : v.GetArray()) {
        if (!f.IsString()) return bad_value(key, "_doc", v);
        auto check = DateFormatter::create(f.GetString());
        if (!check.is_ok()) return mapping_error(check.status().reason());
        m->dynamic_date_formats.emplace_back(f.GetString(), f.GetStringLength());
      }
    } else if (key == "_meta") {
      if (!v.IsObject()) return mapping_error("[_meta] must be an object, got [" + value_text(v) + "]");
      m->meta_json = raw_json(v);
    } else if (key == "dynamic_templates") {
      if (!v.IsArray()) return mapping_error("Dynamic template syntax error. An array of named objects is expected.");
      m->dynamic_templates_json = raw_json(v);
    } else if (key == "_source") {
      if (!v.IsObject()) return bad_value(key, "_source", v);
      auto en = v.FindMember("enabled");
      if (en != v.MemberEnd()) {
        std::optional<bool> b;
        SIFT_RETURN_IF_ERROR(read_bool("enabled", "_source", en->value, &b));
        m->source_enabled = *b;
      }
      if (v.HasMember("includes") || v.HasMember("excludes")) root.other_params["_source"] = raw_json(v);
    } else if (key == "_routing" || key == "_field_names" || key == "_all" || key == "_size") {
      root.other_params[std::string(key)] = raw_json(v);
      if (key == "_routing" && v.IsObject()) {
        auto req = v.FindMember("required");
        m->routing_required = req != v.MemberEnd() && req->value.IsBool() && req->value.GetBool();
      }
    } else {
      if (!unsupported.empty()) unsupported += ", ";
      unsupported += std::string(key) + " : " + value_text(v);
    }
  }
  if (!unsupported.empty()) {
    return mapping_error("Root mapping definition has unsupported parameters:  [" + unsupported + "]");
  }
  return Status::ok();
}

bool is_root_param(std::string_view key) {
  return in(key, {"properties", "dynamic", "date_detection", "numeric_detection", "dynamic_date_formats", "_meta",
                  "dynamic_templates", "_source", "_routing", "_field_names", "_all", "_size"});
}

// --- rendering ---

void render_field(JsonWriter& w, const FieldMapping& f);

void render_properties(JsonWriter& w, const std::map<std::string, FieldMapping>& props) {
  w.key("properties").begin_object();
  for (const auto& [name, child] : props) {
    w.key(name);
    render_field(w, child);
  }
  w.end_object();
}

const char* dynamic_text(Dynamic d) {
  switch (d) {
    case Dynamic::kFalse: return "false";
    case Dynamic::kStrict: return "strict";
    default: return "true";
  }
}

void render_field(JsonWriter& w, const FieldMapping& f) {
  w.begin_object();
  const bool object = f.type == FieldType::kObject || f.type == FieldType::kNested;
  // OpenSearch omits "type": "object" for objects with properties.
  if (f.type != FieldType::kObject || f.properties.empty()) w.field("type", field_type_name(f.type));
  auto opt_bool = [&](const char* name, const std::optional<bool>& b) {
    if (b) w.field(name, *b);
  };
  auto opt_str = [&](const char* name, const std::optional<std::string>& s) {
    if (s) w.field(name, *s);
  };
  if (object) {
    if (f.dynamic != Dynamic::kInherit) w.field("dynamic", dynamic_text(f.dynamic));
    opt_bool("enabled", f.enabled);
    for (const auto& [k, v] : f.other_params) w.field_raw(k, v);
    if (!f.properties.empty()) render_properties(w, f.properties);
    w.end_object();
    return;
  }
  opt_str("analyzer", f.analyzer);
  opt_bool("coerce", f.coerce);
  if (!f.copy_to.empty()) {
    w.key("copy_to").begin_array();
    for (const auto& t : f.copy_to) w.value(t);
    w.end_array();
  }
  opt_bool("doc_values", f.doc_values);
  if (!f.fields.empty()) {
    w.key("fields").begin_object();
    for (const auto& [name, sub] : f.fields) {
      w.key(name);
      render_field(w, sub);
    }
    w.end_object();
  }
  opt_str("format", f.format);
  if (f.ignore_above) w.field("ignore_above", *f.ignore_above);
  opt_bool("ignore_malformed", f.ignore_malformed);
  opt_bool("index", f.index);
  opt_bool("norms", f.norms);
  opt_str("normalizer", f.normalizer);
  if (f.null_value) w.field_raw("null_value", *f.null_value);
  if (f.scaling_factor) w.field("scaling_factor", *f.scaling_factor);
  opt_str("search_analyzer", f.search_analyzer);
  opt_str("similarity", f.similarity);
  opt_bool("store", f.store);
  for (const auto& [k, v] : f.other_params) w.field_raw(k, v);
  w.end_object();
}

}  // namespace

Result<Mapping> parse_mapping(std::string_view json, bool allow_type_wrapper) {
  rapidjson::Document doc;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseFullPrecisionFlag;
  doc.Parse<kFlags>(json.data(), json.size());
  if (doc.HasParseError()) {
    return mapping_error(std::string("Failed to parse mapping: ") + rapidjson::GetParseError_En(doc.GetParseError()) +
                         " at offset " + std::to_string(doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) return mapping_error("Failed to parse mapping: the mapping must be a JSON object");
  const Value* body = &doc;
  // {"_doc": {...}}: one key that is not a root parameter and wraps a mapping.
  if (doc.MemberCount() == 1) {
    const auto& only = *doc.MemberBegin();
    std::string_view key(only.name.GetString(), only.name.GetStringLength());
    if (!is_root_param(key) && only.value.IsObject() &&
        (key == "_doc" || only.value.HasMember("properties") || only.value.ObjectEmpty())) {
      if (!allow_type_wrapper) {
        return Status(Code::kInvalidArgument, "illegal_argument_exception",
                      "The mapping definition cannot be nested under a type [" + std::string(key) +
                          "] unless include_type_name is set to true.");
      }
      body = &only.value;
    }
  }
  Mapping m;
  SIFT_RETURN_IF_ERROR(parse_root(*body, &m));
  m.rebuild_index();
  return m;
}

std::string mapping_to_json(const Mapping& mapping) {
  const FieldMapping& root = mapping.root();
  JsonWriter w;
  w.begin_object();
  if (root.dynamic != Dynamic::kInherit) w.field("dynamic", dynamic_text(root.dynamic));
  if (!mapping.meta_json.empty()) w.field_raw("_meta", mapping.meta_json);
  auto source = root.other_params.find("_source");
  if (source != root.other_params.end()) {
    w.field_raw("_source", source->second);
  } else if (!mapping.source_enabled) {
    w.key("_source").begin_object().field("enabled", false).end_object();
  }
  for (const auto& [k, v] : root.other_params) {
    if (k != "_source") w.field_raw(k, v);
  }
  if (!mapping.dynamic_date_formats.empty()) {
    w.key("dynamic_date_formats").begin_array();
    for (const auto& f : mapping.dynamic_date_formats) w.value(f);
    w.end_array();
  }
  if (!mapping.dynamic_templates_json.empty()) w.field_raw("dynamic_templates", mapping.dynamic_templates_json);
  if (!mapping.date_detection) w.field("date_detection", false);
  if (mapping.numeric_detection) w.field("numeric_detection", true);
  if (!root.properties.empty()) render_properties(w, root.properties);
  w.end_object();
  return w.take();
}

}  // namespace sift::index
