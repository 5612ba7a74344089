// `_source` filtering: keeps the paths matching `includes` (all when empty) minus `excludes`, with
// `*` wildcards over dotted paths, as OpenSearch filters stored sources in the fetch phase.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift::cluster {

Result<std::string> filter_source(std::string_view source, const std::vector<std::string>& includes,
                                  const std::vector<std::string>& excludes);

}  // namespace sift::cluster

namespace sift::cluster {
// The values at a dotted path of a JSON source, as raw JSON (arrays are flattened), for stored
// fields and `fields`-style retrieval.
std::vector<std::string> extract_values(std::string_view source, std::string_view path);
}  // namespace sift::cluster
