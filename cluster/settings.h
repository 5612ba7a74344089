// Settings: OpenSearch's flat key -> string settings ("index.number_of_shards" -> "1"). Bodies may
// nest objects ({"index":{"refresh_interval":"1s"}}) or use dotted keys; both flatten to the same
// map. Rendering nests them again unless flat_settings is asked for. Values are kept as strings,
// as OpenSearch returns them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::cluster {

using Settings = std::map<std::string, std::string>;

// Flattens a settings JSON object. `prefix_index` adds "index." to keys without it (index settings).
Result<Settings> parse_settings(std::string_view json, bool prefix_index);
// Renders settings as nested JSON objects, or flat when `flat`.
std::string settings_to_json(const Settings& settings, bool flat);

// Time values ("1s", "500ms", "-1"); returns milliseconds, -1 for disabled.
Result<int64_t> parse_time_millis(std::string_view text, std::string_view setting_name);
Result<int64_t> parse_int_setting(const Settings& s, const std::string& key, int64_t fallback);
Result<bool> parse_bool_setting(const Settings& s, const std::string& key, bool fallback);
// Byte sizes ("100mb", "1gb", "512kb", "10b", plain numbers).
Result<int64_t> parse_bytes(std::string_view text, std::string_view setting_name);

}  // namespace sift::cluster
