// Index templates: composable templates (`_index_template`, with priority and `composed_of`),
// component templates (`_component_template`), and legacy templates (`_template`, with order).
// They are part of the cluster state; `resolve_templates` composes what applies to a new index
// name, and the node puts the request's own settings, mappings and aliases on top.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/settings.h"
#include "common/status.h"
#include "index/mapping.h"

namespace sift::cluster {

struct AliasMetadata;

// The settings / mappings / aliases part shared by every kind of template.
struct TemplateContent {
  std::optional<Settings> settings;          // flat index.* keys
  std::optional<index::Mapping> mappings;
  std::optional<std::string> aliases_json;   // the "aliases" object, raw
};

struct ComposableTemplate {
  std::vector<std::string> index_patterns;
  TemplateContent content;
  std::vector<std::string> composed_of;
  std::optional<int64_t> priority;
  std::optional<int64_t> version;
  std::string meta_json;                     // "_meta", raw, may be empty
  std::string data_stream_json;              // "data_stream", raw, empty when not a data stream template
};

struct ComponentTemplate {
  TemplateContent content;
  std::optional<int64_t> version;
  std::string meta_json;
};

struct LegacyTemplate {
  std::vector<std::string> index_patterns;
  TemplateContent content;
  int64_t order = 0;
  std::optional<int64_t> version;
};

struct Templates {
  std::map<std::string, ComposableTemplate> composable;
  std::map<std::string, ComponentTemplate> components;
  std::map<std::string, LegacyTemplate> legacy;
};

Result<ComposableTemplate> parse_composable_template(std::string_view json);
Result<ComponentTemplate> parse_component_template(std::string_view json);
Result<LegacyTemplate> parse_legacy_template(std::string_view json);

// Bodies as GET renders them (also the persisted form).
std::string composable_template_to_json(const ComposableTemplate& t, bool flat_settings);
std::string component_template_to_json(const ComponentTemplate& t, bool flat_settings);
std::string legacy_template_to_json(const LegacyTemplate& t, bool flat_settings);

// What templates give a new index named `index`: the composable template with the highest
// priority whose patterns match (its components first, then itself), or else every matching
// legacy template by ascending order. `matched` names the composable template (empty if legacy).
struct ResolvedTemplate {
  Settings settings;
  std::optional<index::Mapping> mappings;
  std::vector<std::string> aliases_json;    // in order of increasing precedence
  std::string matched;
  std::string data_stream_json;
};
Result<ResolvedTemplate> resolve_templates(const Templates& templates, const std::string& index);

// Template composition: `update` over `base`, objects merged recursively and every other field
// replaced whole by the later definition (unlike PUT _mapping, a type change is no conflict).
index::Mapping compose_mappings(const index::Mapping& base, const index::Mapping& update);

// Checks a composable template against the others (patterns overlapping at the same priority,
// missing component templates). Error: illegal_argument_exception / invalid_index_template_exception.
Status validate_composable(const Templates& templates, const std::string& name, const ComposableTemplate& t);

}  // namespace sift::cluster
