#include "http/doc_render.h"

#include <algorithm>
#include <vector>

#include "cluster/json_merge.h"
#include "cluster/source_filter.h"
#include "http/rest_util.h"

namespace sift::http {

const char* outcome_name(const cluster::DocWriteResponse& r) {
  if (r.noop) return "noop";
  switch (r.result.outcome) {
    case index::WriteResult::Outcome::kCreated: return "created";
    case index::WriteResult::Outcome::kUpdated: return "updated";
    case index::WriteResult::Outcome::kDeleted: return "deleted";
    case index::WriteResult::Outcome::kNotFound: return "not_found";
  }
  return "updated";
}

int outcome_status(const cluster::DocWriteResponse& r) {
  if (r.noop) return 200;
  switch (r.result.outcome) {
    case index::WriteResult::Outcome::kCreated: return 201;
    case index::WriteResult::Outcome::kNotFound: return 404;
    default: return 200;
  }
}

void write_doc_result_fields(JsonWriter& w, const cluster::DocWriteResponse& r, const cluster::IndexMetadata& meta,
                             bool forced_refresh) {
  w.field("_index", r.index).field("_id", r.id).field("_version", r.result.version).field("result", outcome_name(r));
  if (forced_refresh) w.field("forced_refresh", true);
  if (r.noop) write_shards_header(w, 0, 0, 0);
  else write_shards_header(w, shard_copies(meta), 1, 0);
  w.field("_seq_no", r.result.seq_no).field("_primary_term", r.result.primary_term);
}

void write_get_result(JsonWriter& w, const std::string& index, const std::string& id,
                      const index::StoredDocument* doc, const std::string* filtered_source) {
  w.begin_object();
  w.field("_index", index).field("_id", id);
  if (doc != nullptr) {
    w.field("_version", doc->meta.version).field("_seq_no", doc->meta.seq_no);
    w.field("_primary_term", doc->meta.primary_term);
    if (!doc->meta.routing.empty()) w.field("_routing", doc->meta.routing);
    w.field("found", true);
    if (filtered_source != nullptr) w.field_raw("_source", *filtered_source);
  } else {
    w.field("found", false);
  }
  w.end_object();
}

namespace {

// The known name within edit distance 2 of a misspelled one, as OpenSearch suggests it.
std::string did_you_mean(const std::string& key, std::initializer_list<const char*> known) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  for (const char* k : known) {
    if (distance(key, k) <= 2) return std::string(" did you mean [") + k + "]?";
  }
  return "";
}

}  // namespace

Status parse_update_body(std::string_view body, cluster::UpdateRequest* u, query::SourceFilter* source) {
  SIFT_ASSIGN_OR_RETURN(auto members, json_members(body));
  for (auto& [k, v] : members) {
    if (k == "doc") u->doc = v;
    else if (k == "upsert") u->upsert = v;
    else if (k == "doc_as_upsert") u->doc_as_upsert = v == "true";
    else if (k == "detect_noop") u->detect_noop = v != "false";
    else if (k == "script" || k == "scripted_upsert") u->scripted = true;
    else if (k == "_source") {
      SIFT_ASSIGN_OR_RETURN(auto parsed, query::parse_search_request("{\"_source\":" + v + "}", false));
      *source = parsed.source;
    } else {
      return Status(Code::kParseError, "x_content_parse_exception",
                    "[UpdateRequest] unknown field [" + k + "]" +
                        did_you_mean(k, {"doc", "upsert", "doc_as_upsert", "detect_noop", "script", "scripted_upsert",
                                         "_source"}));
    }
  }
  for (const auto& doc : {u->doc, u->upsert}) {
    if (!doc.empty()) SIFT_RETURN_IF_ERROR(cluster::check_json_object(doc, "doc"));
  }
  return Status::ok();
}

void write_update_get(JsonWriter& w, const cluster::DocWriteResponse& r, const query::SourceFilter& source) {
  auto filtered = cluster::filter_source(r.get_source, source.includes, source.excludes);
  w.key("get").begin_object();
  w.field("_seq_no", r.result.seq_no).field("_primary_term", r.result.primary_term).field("found", true);
  w.field_raw("_source", filtered.is_ok() ? *filtered : r.get_source);
  w.end_object();
}

Status apply_write_params(const RestRequest& req, cluster::DocWriteRequest* w) {
  if (req.has_param("op_type")) {
    std::string op = req.param("op_type");
    if (op == "create") w->kind = index::WriteOp::Kind::kCreate;
    else if (op != "index") return invalid_argument("opType must be 'create' or 'index', found: [" + op + "]");
  }
  if (req.has_param("if_seq_no")) {
    SIFT_ASSIGN_OR_RETURN(int64_t v, req.param_int("if_seq_no", 0));
    w->if_seq_no = v;
  }
  if (req.has_param("if_primary_term")) {
    SIFT_ASSIGN_OR_RETURN(int64_t v, req.param_int("if_primary_term", 0));
    w->if_primary_term = v;
  }
  if (w->if_seq_no.has_value() != w->if_primary_term.has_value()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  w->if_seq_no ? "Validation Failed: 1: ifSeqNo is set, but primary term is [0];"
                               : "Validation Failed: 1: ifSeqNo is unassigned, but primary term is [" +
                                     std::to_string(*w->if_primary_term) + "];");
  }
  if (req.has_param("version_type")) {
    std::string vt = req.param("version_type");
    if (vt == "external") w->version_type = index::VersionType::kExternal;
    else if (vt == "external_gte") w->version_type = index::VersionType::kExternalGte;
    else if (vt != "internal") return invalid_argument("No version type match [" + vt + "]");
  }
  if (req.has_param("version")) {
    SIFT_ASSIGN_OR_RETURN(w->version, req.param_int("version", 0));
    if (w->version_type == index::VersionType::kInternal) {
      return Status(Code::kInvalidArgument, "action_request_validation_exception",
                    "Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. "
                    "Please use `if_seq_no` and `if_primary_term` instead;");
    }
  }
  if (w->version_type != index::VersionType::kInternal && !req.has_param("version")) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: an external version is required;");
  }
  if (req.has_param("pipeline") && req.param("pipeline") != "_none" && !req.param("pipeline").empty()) {
    return invalid_argument("pipeline with id [" + req.param("pipeline") + "] does not exist");
  }
  if (req.has_param("routing")) w->routing = req.param("routing");
  return Status::ok();
}

}  // namespace sift::http

namespace sift::http {
Status apply_refresh(cluster::IndexService& svc, int shard, int64_t seq_no, RefreshPolicy policy) {
  if (policy == RefreshPolicy::kImmediate) return svc.shard(shard).refresh();
  if (policy == RefreshPolicy::kWaitFor) {
    bool scheduled = svc.metadata()->refresh_interval_ms >= 0;
    return svc.shard(shard).wait_for_visible(seq_no, !scheduled);
  }
  return Status::ok();
}
}  // namespace sift::http
