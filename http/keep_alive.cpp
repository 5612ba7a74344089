#include "http/keep_alive.h"

#include "cluster/settings.h"

namespace sift::http {

Result<int64_t> keep_alive_millis(const cluster::Node& node, const std::string& text, const std::string& what,
                                  const std::string& max_setting) {
  SIFT_ASSIGN_OR_RETURN(int64_t keep, cluster::parse_time_millis(text, what));
  auto state = node.state();
  std::string max_text = "24h";
  for (const auto* s : {&state->persistent_settings, &state->transient_settings}) {
    auto it = s->find(max_setting);
    if (it != s->end()) max_text = it->second;
  }
  SIFT_ASSIGN_OR_RETURN(int64_t max, cluster::parse_time_millis(max_text, max_setting));
  if (keep > max) {
    return invalid_argument("Keep alive for [" + text + "] is too large. It must be less than [" + max_text +
                            "]. This limit can be set by changing the [" + max_setting + "] cluster level setting.");
  }
  return keep;
}

}  // namespace sift::http
