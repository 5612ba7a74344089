#include "http/rest_util.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace sift::http {
namespace {

constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                            rapidjson::kParseFullPrecisionFlag;

Status body_error(const rapidjson::Document& d) {
  return Status(Code::kParseError, "parse_exception",
                std::string("request body is not valid JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) +
                    " at offset " + std::to_string(d.GetErrorOffset()));
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> json_members(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  if (blank(body)) return out;
  rapidjson::Document d;
  d.Parse<kFlags>(body.data(), body.size());
  if (d.HasParseError()) return body_error(d);
  if (!d.IsObject()) return Status(Code::kParseError, "parse_exception", "request body must be a JSON object");
  for (auto& m : d.GetObject()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    m.value.Accept(w);
    out.emplace_back(std::string(m.name.GetString(), m.name.GetStringLength()),
                     std::string(buf.GetString(), buf.GetSize()));
  }
  return out;
}

Status check_json(std::string_view body) {
  rapidjson::Document d;
  d.Parse<kFlags>(body.data(), body.size());
  if (d.HasParseError()) return body_error(d);
  return Status::ok();
}

std::vector<std::string> split_csv(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string_view part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

cluster::IndicesOptions indices_options(const RestRequest& req, const cluster::IndicesOptions& defaults) {
  cluster::IndicesOptions o = defaults;
  if (req.has_param("ignore_unavailable")) o.ignore_unavailable = req.param("ignore_unavailable") != "false";
  if (req.has_param("allow_no_indices")) o.allow_no_indices = req.param("allow_no_indices") != "false";
  if (req.has_param("expand_wildcards")) {
    o.expand_open = o.expand_closed = o.expand_hidden = false;
    for (const auto& w : split_csv(req.param("expand_wildcards"))) {
      if (w == "open") o.expand_open = true;
      else if (w == "closed") o.expand_closed = true;
      else if (w == "hidden") o.expand_hidden = true;
      else if (w == "all") o.expand_open = o.expand_closed = o.expand_hidden = true;
    }
  }
  return o;
}

Result<std::vector<std::string>> resolve_indices(cluster::Node& node, const RestRequest& req,
                                                 const cluster::IndicesOptions& defaults) {
  std::string expr = req.has_param("index") ? req.param("index") : "_all";
  return node.resolve(expr, indices_options(req, defaults));
}

Result<RefreshPolicy> refresh_policy(const RestRequest& req) {
  if (!req.has_param("refresh")) return RefreshPolicy::kNone;
  std::string v = req.param("refresh");
  if (v.empty() || v == "true") return RefreshPolicy::kImmediate;
  if (v == "false") return RefreshPolicy::kNone;
  if (v == "wait_for") return RefreshPolicy::kWaitFor;
  return invalid_argument("Unknown value for refresh: [" + v + "].");
}

void write_shards_header(JsonWriter& w, int total, int successful, int failed) {
  w.key("_shards").begin_object();
  w.field("total", total).field("successful", successful).field("failed", failed);
  w.end_object();
}

int effective_replicas(const cluster::IndexMetadata& meta) {
  auto it = meta.settings.find("index.auto_expand_replicas");
  if (it != meta.settings.end() && it->second != "false" && !it->second.empty() && it->second[0] == '0') return 0;
  return meta.number_of_replicas;
}

int shard_copies(const cluster::IndexMetadata& meta) { return 1 + effective_replicas(meta); }

RestResponse json_response(int status, JsonWriter& w) { return RestResponse::json(status, w.take()); }

RestResponse acknowledged(bool shards_acknowledged, const std::string& index) {
  JsonWriter w;
  w.begin_object().field("acknowledged", true);
  if (shards_acknowledged) w.field("shards_acknowledged", true);
  if (!index.empty()) w.field("index", index);
  w.end_object();
  return json_response(200, w);
}

}  // namespace sift::http
