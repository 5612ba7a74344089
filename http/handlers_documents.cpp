// Single-document APIs: index (PUT/POST _doc, _create, legacy /{index}/{type}), get/head, _source,
// delete, _update, _mget.
#include <rapidjson/document.h>

#include <algorithm>

#include "cluster/json_merge.h"
#include "cluster/source_filter.h"
#include "http/doc_render.h"
#include "http/handlers.h"
#include "http/rest_util.h"
#include "query/search_request.h"

namespace sift::http {
namespace {

Status require_alias_error(const std::string& name) {
  return Status(Code::kNotFound, "index_not_found_exception",
                "no such index [" + name + "] and [require_alias] request flag is [true] and [" + name +
                    "] is not an alias")
      .with_index(name);
}

Status missing_body() {
  return Status(Code::kInvalidArgument, "action_request_validation_exception", "Validation Failed: 1: source is missing;");
}

// Applies one write, makes it durable (translog sync) and visible as `?refresh` asks, and renders
// the result; nothing is acknowledged before the sync.
RestResponse write_and_answer(cluster::IndexService& svc, const cluster::DocWriteRequest& w, RefreshPolicy refresh) {
  auto r = svc.write(w);
  if (!r.is_ok()) return error_response(Status(r.status()).with_index(svc.name()));
  Status st = svc.sync(*r);
  if (!st.is_ok()) return error_response(st);
  st = apply_refresh(svc, r->shard, r->result.seq_no, refresh);
  if (!st.is_ok()) return error_response(st);
  JsonWriter out;
  out.begin_object();
  write_doc_result_fields(out, *r, *svc.metadata(), refresh == RefreshPolicy::kImmediate);
  out.end_object();
  RestResponse resp = json_response(outcome_status(*r), out);
  if (r->result.outcome == index::WriteResult::Outcome::kCreated) {
    resp.headers.emplace_back("Location", "/" + r->index + "/_doc/" + r->id);
  }
  return resp;
}

RestResponse index_doc(cluster::Node& node, RestRequest& req, index::WriteOp::Kind kind) {
  auto refresh = refresh_policy(req);
  if (!refresh.is_ok()) return error_response(refresh.status());
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return error_response(missing_body());
  cluster::DocWriteRequest w;
  w.kind = kind;
  w.id = req.param("id");
  w.source = req.body;
  Status st = apply_write_params(req, &w);
  if (!st.is_ok()) return error_response(st);
  if (kind == index::WriteOp::Kind::kCreate && req.param("op_type") == "index") {
    return error_response(invalid_argument("opType must be 'create', found: [index]"));
  }
  if (req.param("require_alias") == "true" && !node.is_alias(req.param("index"))) {
    return error_response(require_alias_error(req.param("index")));
  }
  auto svc = node.write_target(req.param("index"), true);
  if (!svc.is_ok()) return error_response(svc.status());
  if (!w.routing.empty() && !(*svc)->metadata()->aliases.empty()) {
    // Routing from an alias is applied when writing through it.
  } else if (auto alias = node.alias_of(req.param("index"), (*svc)->name()); alias && !alias->index_routing.empty()) {
    w.routing = alias->index_routing;
  }
  RestResponse resp = write_and_answer(**svc, w, *refresh);
  return resp;
}

RestResponse legacy_type_write(cluster::Node& node, RestRequest& req) {
  std::string type = req.param("type");
  if (!type.empty() && type[0] == '_' && type != "_doc") {
    return RestResponse::json(400, "{\"error\":\"no handler found for uri [" + req.path + "] and method [" +
                                       method_name(req.method) + "]\",\"status\":400}");
  }
  return index_doc(node, req, index::WriteOp::Kind::kIndex);
}

// Looks a document up for GET: real-time by default, or from the last refreshed snapshot.
Result<std::optional<index::StoredDocument>> find_doc(cluster::IndexService& svc, const std::string& id,
                                                      const std::string& routing, bool realtime) {
  if (realtime) return svc.get(id, routing);
  auto snap = svc.shard(svc.shard_for(id, routing)).snapshot();
  for (auto it = snap->segments.rbegin(); it != snap->segments.rend(); ++it) {
    auto doc = it->reader->find_id(id);
    if (!doc || (it->live && it->live->is_deleted(*doc))) continue;
    index::StoredDocument d;
    SIFT_RETURN_IF_ERROR(it->reader->stored(*doc, &d));
    return std::optional<index::StoredDocument>(std::move(d));
  }
  return std::optional<index::StoredDocument>();
}

query::SourceFilter source_filter_of(const RestRequest& req) {
  query::SourceFilter f;
  query::apply_source_params(req.param("_source"), req.param("_source_includes", req.param("_source_include")),
                             req.param("_source_excludes", req.param("_source_exclude")), &f);
  return f;
}

void write_found(JsonWriter& w, cluster::IndexService& svc, const std::string& id,
                 const std::optional<index::StoredDocument>& doc, const query::SourceFilter& source,
                 const std::vector<std::string>* stored_fields);

RestResponse get_doc(cluster::Node& node, RestRequest& req, bool head, bool source_only) {
  std::string type = req.param("type");
  if (!type.empty() && type[0] == '_' && type != "_doc") {
    return RestResponse::json(400, "{\"error\":\"no handler found for uri [" + req.path + "] and method [" +
                                       method_name(req.method) + "]\",\"status\":400}");
  }
  cluster::IndicesOptions o;
  auto names = node.resolve(req.param("index"), o);
  if (!names.is_ok()) {
    if (head) return RestResponse{404, "application/json; charset=UTF-8", "", {}};
    return error_response(names.status());
  }
  if (names->size() != 1) {
    return error_response(invalid_argument("alias [" + req.param("index") +
                                           "] has more than one index associated with it, can't execute a single index op"));
  }
  auto svc = node.index((*names)[0]);
  if (!svc && !node.check_not_closed((*names)[0]).is_ok()) return error_response(node.check_not_closed((*names)[0]));
  if (!svc) return error_response(Status(Code::kNotFound, "index_not_found_exception", "no such index [" + req.param("index") + "]").with_index(req.param("index")));
  if (req.param("refresh") == "true") (void)svc->refresh();
  bool realtime = req.param("realtime") != "false";
  std::string id = req.param("id");
  auto doc = find_doc(*svc, id, req.param("routing"), realtime);
  if (!doc.is_ok()) return error_response(doc.status());
  if (*doc && req.has_param("version")) {
    auto v = req.param_int("version", 0);
    if (v.is_ok() && *v != (*doc)->meta.version) {
      return error_response(Status(Code::kVersionConflict, "version_conflict_engine_exception",
                                   "[" + id + "]: version conflict, current version [" +
                                       std::to_string((*doc)->meta.version) + "] is different than the one provided [" +
                                       std::to_string(*v) + "]").with_index(svc->name()));
    }
  }
  if (head) return RestResponse{*doc ? 200 : 404, "application/json; charset=UTF-8", "", {}};
  query::SourceFilter f = source_filter_of(req);
  if (source_only) {
    if (!*doc) {
      return error_response(Status(Code::kNotFound, "resource_not_found_exception",
                                   "Document not found [" + svc->name() + "]/[_doc]/[" + id + "]"));
    }
    auto filtered = cluster::filter_source((*doc)->source, f.includes, f.excludes);
    if (!filtered.is_ok()) return error_response(filtered.status());
    return RestResponse::json(200, *filtered);
  }
  JsonWriter w;
  std::vector<std::string> stored = split_csv(req.param("stored_fields"));
  // With stored_fields, _source comes back only when asked for explicitly.
  if (req.has_param("_source") || req.has_param("_source_includes") || req.has_param("_source_excludes")) {
    stored.push_back("_source");
  }
  write_found(w, *svc, id, *doc, f, req.has_param("stored_fields") ? &stored : nullptr);
  return json_response(*doc ? 200 : 404, w);
}

RestResponse delete_doc(cluster::Node& node, RestRequest& req) {
  auto refresh = refresh_policy(req);
  if (!refresh.is_ok()) return error_response(refresh.status());
  cluster::DocWriteRequest w;
  w.kind = index::WriteOp::Kind::kDelete;
  w.id = req.param("id");
  Status st = apply_write_params(req, &w);
  if (!st.is_ok()) return error_response(st);
  // A delete creates the index only with external versioning, as in OpenSearch.
  auto svc = node.write_target(req.param("index"), w.version_type != index::VersionType::kInternal);
  if (!svc.is_ok()) return error_response(svc.status());
  return write_and_answer(**svc, w, *refresh);
}

RestResponse update_doc(cluster::Node& node, RestRequest& req) {
  auto refresh = refresh_policy(req);
  if (!refresh.is_ok()) return error_response(refresh.status());
  cluster::UpdateRequest u;
  u.id = req.param("id");
  u.routing = req.param("routing");
  query::SourceFilter source;
  source.fetch = false;  // the answer shows the new source only when asked
  Status parsed = parse_update_body(req.body, &u, &source);
  if (!parsed.is_ok()) return error_response(parsed);
  if (req.has_param("_source") || req.has_param("_source_includes") || req.has_param("_source_excludes")) {
    source = query::SourceFilter{};
    query::apply_source_params(req.param("_source"), req.param("_source_includes"), req.param("_source_excludes"),
                               &source);
  }
  auto retry = req.param_int("retry_on_conflict", 0);
  if (!retry.is_ok()) return error_response(retry.status());
  u.retry_on_conflict = static_cast<int>(*retry);
  cluster::DocWriteRequest params;
  Status st = apply_write_params(req, &params);
  if (!st.is_ok()) return error_response(st);
  u.if_seq_no = params.if_seq_no;
  u.if_primary_term = params.if_primary_term;
  if (!params.routing.empty()) u.routing = params.routing;
  if (req.param("require_alias") == "true" && !node.is_alias(req.param("index"))) {
    return error_response(require_alias_error(req.param("index")));
  }
  auto svc = node.write_target(req.param("index"), true);
  if (!svc.is_ok()) return error_response(svc.status());
  auto r = (*svc)->update(u);
  if (!r.is_ok()) return error_response(r.status());
  st = (*svc)->sync(*r);
  if (!st.is_ok()) return error_response(st);
  if (!r->noop) {
    st = apply_refresh(**svc, r->shard, r->result.seq_no, *refresh);
    if (!st.is_ok()) return error_response(st);
  }
  JsonWriter out;
  out.begin_object();
  write_doc_result_fields(out, *r, *(*svc)->metadata(), *refresh == RefreshPolicy::kImmediate && !r->noop);
  if (source.fetch) write_update_get(out, *r, source);
  out.end_object();
  return json_response(outcome_status(*r), out);
}

struct MgetItem {
  std::string index, id, routing;
  query::SourceFilter source;
  std::vector<std::string> stored_fields;
  bool has_stored_fields = false;
};

Status mget_error(std::string reason) {
  return Status(Code::kParseError, "parsing_exception", std::move(reason));
}

std::vector<std::string> string_list(const rapidjson::Value& v) {
  std::vector<std::string> out;
  if (v.IsString()) {
    for (auto& s : split_csv(v.GetString())) out.push_back(s);
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) {
      if (e.IsString()) out.emplace_back(e.GetString());
    }
  }
  return out;
}

Result<std::vector<MgetItem>> parse_mget(const RestRequest& req, const MgetItem& defaults) {
  // Shared error texts for aliases pointing at several indices are built by the caller.
  std::vector<MgetItem> items;
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return items;
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(req.body.data(), req.body.size());
  if (d.HasParseError() || !d.IsObject()) return mget_error("request body is not a valid JSON object");
  for (auto& m : d.GetObject()) {
    std::string key = m.name.GetString();
    if (key == "ids") {
      if (!m.value.IsArray()) return mget_error("[ids] must be an array");
      for (auto& v : m.value.GetArray()) {
        MgetItem item = defaults;
        if (v.IsString()) item.id = v.GetString();
        else if (v.IsInt64()) item.id = std::to_string(v.GetInt64());
        else return mget_error("ids must be strings or numbers");
        items.push_back(std::move(item));
      }
    } else if (key == "docs") {
      if (!m.value.IsArray()) return mget_error("[docs] must be an array");
      for (auto& doc : m.value.GetArray()) {
        if (!doc.IsObject()) return mget_error("[docs] entries must be objects");
        MgetItem item = defaults;
        for (auto& f : doc.GetObject()) {
          std::string fk = f.name.GetString();
          auto text = [&]() -> std::string {
            if (f.value.IsString()) return f.value.GetString();
            if (f.value.IsInt64()) return std::to_string(f.value.GetInt64());
            return "";
          };
          if (fk == "_index") item.index = text();
          else if (fk == "_id") item.id = text();
          else if (fk == "routing") item.routing = text();
          else if (fk == "stored_fields") {
            item.stored_fields = string_list(f.value);
            item.has_stored_fields = true;
          } else if (fk == "_source") {
            item.source = query::SourceFilter{};
            if (f.value.IsBool()) {
              item.source.fetch = f.value.GetBool();
            } else if (f.value.IsString() || f.value.IsArray()) {
              item.source.includes = string_list(f.value);
            } else if (f.value.IsObject()) {
              for (auto& p : f.value.GetObject()) {
                std::string pk = p.name.GetString();
                if (pk == "includes" || pk == "include") item.source.includes = string_list(p.value);
                else if (pk == "excludes" || pk == "exclude") item.source.excludes = string_list(p.value);
              }
            }
          } else {
            return mget_error("[docs] unknown field [" + fk + "]");
          }
        }
        items.push_back(std::move(item));
      }
    } else {
      return mget_error("unknown key [" + key + "] for a START_ARRAY, expected [docs] or [ids].");
    }
  }
  return items;
}

// Writes a found/missing get result, with `fields` for requested stored fields.
void write_found(JsonWriter& w, cluster::IndexService& svc, const std::string& id,
                 const std::optional<index::StoredDocument>& doc, const query::SourceFilter& source,
                 const std::vector<std::string>* stored_fields) {
  w.begin_object();
  w.field("_index", svc.name()).field("_id", id);
  if (!doc) {
    w.field("found", false).end_object();
    return;
  }
  w.field("_version", doc->meta.version).field("_seq_no", doc->meta.seq_no).field("_primary_term", doc->meta.primary_term);
  if (!doc->meta.routing.empty()) w.field("_routing", doc->meta.routing);
  w.field("found", true);
  bool fetch_source = source.fetch;
  if (stored_fields != nullptr) {
    fetch_source = false;
    auto meta = svc.metadata();
    bool any = false;
    for (const auto& f : *stored_fields) {
      if (f == "_source") {
        fetch_source = true;
        continue;
      }
      const auto* rf = meta->mapping->find(f);
      if (rf == nullptr || rf->mapping == nullptr || !rf->mapping->store.value_or(false)) continue;
      auto values = cluster::extract_values(doc->source, f);
      if (values.empty()) continue;
      if (!any) w.key("fields").begin_object();
      any = true;
      w.key(f).begin_array();
      for (const auto& v : values) w.raw(v);
      w.end_array();
    }
    if (any) w.end_object();
  }
  if (fetch_source) {
    auto filtered = cluster::filter_source(doc->source, source.includes, source.excludes);
    w.field_raw("_source", filtered.is_ok() ? *filtered : doc->source);
  }
  w.end_object();
}

RestResponse mget(cluster::Node& node, RestRequest& req) {
  MgetItem defaults;
  defaults.index = req.param("index");
  defaults.routing = req.param("routing");
  defaults.source = source_filter_of(req);
  if (req.has_param("stored_fields")) {
    defaults.stored_fields = split_csv(req.param("stored_fields"));
    defaults.has_stored_fields = true;
  }
  auto items = parse_mget(req, defaults);
  if (!items.is_ok()) return error_response(items.status());
  if (items->empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: no documents to get;"));
  }
  std::string errors;
  int n = 0;
  for (size_t i = 0; i < items->size(); ++i) {
    if ((*items)[i].index.empty()) errors += std::to_string(++n) + ": index is missing for doc " + std::to_string(i) + ";";
    if ((*items)[i].id.empty()) errors += std::to_string(++n) + ": id is missing for doc " + std::to_string(i) + ";";
  }
  if (!errors.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception", "Validation Failed: " + errors));
  }
  bool realtime = req.param("realtime") != "false";
  JsonWriter w;
  w.begin_object().key("docs").begin_array();
  for (const auto& item : *items) {
    auto names = node.resolve(item.index, {});
    std::shared_ptr<cluster::IndexService> svc = names.is_ok() && names->size() == 1 ? node.index((*names)[0]) : nullptr;
    if (!svc) {
      std::string list;
      if (names.is_ok()) {
        for (const auto& n : *names) list += (list.empty() ? "" : ", ") + n;
      }
      Status err = names.is_ok() ? invalid_argument("alias [" + item.index + "] has more than one index associated with it [" +
                                                    list + "], can't execute a single index op")
                                 : names.status();
      std::string full = error_response(err).body;  // {"error":{...},"status":N}
      w.begin_object().field("_index", item.index).field("_id", item.id);
      w.field_raw("error", full.substr(9, full.rfind(",\"status\"") - 9));
      w.end_object();
      continue;
    }
    if (req.param("refresh") == "true") (void)svc->refresh();
    auto doc = find_doc(*svc, item.id, item.routing, realtime);
    if (!doc.is_ok()) {
      w.begin_object().field("_index", svc->name()).field("_id", item.id);
      w.field_raw("error", error_object_json(doc.status())).end_object();
      continue;
    }
    write_found(w, *svc, item.id, *doc, item.source, item.has_stored_fields ? &item.stored_fields : nullptr);
  }
  w.end_array().end_object();
  return json_response(200, w);
}

}  // namespace

