// Helpers shared by the REST handlers: splitting JSON bodies into raw members, index options from
// query parameters, `?refresh`, and the small pieces of response JSON every handler renders.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/node.h"
#include "common/json_writer.h"
#include "common/status.h"
#include "http/rest.h"

namespace sift::http {

// The members of a JSON object body as raw JSON text, in order. An empty body is an empty map.
Result<std::vector<std::pair<std::string, std::string>>> json_members(std::string_view body);
// Validates that `body` is JSON (any value); parse_exception otherwise.
Status check_json(std::string_view body);

std::vector<std::string> split_csv(std::string_view s);
cluster::IndicesOptions indices_options(const RestRequest& req, const cluster::IndicesOptions& defaults);
// Resolves req.params["index"] (or "_all" when absent).
Result<std::vector<std::string>> resolve_indices(cluster::Node& node, const RestRequest& req,
                                                 const cluster::IndicesOptions& defaults);

enum class RefreshPolicy { kNone, kImmediate, kWaitFor };
Result<RefreshPolicy> refresh_policy(const RestRequest& req);

// {"total":N,"successful":N,"failed":0}
void write_shards_header(JsonWriter& w, int total, int successful, int failed);
// 1 + replicas, as OpenSearch counts shard copies in write responses.
int shard_copies(const cluster::IndexMetadata& meta);
// Effective replicas on this single node (auto_expand_replicas "0-x" expands to 0).
int effective_replicas(const cluster::IndexMetadata& meta);

RestResponse json_response(int status, JsonWriter& w);
// {"acknowledged":true} and friends.
RestResponse acknowledged(bool shards_acknowledged = false, const std::string& index = "");

}  // namespace sift::http
