#include "http/by_query_request.h"

#include <rapidjson/document.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "cluster/settings.h"
#include "common/json_writer.h"
#include "http/rest_util.h"
#include "http/uri_query.h"
#include "query/search_request.h"

namespace sift::http {
namespace {

constexpr int64_t kDefaultBatchSize = 1000;  // OpenSearch's DEFAULT_SCROLL_SIZE

// max_docs as OpenSearch sets it from the body, `size` and `max_docs`: the same value twice is
// fine, two different ones are not; negative values and values below `slices` are refused.
class MaxDocs {
 public:
  Status set(int64_t v, int64_t slices) {
    if (value_ >= 0 && value_ != v) {
      return invalid_argument("[max_docs] set to two different values [" + std::to_string(value_) + "] and [" +
                              std::to_string(v) + "]");
    }
    if (v < 0) return invalid_argument("[max_docs] parameter cannot be negative, found [" + std::to_string(v) + "]");
    if (v < slices) return invalid_argument("[max_docs] should be >= [slices]");
    value_ = v;
    return Status::ok();
  }
  int64_t value() const { return value_; }

 private:
  int64_t value_ = -1;
};

Status set_conflicts(const std::string& v, cluster::ByQueryRequest* r) {
  if (v == "proceed") r->abort_on_conflict = false;
  else if (v == "abort") r->abort_on_conflict = true;
  else return invalid_argument("conflicts may only be \"proceed\" or \"abort\" but was [" + v + "]");
  return Status::ok();
}

// `slices`: a positive integer or "auto" (0, as OpenSearch stores it).
Result<int64_t> parse_slices(const RestRequest& req) {
  if (!req.has_param("slices")) return int64_t{1};
  std::string v = req.param("slices");
  if (v == "auto") return int64_t{0};
  auto n = req.param_int("slices", 1);
  if (!n.is_ok() || *n < 1) {
    return invalid_argument("[slices] must be a positive integer or the string \"auto\", but was [" + v + "]");
  }
  return *n;
}

// `requests_per_second`: a float > 0, or -1 for no throttle.
Result<double> parse_requests_per_second(const RestRequest& req) {
  if (!req.has_param("requests_per_second")) return -1.0;
  std::string v = req.param("requests_per_second");
  const char* error = "[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.";
  char* end = nullptr;
  errno = 0;
  double d = v.empty() ? 0 : std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || errno != 0 || std::isnan(d)) return invalid_argument(error);
  if (d == -1) return -1.0;
  if (d <= 0) return invalid_argument(error);
  return std::isinf(d) ? -1.0 : d;
}

// The members of the body that are not search options, and the search body without them.
struct BodyParts {
  std::string search_json = "{}";
  bool has_query = false;
  bool has_from = false;
  bool has_stored_fields = false;
  bool has_size = false;
};

Result<BodyParts> split_body(const RestRequest& req, cluster::ByQueryKind kind, MaxDocs* max_docs,
                             cluster::ByQueryRequest* out) {
  BodyParts parts;
  SIFT_ASSIGN_OR_RETURN(auto members, json_members(req.body));
  std::string search = "{";
  for (const auto& [key, raw] : members) {
    if (key == "conflicts" || key == "max_docs") {
      rapidjson::Document d;
      d.Parse(raw.data(), raw.size());
      if (key == "conflicts") {
        SIFT_RETURN_IF_ERROR(set_conflicts(d.IsString() ? std::string(d.GetString(), d.GetStringLength()) : raw, out));
      } else if (d.IsInt64()) {
        SIFT_RETURN_IF_ERROR(max_docs->set(d.GetInt64(), 1));
      } else {
        return Status(Code::kParseError, "parsing_exception", "[max_docs] must be an integer, found [" + raw + "]");
      }
      continue;
    }
    if (key == "script" && kind == cluster::ByQueryKind::kUpdate) {
      return invalid_argument("scripts are not supported");
    }
    if (key == "slice") {
      return invalid_argument("[slice] is not supported: Sift runs delete and update by query as one slice");
    }
    parts.has_query |= key == "query";
    parts.has_from |= key == "from";
    parts.has_stored_fields |= key == "stored_fields";
    parts.has_size |= key == "size";
    if (search.size() > 1) search += ',';
    append_json_string(search, key);
    search += ':';
    search += raw;
  }
  parts.search_json = search + "}";
  return parts;
}

// `sort=field:dir,...` as `_search` reads it.
std::vector<query::SortSpec> uri_sort(const std::string& text) {
  std::vector<query::SortSpec> out;
  for (const auto& part : split_csv(text)) {
    query::SortSpec spec;
    size_t colon = part.find(':');
    spec.field = part.substr(0, colon);
    spec.descending = colon != std::string::npos ? part.substr(colon + 1) == "desc" : spec.field == "_score";
    out.push_back(spec);
  }
  return out;
}

// Checks OpenSearch runs on the whole request before executing it, reported together.
Status validate(const ByQueryParams& p, const BodyParts& body, const RestRequest& req, cluster::ByQueryKind kind,
                bool has_query) {
  std::vector<std::string> errors;
  if (p.request.batch_size == 0) errors.push_back("[size] cannot be [0] in a scroll context");
  if (body.has_from || req.has_param("from")) errors.push_back("from is not supported in this context");
  if (body.has_stored_fields || req.has_param("stored_fields")) {
    errors.push_back("stored_fields is not supported in this context");
  }
  if (kind == cluster::ByQueryKind::kDelete && !has_query) errors.push_back("query is missing");
  if (errors.empty()) return Status::ok();
  std::string reason = "Validation Failed: ";
  for (size_t i = 0; i < errors.size(); ++i) reason += std::to_string(i + 1) + ": " + errors[i] + ";";
  return Status(Code::kInvalidArgument, "action_request_validation_exception", reason);
}

}  // namespace

