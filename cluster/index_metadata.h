// Index metadata: everything the cluster state knows about one index (name, uuid, settings,
// mapping, aliases, primary terms), and the ClusterState snapshot that holds all of them. A state
// is immutable; a change builds a new one, persists it, then publishes it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/settings.h"
#include "cluster/templates.h"
#include "common/status.h"
#include "index/mapping.h"

namespace sift::cluster {

struct AliasMetadata {
  std::string filter_json;      // raw JSON query, empty when none
  std::string index_routing;
  std::string search_routing;
  std::optional<bool> is_write_index;
  std::optional<bool> is_hidden;
  bool index_routing_set = false;   // parsing only: explicit index_routing seen
  bool search_routing_set = false;
};

struct IndexMetadata {
  std::string name;
  std::string uuid;
  int32_t number_of_shards = 1;
  int32_t number_of_replicas = 1;
  int64_t creation_date = 0;
  int64_t refresh_interval_ms = 1000;
  int64_t max_result_window = 10000;
  Settings settings;            // every index.* setting, as strings
  index::MappingPtr mapping;
  std::map<std::string, AliasMetadata> aliases;
  int64_t primary_term = 1;
  int64_t version = 1;          // bumped on every change
  int64_t mapping_version = 1;
  int64_t settings_version = 1;
  int64_t aliases_version = 1;
  bool closed = false;
};
using IndexMetadataPtr = std::shared_ptr<const IndexMetadata>;

struct ClusterState {
  std::string cluster_uuid;
  int64_t version = 0;
  std::map<std::string, IndexMetadataPtr> indices;  // by name
  Settings persistent_settings;
  Settings transient_settings;
  Templates templates;
};
using ClusterStatePtr = std::shared_ptr<const ClusterState>;

// Reads derived fields (shards, replicas, refresh interval, ...) from `settings` into `meta`,
// validating them. Errors are illegal_argument_exception.
Status apply_index_settings(IndexMetadata* meta);

// Persistence (cluster/state_json.cpp): the whole state as one JSON document.
std::string cluster_state_to_json(const ClusterState& state);
Result<ClusterState> cluster_state_from_json(std::string_view json);

// Renders an alias body ({"filter":..,"index_routing":..}) as GET _alias shows it.
std::string alias_to_json(const AliasMetadata& alias);
// Parses the "aliases" object of a create-index body or template: {"name": {"filter":..,"routing":..}}.
Status parse_aliases_body(std::string_view json, std::map<std::string, AliasMetadata>* out);

}  // namespace sift::cluster
