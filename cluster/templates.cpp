#include "cluster/templates.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "cluster/index_metadata.h"
#include "cluster/index_names.h"
#include "common/json_writer.h"

namespace sift::cluster {
namespace {

using Value = rapidjson::Value;

Status bad(std::string reason) { return Status(Code::kInvalidArgument, "illegal_argument_exception", std::move(reason)); }

std::string raw(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Status parse_object(std::string_view json, rapidjson::Document* d, const char* what) {
  d->Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(
      json.data(), json.size());
  if (d->HasParseError()) {
    return Status(Code::kParseError, "parse_exception",
                  std::string("failed to parse ") + what + ": " + rapidjson::GetParseError_En(d->GetParseError()));
  }
  if (!d->IsObject()) return Status(Code::kParseError, "parse_exception", std::string(what) + " must be an object");
  return Status::ok();
}

Result<int64_t> integer(const Value& v, const char* key) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsString()) {
    try {
      size_t used = 0;
      long long n = std::stoll(v.GetString(), &used);
      if (used == v.GetStringLength()) return static_cast<int64_t>(n);
    } catch (...) {
    }
  }
  return bad(std::string("[") + key + "] must be an integer");
}

Status patterns(const Value& v, std::vector<std::string>* out) {
  if (v.IsString()) {
    out->emplace_back(v.GetString());
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) {
      if (!e.IsString()) return bad("[index_patterns] must be strings");
      out->emplace_back(e.GetString());
    }
  } else {
    return bad("[index_patterns] must be a string or an array of strings");
  }
  return Status::ok();
}

// Reads settings / mappings / aliases members into `c`; returns false for other keys.
Result<bool> content_member(const std::string& key, const Value& v, TemplateContent* c, bool legacy) {
  if (key == "settings") {
    if (!v.IsObject()) return bad("[settings] must be an object");
    SIFT_ASSIGN_OR_RETURN(Settings s, parse_settings(raw(v), true));
    c->settings = std::move(s);
    return true;
  }
  if (key == "mappings") {
    if (!v.IsObject()) return bad("[mappings] must be an object");
    SIFT_ASSIGN_OR_RETURN(index::Mapping m, index::parse_mapping(raw(v), legacy));
    c->mappings = std::move(m);
    return true;
  }
  if (key == "aliases") {
    if (!v.IsObject()) return bad("[aliases] must be an object");
    // Normalized as GET _alias renders them ("routing" becomes index_routing + search_routing).
    std::map<std::string, AliasMetadata> aliases;
    SIFT_RETURN_IF_ERROR(parse_aliases_body(raw(v), &aliases));
    JsonWriter w;
    w.begin_object();
    for (const auto& [n, a] : aliases) w.field_raw(n, alias_to_json(a));
    w.end_object();
    c->aliases_json = w.take();
    return true;
  }
  return false;
}

void write_content(JsonWriter& w, const TemplateContent& c, bool flat, bool always) {
  if (c.settings || always) w.field_raw("settings", settings_to_json(c.settings.value_or(Settings{}), flat));
  if (c.mappings || always) w.field_raw("mappings", c.mappings ? index::mapping_to_json(*c.mappings) : "{}");
  if (c.aliases_json || always) w.field_raw("aliases", c.aliases_json.value_or("{}"));
}

// Two patterns overlap when one matches the other's literal form, or both are prefix patterns
// with one prefix extending the other. Patterns with a literal part after a wildcard that differs
// ("app-*-some-*" vs "app-*-other-*") are treated as distinct, as OpenSearch accepts them.
bool patterns_overlap(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto literal = [](const std::string& p) { return p.find('*') == std::string::npos; };
  if (literal(b) && wildcard_match(a, b)) return true;
  if (literal(a) && wildcard_match(b, a)) return true;
  auto prefix_only = [](const std::string& p) { return p.find('*') == p.size() - 1; };
  if (!a.empty() && !b.empty() && prefix_only(a) && prefix_only(b)) {
    std::string pa = a.substr(0, a.size() - 1), pb = b.substr(0, b.size() - 1);
    return pa.rfind(pb, 0) == 0 || pb.rfind(pa, 0) == 0;
  }
  return false;
}

bool is_object(const index::FieldMapping& f) {
  return f.type == index::FieldType::kObject || f.type == index::FieldType::kNested;
}

void override_field(index::FieldMapping& base, const index::FieldMapping& update) {
  if (!(is_object(base) && is_object(update) && base.type == update.type)) {
    base = update;
    return;
  }
  for (const auto& [name, f] : update.properties) {
    auto it = base.properties.find(name);
    if (it == base.properties.end()) base.properties[name] = f;
    else override_field(it->second, f);
  }
  if (update.dynamic != index::Dynamic::kInherit) base.dynamic = update.dynamic;
  if (update.enabled) base.enabled = update.enabled;
  for (const auto& [k, v] : update.other_params) base.other_params[k] = v;
}

