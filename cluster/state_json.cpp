// Persistence of the cluster state as JSON, and the derived index settings.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cluster/index_metadata.h"
#include "common/json_writer.h"
#include "common/log.h"

namespace sift::cluster {
namespace {

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

void write_settings(JsonWriter& w, const Settings& s) {
  w.begin_object();
  for (const auto& [k, v] : s) w.key(k).value(v);
  w.end_object();
}

void write_alias_fields(JsonWriter& w, const AliasMetadata& a) {
  if (!a.filter_json.empty()) w.field_raw("filter", a.filter_json);
  if (!a.index_routing.empty()) w.field("index_routing", a.index_routing);
  if (!a.search_routing.empty()) w.field("search_routing", a.search_routing);
  if (a.is_write_index) w.field("is_write_index", *a.is_write_index);
  if (a.is_hidden) w.field("is_hidden", *a.is_hidden);
}

Settings read_settings(const rapidjson::Value& v) {
  Settings s;
  if (!v.IsObject()) return s;
  for (auto& m : v.GetObject()) {
    if (m.value.IsString()) s[m.name.GetString()] = m.value.GetString();
  }
  return s;
}

int64_t get_i64(const rapidjson::Value& o, const char* key, int64_t fallback) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : fallback;
}

}  // namespace

std::string alias_to_json(const AliasMetadata& alias) {
  JsonWriter w;
  w.begin_object();
  write_alias_fields(w, alias);
  w.end_object();
  return w.take();
}

Status apply_index_settings(IndexMetadata* meta) {
  SIFT_ASSIGN_OR_RETURN(int64_t shards, parse_int_setting(meta->settings, "index.number_of_shards", 1));
  if (shards < 1 || shards > 1024) {
    return invalid_argument("Failed to parse value [" + std::to_string(shards) +
                            "] for setting [index.number_of_shards] must be >= 1 and <= 1024");
  }
  SIFT_ASSIGN_OR_RETURN(int64_t replicas, parse_int_setting(meta->settings, "index.number_of_replicas", 1));
  if (replicas < 0) {
    return invalid_argument("Failed to parse value [" + std::to_string(replicas) +
                            "] for setting [index.number_of_replicas] must be >= 0");
  }
  int64_t refresh = 1000;
  auto it = meta->settings.find("index.refresh_interval");
  if (it != meta->settings.end()) {
    SIFT_ASSIGN_OR_RETURN(refresh, parse_time_millis(it->second, "index.refresh_interval"));
  }
  SIFT_ASSIGN_OR_RETURN(int64_t window, parse_int_setting(meta->settings, "index.max_result_window", 10000));
  if (window < 1) return invalid_argument("index.max_result_window must be >= 1");
  meta->number_of_shards = static_cast<int32_t>(shards);
  meta->number_of_replicas = static_cast<int32_t>(replicas);
  meta->refresh_interval_ms = refresh;
  meta->max_result_window = window;
  return Status::ok();
}

