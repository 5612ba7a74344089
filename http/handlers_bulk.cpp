// `_bulk`: NDJSON action/source pairs (index, create, update, delete), applied in order, then made
// durable with one translog sync per touched shard before any item is reported as successful.
// Lenient as shippers need: `_type` and other legacy keys are accepted and ignored.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "cluster/json_merge.h"
#include "cluster/source_filter.h"
#include "common/json_depth.h"
#include "common/time_util.h"
#include "http/doc_render.h"
#include "http/handlers.h"
#include "http/rest_util.h"
#include "query/search_request.h"

namespace sift::http {
namespace {

enum class ActionType { kIndex, kCreate, kUpdate, kDelete };

struct BulkItem {
  ActionType type;
  std::string index;
  bool require_alias = false;
  std::string pipeline;
  query::SourceFilter source;   // update: what of the new source to return in `get`
  cluster::DocWriteRequest write;
  cluster::UpdateRequest update;
  // Outcome
  Status error;
  bool failed = false;
  cluster::DocWriteResponse response;
  std::shared_ptr<cluster::IndexService> service;
};

const char* action_name(ActionType t) {
  switch (t) {
    case ActionType::kIndex: return "index";
    case ActionType::kCreate: return "create";
    case ActionType::kUpdate: return "update";
    case ActionType::kDelete: return "delete";
  }
  return "index";
}

Status malformed(size_t line, const std::string& why) {
  return Status(Code::kInvalidArgument, "illegal_argument_exception",
                "Malformed action/metadata line [" + std::to_string(line) + "], " + why);
}

std::string scalar(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return "";
}

// Reads one action line into `item`.
Status parse_action(std::string_view line, size_t line_no, const RestRequest& req, BulkItem* item) {
  if (json_nesting_depth(line) > kMaxJsonDepth) return malformed(line_no, "the action line is nested too deeply");
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  if (d.HasParseError()) {
    return Status(Code::kParseError, "x_content_parse_exception",
                  "[" + std::to_string(line_no) + ":" + std::to_string(d.GetErrorOffset()) + "] " +
                      rapidjson::GetParseError_En(d.GetParseError()));
  }
  if (!d.IsObject()) return malformed(line_no, "expected START_OBJECT or END_OBJECT but found [VALUE]");
  if (d.MemberCount() == 0) return malformed(line_no, "expected FIELD_NAME but found [END_OBJECT]");
  if (d.MemberCount() != 1) return malformed(line_no, "expected END_OBJECT but found [FIELD_NAME]");
  const auto& m = *d.MemberBegin();
  std::string action(m.name.GetString(), m.name.GetStringLength());
  if (action == "index") item->type = ActionType::kIndex;
  else if (action == "create") item->type = ActionType::kCreate;
  else if (action == "update") item->type = ActionType::kUpdate;
  else if (action == "delete") item->type = ActionType::kDelete;
  else return malformed(line_no, "expected field [create], [delete], [index] or [update] but found [" + action + "]");
  if (!m.value.IsObject()) return malformed(line_no, "expected START_OBJECT but found [" + std::string(m.value.IsArray() ? "START_ARRAY" : "VALUE") + "]");
  item->index = req.param("index");
  item->write.routing = req.param("routing");
  item->require_alias = req.param("require_alias") == "true";
  item->pipeline = req.param("pipeline");
  query::apply_source_params(req.param("_source"), req.param("_source_includes"), req.param("_source_excludes"),
                             &item->source);
  item->source.fetch = req.has_param("_source") || req.has_param("_source_includes") || req.has_param("_source_excludes");
  if (req.param("_source") == "false") item->source.fetch = false;
  auto& w = item->write;
  bool has_id = false;
  for (auto& f : m.value.GetObject()) {
    std::string key(f.name.GetString(), f.name.GetStringLength());
    std::string value = scalar(f.value);
    auto integer = [&](int64_t* out) -> Status {
      if (f.value.IsInt64()) {
        *out = f.value.GetInt64();
        return Status::ok();
      }
      return malformed(line_no, "[" + key + "] must be a number");
    };
    if (key == "_index") item->index = value;
    else if (key == "_id") {
      w.id = value;
      has_id = true;
    } else if (key == "routing") w.routing = value;
    else if (key == "if_seq_no") {
      int64_t v;
      SIFT_RETURN_IF_ERROR(integer(&v));
      w.if_seq_no = v;
    } else if (key == "if_primary_term") {
      int64_t v;
      SIFT_RETURN_IF_ERROR(integer(&v));
      w.if_primary_term = v;
    } else if (key == "version") {
      SIFT_RETURN_IF_ERROR(integer(&w.version));
    } else if (key == "require_alias") {
      item->require_alias = f.value.IsBool() && f.value.GetBool();
    } else if (key == "pipeline") {
      item->pipeline = value;
    } else if (key == "_source") {
      item->source = query::SourceFilter{};
      if (f.value.IsBool()) {
        item->source.fetch = f.value.GetBool();
      } else {
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> sw(buf);
        f.value.Accept(sw);
        auto parsed = query::parse_search_request("{\"_source\":" + std::string(buf.GetString()) + "}", false);
        if (!parsed.is_ok()) return parsed.status();
        item->source = parsed->source;
      }
    } else if (key == "version_type") {
      if (value == "external") w.version_type = index::VersionType::kExternal;
      else if (value == "external_gte") w.version_type = index::VersionType::kExternalGte;
    } else if (key == "retry_on_conflict") {
      item->update.retry_on_conflict = f.value.IsInt() ? f.value.GetInt() : 0;
    } else if (key == "op_type") {
      if (value == "create") item->type = ActionType::kCreate;
    } else if (key == "_type" || key == "dynamic_templates") {
      continue;  // accepted for the shippers that send them
    } else {
      return invalid_argument("Action/metadata line [" + std::to_string(line_no) + "] contains an unknown parameter [" +
                              key + "]");
    }
  }
  if (item->index.empty()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception", "Validation Failed: 1: index is missing;");
  }
  if (has_id && w.id.empty()) {
    item->failed = true;
    item->error = Status(Code::kInvalidArgument, "illegal_argument_exception", "if _id is specified it must not be empty");
  }
  return Status::ok();
}

Status parse_update_line(std::string_view body, BulkItem* item) {
  if (json_nesting_depth(body) > kMaxJsonDepth) {
    return Status(Code::kParseError, "parse_exception",
                  "The nesting depth of the update exceeds the maximum allowed depth of [" +
                      std::to_string(kMaxJsonDepth) + "]");
  }
  return parse_update_body(body, &item->update, &item->source);
}

void execute(cluster::Node& node, BulkItem& item) {
  if (!item.pipeline.empty() && item.pipeline != "_none") {
    item.failed = true;
    item.error = invalid_argument("pipeline with id [" + item.pipeline + "] does not exist");
    return;
  }
  if (item.require_alias && !node.is_alias(item.index)) {
    item.failed = true;
    item.error = Status(Code::kNotFound, "index_not_found_exception",
                        "no such index [" + item.index + "] and [require_alias] request flag is [true] and [" +
                            item.index + "] is not an alias")
                     .with_index(item.index);
    return;
  }
  bool auto_create = item.type != ActionType::kDelete || item.write.version_type != index::VersionType::kInternal;
  auto svc = node.write_target(item.index, auto_create);
  if (!svc.is_ok()) {
    item.failed = true;
    item.error = svc.status();
    return;
  }
  item.service = *svc;
  Result<cluster::DocWriteResponse> r = Status();
  if (item.type == ActionType::kUpdate) {
    item.update.id = item.write.id;
    item.update.routing = item.write.routing;
    item.update.if_seq_no = item.write.if_seq_no;
    item.update.if_primary_term = item.write.if_primary_term;
    r = item.service->update(item.update);
  } else {
    item.write.kind = item.type == ActionType::kDelete ? index::WriteOp::Kind::kDelete
                      : item.type == ActionType::kCreate ? index::WriteOp::Kind::kCreate
                                                         : index::WriteOp::Kind::kIndex;
    r = item.service->write(item.write);
  }
  if (!r.is_ok()) {
    item.failed = true;
    item.error = r.status();
    if (item.error.index().empty()) item.error.with_index(item.service->name());
    return;
  }
  item.response = std::move(r).value();
}

RestResponse bulk(cluster::Node& node, RestRequest& req) {
  int64_t start = monotonic_nanos();
  auto refresh = refresh_policy(req);
  if (!refresh.is_ok()) return error_response(refresh.status());
  std::vector<BulkItem> items;
  std::string_view body = req.body;
  size_t pos = 0, line_no = 0;
  auto next_line = [&](std::string_view* out) {
    while (pos < body.size()) {
      size_t nl = body.find('\n', pos);
      std::string_view l = body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? body.size() : nl + 1;
      ++line_no;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are skipped
      *out = l;
      return true;
    }
    return false;
  };
  std::string_view line;
  while (next_line(&line)) {
    BulkItem item;
    item.source.fetch = false;
    Status st = parse_action(line, line_no, req, &item);
    if (!st.is_ok()) return error_response(st);
    if (item.type != ActionType::kDelete) {
      std::string_view source;
      if (!next_line(&source)) {
        return error_response(Status(Code::kInvalidArgument, "illegal_argument_exception",
                                     "The bulk request must be terminated by a newline [\\n]"));
      }
      if (item.type == ActionType::kUpdate && !item.failed) {
        Status us = parse_update_line(source, &item);
        if (!us.is_ok()) {
          item.failed = true;
          item.error = us;
        }
      } else {
        item.write.source = std::string(source);
      }
    }
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    return error_response(Status(Code::kInvalidArgument, "action_request_validation_exception",
                                 "Validation Failed: 1: no requests added;"));
  }
  // Apply in order, then one durable sync per shard (group commit), then answer.
  std::map<std::pair<cluster::IndexService*, int>, size_t> last_item_per_shard;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].failed) execute(node, items[i]);
    if (!items[i].failed && !items[i].response.noop) {
      last_item_per_shard[{items[i].service.get(), items[i].response.shard}] = i;
    }
  }
  std::map<std::pair<cluster::IndexService*, int>, Status> sync_status;
  for (const auto& [key, i] : last_item_per_shard) {
    sync_status[key] = items[i].service->sync(items[i].response);
  }
  bool errors = false;
  for (auto& item : items) {
    if (item.failed || item.response.noop) continue;
    const Status& s = sync_status[{item.service.get(), item.response.shard}];
    if (!s.is_ok()) {
      item.failed = true;
      item.error = s;
    }
  }
  if (*refresh != RefreshPolicy::kNone) {
    for (const auto& [key, i] : last_item_per_shard) {
      if (sync_status[key].is_ok()) (void)apply_refresh(*key.first, key.second, items[i].response.result.seq_no, *refresh);
    }
  }
  JsonWriter w;
  w.begin_object();
  w.field("took", (monotonic_nanos() - start) / 1'000'000);
  size_t errors_pos = w.str().size();
  (void)errors_pos;
  for (const auto& item : items) errors |= item.failed;
  w.field("errors", errors);
  w.key("items").begin_array();
  for (const auto& item : items) {
    w.begin_object().key(action_name(item.type)).begin_object();
    if (item.failed) {
      w.field("_index", item.service ? item.service->name() : item.index).field("_id", item.write.id);
      w.field("status", http_status_for(item.error));
      w.field_raw("error", error_object_json(item.error));
    } else {
      write_doc_result_fields(w, item.response, *item.service->metadata(), false);
      if (item.source.fetch && item.type == ActionType::kUpdate) write_update_get(w, item.response, item.source);
      w.field("status", outcome_status(item.response));
    }
    w.end_object().end_object();
  }
  w.end_array();
  w.end_object();
  return json_response(200, w);
}

}  // namespace

void register_bulk_handlers(Router& router, cluster::Node& node) {
  for (Method m : {Method::kPost, Method::kPut}) {
    router.add(m, "/_bulk", [&node](RestRequest& r) { return bulk(node, r); }, Router::BodyKind::kDocuments);
    router.add(m, "/{index}/_bulk", [&node](RestRequest& r) { return bulk(node, r); }, Router::BodyKind::kDocuments);
    router.add(m, "/{index}/{type}/_bulk", [&node](RestRequest& r) { return bulk(node, r); },
               Router::BodyKind::kDocuments);
  }
}

}  // namespace sift::http
