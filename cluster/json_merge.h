// JSON helpers for document updates: deep-merging a partial document into a source, as `_update`
// with `doc` does, and checking that a body is one JSON object.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::cluster {

// Merges `patch` into `base` (objects recursively, everything else replaced). `changed` tells
// whether the result differs from `base`.
Result<std::string> merge_json_objects(std::string_view base, std::string_view patch, bool* changed);
// Parses `json` and checks that it is a single object; the error is OpenSearch's for a bad body.
Status check_json_object(std::string_view json, std::string_view what);

}  // namespace sift::cluster