Status merge_content(const TemplateContent& c, ResolvedTemplate* out) {
  if (c.settings) {
    for (const auto& [k, v] : *c.settings) out->settings[k] = v;
  }
  if (c.mappings) out->mappings = out->mappings ? compose_mappings(*out->mappings, *c.mappings) : *c.mappings;
  if (c.aliases_json) out->aliases_json.push_back(*c.aliases_json);
  return Status::ok();
}

}  // namespace

index::Mapping compose_mappings(const index::Mapping& base, const index::Mapping& update) {
  index::Mapping out = base;
  override_field(out.root(), update.root());
  // Root parameters keep their defaults unless the later mapping changed them.
  index::Mapping defaults;
  if (update.date_detection != defaults.date_detection) out.date_detection = update.date_detection;
  if (update.numeric_detection != defaults.numeric_detection) out.numeric_detection = update.numeric_detection;
  if (!update.dynamic_date_formats.empty()) out.dynamic_date_formats = update.dynamic_date_formats;
  if (!update.meta_json.empty()) out.meta_json = update.meta_json;
  if (!update.dynamic_templates_json.empty()) out.dynamic_templates_json = update.dynamic_templates_json;
  if (!update.source_enabled) out.source_enabled = false;
  if (update.routing_required) out.routing_required = true;
  out.rebuild_index();
  return out;
}

Result<ComposableTemplate> parse_composable_template(std::string_view json) {
  rapidjson::Document d;
  SIFT_RETURN_IF_ERROR(parse_object(json, &d, "index template"));
  ComposableTemplate t;
  for (auto& m : d.GetObject()) {
    std::string key = m.name.GetString();
    const Value& v = m.value;
    if (key == "index_patterns") {
      SIFT_RETURN_IF_ERROR(patterns(v, &t.index_patterns));
    } else if (key == "template") {
      if (!v.IsObject()) return bad("[template] must be an object");
      for (auto& f : v.GetObject()) {
        SIFT_ASSIGN_OR_RETURN(bool known, content_member(f.name.GetString(), f.value, &t.content, false));
        if (!known) return bad("[template] unknown field [" + std::string(f.name.GetString()) + "]");
      }
    } else if (key == "composed_of") {
      if (!v.IsArray()) return bad("[composed_of] must be an array");
      for (auto& e : v.GetArray()) {
        if (!e.IsString()) return bad("[composed_of] must be strings");
        t.composed_of.emplace_back(e.GetString());
      }
    } else if (key == "priority") {
      SIFT_ASSIGN_OR_RETURN(int64_t p, integer(v, "priority"));
      if (p < 0) return bad("index template priority requires a value greater than or equal to 0");
      t.priority = p;
    } else if (key == "version") {
      SIFT_ASSIGN_OR_RETURN(int64_t n, integer(v, "version"));
      t.version = n;
    } else if (key == "_meta") {
      t.meta_json = raw(v);
    } else if (key == "data_stream") {
      if (!v.IsObject()) return bad("[data_stream] must be an object");
      t.data_stream_json = raw(v);
    } else {
      return Status(Code::kParseError, "x_content_parse_exception", "[index_template] unknown field [" + key + "]");
    }
  }
  if (t.index_patterns.empty()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: index patterns are missing;");
  }
  return t;
}

Result<ComponentTemplate> parse_component_template(std::string_view json) {
  rapidjson::Document d;
  SIFT_RETURN_IF_ERROR(parse_object(json, &d, "component template"));
  ComponentTemplate t;
  bool has_template = false;
  for (auto& m : d.GetObject()) {
    std::string key = m.name.GetString();
    const Value& v = m.value;
    if (key == "template") {
      if (!v.IsObject()) return bad("[template] must be an object");
      has_template = true;
      for (auto& f : v.GetObject()) {
        SIFT_ASSIGN_OR_RETURN(bool known, content_member(f.name.GetString(), f.value, &t.content, false));
        if (!known) return bad("[template] unknown field [" + std::string(f.name.GetString()) + "]");
      }
    } else if (key == "version") {
      SIFT_ASSIGN_OR_RETURN(int64_t n, integer(v, "version"));
      t.version = n;
    } else if (key == "_meta") {
      t.meta_json = raw(v);
    } else {
      return Status(Code::kParseError, "x_content_parse_exception", "[component_template] unknown field [" + key + "]");
    }
  }
  if (!has_template) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: template is missing;");
  }
  return t;
}

Result<LegacyTemplate> parse_legacy_template(std::string_view json) {
  rapidjson::Document d;
  SIFT_RETURN_IF_ERROR(parse_object(json, &d, "template"));
  LegacyTemplate t;
  for (auto& m : d.GetObject()) {
    std::string key = m.name.GetString();
    const Value& v = m.value;
    if (key == "index_patterns" || key == "template") {
      SIFT_RETURN_IF_ERROR(patterns(v, &t.index_patterns));
    } else if (key == "order") {
      SIFT_ASSIGN_OR_RETURN(t.order, integer(v, "order"));
    } else if (key == "version") {
      SIFT_ASSIGN_OR_RETURN(int64_t n, integer(v, "version"));
      t.version = n;
    } else {
      SIFT_ASSIGN_OR_RETURN(bool known, content_member(key, v, &t.content, true));
      if (!known) {
        // Legacy templates took bare index settings at the top level.
        if (key.rfind("index.", 0) == 0 || key == "index") {
          Settings& s = t.content.settings.emplace();
          SIFT_ASSIGN_OR_RETURN(Settings more, parse_settings("{\"" + key + "\":" + raw(v) + "}", true));
          s.insert(more.begin(), more.end());
        } else {
          return bad("unknown key [" + key + "] in the template ");
        }
      }
    }
  }
  if (t.index_patterns.empty()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: index patterns are missing;");
  }
  return t;
}