Result<ByQueryParams> parse_by_query_request(const RestRequest& req, cluster::ByQueryKind kind) {
  ByQueryParams p;
  cluster::ByQueryRequest& r = p.request;
  r.kind = kind;
  MaxDocs max_docs;
  SIFT_ASSIGN_OR_RETURN(BodyParts body, split_body(req, kind, &max_docs, &r));
  SIFT_ASSIGN_OR_RETURN(query::SearchRequest search, query::parse_search_request(body.search_json, false));
  r.query = std::move(search.query);
  r.sort = std::move(search.sort);
  r.batch_size = body.has_size ? search.size : kDefaultBatchSize;
  bool has_query = body.has_query;
  SIFT_ASSIGN_OR_RETURN(std::unique_ptr<query::Query> q, uri_query(req));
  if (q) {
    r.query = std::move(q);
    has_query = true;
  }
  if (req.has_param("sort")) r.sort = uri_sort(req.param("sort"));
  if (req.has_param("size")) {
    SIFT_ASSIGN_OR_RETURN(int64_t size, req.param_int("size", -1));
    p.warnings.push_back("Deprecated field [size] used, expected [max_docs] instead");
    SIFT_RETURN_IF_ERROR(max_docs.set(size, 1));
  }
  if (req.has_param("scroll_size")) {
    SIFT_ASSIGN_OR_RETURN(r.batch_size, req.param_int("scroll_size", kDefaultBatchSize));
  }
  if (r.batch_size < 0) {
    return invalid_argument("[size] parameter cannot be negative, found [" + std::to_string(r.batch_size) + "]");
  }
  if (req.has_param("conflicts")) SIFT_RETURN_IF_ERROR(set_conflicts(req.param("conflicts"), &r));
  if (req.has_param("scroll")) {
    SIFT_RETURN_IF_ERROR(cluster::parse_time_millis(req.param("scroll"), "scroll").status());
  }
  if (req.has_param("timeout")) {
    SIFT_RETURN_IF_ERROR(cluster::parse_time_millis(req.param("timeout"), "timeout").status());
  }
  SIFT_ASSIGN_OR_RETURN(r.refresh, req.param_bool("refresh", false));
  SIFT_ASSIGN_OR_RETURN(p.wait_for_completion, req.param_bool("wait_for_completion", true));
  SIFT_ASSIGN_OR_RETURN(int64_t slices, parse_slices(req));
  SIFT_ASSIGN_OR_RETURN(r.requests_per_second, parse_requests_per_second(req));
  if (req.has_param("max_docs")) {
    SIFT_ASSIGN_OR_RETURN(int64_t v, req.param_int("max_docs", -1));
    SIFT_RETURN_IF_ERROR(max_docs.set(v, slices));
  }
  r.max_docs = max_docs.value();
  r.routing = split_csv(req.param("routing"));
  if (kind == cluster::ByQueryKind::kUpdate && req.has_param("pipeline") && !req.param("pipeline").empty() &&
      req.param("pipeline") != "_none") {
    return invalid_argument("pipeline with id [" + req.param("pipeline") + "] does not exist");
  }
  SIFT_RETURN_IF_ERROR(validate(p, body, req, kind, has_query));
  return p;
}

}  // namespace sift::http