void register_document_handlers(Router& router, cluster::Node& node) {
  using K = index::WriteOp::Kind;
  router.add(Method::kPut, "/{index}/_doc/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kIndex); }, Router::BodyKind::kDocuments);
  router.add(Method::kPost, "/{index}/_doc/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kIndex); }, Router::BodyKind::kDocuments);
  router.add(Method::kPost, "/{index}/_doc", [&node](RestRequest& r) { return index_doc(node, r, K::kIndex); }, Router::BodyKind::kDocuments);
  router.add(Method::kPut, "/{index}/_create/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kCreate); }, Router::BodyKind::kDocuments);
  router.add(Method::kPost, "/{index}/_create/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kCreate); }, Router::BodyKind::kDocuments);
  router.add(Method::kGet, "/{index}/_doc/{id}", [&node](RestRequest& r) { return get_doc(node, r, false, false); });
  router.add(Method::kHead, "/{index}/_doc/{id}", [&node](RestRequest& r) { return get_doc(node, r, true, false); });
  router.add(Method::kGet, "/{index}/_source/{id}", [&node](RestRequest& r) { return get_doc(node, r, false, true); });
  router.add(Method::kHead, "/{index}/_source/{id}", [&node](RestRequest& r) { return get_doc(node, r, true, false); });
  router.add(Method::kDelete, "/{index}/_doc/{id}", [&node](RestRequest& r) { return delete_doc(node, r); });
  router.add(Method::kPost, "/{index}/_update/{id}", [&node](RestRequest& r) { return update_doc(node, r); });
  for (Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/_mget", [&node](RestRequest& r) { return mget(node, r); });
    router.add(m, "/{index}/_mget", [&node](RestRequest& r) { return mget(node, r); });
  }
  // Legacy typed paths (rsyslog's default single-document mode sends POST /{index}/{type}).
  router.add(Method::kPost, "/{index}/{type}", [&node](RestRequest& r) { return legacy_type_write(node, r); }, Router::BodyKind::kDocuments);
  router.add(Method::kPut, "/{index}/{type}/{id}", [&node](RestRequest& r) { return legacy_type_write(node, r); }, Router::BodyKind::kDocuments);
  router.add(Method::kPost, "/{index}/{type}/{id}", [&node](RestRequest& r) { return legacy_type_write(node, r); }, Router::BodyKind::kDocuments);
  router.add(Method::kGet, "/{index}/{type}/{id}", [&node](RestRequest& r) { return get_doc(node, r, false, false); });
}

}  // namespace sift::http