std::string composable_template_to_json(const ComposableTemplate& t, bool flat) {
  JsonWriter w;
  w.begin_object();
  w.key("index_patterns").begin_array();
  for (const auto& p : t.index_patterns) w.value(p);
  w.end_array();
  if (t.content.settings || t.content.mappings || t.content.aliases_json) {
    w.key("template").begin_object();
    write_content(w, t.content, flat, false);
    w.end_object();
  }
  w.key("composed_of").begin_array();
  for (const auto& c : t.composed_of) w.value(c);
  w.end_array();
  if (t.priority) w.field("priority", *t.priority);
  if (t.version) w.field("version", *t.version);
  if (!t.meta_json.empty()) w.field_raw("_meta", t.meta_json);
  if (!t.data_stream_json.empty()) w.field_raw("data_stream", t.data_stream_json);
  w.end_object();
  return w.take();
}

std::string component_template_to_json(const ComponentTemplate& t, bool flat) {
  JsonWriter w;
  w.begin_object();
  w.key("template").begin_object();
  write_content(w, t.content, flat, false);
  w.end_object();
  if (t.version) w.field("version", *t.version);
  if (!t.meta_json.empty()) w.field_raw("_meta", t.meta_json);
  w.end_object();
  return w.take();
}

std::string legacy_template_to_json(const LegacyTemplate& t, bool flat) {
  JsonWriter w;
  w.begin_object();
  w.field("order", t.order);
  if (t.version) w.field("version", *t.version);
  w.key("index_patterns").begin_array();
  for (const auto& p : t.index_patterns) w.value(p);
  w.end_array();
  write_content(w, t.content, flat, true);
  w.end_object();
  return w.take();
}

Result<ResolvedTemplate> resolve_templates(const Templates& templates, const std::string& index) {
  ResolvedTemplate out;
  const ComposableTemplate* best = nullptr;
  std::string best_name;
  for (const auto& [name, t] : templates.composable) {
    bool matches = false;
    for (const auto& p : t.index_patterns) matches |= wildcard_match(p, index);
    if (!matches) continue;
    if (best == nullptr || t.priority.value_or(0) > best->priority.value_or(0)) {
      best = &t;
      best_name = name;
    }
  }
  if (best != nullptr) {
    for (const auto& c : best->composed_of) {
      auto it = templates.components.find(c);
      if (it == templates.components.end()) continue;  // removed after the template was put
      SIFT_RETURN_IF_ERROR(merge_content(it->second.content, &out));
    }
    SIFT_RETURN_IF_ERROR(merge_content(best->content, &out));
    out.matched = best_name;
    out.data_stream_json = best->data_stream_json;
    return out;
  }
  std::vector<const LegacyTemplate*> legacy;
  for (const auto& [name, t] : templates.legacy) {
    for (const auto& p : t.index_patterns) {
      if (wildcard_match(p, index)) {
        legacy.push_back(&t);
        break;
      }
    }
  }
  std::stable_sort(legacy.begin(), legacy.end(), [](const auto* a, const auto* b) { return a->order < b->order; });
  for (const auto* t : legacy) SIFT_RETURN_IF_ERROR(merge_content(t->content, &out));
  return out;
}

Status validate_composable(const Templates& templates, const std::string& name, const ComposableTemplate& t) {
  std::vector<std::string> missing;
  for (const auto& c : t.composed_of) {
    if (!templates.components.count(c)) missing.push_back(c);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Status(Code::kInvalidArgument, "invalid_index_template_exception",
                  "index_template [" + name + "] invalid, cause [index template [" + name +
                      "] specifies component templates [" + list + "] that do not exist]");
  }
  for (const auto& [other_name, other] : templates.composable) {
    if (other_name == name || other.priority.value_or(0) != t.priority.value_or(0)) continue;
    for (const auto& a : t.index_patterns) {
      for (const auto& b : other.index_patterns) {
        if (!patterns_overlap(a, b)) continue;
        std::string mine, theirs;
        for (const auto& p : t.index_patterns) mine += (mine.empty() ? "" : ", ") + p;
        for (const auto& p : other.index_patterns) theirs += (theirs.empty() ? "" : ", ") + p;
        return bad("index template [" + name + "] has index patterns [" + mine +
                   "] matching patterns from existing templates [" + other_name + "] with patterns (" + other_name +
                   " => [" + theirs + "]) that have the same priority [" + std::to_string(t.priority.value_or(0)) +
                   "], multiple index templates may not match during index creation, please use a different priority");
      }
    }
  }
  return Status::ok();
}

}  // namespace sift::cluster
