// Index management: create, delete, exists, get, _mapping, _settings, aliases, _refresh, _flush,
// _forcemerge.
#include <set>

#include "cluster/index_names.h"
#include "http/handlers.h"
#include "http/rest_util.h"

namespace sift::http {
namespace {

using cluster::IndicesOptions;

IndicesOptions strict_options() { return IndicesOptions{}; }

RestResponse create_index(cluster::Node& node, RestRequest& req) {
  cluster::CreateIndexRequest c;
  c.name = req.param("index");
  auto members = json_members(req.body);
  if (!members.is_ok()) return error_response(members.status());
  for (auto& [k, v] : *members) {
    if (k == "settings") c.settings_json = v;
    else if (k == "mappings") c.mappings_json = v;
    else if (k == "aliases") c.aliases_json = v;
    else return error_response(Status(Code::kParseError, "parse_exception", "unknown key [" + k + "] for create index"));
  }
  auto r = node.create_index(c);
  if (!r.is_ok()) return error_response(r.status());
  return acknowledged(true, c.name);
}

RestResponse delete_index(cluster::Node& node, RestRequest& req) {
  IndicesOptions o = strict_options();
  o.allow_no_indices = true;
  auto names = resolve_indices(node, req, o);
  if (!names.is_ok()) return error_response(names.status());
  // Deleting through an alias is not allowed, as in OpenSearch.
  for (const auto& part : split_csv(req.param("index"))) {
    if (part.find('*') == std::string::npos && part[0] != '-' && part != "_all" && !node.index(part)) {
      auto state = node.state();
      for (const auto& [n, m] : state->indices) {
        if (m->aliases.count(part)) {
          return error_response(invalid_argument("The provided expression [" + part +
                                                 "] matches an alias, specify the corresponding concrete indices instead."));
        }
      }
    }
  }
  Status st = node.delete_indices(*names);
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse index_exists(cluster::Node& node, RestRequest& req) {
  IndicesOptions o = strict_options();
  o.allow_no_indices = false;
  auto names = resolve_indices(node, req, o);
  RestResponse r;
  r.status = names.is_ok() && !names->empty() ? 200 : 404;
  return r;
}

void write_settings_of(JsonWriter& w, const cluster::IndexMetadata& meta, const RestRequest& req,
                       const std::string& name_filter) {
  bool flat = req.param("flat_settings") == "true";
  cluster::Settings shown;
  std::vector<std::string> filters = split_csv(name_filter);
  for (const auto& [k, v] : meta.settings) {
    if (filters.empty()) {
      shown[k] = v;
      continue;
    }
    for (const auto& f : filters) {
      if (f == "_all" || cluster::wildcard_match(f, k) || cluster::wildcard_match("index." + f, k)) shown[k] = v;
    }
  }
  w.field_raw("settings", cluster::settings_to_json(shown, flat));
  if (req.param("include_defaults") == "true") {
    cluster::Settings defaults;
    if (!meta.settings.count("index.refresh_interval")) defaults["index.refresh_interval"] = "1s";
    if (!meta.settings.count("index.max_result_window")) defaults["index.max_result_window"] = "10000";
    w.field_raw("defaults", cluster::settings_to_json(defaults, flat));
  }
}

void write_aliases_of(JsonWriter& w, const cluster::IndexMetadata& meta, const std::vector<std::string>& filters) {
  w.key("aliases").begin_object();
  for (const auto& [a, am] : meta.aliases) {
    bool show = filters.empty();
    for (const auto& f : filters) show |= f == "_all" || f == "*" || cluster::wildcard_match(f, a);
    if (show) w.field_raw(a, cluster::alias_to_json(am));
  }
  w.end_object();
}

RestResponse get_index(cluster::Node& node, RestRequest& req) {
  auto names = resolve_indices(node, req, strict_options());
  if (!names.is_ok()) return error_response(names.status());
  auto state = node.state();
  JsonWriter w;
  w.begin_object();
  for (const auto& n : *names) {
    auto it = state->indices.find(n);
    if (it == state->indices.end()) continue;
    w.key(n).begin_object();
    write_aliases_of(w, *it->second, {});
    w.field_raw("mappings", index::mapping_to_json(*it->second->mapping));
    write_settings_of(w, *it->second, req, "");
    w.end_object();
  }
  w.end_object();
  return json_response(200, w);
}

RestResponse get_mapping(cluster::Node& node, RestRequest& req) {
  IndicesOptions o = strict_options();
  auto names = resolve_indices(node, req, o);
  if (!names.is_ok()) return error_response(names.status());
  auto state = node.state();
  JsonWriter w;
  w.begin_object();
  for (const auto& n : *names) {
    auto it = state->indices.find(n);
    if (it == state->indices.end()) continue;
    w.key(n).begin_object().field_raw("mappings", index::mapping_to_json(*it->second->mapping)).end_object();
  }
  w.end_object();
  return json_response(200, w);
}

RestResponse put_mapping(cluster::Node& node, RestRequest& req) {
  auto names = resolve_indices(node, req, strict_options());
  if (!names.is_ok()) return error_response(names.status());
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: mapping source is empty;"));
  }
  Status st = node.put_mapping(*names, req.body);
  if (!st.is_ok() && st.reason().rfind("The mapping definition cannot be nested under a type", 0) == 0) {
    st = invalid_argument("Types cannot be provided in put mapping requests");
  }
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse get_settings(cluster::Node& node, RestRequest& req) {
  auto names = resolve_indices(node, req, strict_options());
  if (!names.is_ok()) return error_response(names.status());
  auto state = node.state();
  JsonWriter w;
  w.begin_object();
  for (const auto& n : *names) {
    auto it = state->indices.find(n);
    if (it == state->indices.end()) continue;
    w.key(n).begin_object();
    write_settings_of(w, *it->second, req, req.param("name"));
    w.end_object();
  }
  w.end_object();
  return json_response(200, w);
}

RestResponse put_settings(cluster::Node& node, RestRequest& req) {
  auto names = resolve_indices(node, req, strict_options());
  if (!names.is_ok()) return error_response(names.status());
  std::string body = req.body;
  auto members = json_members(body);
  if (!members.is_ok()) return error_response(members.status());
  if (members->empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: no settings to update;"));
  }
  if (members->size() == 1 && (*members)[0].first == "settings") body = (*members)[0].second;
  Status st = node.update_settings(*names, body, req.param("preserve_existing") == "true");
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse update_aliases(cluster::Node& node, RestRequest& req) {
  auto actions = cluster::parse_alias_actions(req.body);
  if (!actions.is_ok()) return error_response(actions.status());
  Status st = node.update_aliases(*actions);
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse put_alias(cluster::Node& node, RestRequest& req) {
  cluster::AliasAction a;
  a.type = cluster::AliasAction::Type::kAdd;
  a.indices = split_csv(req.param("index"));
  a.aliases = split_csv(req.param("name"));
  auto body = cluster::parse_alias_body(req.body, &a.indices, &a.aliases);
  if (!body.is_ok()) return error_response(body.status());
  if (a.indices.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: index is missing;"));
  }
  if (a.aliases.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: name is missing;"));
  }
  a.alias = *body;
  Status st = node.update_aliases({a});
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse delete_alias(cluster::Node& node, RestRequest& req) {
  cluster::AliasAction a;
  a.type = cluster::AliasAction::Type::kRemove;
  a.indices = split_csv(req.param("index"));
  a.aliases = split_csv(req.param("name"));
  Status st = node.update_aliases({a});
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse get_alias(cluster::Node& node, RestRequest& req, bool head) {
  IndicesOptions o = strict_options();
  o.expand_hidden = true;
  auto names = resolve_indices(node, req, o);
  if (!names.is_ok()) return error_response(names.status());
  std::vector<std::string> filters = split_csv(req.param("name"));
  auto state = node.state();
  std::set<std::string> found_aliases;
  JsonWriter w;
  w.begin_object();
  for (const auto& n : *names) {
    auto it = state->indices.find(n);
    if (it == state->indices.end()) continue;
    bool any = false;
    for (const auto& [a, am] : it->second->aliases) {
      for (const auto& f : filters) {
        if (f == "_all" || f == "*" || cluster::wildcard_match(f, a)) {
          any = true;
          found_aliases.insert(a);
        }
      }
    }
    if (!filters.empty() && !any) continue;
    w.key(n).begin_object();
    write_aliases_of(w, *it->second, filters);
    w.end_object();
  }
  w.end_object();
  std::vector<std::string> missing;
  for (const auto& f : filters) {
    if (f.find('*') == std::string::npos && f != "_all" && !found_aliases.count(f)) missing.push_back(f);
  }
  if (head) {
    RestResponse r;
    r.status = missing.empty() && (filters.empty() || !found_aliases.empty()) ? 200 : 404;
    return r;
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ",") + m;
    // OpenSearch answers a partial result with the error beside it.
    std::string body = w.take();
    JsonWriter e;
    e.begin_object().field("error", "alias [" + list + "] missing").field("status", 404).end_object();
    if (body == "{}") return RestResponse::json(404, e.take());
    std::string merged = "{\"error\":\"alias [" + list + "] missing\",\"status\":404," + body.substr(1);
    return RestResponse::json(404, merged);
  }
  return RestResponse::json(200, w.take());
}

enum class Maintenance { kRefresh, kFlush, kForceMerge };

RestResponse maintenance(cluster::Node& node, RestRequest& req, Maintenance what) {
  IndicesOptions o = strict_options();
  auto names = resolve_indices(node, req, o);
  if (!names.is_ok()) return error_response(names.status());
  int max_segments = 0;
  if (what == Maintenance::kForceMerge) {
    auto m = req.param_int("max_num_segments", 1);
    if (!m.is_ok()) return error_response(m.status());
    max_segments = static_cast<int>(std::max<int64_t>(1, *m));
  }
  int total = 0, ok = 0, failed = 0;
  for (const auto& n : *names) {
    auto svc = node.index(n);
    if (!svc) continue;
    auto meta = svc->metadata();
    total += meta->number_of_shards * shard_copies(*meta);
    Status st = what == Maintenance::kRefresh ? svc->refresh()
                : what == Maintenance::kFlush ? svc->flush()
                                              : svc->force_merge(max_segments);
    if (st.is_ok()) ok += meta->number_of_shards;
    else failed += meta->number_of_shards;
  }
  JsonWriter w;
  w.begin_object();
  write_shards_header(w, total, ok, failed);
  w.end_object();
  return json_response(200, w);
}

RestResponse close_or_open(cluster::Node& node, RestRequest& req, bool close) {
  IndicesOptions o = strict_options();
  o.expand_open = close;
  o.expand_closed = !close;
  auto names = resolve_indices(node, req, indices_options(req, o));
  if (!names.is_ok()) return error_response(names.status());
  Status st = close ? node.close_indices(*names) : node.open_indices(*names);
  if (!st.is_ok()) return error_response(st);
  JsonWriter w;
  w.begin_object().field("acknowledged", true).field("shards_acknowledged", true);
  if (close) {
    w.key("indices").begin_object();
    for (const auto& n : *names) w.key(n).begin_object().field("closed", true).end_object();
    w.end_object();
  }
  w.end_object();
  return json_response(200, w);
}

}  // namespace

void register_index_handlers(Router& router, cluster::Node& node) {
  router.add(Method::kPut, "/{index}", [&node](RestRequest& r) { return create_index(node, r); });
  router.add(Method::kDelete, "/{index}", [&node](RestRequest& r) { return delete_index(node, r); });
  router.add(Method::kHead, "/{index}", [&node](RestRequest& r) { return index_exists(node, r); });
  router.add(Method::kGet, "/{index}", [&node](RestRequest& r) { return get_index(node, r); });
  for (const char* p : {"/_mapping", "/{index}/_mapping"}) {
    router.add(Method::kGet, p, [&node](RestRequest& r) { return get_mapping(node, r); });
  }
  for (Method m : {Method::kPut, Method::kPost}) {
    router.add(m, "/{index}/_mapping", [&node](RestRequest& r) { return put_mapping(node, r); });
  }
  for (const char* p : {"/_settings", "/{index}/_settings", "/{index}/_settings/{name}", "/_settings/{name}"}) {
    router.add(Method::kGet, p, [&node](RestRequest& r) { return get_settings(node, r); });
  }
  for (const char* p : {"/_settings", "/{index}/_settings"}) {
    router.add(Method::kPut, p, [&node](RestRequest& r) { return put_settings(node, r); });
  }
  router.add(Method::kPost, "/_aliases", [&node](RestRequest& r) { return update_aliases(node, r); });
  for (const char* p : {"/{index}/_alias", "/{index}/_aliases", "/_alias", "/_alias/{name}"}) {
    router.add(Method::kPut, p, [&node](RestRequest& r) { return put_alias(node, r); });
    router.add(Method::kPost, p, [&node](RestRequest& r) { return put_alias(node, r); });
  }
  for (const char* p : {"/{index}/_alias/{name}", "/{index}/_aliases/{name}"}) {
    router.add(Method::kPut, p, [&node](RestRequest& r) { return put_alias(node, r); });
    router.add(Method::kPost, p, [&node](RestRequest& r) { return put_alias(node, r); });
    router.add(Method::kDelete, p, [&node](RestRequest& r) { return delete_alias(node, r); });
  }
  for (const char* p : {"/_alias", "/_alias/{name}", "/{index}/_alias", "/{index}/_alias/{name}", "/_aliases",
                        "/{index}/_aliases", "/_aliases/{name}", "/{index}/_aliases/{name}"}) {
    router.add(Method::kGet, p, [&node](RestRequest& r) { return get_alias(node, r, false); });
    router.add(Method::kHead, p, [&node](RestRequest& r) { return get_alias(node, r, true); });
  }
  for (Method m : {Method::kPost, Method::kGet}) {
    router.add(m, "/_refresh", [&node](RestRequest& r) { return maintenance(node, r, Maintenance::kRefresh); });
    router.add(m, "/{index}/_refresh", [&node](RestRequest& r) { return maintenance(node, r, Maintenance::kRefresh); });
    router.add(m, "/_flush", [&node](RestRequest& r) { return maintenance(node, r, Maintenance::kFlush); });
    router.add(m, "/{index}/_flush", [&node](RestRequest& r) { return maintenance(node, r, Maintenance::kFlush); });
  }
  router.add(Method::kPost, "/{index}/_close", [&node](RestRequest& r) { return close_or_open(node, r, true); });
  router.add(Method::kPost, "/{index}/_open", [&node](RestRequest& r) { return close_or_open(node, r, false); });
  router.add(Method::kPost, "/_forcemerge", [&node](RestRequest& r) { return maintenance(node, r, Maintenance::kForceMerge); });
  router.add(Method::kPost, "/{index}/_forcemerge",
             [&node](RestRequest& r) { return maintenance(node, r, Maintenance::kForceMerge); });
}

}  // namespace sift::http
