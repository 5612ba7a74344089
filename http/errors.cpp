// Status -> HTTP status and OpenSearch's error body. The only place domain codes become HTTP codes.
#include <string_view>

#include "common/json_writer.h"
#include "http/rest.h"

namespace sift::http {
namespace {

// Types whose HTTP status OpenSearch fixes regardless of how a module classified the failure.
int status_for_type(std::string_view type) {
  if (type == "index_not_found_exception" || type == "document_missing_exception" ||
      type == "resource_not_found_exception") {
    return 404;
  }
  if (type == "strict_dynamic_mapping_exception" || type == "resource_already_exists_exception") return 400;
  if (type == "version_conflict_engine_exception") return 409;
  if (type == "rejected_execution_exception" || type == "circuit_breaking_exception") return 429;
  return 0;
}

// Writes type, reason and index metadata into an open object, in the order OpenSearch renders them.
void write_fields(JsonWriter& w, const Status& status) {
  const std::string& type = status.type();
  w.field("type", type.empty() ? std::string_view("exception") : std::string_view(type));
  w.field("reason", status.reason());
  const std::string& index = status.index();
  if (index.empty()) return;
  if (type == "index_not_found_exception") {
    w.field("resource.type", "index_or_alias");
    w.field("resource.id", index);
  }
  w.field("index_uuid", "_na_");
  if (status.shard() >= 0) w.field("shard", std::to_string(status.shard()));
  w.field("index", index);
}

}  // namespace

int http_status_for(const Status& status) {
  if (int fixed = status_for_type(status.type())) return fixed;
  switch (status.code()) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument:
    case Code::kParseError:
    case Code::kAlreadyExists: return 400;
    case Code::kNotFound: return 404;
    case Code::kVersionConflict: return 409;
    case Code::kTooLarge: return 413;
    case Code::kResourceExhausted: return 429;
    case Code::kUnavailable: return 503;
    case Code::kTimeout: return 504;
    case Code::kCorruption:
    case Code::kIOError:
    case Code::kInternal: return 500;
  }
  return 500;
}

std::string error_object_json(const Status& status) {
  JsonWriter w;
  w.begin_object();
  write_fields(w, status);
  w.end_object();
  return w.take();
}

RestResponse error_response(const Status& status) {
  // An ok Status here is a handler bug; answering 200 with an error body would hide it.
  int code = status.is_ok() ? 500 : http_status_for(status);
  JsonWriter w;
  w.begin_object();
  w.key("error").begin_object();
  w.key("root_cause").begin_array().raw(error_object_json(status)).end_array();
  write_fields(w, status);
  w.end_object();
  w.field("status", code);
  w.end_object();
  return RestResponse::json(code, w.take());
}

}  // namespace sift::http
