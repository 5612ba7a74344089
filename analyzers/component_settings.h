// The settings of one analysis component, flat as index settings hold them under
// `index.analysis.<kind>.<name>.` ({"type": "stop", "stopwords.0": "a", "stopwords.1": "the"}), with
// typed readers whose errors are OpenSearch's. Inline definitions in `_analyze` arrive flattened
// the same way.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift::analysis {

// Index-level limits that some components check when they are built: OpenSearch's
// index.max_ngram_diff (ngram tokenizer and filter) and index.max_shingle_diff (shingle filter).
struct IndexLimits {
  int64_t max_ngram_diff = 1;
  int64_t max_shingle_diff = 3;
};

// The limits an index's settings set; a malformed or negative value is a 400 naming the setting.
Result<IndexLimits> index_limits(const std::map<std::string, std::string>& index_settings);

class ComponentSettings {
 public:
  ComponentSettings() = default;
  ComponentSettings(std::string name, std::map<std::string, std::string> values)
      : name_(std::move(name)), values_(std::move(values)) {}

  // The name the component is defined under (the type for a built-in used by name).
  const std::string& name() const { return name_; }
  // "type", or "" when absent.
  std::string type() const;
  bool has(std::string_view key) const;  // the key itself or a list under it (key.0, ...)
  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback) const;
  // Integers and booleans; a malformed value is a 400 naming the setting.
  Result<int64_t> get_int(std::string_view key, int64_t fallback) const;
  Result<double> get_double(std::string_view key, double fallback) const;
  Result<bool> get_bool(std::string_view key, bool fallback) const;
  // A list: `key.0`, `key.1`, ... in order, or the single value under `key` as a one-element
  // list; nullopt when absent.
  std::optional<std::vector<std::string>> get_list(std::string_view key) const;
  // The keys given (list keys folded to their base), for unknown-parameter checks.
  std::vector<std::string> keys() const;
  const std::map<std::string, std::string>& values() const { return values_; }
  // The index's limits (defaults outside an index).
  const IndexLimits& limits() const { return limits_; }
  void set_limits(const IndexLimits& limits) { limits_ = limits; }

 private:
  std::string name_;
  std::map<std::string, std::string> values_;
  IndexLimits limits_;
};

}  // namespace sift::analysis
