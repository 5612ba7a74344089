// `_delete_by_query`, `_update_by_query` and the `_tasks` APIs that follow them: parse the request
// (by_query_request.h), run the engine (cluster/by_query.h) on this thread or, with
// wait_for_completion=false, as a background task, and render OpenSearch's BulkByScrollResponse.
#include <algorithm>

#include "cluster/by_query.h"
#include "cluster/search_rewrite.h"
#include "cluster/index_names.h"
#include "cluster/search_service.h"
#include "common/json_writer.h"
#include "http/by_query_request.h"
#include "http/handlers.h"
#include "http/rest_util.h"

namespace sift::http {
namespace {

const char* action_name(cluster::ByQueryKind kind) {
  return kind == cluster::ByQueryKind::kDelete ? "indices:data/write/delete/byquery"
                                               : "indices:data/write/update/byquery";
}

// The counts as BulkByScrollTask.Status renders them; `updated` and `created` only where the API
// reports them (a task's status shows both; update by query never creates).
void write_counts(JsonWriter& w, const cluster::ByQueryCounts& c, bool include_updated, bool include_created) {
  w.field("total", c.total);
  if (include_updated) w.field("updated", c.updated);
  if (include_created) w.field("created", 0);
  w.field("deleted", c.deleted).field("batches", c.batches).field("version_conflicts", c.version_conflicts);
  w.field("noops", c.noops);
  w.key("retries").begin_object().field("bulk", c.bulk_retries).field("search", c.search_retries).end_object();
  w.field("throttled_millis", c.throttled_ms);
  w.field("requests_per_second", static_cast<float>(c.requests_per_second));
  if (!c.canceled.empty()) w.field("canceled", c.canceled);
  w.field("throttled_until_millis", c.throttled_until_ms);
}

std::string render_status(const cluster::ByQueryCounts& c) {
  JsonWriter w;
  w.begin_object();
  write_counts(w, c, true, true);
  w.end_object();
  return w.take();
}

std::string render_response(cluster::Node& node, const cluster::ByQueryResult& r, cluster::ByQueryKind kind) {
  JsonWriter w;
  w.begin_object();
  w.field("took", r.took_ms).field("timed_out", r.timed_out);
  write_counts(w, r.counts, kind == cluster::ByQueryKind::kUpdate, false);
  w.key("failures").begin_array();
  for (const auto& f : r.failures) {
    // `type` is still rendered by OpenSearch's bulk failure (its YAML tests expect "_doc").
    w.begin_object().field("index", f.index).field("type", "_doc").field("id", f.id);
    w.field_raw("cause", error_object_json(f.cause)).field("status", http_status_for(f.cause)).end_object();
  }
  for (const auto& f : r.search_failures) {
    w.begin_object().field("index", f.index).field("shard", f.shard).field("node", node.node_id());
    w.field("status", http_status_for(f.status)).field_raw("reason", error_object_json(f.status)).end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

// OpenSearch answers with the most severe failure's status (409 for version conflicts).
int response_status(const cluster::ByQueryResult& r) {
  int status = r.timed_out ? 408 : 200;
  for (const auto& f : r.failures) status = std::max(status, http_status_for(f.cause));
  for (const auto& f : r.search_failures) status = std::max(status, http_status_for(f.status));
  return status;
}

std::string description(cluster::ByQueryKind kind, const std::vector<cluster::SearchTarget>& targets) {
  std::string out = kind == cluster::ByQueryKind::kDelete ? "delete-by-query [" : "update-by-query [";
  for (size_t i = 0; i < targets.size(); ++i) out += (i ? ", " : "") + targets[i].index;
  return out + "]";
}

RestResponse by_query(cluster::Node& node, RestRequest& req, cluster::ByQueryKind kind) {
  auto parsed = parse_by_query_request(req, kind);
  if (!parsed.is_ok()) return error_response(parsed.status());
  cluster::IndicesOptions defaults;
  auto targets = cluster::resolve_search_targets(node, req.param("index"), indices_options(req, defaults));
  if (!targets.is_ok()) return error_response(targets.status());
  Status lookups = cluster::resolve_terms_lookups(node, parsed->request.query.get());
  if (lookups.is_ok()) lookups = cluster::check_max_terms_count(node, parsed->request.query.get(), *targets);
  if (!lookups.is_ok()) return error_response(lookups);
  auto request = std::make_shared<cluster::ByQueryRequest>(std::move(parsed->request));
  request->targets = std::move(*targets);
  std::string what = description(kind, request->targets);
  auto progress = std::make_shared<cluster::ByQueryProgress>();
  cluster::ByQueryCounts initial;
  initial.requests_per_second = request->requests_per_second;
  progress->set(initial);
  auto status = [progress] { return render_status(progress->get()); };

  RestResponse resp;
  if (!parsed->wait_for_completion) {
    auto id = node.tasks().start(action_name(kind), what, status,
                                 [&node, request, progress, kind](cluster::Task& task) -> Result<std::string> {
                                   SIFT_ASSIGN_OR_RETURN(auto r, cluster::run_by_query(node, *request, &task,
                                                                                       progress.get()));
                                   return render_response(node, r, kind);
                                 });
    if (!id.is_ok()) return error_response(id.status());
    JsonWriter w;
    w.begin_object().field("task", *id).end_object();
    resp = json_response(200, w);
  } else {
    auto task = node.tasks().register_task(action_name(kind), what, status);
    auto r = cluster::run_by_query(node, *request, task.get(), progress.get());
    node.tasks().finish(*task);
    if (!r.is_ok()) return error_response(r.status());
    resp = RestResponse::json(response_status(*r), render_response(node, *r, kind));
  }
  for (const auto& warning : parsed->warnings) {
    resp.headers.emplace_back("Warning", "299 OpenSearch-" + node.options().version_number + " \"" + warning + "\"");
  }
  return resp;
}

// ---- _tasks -----------------------------------------------------------------------------------

void write_task(JsonWriter& w, const cluster::TaskView& t) {
  w.begin_object();
  w.field("node", t.node).field("id", t.id).field("type", "transport").field("action", t.action);
  if (!t.status_json.empty()) w.field_raw("status", t.status_json);
  if (!t.description.empty()) w.field("description", t.description);
  w.field("start_time_in_millis", t.start_time_ms);
  w.field("running_time_in_nanos", t.running_time_nanos).field("cancellable", true).field("cancelled", t.cancelled);
  w.key("headers").begin_object().end_object();
  w.end_object();
}

// ListTasksResponse's node-grouped form.
RestResponse task_list(cluster::Node& node, const std::vector<cluster::TaskView>& tasks) {
  JsonWriter w;
  w.begin_object().key("nodes").begin_object();
  if (!tasks.empty()) {
    const auto& o = node.options();
    w.key(node.node_id()).begin_object();
    w.field("name", o.node_name).field("transport_address", o.publish_host + ":9300");
    w.field("host", o.publish_host).field("ip", o.publish_host);
    w.key("roles").begin_array().value("cluster_manager").value("data").value("ingest").value("master").end_array();
    w.key("tasks").begin_object();
    for (const auto& t : tasks) {
      w.key(t.node + ":" + std::to_string(t.id));
      write_task(w, t);
    }
    w.end_object().end_object();
  }
  w.end_object().end_object();
  return json_response(200, w);
}

RestResponse get_task(cluster::Node& node, RestRequest& req) {
  auto wait = req.param_bool("wait_for_completion", false);
  if (!wait.is_ok()) return error_response(wait.status());
  int64_t timeout_ms = 30000;
  if (req.has_param("timeout")) {
    auto t = cluster::parse_time_millis(req.param("timeout"), "timeout");
    if (!t.is_ok()) return error_response(t.status());
    timeout_ms = *t;
  }
  auto view = node.tasks().get(req.param("task_id"), *wait, timeout_ms);
  if (!view.is_ok()) return error_response(view.status());
  JsonWriter w;
  w.begin_object().field("completed", view->completed).key("task");
  write_task(w, *view);
  if (view->response_json) w.field_raw("response", *view->response_json);
  if (view->error) w.field_raw("error", error_object_json(*view->error));
  w.end_object();
  return json_response(200, w);
}

RestResponse cancel_task(cluster::Node& node, RestRequest& req) {
  auto view = node.tasks().cancel(req.param("task_id"), req.param("reason", "by user request"));
  if (!view.is_ok()) return error_response(view.status());
  return task_list(node, {*view});
}

// `GET _tasks`: the running tasks, optionally filtered by `actions` patterns.
RestResponse list_tasks(cluster::Node& node, RestRequest& req) {
  std::vector<std::string> patterns = split_csv(req.param("actions"));
  bool detailed = req.param("detailed") == "true";
  std::vector<cluster::TaskView> shown;
  for (auto& t : node.tasks().list()) {
    bool match = patterns.empty();
    for (const auto& p : patterns) match |= cluster::wildcard_match(p, t.action);
    if (!match) continue;
    if (!detailed) {
      t.status_json.clear();
      t.description.clear();
    }
    shown.push_back(std::move(t));
  }
  return task_list(node, shown);
}

}  // namespace

void register_by_query_handlers(Router& router, cluster::Node& node) {
  router.add(Method::kPost, "/{index}/_delete_by_query",
             [&node](RestRequest& r) { return by_query(node, r, cluster::ByQueryKind::kDelete); });
  router.add(Method::kPost, "/{index}/_update_by_query",
             [&node](RestRequest& r) { return by_query(node, r, cluster::ByQueryKind::kUpdate); });
  router.add(Method::kGet, "/_tasks", [&node](RestRequest& r) { return list_tasks(node, r); });
  router.add(Method::kGet, "/_tasks/{task_id}", [&node](RestRequest& r) { return get_task(node, r); });
  router.add(Method::kPost, "/_tasks/{task_id}/_cancel", [&node](RestRequest& r) { return cancel_task(node, r); });
}

}  // namespace sift::http
