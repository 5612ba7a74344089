// `GET|POST /{index}/_explain/{id}`: whether a document matches a query and how its score is made.
// The query comes from the body (`{"query": ...}`, nothing else) or `q=`; the document is looked up
// in its shard's searchable view (not realtime, as OpenSearch). `_source` parameters add a `get`
// section with the stored document.
#include "cluster/doc_explain.h"
#include "cluster/source_filter.h"
#include "common/json_writer.h"
#include "http/handlers.h"
#include "http/rest_util.h"
#include "http/uri_query.h"
#include "query/explain.h"
#include "query/search_request.h"

namespace sift::http {
namespace {

RestResponse explain(cluster::Node& node, RestRequest& req) {
  auto q = body_or_uri_query(req);
  if (!q.is_ok()) return error_response(q.status());
  if (!*q) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: query is missing;"));
  }
  const std::string id = req.param("id");
  auto r = cluster::explain_document(node, req.param("index"), id, req.param("routing"), **q);
  if (!r.is_ok()) return error_response(r.status());
  JsonWriter w;
  w.begin_object().field("_index", r->index).field("_id", id).field("matched", r->found && r->explanation.match);
  if (r->found) {
    w.key("explanation");
    query::write_explanation(w, r->explanation);
    bool want_source = req.has_param("_source") || req.has_param("_source_includes") || req.has_param("_source_excludes");
    query::SourceFilter f;
    query::apply_source_params(req.param("_source"), req.param("_source_includes"), req.param("_source_excludes"), &f);
    if (want_source && f.fetch) {
      auto filtered = cluster::filter_source(r->stored.source, f.includes, f.excludes);
      if (!filtered.is_ok()) return error_response(filtered.status());
      w.key("get").begin_object();
      w.field("_seq_no", r->stored.meta.seq_no).field("_primary_term", r->stored.meta.primary_term);
      w.field("found", true).field_raw("_source", *filtered).end_object();
    }
  }
  w.end_object();
  return json_response(r->found ? 200 : 404, w);
}

}  // namespace

void register_explain_handlers(Router& router, cluster::Node& node) {
  for (Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/{index}/_explain/{id}", [&node](RestRequest& r) { return explain(node, r); });
  }
}

}  // namespace sift::http