std::string cluster_state_to_json(const ClusterState& state) {
  JsonWriter w;
  w.begin_object();
  w.field("format", 1);
  w.field("cluster_uuid", state.cluster_uuid);
  w.field("version", state.version);
  w.key("persistent_settings");
  write_settings(w, state.persistent_settings);
  w.key("index_templates").begin_object();
  for (const auto& [n, t] : state.templates.composable) w.field_raw(n, composable_template_to_json(t, true));
  w.end_object();
  w.key("component_templates").begin_object();
  for (const auto& [n, t] : state.templates.components) w.field_raw(n, component_template_to_json(t, true));
  w.end_object();
  w.key("legacy_templates").begin_object();
  for (const auto& [n, t] : state.templates.legacy) w.field_raw(n, legacy_template_to_json(t, true));
  w.end_object();
  w.key("indices").begin_array();
  for (const auto& [name, meta] : state.indices) {
    w.begin_object();
    w.field("name", meta->name).field("uuid", meta->uuid).field("creation_date", meta->creation_date);
    w.field("primary_term", meta->primary_term).field("version", meta->version);
    w.field("mapping_version", meta->mapping_version).field("settings_version", meta->settings_version);
    w.field("aliases_version", meta->aliases_version).field("closed", meta->closed);
    w.key("settings");
    write_settings(w, meta->settings);
    w.field_raw("mappings", index::mapping_to_json(*meta->mapping));
    w.key("aliases").begin_object();
    for (const auto& [alias, a] : meta->aliases) {
      w.key(alias).begin_object();
      write_alias_fields(w, a);
      w.end_object();
    }
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

Result<ClusterState> cluster_state_from_json(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return corruption(std::string("cluster state file is not valid JSON: ") +
                      rapidjson::GetParseError_En(doc.GetParseError()));
  }
  ClusterState state;
  if (doc.HasMember("cluster_uuid") && doc["cluster_uuid"].IsString()) state.cluster_uuid = doc["cluster_uuid"].GetString();
  state.version = get_i64(doc, "version", 0);
  if (doc.HasMember("persistent_settings")) state.persistent_settings = read_settings(doc["persistent_settings"]);
  auto read_templates = [&](const char* key, auto parse, auto& into) -> Status {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || !it->value.IsObject()) return Status::ok();
    for (auto& m : it->value.GetObject()) {
      auto t = parse(to_json(m.value));
      if (!t.is_ok()) return corruption("cluster state: template [" + std::string(m.name.GetString()) + "]: " + t.status().reason());
      into[m.name.GetString()] = std::move(t).value();
    }
    return Status::ok();
  };
  SIFT_RETURN_IF_ERROR(read_templates("index_templates", parse_composable_template, state.templates.composable));
  SIFT_RETURN_IF_ERROR(read_templates("component_templates", parse_component_template, state.templates.components));
  SIFT_RETURN_IF_ERROR(read_templates("legacy_templates", parse_legacy_template, state.templates.legacy));
  if (!doc.HasMember("indices") || !doc["indices"].IsArray()) return state;
  for (auto& v : doc["indices"].GetArray()) {
    auto meta = std::make_shared<IndexMetadata>();
    if (!v.IsObject() || !v.HasMember("name") || !v.HasMember("uuid")) return corruption("cluster state: bad index entry");
    meta->name = v["name"].GetString();
    meta->uuid = v["uuid"].GetString();
    meta->creation_date = get_i64(v, "creation_date", 0);
    meta->primary_term = get_i64(v, "primary_term", 1);
    meta->version = get_i64(v, "version", 1);
    meta->mapping_version = get_i64(v, "mapping_version", 1);
    meta->settings_version = get_i64(v, "settings_version", 1);
    meta->aliases_version = get_i64(v, "aliases_version", 1);
    meta->closed = v.HasMember("closed") && v["closed"].IsBool() && v["closed"].GetBool();
    if (v.HasMember("settings")) meta->settings = read_settings(v["settings"]);
    std::string mapping_json = v.HasMember("mappings") ? to_json(v["mappings"]) : "{}";
    auto mapping = index::parse_mapping(mapping_json);
    if (!mapping.is_ok()) return corruption("cluster state: mapping of [" + meta->name + "]: " + mapping.status().reason());
    meta->mapping = std::make_shared<const index::Mapping>(std::move(mapping).value());
    if (v.HasMember("aliases") && v["aliases"].IsObject()) {
      for (auto& a : v["aliases"].GetObject()) {
        AliasMetadata am;
        const auto& o = a.value;
        if (o.HasMember("filter")) am.filter_json = to_json(o["filter"]);
        if (o.HasMember("index_routing")) am.index_routing = o["index_routing"].GetString();
        if (o.HasMember("search_routing")) am.search_routing = o["search_routing"].GetString();
        if (o.HasMember("is_write_index")) am.is_write_index = o["is_write_index"].GetBool();
        if (o.HasMember("is_hidden")) am.is_hidden = o["is_hidden"].GetBool();
        meta->aliases[a.name.GetString()] = std::move(am);
      }
    }
    SIFT_RETURN_IF_ERROR(apply_index_settings(meta.get()));
    {
      // Checked when stored; should a later version refuse them, the index still opens and scores
      // with the default similarity rather than keeping the node down.
      index::Mapping bound = *meta->mapping;
      Status st = index::bind_index_settings(meta->settings, &bound);
      if (st.is_ok()) meta->mapping = std::make_shared<const index::Mapping>(std::move(bound));
      else log::warn("index [" + meta->name + "]: similarity settings ignored: " + st.reason());
    }
    state.indices[meta->name] = std::move(meta);
  }
  return state;
}

}  // namespace sift::cluster
