// Points in time: `POST /{index}/_search/point_in_time?keep_alive=`, `GET /_search/point_in_time/_all`,
// `DELETE /_search/point_in_time` (body `{"pit_id": [..]}`) and `DELETE /_search/point_in_time/_all`.
// Searches use a PIT with `"pit": {"id": .., "keep_alive": ..}` in the body (handlers_search.cpp).
#include <rapidjson/document.h>

#include "cluster/pit_service.h"
#include "cluster/settings.h"
#include "common/json_writer.h"
#include "http/handlers.h"
#include "http/keep_alive.h"
#include "http/rest_util.h"

namespace sift::http {
namespace {

int64_t max_open_pits(const cluster::Node& node) {
  auto state = node.state();
  int64_t max = 300;
  for (const auto* s : {&state->persistent_settings, &state->transient_settings}) {
    auto it = s->find("search.max_open_pit_context");
    if (it != s->end()) max = std::strtoll(it->second.c_str(), nullptr, 10);
  }
  return max;
}

RestResponse create_pit(cluster::Node& node, RestRequest& req) {
  if (!req.has_param("keep_alive")) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: keep alive not specified;"));
  }
  auto keep = keep_alive_millis(node, req.param("keep_alive"), "keep_alive", "point_in_time.max_keep_alive");
  if (!keep.is_ok()) return error_response(keep.status());
  auto partial = req.param_bool("allow_partial_pit_creation", true);
  if (!partial.is_ok()) return error_response(partial.status());
  cluster::IndicesOptions defaults;
  auto targets = cluster::resolve_search_targets(node, req.param("index"), indices_options(req, defaults));
  if (!targets.is_ok()) return error_response(targets.status());
  auto pit = cluster::create_pit(node, *targets, *keep, max_open_pits(node));
  if (!pit.is_ok()) return error_response(pit.status());
  if (!*partial && pit->failed_shards > 0) {
    cluster::delete_pits({pit->id});
    return error_response(pit->failures.front().status);
  }
  JsonWriter w;
  w.begin_object().field("pit_id", pit->id);
  write_shards_header(w, pit->total_shards, pit->total_shards - pit->failed_shards, pit->failed_shards);
  w.field("creation_time", pit->creation_time_ms).end_object();
  return json_response(200, w);
}

RestResponse render_deleted(const std::vector<std::pair<std::string, bool>>& deleted) {
  JsonWriter w;
  w.begin_object().key("pits").begin_array();
  for (const auto& [id, existed] : deleted) w.begin_object().field("successful", existed).field("pit_id", id).end_object();
  w.end_array().end_object();
  return json_response(200, w);
}

RestResponse delete_pit(RestRequest& req) {
  rapidjson::Document d;
  d.Parse(req.body.data(), req.body.size());
  if (d.HasParseError() || !d.IsObject()) {
    return error_response(Status(Code::kParseError, "parsing_exception", "request body must be a JSON object"));
  }
  std::vector<std::string> ids;
  for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
    std::string key = m->name.GetString();
    if (key != "pit_id") return error_response(Status(Code::kParseError, "parsing_exception", "unknown field [" + key + "]"));
    if (m->value.IsString()) {
      ids.emplace_back(m->value.GetString());
    } else if (m->value.IsArray()) {
      for (const auto& v : m->value.GetArray()) {
        if (!v.IsString()) return error_response(Status(Code::kParseError, "parsing_exception", "[pit_id] must hold strings"));
        ids.emplace_back(v.GetString());
      }
    } else {
      return error_response(Status(Code::kParseError, "parsing_exception", "[pit_id] must be a string or an array"));
    }
  }
  if (ids.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: no pit ids specified;"));
  }
  return render_deleted(cluster::delete_pits(ids));
}

RestResponse list_pits() {
  JsonWriter w;
  w.begin_object().key("pits").begin_array();
  for (const auto& p : cluster::list_pits()) {
    w.begin_object().field("pit_id", p.id).field("creation_time", p.creation_time_ms);
    w.field("keep_alive", p.keep_alive_ms).end_object();
  }
  w.end_array().end_object();
  return json_response(200, w);
}

}  // namespace

void register_pit_handlers(Router& router, cluster::Node& node) {
  router.add(Method::kPost, "/{index}/_search/point_in_time", [&node](RestRequest& r) { return create_pit(node, r); });
  router.add(Method::kGet, "/_search/point_in_time/_all", [](RestRequest&) { return list_pits(); });
  router.add(Method::kDelete, "/_search/point_in_time", [](RestRequest& r) { return delete_pit(r); });
  router.add(Method::kDelete, "/_search/point_in_time/_all",
             [](RestRequest&) { return render_deleted(cluster::delete_all_pits()); });
}

}  // namespace sift::http
