// The REST layer's request/response types and router. The Beast server (server.cpp) turns bytes
// into a RestRequest (body already decompressed), the router picks a handler by method and path
// pattern, and the server renders the RestResponse (applying ?pretty, ?filter_path and gzip).
// Handlers never see Beast.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sift::http {

enum class Method { kGet, kHead, kPost, kPut, kDelete, kOther };
const char* method_name(Method m);

struct RestRequest {
  Method method = Method::kGet;
  std::string path;                              // percent-decoded, without the query string
  std::map<std::string, std::string> params;     // query parameters and {path} parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                              // decompressed (gzip/deflate) body
  std::string content_type;                      // media type without parameters, lower-cased

  bool has_param(std::string_view name) const { return params.count(std::string(name)) > 0; }
  std::string param(std::string_view name, std::string_view fallback = "") const;
  // "true"/"" -> true, "false" -> false, else `fallback`... invalid text is an error at the caller.
  Result<bool> param_bool(std::string_view name, bool fallback) const;
  Result<int64_t> param_int(std::string_view name, int64_t fallback) const;
  std::string header(std::string_view lower_name) const;
};

struct RestResponse {
  int status = 200;
  std::string content_type = "application/json; charset=UTF-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool is_json() const { return content_type.rfind("application/json", 0) == 0; }

  static RestResponse json(int status, std::string body) {
    RestResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static RestResponse text(int status, std::string body) {
    RestResponse r;
    r.status = status;
    r.content_type = "text/plain; charset=UTF-8";
    r.body = std::move(body);
    return r;
  }
};

using Handler = std::function<RestResponse(RestRequest&)>;

// Routes by method and path pattern. Patterns are literal segments and `{name}` parameters:
// "/{index}/_doc/{id}". A literal segment beats a parameter at the same place, so "/_cat/health"
// wins over "/{index}/{type}". Matched parameters are percent-decoded into request.params.
class Router {
 public:
  // Bodies of kJson routes deeper than kMaxJsonDepth are refused with a 400 before the handler
  // runs; kDocuments routes (document indexing, _bulk) leave depth to the document parser, which
  // checks it without recursion.
  enum class BodyKind { kJson, kDocuments };
  void add(Method method, std::string_view pattern, Handler handler, BodyKind body = BodyKind::kJson);
  // The handler for the request, or nullptr. `path_known` tells whether the path matched with another
  // method (405 rather than 404).
  const Handler* match(Method method, std::string_view path, std::map<std::string, std::string>* params,
                       bool* path_known) const;

 private:
  struct Node;
  std::shared_ptr<Node> root_;
};

// OpenSearch's error body for a Status:
// {"error":{"root_cause":[{type,reason,...}],"type","reason",...},"status":N}
RestResponse error_response(const Status& status);
int http_status_for(const Status& status);
// Renders a Status as an error object ({"type","reason",...}) for bulk items and shard failures.
std::string error_object_json(const Status& status);

}  // namespace sift::http
