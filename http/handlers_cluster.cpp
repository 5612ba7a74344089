// Identity (GET /), license, nodes info, cluster health and settings, _cat/health and _cat/indices.
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "cluster/index_names.h"
#include "common/time_util.h"
#include "http/cat_table.h"
#include "http/handlers.h"
#include "http/rest_util.h"

namespace sift::http {
namespace {

struct Health {
  std::string status = "green";
  int active_primary = 0, active = 0, unassigned = 0, indices = 0;
  struct PerIndex {
    std::string name, status;
    int shards, replicas, unassigned;
  };
  std::vector<PerIndex> per_index;
};

Health compute_health(cluster::Node& node, const std::vector<std::string>& names, bool missing) {
  // `missing` turns red below when an index is missing or failed.
  Health h;
  auto state = node.state();
  for (const auto& n : names) {
    auto it = state->indices.find(n);
    if (it == state->indices.end()) continue;
    const auto& meta = *it->second;
    int replicas = effective_replicas(meta);
    int unassigned = meta.number_of_shards * replicas;
    h.active_primary += meta.number_of_shards;
    h.active += meta.number_of_shards;
    h.unassigned += unassigned;
    auto svc = node.index(n);
    bool failed = svc && svc->failed();
    if (failed) {
      h.active_primary -= meta.number_of_shards;
      h.active -= meta.number_of_shards;
      h.unassigned += meta.number_of_shards;
      missing = true;  // a failed primary makes the cluster red
    }
    std::string st = failed ? "red" : unassigned > 0 ? "yellow" : "green";
    h.per_index.push_back({n, st, meta.number_of_shards, replicas, unassigned});
    ++h.indices;
  }
  if (missing) h.status = "red";
  else if (h.unassigned > 0) h.status = "yellow";
  return h;
}

int status_rank(const std::string& s) { return s == "green" ? 0 : s == "yellow" ? 1 : 2; }

RestResponse cluster_health(cluster::Node& node, RestRequest& req) {
  std::string expr = req.has_param("index") ? req.param("index") : "_all";
  cluster::IndicesOptions opts;
  opts.ignore_unavailable = true;
  opts.expand_hidden = true;
  opts.expand_closed = true;  // closed indices keep their shards in the health (replicated closed indices)
  opts = indices_options(req, opts);
  opts.ignore_unavailable = true;
  auto names = node.resolve(expr, opts);
  if (!names.is_ok()) return error_response(names.status());
  // A named index that does not exist (yet) keeps the health red and waits, as in OpenSearch.
  auto any_missing = [&] {
    if (!req.has_param("index")) return false;
    for (const auto& part : split_csv(expr)) {
      if (part.find('*') == std::string::npos && part != "_all" && !node.resolve(part, {}).is_ok()) return true;
    }
    return false;
  };
  bool missing = any_missing();
  int64_t timeout_ms = 30000;
  if (req.has_param("timeout")) {
    auto t = cluster::parse_time_millis(req.param("timeout"), "timeout");
    if (!t.is_ok()) return error_response(t.status());
    timeout_ms = *t;
  }
  std::string wait = req.param("wait_for_status");
  if (!wait.empty() && wait != "green" && wait != "yellow" && wait != "red") {
    return error_response(invalid_argument("unknown cluster health status [" + wait + "]"));
  }
  Health h = compute_health(node, *names, missing);
  bool timed_out = false;
  int64_t deadline = monotonic_nanos() / 1'000'000 + timeout_ms;
  // Conditions this single node can never meet wait for the timeout, then answer 408.
  auto unmet = [&] {
    if (missing) return true;
    if (!wait.empty() && status_rank(h.status) > status_rank(wait)) return true;
    if (req.has_param("wait_for_nodes")) {
      std::string n = req.param("wait_for_nodes");
      std::string op = n.rfind(">=", 0) == 0 ? ">=" : n.rfind("<=", 0) == 0 ? "<=" : n[0] == '>' ? ">" : n[0] == '<' ? "<" : "";
      std::string num = n.substr(op.size());
      if (num.rfind("ge(", 0) == 0 || num.rfind("le(", 0) == 0 || num.rfind("gt(", 0) == 0 || num.rfind("lt(", 0) == 0) {
        op = num.substr(0, 2) == "ge" ? ">=" : num.substr(0, 2) == "le" ? "<=" : num.substr(0, 2) == "gt" ? ">" : "<";
        num = num.substr(3, num.size() - 4);
      }
      long want = std::atol(num.c_str());
      bool ok = op == ">=" ? 1 >= want : op == "<=" ? 1 <= want : op == ">" ? 1 > want : op == "<" ? 1 < want : want == 1;
      if (!ok) return true;
    }
    if (req.has_param("wait_for_active_shards")) {
      std::string a = req.param("wait_for_active_shards");
      if (a == "all") return h.unassigned > 0;
      if (std::atol(a.c_str()) > h.active) return true;
    }
    return false;
  };
  while (unmet()) {
    if (monotonic_nanos() / 1'000'000 >= deadline) {
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    names = node.resolve(expr, opts);
    if (!names.is_ok()) return error_response(names.status());
    missing = any_missing();
    h = compute_health(node, *names, missing);
  }
  JsonWriter w;
  w.begin_object();
  w.field("cluster_name", node.options().cluster_name).field("status", h.status).field("timed_out", timed_out);
  w.field("number_of_nodes", 1).field("number_of_data_nodes", 1);
  w.field("discovered_master", true).field("discovered_cluster_manager", true);
  w.field("active_primary_shards", h.active_primary).field("active_shards", h.active);
  w.field("relocating_shards", 0).field("initializing_shards", 0).field("unassigned_shards", h.unassigned);
  w.field("delayed_unassigned_shards", 0).field("number_of_pending_tasks", 0).field("number_of_in_flight_fetch", 0);
  w.field("task_max_waiting_in_queue_millis", 0);
  int total = h.active + h.unassigned;
  w.field("active_shards_percent_as_number", total == 0 ? 100.0 : 100.0 * h.active / total);
  std::string level = req.param("level", "cluster");
  if (level == "indices" || level == "shards") {
    w.key("indices").begin_object();
    for (const auto& i : h.per_index) {
      w.key(i.name).begin_object();
      w.field("status", i.status).field("number_of_shards", i.shards).field("number_of_replicas", i.replicas);
      w.field("active_primary_shards", i.shards).field("active_shards", i.shards).field("relocating_shards", 0);
      w.field("initializing_shards", 0).field("unassigned_shards", i.unassigned);
      if (level == "shards") {
        w.key("shards").begin_object();
        for (int s = 0; s < i.shards; ++s) {
          w.key(std::to_string(s)).begin_object().field("status", i.status).field("primary_active", true);
          w.field("active_shards", 1).field("relocating_shards", 0).field("initializing_shards", 0);
          w.field("unassigned_shards", i.replicas).end_object();
        }
        w.end_object();
      }
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  return json_response(timed_out ? 408 : 200, w);
}

void write_version(JsonWriter& w, cluster::Node& node, const ServerInfo& info) {
  w.key("version").begin_object();
  w.field("distribution", "opensearch").field("number", node.options().version_number);
  w.field("build_type", "tar").field("build_hash", info.build_hash).field("build_date", info.build_date);
  w.field("build_snapshot", false).field("lucene_version", "8.10.1");
  w.field("minimum_wire_compatibility_version", "6.8.0");
  w.field("minimum_index_compatibility_version", "6.0.0-beta1");
  w.field("build_flavor", "default");
  w.end_object();
}

RestResponse root_info(cluster::Node& node, const ServerInfo& info) {
  JsonWriter w;
  w.begin_object();
  w.field("name", node.options().node_name).field("cluster_name", node.options().cluster_name);
  w.field("cluster_uuid", node.cluster_uuid());
  write_version(w, node, info);
  w.field("tagline", "You Know, for Search");
  w.end_object();
  return json_response(200, w);
}

RestResponse nodes_info(cluster::Node& node, const ServerInfo& info, RestRequest& req) {
  std::string address = node.options().publish_host + ":" + std::to_string(node.options().http_port);
  std::set<std::string> metrics;
  std::string node_filter = req.param("node_id", "_all");
  for (const auto& m : split_csv(req.param("metric", "_all"))) metrics.insert(m);
  // "/_nodes/http" puts the metric where a node id would be.
  static const std::set<std::string> kMetrics = {"settings", "os", "process", "jvm", "thread_pool", "transport",
                                                 "http", "plugins", "ingest", "aggregations", "indices", "_all"};
  if (!req.has_param("metric") && kMetrics.count(node_filter)) {
    metrics = {node_filter};
    node_filter = "_all";
  }
  bool all = metrics.count("_all") > 0;
  bool match = node_filter == "_all" || node_filter == "_local" || node_filter == node.node_id() ||
               node_filter == node.options().node_name || node_filter == "_master" || node_filter == "_cluster_manager" ||
               cluster::wildcard_match(node_filter, node.options().node_name);
  JsonWriter w;
  w.begin_object();
  w.key("_nodes").begin_object().field("total", match ? 1 : 0).field("successful", match ? 1 : 0).field("failed", 0).end_object();
  w.field("cluster_name", node.options().cluster_name);
  w.key("nodes").begin_object();
  if (match) {
    w.key(node.node_id()).begin_object();
    w.field("name", node.options().node_name);
    w.field("transport_address", node.options().publish_host + ":9300");
    w.field("host", node.options().publish_host).field("ip", node.options().publish_host);
    w.field("version", node.options().version_number).field("build_type", "tar").field("build_hash", info.build_hash);
    w.field("total_indexing_buffer", 53687091);
    w.key("roles").begin_array().value("cluster_manager").value("data").value("ingest").value("master");
    w.value("remote_cluster_client").end_array();
    w.key("attributes").begin_object().end_object();
    if (all || metrics.count("settings")) {
      w.key("settings").begin_object();
      w.key("cluster").begin_object().field("name", node.options().cluster_name).end_object();
      w.key("node").begin_object().field("name", node.options().node_name).end_object();
      w.key("path").begin_object().field("data", node.options().data_path).end_object();
      w.end_object();
    }
    if (all || metrics.count("os")) {
      w.key("os").begin_object().field("name", "Linux").field("arch", "amd64");
      w.field("available_processors", static_cast<int>(std::thread::hardware_concurrency()));
      w.field("allocated_processors", static_cast<int>(std::thread::hardware_concurrency())).end_object();
    }
    if (all || metrics.count("process")) {
      w.key("process").begin_object().field("refresh_interval_in_millis", 1000).field("id", static_cast<int>(::getpid()));
      w.field("mlockall", false).end_object();
    }
    if (all || metrics.count("http")) {
      w.key("http").begin_object();
      w.key("bound_address").begin_array().value(address).end_array();
      w.field("publish_address", address).field("max_content_length_in_bytes", 104857600);
      w.end_object();
    }
    if (all || metrics.count("plugins")) w.key("plugins").begin_array().end_array();
    if (all || metrics.count("ingest")) {
      w.key("ingest").begin_object().key("processors").begin_array().end_array().end_object();
    }
    w.end_object();
  }
  w.end_object();
  w.end_object();
  return json_response(200, w);
}

RestResponse license(cluster::Node& node) {
  JsonWriter w;
  w.begin_object().key("license").begin_object();
  w.field("status", "active").field("uid", node.cluster_uuid()).field("type", "basic");
  w.field("issue_date", format_iso8601_millis(node.start_time_ms())).field("issue_date_in_millis", node.start_time_ms());
  w.field("max_nodes", 1000).field("issued_to", node.options().cluster_name).field("issuer", "sift");
  w.field("start_date_in_millis", -1);
  w.end_object().end_object();
  return json_response(200, w);
}

RestResponse cat_health(cluster::Node& node, RestRequest& req) {
  cluster::IndicesOptions opts;
  opts.expand_hidden = true;
  auto names = node.resolve("_all", opts);
  Health h = compute_health(node, names.is_ok() ? *names : std::vector<std::string>{}, false);
  bool ts = req.param("ts") != "false";
  std::vector<CatColumn> cols;
  if (ts) {
    cols.push_back({"epoch", true, true, "t,time", "seconds since 1970-01-01 00:00:00"});
    cols.push_back({"timestamp", true, false, "ts,hms,hhmmss", "time in HH:MM:SS"});
  }
  for (CatColumn c : std::vector<CatColumn>{
           {"cluster", true, false, "cl", "cluster name"},
           {"status", true, false, "st", "health status"},
           {"node.total", true, true, "nt,nodeTotal", "total number of nodes"},
           {"node.data", true, true, "nd,nodeData", "number of nodes that can store data"},
           {"discovered_cluster_manager", true, false, "dcm", "cluster manager is discovered or not"},
           {"shards", true, true, "t,sh,shards.total,shardsTotal", "total number of shards"},
           {"pri", true, true, "p,shards.primary,shardsPrimary", "number of primary shards"},
           {"relo", true, true, "r,shards.relocating,shardsRelocating", "number of relocating nodes"},
           {"init", true, true, "i,shards.initializing,shardsInitializing", "number of initializing nodes"},
           {"unassign", true, true, "u,shards.unassigned,shardsUnassigned", "number of unassigned shards"},
           {"pending_tasks", true, true, "pt,pendingTasks", "number of pending tasks"},
           {"max_task_wait_time", true, false, "mtwt,maxTaskWaitTime", "wait time of longest task pending"},
           {"active_shards_percent", true, false, "asp,activeShardsPercent", "active number of shards in percent"}}) {
    cols.push_back(c);
  }
  CatTable t(cols);
  int64_t now = now_millis();
  int total = h.active + h.unassigned;
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.1f%%", total == 0 ? 100.0 : 100.0 * h.active / total);
  std::vector<std::string> row;
  if (ts) {
    row.push_back(std::to_string(now / 1000));
    row.push_back(format_iso8601_millis(now).substr(11, 8));
  }
  for (std::string v : {node.options().cluster_name, h.status, std::string("1"), std::string("1"), std::string("true"),
                        std::to_string(h.active), std::to_string(h.active_primary), std::string("0"), std::string("0"),
                        std::to_string(h.unassigned), std::string("0"), std::string("-"), std::string(pct)}) {
    row.push_back(v);
  }
  t.add_row(row);
  return t.render(req);
}

RestResponse cat_indices(cluster::Node& node, RestRequest& req) {
  cluster::IndicesOptions defaults;
  defaults.expand_closed = true;  // _cat/indices lists closed indices too
  defaults.ignore_unavailable = false;
  auto names = resolve_indices(node, req, defaults);
  if (!names.is_ok()) return error_response(names.status());
  std::string health_filter = req.param("health");
  if (!health_filter.empty() && health_filter != "green" && health_filter != "yellow" && health_filter != "red") {
    return error_response(invalid_argument("unknown health status [" + health_filter + "]"));
  }
  CatTable t({{"health", true, false, "h", "current health status"},
              {"status", true, false, "s", "open/close status"},
              {"index", true, false, "i,idx", "index name"},
              {"uuid", true, false, "id,uuid", "index uuid"},
              {"pri", true, true, "p,shards.primary,shardsPrimary", "number of primary shards"},
              {"rep", true, true, "r,shards.replica,shardsReplica", "number of replica shards"},
              {"docs.count", true, true, "dc,docsCount", "available docs"},
              {"docs.deleted", true, true, "dd,docsDeleted", "deleted docs"},
              {"store.size", true, true, "ss,storeSize", "store size of primaries & replicas"},
              {"pri.store.size", true, true, "", "store size of primaries"},
              {"creation.date", false, true, "cd", "index creation date (millisecond value)"},
              {"creation.date.string", false, false, "cds", "index creation date (as string)"}});
  std::string bytes_unit = req.param("bytes");
  auto state = node.state();
  for (const auto& n : *names) {
    auto svc = node.index(n);
    auto meta_it = state->indices.find(n);
    if (!svc && meta_it != state->indices.end() && meta_it->second->closed) {
      const auto& meta = *meta_it->second;
      std::string health = effective_replicas(meta) > 0 ? "yellow" : "green";
      if (!health_filter.empty() && health != health_filter) continue;
      t.add_row({health, "close", n, meta.uuid, std::to_string(meta.number_of_shards),
                 std::to_string(meta.number_of_replicas), "", "", "", "", std::to_string(meta.creation_date),
                 format_iso8601_millis(meta.creation_date)});
      continue;
    }
    if (!svc) continue;
    auto meta = svc->metadata();
    uint64_t docs = 0, deleted = 0, store = 0;
    for (int s = 0; s < svc->num_shards(); ++s) {
      auto snap = svc->shard(s).snapshot();
      docs += snap->num_docs;
      deleted += snap->num_deleted;
      for (const auto& seg : snap->segments) store += seg.reader->size_bytes();
    }
    std::string health = svc->failed() ? "red" : effective_replicas(*meta) > 0 ? "yellow" : "green";
    if (!health_filter.empty() && health != health_filter) continue;
    t.add_row({health, meta->closed ? "close" : "open", n, meta->uuid, std::to_string(meta->number_of_shards),
               std::to_string(meta->number_of_replicas), std::to_string(docs), std::to_string(deleted),
               cat_bytes(store, bytes_unit), cat_bytes(store, bytes_unit), std::to_string(meta->creation_date),
               format_iso8601_millis(meta->creation_date)});
  }
  return t.render(req);
}

RestResponse cat_aliases(cluster::Node& node, RestRequest& req) {
  CatTable t({{"alias", true, false, "a", "alias name"},
              {"index", true, false, "i,idx", "index alias points to"},
              {"filter", true, false, "f,fi", "filter"},
              {"routing.index", true, false, "ri,routingIndex", "index routing"},
              {"routing.search", true, false, "rs,routingSearch", "search routing"},
              {"is_write_index", true, false, "w,isWriteIndex", "write index"}});
  std::vector<std::string> filters = split_csv(req.param("name"));
  auto state = node.state();
  for (const auto& [index, meta] : state->indices) {
    for (const auto& [alias, a] : meta->aliases) {
      bool show = filters.empty();
      for (const auto& f : filters) show |= f == alias || f == "_all" || cluster::wildcard_match(f, alias);
      if (!show) continue;
      t.add_row({alias, index, a.filter_json.empty() ? "-" : "*", a.index_routing.empty() ? "-" : a.index_routing,
                 a.search_routing.empty() ? "-" : a.search_routing,
                 a.is_write_index ? (*a.is_write_index ? "true" : "false") : "-"});
    }
  }
  return t.render(req);
}

RestResponse get_cluster_settings(cluster::Node& node, RestRequest& req) {
  auto state = node.state();
  bool flat = req.param("flat_settings") == "true";
  JsonWriter w;
  w.begin_object();
  w.field_raw("persistent", cluster::settings_to_json(state->persistent_settings, flat));
  w.field_raw("transient", cluster::settings_to_json(state->transient_settings, flat));
  if (req.param("include_defaults") == "true") w.key("defaults").begin_object().end_object();
  w.end_object();
  return json_response(200, w);
}

RestResponse put_cluster_settings(cluster::Node& node, RestRequest& req) {
  auto members = json_members(req.body);
  if (!members.is_ok()) return error_response(members.status());
  cluster::Settings persistent, transient;
  for (const auto& [k, v] : *members) {
    if (k != "persistent" && k != "transient") {
      return error_response(Status(Code::kInvalidArgument, "illegal_argument_exception", "request body contains unknown key [" + k + "]"));
    }
    auto s = cluster::parse_settings(v, false);
    if (!s.is_ok()) return error_response(s.status());
    (k == "persistent" ? persistent : transient) = std::move(s).value();
  }
  Status st = node.put_cluster_settings(persistent, transient);
  if (!st.is_ok()) return error_response(st);
  JsonWriter w;
  auto strip = [](const cluster::Settings& s) {
    cluster::Settings out;
    for (const auto& [k, v] : s) {
      if (v != "\x01null") out[k] = v;
    }
    return out;
  };
  w.begin_object().field("acknowledged", true);
  w.field_raw("persistent", cluster::settings_to_json(strip(persistent), false));
  w.field_raw("transient", cluster::settings_to_json(strip(transient), false));
  w.end_object();
  return json_response(200, w);
}

}  // namespace

void register_cluster_handlers(Router& router, cluster::Node& node, const ServerInfo& info) {
  router.add(Method::kGet, "/", [&node, info](RestRequest&) { return root_info(node, info); });
  router.add(Method::kHead, "/", [&node, info](RestRequest&) { return root_info(node, info); });
  router.add(Method::kGet, "/_license", [&node](RestRequest&) { return license(node); });
  for (const char* p : {"/_nodes", "/_nodes/{node_id}", "/_nodes/{node_id}/{metric}"}) {
    router.add(Method::kGet, p, [&node, info](RestRequest& r) { return nodes_info(node, info, r); });
  }
  router.add(Method::kGet, "/_cluster/health", [&node](RestRequest& r) { return cluster_health(node, r); });
  router.add(Method::kGet, "/_cluster/health/{index}", [&node](RestRequest& r) { return cluster_health(node, r); });
  router.add(Method::kGet, "/_cluster/settings", [&node](RestRequest& r) { return get_cluster_settings(node, r); });
  router.add(Method::kPut, "/_cluster/settings", [&node](RestRequest& r) { return put_cluster_settings(node, r); });
  router.add(Method::kGet, "/_cat/health", [&node](RestRequest& r) { return cat_health(node, r); });
  router.add(Method::kGet, "/_cat/indices", [&node](RestRequest& r) { return cat_indices(node, r); });
  router.add(Method::kGet, "/_cat/aliases", [&node](RestRequest& r) { return cat_aliases(node, r); });
  router.add(Method::kGet, "/_cat/aliases/{name}", [&node](RestRequest& r) { return cat_aliases(node, r); });
  router.add(Method::kGet, "/_cat/indices/{index}", [&node](RestRequest& r) { return cat_indices(node, r); });
}

}  // namespace sift::http
