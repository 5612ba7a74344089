// `_source` filtering: keeps the paths matching `includes` (all when empty) minus `excludes`, with
// `*` wildcards over dotted paths, as OpenSearch filters stored sources in the fetch phase.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift::cluster {

Result<std::string> filter_source(std::string_view source, const std::vector<std::string>& includes,
                                  const std::vector<std::string>& excludes);

}  // namespace sift::cluster

namespace sift::cluster {

// A JSON source parsed once, for reading the values at dotted paths: arrays are flattened, and the
// longest key is tried first, so dotted keys ("a.b": 1) work as well as nested objects.
class SourceValues {
 public:
  explicit SourceValues(std::string_view source);
  ~SourceValues();
  SourceValues(const SourceValues&) = delete;
  SourceValues& operator=(const SourceValues&) = delete;

  // The values as raw JSON (strings quoted), nulls skipped: for stored fields and `fields`.
  std::vector<std::string> json(std::string_view path) const;
  // The values as text (strings unquoted, numbers and booleans as written), objects and nulls
  // skipped: what analyzers see, for highlighting.
  std::vector<std::string> text(std::string_view path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SourceValues(source).json(path), for a single lookup.
std::vector<std::string> extract_values(std::string_view source, std::string_view path);

}  // namespace sift::cluster
