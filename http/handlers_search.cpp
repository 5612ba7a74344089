// `_search` and `_count`: parse the body once, let the coordinator run the query and fetch phases,
// render OpenSearch's response.
#include "cluster/search_rewrite.h"
#include "cluster/pit_service.h"
#include "cluster/search_service.h"
#include "cluster/settings.h"
#include "common/json_depth.h"

#include <algorithm>
#include "common/time_util.h"
#include "http/handlers.h"
#include "http/keep_alive.h"
#include "http/rest_util.h"
#include "http/uri_query.h"
#include "index/numeric_codec.h"
#include "query/query_string.h"
#include "query/search_request.h"

#include <cctype>

namespace sift::http {
namespace {

// `q=` is a query_string query with the URI's df, default_operator, analyzer, lenient.
Status apply_uri_query(const RestRequest& req, query::SearchRequest* s) {
  SIFT_ASSIGN_OR_RETURN(std::unique_ptr<query::Query> q, uri_query(req));
  if (q) s->query = std::move(q);
  return Status::ok();
}

Status apply_uri_params(const RestRequest& req, query::SearchRequest* s) {
  SIFT_RETURN_IF_ERROR(apply_uri_query(req, s));
  if (req.has_param("from")) {
    SIFT_ASSIGN_OR_RETURN(s->from, req.param_int("from", 0));
  }
  if (req.has_param("size")) {
    SIFT_ASSIGN_OR_RETURN(s->size, req.param_int("size", 10));
  }
  if (s->from < 0) return invalid_argument("[from] parameter cannot be negative, found [" + std::to_string(s->from) + "]");
  if (s->size < 0) return invalid_argument("[size] parameter cannot be negative, found [" + std::to_string(s->size) + "]");
  if (req.has_param("sort")) {
    s->sort.clear();
    for (const auto& part : split_csv(req.param("sort"))) {
      query::SortSpec spec;
      size_t colon = part.find(':');
      spec.field = part.substr(0, colon);
      spec.descending = colon != std::string::npos ? part.substr(colon + 1) == "desc" : spec.field == "_score";
      s->sort.push_back(spec);
    }
  }
  if (req.has_param("track_total_hits")) {
    s->track_total_hits_set = true;
    std::string v = req.param("track_total_hits");
    if (v == "true" || v.empty()) s->track_total_hits = query::SearchRequest::kTrackAll;
    else if (v == "false") s->track_total_hits = -1;
    else {
      SIFT_ASSIGN_OR_RETURN(s->track_total_hits, req.param_int("track_total_hits", 10000));
      if (s->track_total_hits < -1) {
        return invalid_argument("[track_total_hits] parameter must be positive or equals to -1, got " +
                                std::to_string(s->track_total_hits));
      }
    }
  }
  if (req.has_param("terminate_after")) {
    SIFT_ASSIGN_OR_RETURN(s->terminate_after, req.param_int("terminate_after", 0));
  }
  if (req.has_param("version")) s->version = req.param("version") != "false";
  if (req.has_param("explain")) s->explain = req.param("explain") != "false";
  if (req.has_param("timeout")) s->timeout = req.param("timeout");
  if (req.has_param("seq_no_primary_term")) s->seq_no_primary_term = req.param("seq_no_primary_term") != "false";
  // URI source parameters replace the body's `_source`.
  if (req.has_param("_source") || req.has_param("_source_includes") || req.has_param("_source_excludes")) {
    s->source = query::SourceFilter{};
    query::apply_source_params(req.param("_source"), req.param("_source_includes"), req.param("_source_excludes"),
                               &s->source);
    s->source_explicit = true;
  }
  for (const auto& f : split_csv(req.param("docvalue_fields"))) s->docvalue_fields.push_back({f, ""});
  if (req.has_param("stored_fields")) s->stored_fields = split_csv(req.param("stored_fields"));
  return Status::ok();
}

void write_shards(JsonWriter& w, cluster::Node& node, const cluster::SearchResult& r) {
  w.key("_shards").begin_object();
  w.field("total", r.total_shards).field("successful", r.successful_shards).field("skipped", 0);
  w.field("failed", static_cast<int>(r.failures.size()));
  if (!r.failures.empty()) {
    w.key("failures").begin_array();
    for (const auto& f : r.failures) {
      w.begin_object().field("shard", f.shard).field("index", f.index).field("node", node.node_id());
      w.field_raw("reason", error_object_json(f.status)).end_object();
    }
    w.end_array();
  }
  w.end_object();
}

RestResponse render_hits(cluster::Node& node, const RestRequest& req, const cluster::SearchResult& result, bool version,
                         bool seq_no_primary_term, int64_t terminate_after, const std::string& scroll_id,
                         const std::string& pit_id = "");

// `rest_total_hits_as_int` needs an exact total: a numeric track_total_hits is refused.
Status check_total_hits_as_int(const query::SearchRequest& s) {
  if (s.track_total_hits_set && s.track_total_hits >= 0 && s.track_total_hits != query::SearchRequest::kTrackAll) {
    return invalid_argument("[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got " +
                            std::to_string(s.track_total_hits));
  }
  return Status::ok();
}

// A search of a point in time (`pit` in the body): the PIT names the shards; its keep-alive restarts.
RestResponse search_point_in_time(cluster::Node& node, const RestRequest& req, const query::SearchRequest& s) {
  if (req.has_param("index")) {
    return error_response(invalid_argument(
        "[indices] cannot be used with point in time. Do not specify any index with point in time."));
  }
  if (req.has_param("scroll")) return error_response(invalid_argument("using [point in time] is not allowed in a scroll context"));
  std::optional<int64_t> keep;
  if (!s.pit_keep_alive.empty()) {
    auto k = keep_alive_millis(node, s.pit_keep_alive, "keep_alive", "point_in_time.max_keep_alive");
    if (!k.is_ok()) return error_response(k.status());
    keep = *k;
  }
  auto pit = cluster::use_pit(s.pit_id, keep);
  if (!pit.is_ok()) return error_response(pit.status());
  auto r = cluster::run_search_on(**pit, s, true);
  if (!r.is_ok()) return error_response(r.status());
  return render_hits(node, req, *r, s.version, s.seq_no_primary_term, s.terminate_after, "", s.pit_id);
}

RestResponse search(cluster::Node& node, RestRequest& req, bool count_only) {
  auto parsed = query::parse_search_request(req.body, count_only);
  if (!parsed.is_ok()) return error_response(parsed.status());
  query::SearchRequest s = std::move(parsed).value();
  if (count_only) {
    s.size = 0;
    s.track_total_hits = query::SearchRequest::kTrackAll;
    Status uq = apply_uri_query(req, &s);
    if (!uq.is_ok()) return error_response(uq);
    if (req.has_param("terminate_after")) {
      auto t = req.param_int("terminate_after", 0);
      if (!t.is_ok()) return error_response(t.status());
      s.terminate_after = *t;
    }
  } else {
    Status st = apply_uri_params(req, &s);
    if (!st.is_ok()) return error_response(st);
    if (s.slice && !req.has_param("scroll") && s.pit_id.empty()) {
      return error_response(invalid_argument("[slice] can only be used with [scroll] or [point-in-time] requests"));
    }
    // The integer form of hits.total is exact by default (OpenSearch sets track_total_hits=true).
    if (req.param("rest_total_hits_as_int") == "true" && !s.track_total_hits_set) {
      s.track_total_hits = query::SearchRequest::kTrackAll;
    }
    if (req.param("rest_total_hits_as_int") == "true") {
      Status exact = check_total_hits_as_int(s);
      if (!exact.is_ok()) return error_response(exact);
    }
  }
  cluster::IndicesOptions defaults;
  auto targets = cluster::resolve_search_targets(node, req.has_param("index") ? req.param("index") : "_all",
                                                 indices_options(req, defaults));
  if (!targets.is_ok()) return error_response(targets.status());
  // Terms lookups, indices_boost and index.max_terms_count, before any shard runs the query.
  Status rewritten = cluster::rewrite_search_request(node, *targets, indices_options(req, defaults), &s);
  if (!rewritten.is_ok()) return error_response(rewritten);
  if (!s.pit_id.empty()) return search_point_in_time(node, req, s);
  auto deprecations = [&node, object_boost = s.indices_boost_object](RestResponse resp) {
    if (object_boost) {
      resp.headers.emplace_back("Warning", "299 OpenSearch-" + node.options().version_number +
                                               " \"Object format in indices_boost is deprecated, please use array format instead\"");
    }
    return resp;
  };
  if (count_only) {
    auto r = cluster::run_search(node, *targets, s);
    if (!r.is_ok()) return error_response(r.status());
    JsonWriter w;
    w.begin_object();
    w.field("count", r->total_hits);
    if (r->terminated_early) w.field("terminated_early", true);
    write_shards(w, node, *r);
    w.end_object();
    return json_response(200, w);
  }
  std::string scroll_id;
  if (req.has_param("scroll")) {
    if (s.size == 0) return error_response(invalid_argument("[size] cannot be [0] in a scroll context"));
    if (req.param("request_cache") == "true") {
      return error_response(invalid_argument("[request_cache] cannot be used in a scroll context"));
    }
    auto keep = keep_alive_millis(node, req.param("scroll"), "scroll", "search.max_keep_alive");
    if (!keep.is_ok()) return error_response(keep.status());
    auto pit = cluster::capture_point_in_time(node, *targets);
    if (!pit.is_ok()) return error_response(pit.status());
    auto page = cluster::run_search_on(**pit, s, true);
    if (!page.is_ok()) return error_response(page.status());
    int64_t next = s.from + static_cast<int64_t>(page->hits.size());
    bool version = s.version, seq = s.seq_no_primary_term;
    int64_t terminate_after = s.terminate_after;
    scroll_id = cluster::open_scroll(*pit, std::move(s), *keep, next);
    return deprecations(render_hits(node, req, *page, version, seq, terminate_after, scroll_id));
  }
  auto r2 = cluster::run_search(node, *targets, s);
  if (!r2.is_ok()) return error_response(r2.status());
  return deprecations(render_hits(node, req, *r2, s.version, s.seq_no_primary_term, s.terminate_after, ""));
}

RestResponse render_hits(cluster::Node& node, const RestRequest& req, const cluster::SearchResult& result, bool version,
                         bool seq_no_primary_term, int64_t terminate_after, const std::string& scroll_id,
                         const std::string& pit_id) {
  const cluster::SearchResult* r = &result;
  JsonWriter w;
  w.begin_object();
  if (!scroll_id.empty()) w.field("_scroll_id", scroll_id);
  if (!pit_id.empty()) w.field("pit_id", pit_id);
  w.field("took", r->took_ms).field("timed_out", r->timed_out);
  if (terminate_after > 0) w.field("terminated_early", r->terminated_early);
  write_shards(w, node, *r);
  w.key("hits").begin_object();
  bool total_as_int = req.param("rest_total_hits_as_int") == "true";
  if (total_as_int && !r->track_total) {
    w.field("total", -1);
  } else if (r->track_total) {
    if (total_as_int) {
      w.field("total", r->total_hits);
    } else {
      w.key("total").begin_object().field("value", r->total_hits);
      w.field("relation", r->total_is_lower_bound ? "gte" : "eq").end_object();
    }
  }
  w.key("max_score");
  if (r->has_max_score) w.value(r->max_score);
  else w.null();
  w.key("hits").begin_array();
  for (const auto& h : r->hits) {
    w.begin_object();
    if (!h.explanation_json.empty()) {
      w.field("_shard", "[" + h.index + "][" + std::to_string(h.shard) + "]").field("_node", node.node_id());
    }
    w.field("_index", h.index).field("_id", h.id);
    if (version) w.field("_version", h.version);
    if (seq_no_primary_term) w.field("_seq_no", h.seq_no).field("_primary_term", h.primary_term);
    w.key("_score");
    if (h.has_score) w.value(h.score);
    else w.null();
    if (!h.routing.empty()) w.field("_routing", h.routing);
    if (h.source) w.field_raw("_source", *h.source);
    if (!h.fields_json.empty()) w.field_raw("fields", h.fields_json);
    if (!h.highlight_json.empty()) w.field_raw("highlight", h.highlight_json);
    if (!h.sort_values.empty()) {
      w.key("sort").begin_array();
      for (const auto& v : h.sort_values) {
        switch (v.kind) {
          case query::SortValue::Kind::kLong: w.value_i64(v.l); break;
          case query::SortValue::Kind::kDouble: w.value(v.d); break;
          case query::SortValue::Kind::kString: w.value(v.s); break;
          case query::SortValue::Kind::kMissing: w.null(); break;
          case query::SortValue::Kind::kUnsignedLong: w.value_u64(index::sortable_to_unsigned(v.l)); break;
        }
      }
      w.end_array();
    }
    if (!h.explanation_json.empty()) w.field_raw("_explanation", h.explanation_json);
    if (!h.inner_hits_json.empty()) w.field_raw("inner_hits", h.inner_hits_json);
    w.end_object();
  }
  w.end_array().end_object().end_object();
  return json_response(200, w);
}

// `GET|POST /_search/scroll`: the next page of a scroll (id and keep-alive from the body or the URI).
RestResponse scroll(cluster::Node& node, RestRequest& req) {
  std::string id = req.param("scroll_id");
  std::string keep = req.param("scroll");
  auto members = json_members(req.body);
  if (!members.is_ok()) {
    // A bare scroll id as the whole body (old clients).
    if (req.body.find('{') == std::string::npos && !req.body.empty()) id = req.body;
    else return error_response(members.status());
  } else {
    for (auto& [k, v] : *members) {
      std::string value = v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
      if (k == "scroll_id") id = value;
      else if (k == "scroll") keep = value;
      else return error_response(Status(Code::kParseError, "parsing_exception", "Unknown parameter [" + k + "] in request body"));
    }
  }
  if (id.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: scrollId is missing;"));
  }
  std::optional<int64_t> keep_ms;
  if (!keep.empty()) {
    auto k = keep_alive_millis(node, keep, "scroll", "search.max_keep_alive");
    if (!k.is_ok()) return error_response(k.status());
    keep_ms = *k;
  }
  const query::SearchRequest* original = nullptr;
  auto page = cluster::scroll_next(id, keep_ms, &original);
  if (!page.is_ok()) return error_response(page.status());
  return render_hits(node, req, *page, original->version, original->seq_no_primary_term, 0, id);
}

RestResponse clear_scroll(RestRequest& req) {
  std::vector<std::string> ids = split_csv(req.param("scroll_id"));
  auto members = json_members(req.body);
  if (members.is_ok()) {
    for (auto& [k, v] : *members) {
      if (k != "scroll_id") continue;
      if (!v.empty() && v.front() == '[') {
        for (size_t q = v.find('"'); q != std::string::npos; q = v.find('"', q)) {
          size_t e = v.find('"', q + 1);
          if (e == std::string::npos) break;
          ids.push_back(v.substr(q + 1, e - q - 1));
          q = e + 1;
        }
      } else if (v.size() >= 2 && v.front() == '"') {
        ids.push_back(v.substr(1, v.size() - 2));
      }
    }
  }
  size_t freed = cluster::clear_scrolls(ids);
  JsonWriter w;
  w.begin_object().field("succeeded", true).field("num_freed", static_cast<uint64_t>(freed)).end_object();
  bool all = std::find(ids.begin(), ids.end(), "_all") != ids.end();
  return json_response(freed == 0 && !all && !ids.empty() ? 404 : 200, w);
}

// `_msearch`: NDJSON pairs of a header (index, search_type, ignore_unavailable, ...) and a search
// body; each pair runs as its own search and its answer (or error) takes its place in `responses`.
RestResponse msearch(cluster::Node& node, RestRequest& req) {
  int64_t start = monotonic_nanos();
  std::vector<std::string_view> lines;
  std::string_view body = req.body;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    std::string_view l = body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? body.size() : nl + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    lines.push_back(l);
  }
  if (lines.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: no requests added;"));
  }
  if (lines.size() % 2 != 0) {
    return error_response(invalid_argument("The msearch request must be terminated by a newline [\\n]"));
  }
  if (req.param("rest_total_hits_as_int") == "true") {
    // As OpenSearch, one inexact total among the searches fails the whole request.
    for (size_t i = 1; i < lines.size(); i += 2) {
      auto body = query::parse_search_request(lines[i], false);
      if (!body.is_ok()) continue;  // reported in that search's own response
      Status exact = check_total_hits_as_int(*body);
      if (!exact.is_ok()) return error_response(exact);
    }
  }
  JsonWriter w;
  w.begin_object().key("took");
  size_t took_at = w.str().size();
  w.value_i64(0);
  w.key("responses").begin_array();
  for (size_t i = 0; i < lines.size(); i += 2) {
    RestRequest sub;
    sub.method = Method::kPost;
    sub.path = req.path;
    for (const auto& key : {"rest_total_hits_as_int", "typed_keys", "index", "ignore_unavailable", "allow_no_indices",
                            "expand_wildcards", "routing", "preference"}) {
      if (req.has_param(key)) sub.params[key] = req.param(key);
    }
    sub.body = std::string(lines[i + 1]);
    RestResponse r;
    if (json_nesting_depth(lines[i]) > kMaxJsonDepth || json_nesting_depth(lines[i + 1]) > kMaxJsonDepth) {
      w.raw(error_response(Status(Code::kParseError, "parse_exception",
                                  "The nesting depth of the request exceeds the maximum allowed depth of [" +
                                      std::to_string(kMaxJsonDepth) + "]"))
                .body);
      continue;
    }
    auto header = json_members(lines[i]);
    if (!header.is_ok()) {
      r = error_response(header.status());
    } else {
      for (auto& [k, v] : *header) {
        std::string value = v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
        if (k == "index" && !v.empty() && v.front() == '[') {
          // ["a","b"] -> "a,b"
          std::string joined;
          for (size_t q = v.find('"'); q != std::string::npos; q = v.find('"', q)) {
            size_t e = v.find('"', q + 1);
            if (e == std::string::npos) break;
            joined += (joined.empty() ? "" : ",") + v.substr(q + 1, e - q - 1);
            q = e + 1;
          }
          value = joined;
        }
        sub.params[k] = value;
      }
      r = search(node, sub, false);
    }
    if (r.status == 200 && r.body.size() >= 2 && r.body.back() == '}') {
      w.raw(r.body.substr(0, r.body.size() - 1) + ",\"status\":200}");
    } else {
      w.raw(r.body);
    }
  }
  w.end_array().end_object();
  std::string out = w.take();
  std::string took = std::to_string((monotonic_nanos() - start) / 1'000'000);
  out.replace(took_at, 1, took);
  return RestResponse::json(200, std::move(out));
}

}  // namespace

void register_search_handlers(Router& router, cluster::Node& node) {
  for (Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/_search/scroll", [&node](RestRequest& r) { return scroll(node, r); });
    router.add(m, "/_search/scroll/{scroll_id}", [&node](RestRequest& r) { return scroll(node, r); });
  }
  router.add(Method::kDelete, "/_search/scroll", [](RestRequest& r) { return clear_scroll(r); });
  router.add(Method::kDelete, "/_search/scroll/{scroll_id}", [](RestRequest& r) { return clear_scroll(r); });
  for (Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/_msearch", [&node](RestRequest& r) { return msearch(node, r); }, Router::BodyKind::kDocuments);
    router.add(m, "/{index}/_msearch", [&node](RestRequest& r) { return msearch(node, r); },
               Router::BodyKind::kDocuments);
  }
  for (Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/_search", [&node](RestRequest& r) { return search(node, r, false); });
    router.add(m, "/{index}/_search", [&node](RestRequest& r) { return search(node, r, false); });
    router.add(m, "/_count", [&node](RestRequest& r) { return search(node, r, true); });
    router.add(m, "/{index}/_count", [&node](RestRequest& r) { return search(node, r, true); });
  }
}

}  // namespace sift::http
