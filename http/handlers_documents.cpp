// Single-document APIs: index (PUT/POST _doc, _create, legacy /{index}/{type}), get/head, _source,
// delete, _update, _mget.
#include "cluster/json_merge.h"
#include "cluster/source_filter.h"
#include "http/doc_render.h"
#include "http/handlers.h"
#include "http/rest_util.h"
#include "query/search_request.h"

namespace sift::http {
namespace {

Status missing_body() {
  return Status(Code::kInvalidArgument, "action_request_validation_exception", "Validation Failed: 1: source is missing;");
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
  auto svc = node.write_target(req.param("index"), true);
  if (!svc.is_ok()) return error_response(svc.status());
  if (!w.routing.empty() && !(*svc)->metadata()->aliases.empty()) {
    // Routing from an alias is applied when writing through it.
  } else if (auto alias = node.alias_of(req.param("index"), (*svc)->name()); alias && !alias->index_routing.empty()) {
    w.routing = alias->index_routing;
  }
  auto r = (*svc)->write(w);
  if (!r.is_ok()) return error_response(Status(r.status()).with_index((*svc)->name()));
  st = (*svc)->sync(*r);
  if (!st.is_ok()) return error_response(st);
  st = apply_refresh(**svc, r->shard, r->result.seq_no, *refresh);
  if (!st.is_ok()) return error_response(st);
  JsonWriter out;
  out.begin_object();
  write_doc_result_fields(out, *r, *(*svc)->metadata(), *refresh == RefreshPolicy::kImmediate);
  out.end_object();
  RestResponse resp = json_response(outcome_status(*r), out);
  if (r->result.outcome == index::WriteResult::Outcome::kCreated) {
    resp.headers.emplace_back("Location", "/" + r->index + "/_doc/" + r->id);
  }
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
  if (*doc) {
    std::string filtered;
    if (f.fetch) {
      auto fs = cluster::filter_source((*doc)->source, f.includes, f.excludes);
      if (!fs.is_ok()) return error_response(fs.status());
      filtered = *fs;
    }
    write_get_result(w, svc->name(), id, &**doc, f.fetch ? &filtered : nullptr);
    return json_response(200, w);
  }
  write_get_result(w, svc->name(), id, nullptr, nullptr);
  return json_response(404, w);
}

RestResponse delete_doc(cluster::Node& node, RestRequest& req) {
  auto refresh = refresh_policy(req);
  if (!refresh.is_ok()) return error_response(refresh.status());
  cluster::DocWriteRequest w;
  w.kind = index::WriteOp::Kind::kDelete;
  w.id = req.param("id");
  Status st = apply_write_params(req, &w);
  if (!st.is_ok()) return error_response(st);
  auto svc = node.write_target(req.param("index"), true);
  if (!svc.is_ok()) return error_response(svc.status());
  auto r = (*svc)->write(w);
  if (!r.is_ok()) return error_response(Status(r.status()).with_index((*svc)->name()));
  st = (*svc)->sync(*r);
  if (!st.is_ok()) return error_response(st);
  st = apply_refresh(**svc, r->shard, r->result.seq_no, *refresh);
  if (!st.is_ok()) return error_response(st);
  JsonWriter out;
  out.begin_object();
  write_doc_result_fields(out, *r, *(*svc)->metadata(), *refresh == RefreshPolicy::kImmediate);
  out.end_object();
  return json_response(outcome_status(*r), out);
}

RestResponse update_doc(cluster::Node& node, RestRequest& req) {
  auto refresh = refresh_policy(req);
  if (!refresh.is_ok()) return error_response(refresh.status());
  auto members = json_members(req.body);
  if (!members.is_ok()) return error_response(members.status());
  cluster::UpdateRequest u;
  u.id = req.param("id");
  u.routing = req.param("routing");
  query::SourceFilter source;
  bool want_source = false;
  for (auto& [k, v] : *members) {
    if (k == "doc") u.doc = v;
    else if (k == "upsert") u.upsert = v;
    else if (k == "doc_as_upsert") u.doc_as_upsert = v == "true";
    else if (k == "detect_noop") u.detect_noop = v != "false";
    else if (k == "script" || k == "scripted_upsert") u.scripted = true;
    else if (k == "_source") {
      want_source = v != "false";
    } else {
      return error_response(Status(Code::kParseError, "x_content_parse_exception", "[UpdateRequest] unknown field [" + k + "]"));
    }
  }
  if (req.has_param("_source")) want_source = req.param("_source") != "false";
  for (const auto& doc : {u.doc, u.upsert}) {
    if (!doc.empty()) {
      Status st = cluster::check_json_object(doc, "doc");
      if (!st.is_ok()) return error_response(st);
    }
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
  if (want_source) {
    out.key("get").begin_object();
    out.field("_seq_no", r->result.seq_no).field("_primary_term", r->result.primary_term).field("found", true);
    out.field_raw("_source", r->get_source);
    out.end_object();
  }
  out.end_object();
  return json_response(outcome_status(*r), out);
}

RestResponse mget(cluster::Node& node, RestRequest& req) {
  auto members = json_members(req.body);
  if (!members.is_ok()) return error_response(members.status());
  struct Item {
    std::string index, id, routing;
    query::SourceFilter source;
  };
  std::vector<Item> items;
  query::SourceFilter default_source = source_filter_of(req);
  std::string default_index = req.param("index");
  for (auto& [k, v] : *members) {
    auto arr = json_members("{\"a\":" + v + "}");
    if (k == "ids") {
      auto list = json_members("{\"ids\":" + v + "}");
      // Parse the array through the search parser's helpers: split "[\"a\",\"b\"]".
      std::string s = v;
      if (s.size() < 2 || s.front() != '[') {
        return error_response(Status(Code::kParseError, "parse_exception", "[ids] must be an array"));
      }
      size_t pos = 1;
      while (pos < s.size()) {
        size_t q = s.find('"', pos);
        if (q == std::string::npos) break;
        size_t e = q + 1;
        std::string id;
        while (e < s.size() && s[e] != '"') {
          if (s[e] == '\\' && e + 1 < s.size()) ++e;
          id += s[e++];
        }
        items.push_back({default_index, id, req.param("routing"), default_source});
        pos = e + 1;
      }
    } else if (k == "docs") {
      std::string wrapped = "{\"docs\":" + v + "}";
      // Each element: an object with _index, _id, routing, _source.
      std::string body = v;
      size_t depth = 0, start = std::string::npos;
      for (size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c == '"') {
          for (++i; i < body.size() && body[i] != '"'; ++i) {
            if (body[i] == '\\') ++i;
          }
          continue;
        }
        if (c == '{') {
          if (depth++ == 0) start = i;
        } else if (c == '}') {
          if (--depth == 0) {
            auto fields = json_members(body.substr(start, i - start + 1));
            if (!fields.is_ok()) return error_response(fields.status());
            Item item{default_index, "", req.param("routing"), default_source};
            for (auto& [fk, fv] : *fields) {
              auto unquote = [](const std::string& x) {
                return x.size() >= 2 && x.front() == '"' ? x.substr(1, x.size() - 2) : x;
              };
              if (fk == "_index") item.index = unquote(fv);
              else if (fk == "_id") item.id = unquote(fv);
              else if (fk == "routing" || fk == "_routing") item.routing = unquote(fv);
              else if (fk == "_source") {
                item.source = query::SourceFilter{};
                if (fv == "false") item.source.fetch = false;
                else if (fv != "true") {
                  auto parsed = query::parse_search_request("{\"_source\":" + fv + "}", false);
                  if (!parsed.is_ok()) return error_response(parsed.status());
                  item.source = parsed->source;
                }
              }
            }
            items.push_back(std::move(item));
          }
        }
      }
    } else {
      return error_response(Status(Code::kParseError, "parse_exception", "unknown key [" + k + "] for a START_ARRAY, expected [docs] or [ids]."));
    }
  }
  if (items.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: no documents to get;"));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    std::string errors;
    if (items[i].index.empty()) errors += std::to_string(errors.empty() ? 1 : 2) + ": index is missing for doc " + std::to_string(i) + ";";
    if (items[i].id.empty()) errors += std::to_string(errors.empty() ? 1 : 2) + ": id is missing for doc " + std::to_string(i) + ";";
    if (!errors.empty()) {
      return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception", "Validation Failed: " + errors));
    }
  }
  bool realtime = req.param("realtime") != "false";
  JsonWriter w;
  w.begin_object().key("docs").begin_array();
  for (const auto& item : items) {
    auto names = node.resolve(item.index, {});
    std::shared_ptr<cluster::IndexService> svc = names.is_ok() && names->size() == 1 ? node.index((*names)[0]) : nullptr;
    if (!svc) {
      w.begin_object().field("_index", item.index).field("_id", item.id);
      Status err = names.is_ok() ? invalid_argument("alias [" + item.index + "] has more than one index associated with it")
                                 : names.status();
      w.field_raw("error", error_object_json(err));
      w.end_object();
      continue;
    }
    if (req.param("refresh") == "true") (void)svc->refresh();
    auto doc = find_doc(*svc, item.id, item.routing, realtime);
    if (!doc.is_ok()) {
      w.begin_object().field("_index", svc->name()).field("_id", item.id).field_raw("error", error_object_json(doc.status())).end_object();
      continue;
    }
    if (*doc && item.source.fetch) {
      auto fs = cluster::filter_source((*doc)->source, item.source.includes, item.source.excludes);
      std::string filtered = fs.is_ok() ? *fs : (*doc)->source;
      write_get_result(w, svc->name(), item.id, &**doc, &filtered);
    } else {
      write_get_result(w, svc->name(), item.id, doc->has_value() ? &**doc : nullptr, nullptr);
    }
  }
  w.end_array().end_object();
  return json_response(200, w);
}

}  // namespace

void register_document_handlers(Router& router, cluster::Node& node) {
  using K = index::WriteOp::Kind;
  router.add(Method::kPut, "/{index}/_doc/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kIndex); });
  router.add(Method::kPost, "/{index}/_doc/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kIndex); });
  router.add(Method::kPost, "/{index}/_doc", [&node](RestRequest& r) { return index_doc(node, r, K::kIndex); });
  router.add(Method::kPut, "/{index}/_create/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kCreate); });
  router.add(Method::kPost, "/{index}/_create/{id}", [&node](RestRequest& r) { return index_doc(node, r, K::kCreate); });
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
  router.add(Method::kPost, "/{index}/{type}", [&node](RestRequest& r) { return legacy_type_write(node, r); });
  router.add(Method::kPut, "/{index}/{type}/{id}", [&node](RestRequest& r) { return legacy_type_write(node, r); });
  router.add(Method::kPost, "/{index}/{type}/{id}", [&node](RestRequest& r) { return legacy_type_write(node, r); });
  router.add(Method::kGet, "/{index}/{type}/{id}", [&node](RestRequest& r) { return get_doc(node, r, false, false); });
}

}  // namespace sift::http
