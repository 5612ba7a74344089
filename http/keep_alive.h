// Keep-alive values of scrolls and points in time, bounded by a cluster setting.
#pragma once

#include <cstdint>
#include <string>

#include "cluster/node.h"
#include "common/status.h"

namespace sift::http {

// Parses `text` (the `what` parameter) as a time value and checks it against the cluster setting
// `max_setting` (default 24h), with OpenSearch's message when it is larger.
Result<int64_t> keep_alive_millis(const cluster::Node& node, const std::string& text, const std::string& what,
                                  const std::string& max_setting);

}  // namespace sift::http
