#include <catch2/catch.hpp>

#include "http/rest.h"

using namespace sift;
using namespace sift::http;

namespace {

Handler tagged(std::string tag) {
  return [tag](RestRequest&) { return RestResponse::text(200, tag); };
}

std::string run(const Router& r, Method m, std::string_view path, std::map<std::string, std::string>* params = nullptr,
                bool* known = nullptr) {
  std::map<std::string, std::string> scratch;
  const Handler* h = r.match(m, path, params ? params : &scratch, known);
  if (!h) return "<none>";
  RestRequest req;
  return (*h)(req).body;
}

}  // namespace

TEST_CASE("router: literal segments beat parameters, with backtracking", "[router]") {
  Router r;
  r.add(Method::kGet, "/_cat/health", tagged("cat_health"));
  r.add(Method::kGet, "/{index}/{type}", tagged("index_type"));
  r.add(Method::kGet, "/{index}/_doc/{id}", tagged("get_doc"));
  r.add(Method::kGet, "/_cat/indices/{index}", tagged("cat_indices"));
  r.add(Method::kGet, "/", tagged("root"));

  std::map<std::string, std::string> params;
  CHECK(run(r, Method::kGet, "/_cat/health", &params) == "cat_health");
  CHECK(params.empty());

  // "_cat" then "shards" has no literal child: falls back to the parameter route.
  params.clear();
  CHECK(run(r, Method::kGet, "/_cat/shards", &params) == "index_type");
  CHECK(params["index"] == "_cat");
  CHECK(params["type"] == "shards");

  // Under a literal "_cat" there is no 3-segment route for "_doc"; the parameter route takes it.
  params.clear();
  CHECK(run(r, Method::kGet, "/_cat/_doc/7", &params) == "get_doc");
  CHECK(params["index"] == "_cat");
  CHECK(params["id"] == "7");

  params.clear();
  CHECK(run(r, Method::kGet, "/_cat/indices/logs-*", &params) == "cat_indices");
  CHECK(params["index"] == "logs-*");

  CHECK(run(r, Method::kGet, "/") == "root");
  CHECK(run(r, Method::kGet, "/a/b/c/d") == "<none>");
}

TEST_CASE("router: trailing slash, percent-decoding and 405 detection", "[router]") {
  Router r;
  r.add(Method::kGet, "/{index}/_doc/{id}", tagged("get"));
  r.add(Method::kPut, "/{index}/_doc/{id}", tagged("put"));
  r.add(Method::kGet, "/{index}", tagged("get_index"));

  std::map<std::string, std::string> params;
  CHECK(run(r, Method::kGet, "/logs/_doc/1/", &params) == "get");
  CHECK(params["id"] == "1");

  params.clear();
  CHECK(run(r, Method::kPut, "/my%2Findex/_doc/a%20b+c", &params) == "put");
  CHECK(params["index"] == "my/index");  // an encoded '/' stays inside the segment
  CHECK(params["id"] == "a b+c");        // '+' is not a space in a path

  bool known = false;
  CHECK(run(r, Method::kDelete, "/logs/_doc/1", nullptr, &known) == "<none>");
  CHECK(known);
  known = true;
  CHECK(run(r, Method::kDelete, "/logs/_nope/1", nullptr, &known) == "<none>");
  CHECK_FALSE(known);
}

TEST_CASE("router: different parameter names at one place", "[router]") {
  Router r;
  r.add(Method::kGet, "/_template/{name}", tagged("template"));
  r.add(Method::kGet, "/{index}/_mapping", tagged("mapping"));
  r.add(Method::kGet, "/{repository}/_verify", tagged("verify"));
  std::map<std::string, std::string> params;
  CHECK(run(r, Method::kGet, "/repo1/_verify", &params) == "verify");
  CHECK(params.count("repository") == 1);
  CHECK(params.count("index") == 0);  // the abandoned branch's binding is not left behind
}

TEST_CASE("RestRequest: param_bool and param_int", "[router]") {
  RestRequest req;
  req.params = {{"a", ""}, {"b", "true"}, {"c", "false"}, {"d", "yes"}, {"n", "42"}, {"m", "4x"}, {"neg", "-7"}};
  CHECK(req.param_bool("a", false).value() == true);
  CHECK(req.param_bool("b", false).value() == true);
  CHECK(req.param_bool("c", true).value() == false);
  CHECK(req.param_bool("missing", true).value() == true);
  auto bad = req.param_bool("d", false);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().code() == Code::kInvalidArgument);
  CHECK(bad.status().reason() == "Failed to parse value [yes] as only [true] or [false] are allowed.");

  CHECK(req.param_int("n", 0).value() == 42);
  CHECK(req.param_int("neg", 0).value() == -7);
  CHECK(req.param_int("missing", 9).value() == 9);
  auto bad_int = req.param_int("m", 0);
  REQUIRE_FALSE(bad_int.is_ok());
  CHECK(bad_int.status().type() == "illegal_argument_exception");
  CHECK(bad_int.status().reason() == "Failed to parse int parameter [m] with value [4x]");

  req.headers = {{"x-opaque-id", "abc"}};
  CHECK(req.header("x-opaque-id") == "abc");
  CHECK(req.header("content-type").empty());
  CHECK(std::string(method_name(Method::kDelete)) == "DELETE");
}

TEST_CASE("errors: statuses and OpenSearch error bodies", "[errors]") {
  CHECK(http_status_for(invalid_argument("x")) == 400);
  CHECK(http_status_for(Status(Code::kAlreadyExists, "resource_already_exists_exception", "x")) == 400);
  CHECK(http_status_for(Status(Code::kVersionConflict, "version_conflict_engine_exception", "x")) == 409);
  CHECK(http_status_for(Status(Code::kResourceExhausted, "rejected_execution_exception", "x")) == 429);
  CHECK(http_status_for(Status(Code::kTooLarge, "x", "x")) == 413);
  CHECK(http_status_for(Status(Code::kUnavailable, "x", "x")) == 503);
  CHECK(http_status_for(Status(Code::kTimeout, "x", "x")) == 504);
  CHECK(http_status_for(io_error("disk")) == 500);
  // The type decides over a misclassified code.
  CHECK(http_status_for(Status(Code::kInvalidArgument, "index_not_found_exception", "x")) == 404);
  CHECK(http_status_for(Status(Code::kInternal, "strict_dynamic_mapping_exception", "x")) == 400);

  Status missing = Status(Code::kNotFound, "index_not_found_exception", "no such index [x]").with_index("x");
  CHECK(error_object_json(missing) ==
        R"({"type":"index_not_found_exception","reason":"no such index [x]","resource.type":"index_or_alias",)"
        R"("resource.id":"x","index_uuid":"_na_","index":"x"})");

  RestResponse r = error_response(invalid_argument("bad \"thing\""));
  CHECK(r.status == 400);
  CHECK(r.content_type == "application/json; charset=UTF-8");
  CHECK(r.body ==
        R"({"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"bad \"thing\""}],)"
        R"("type":"illegal_argument_exception","reason":"bad \"thing\""},"status":400})");

  Status exists = Status(Code::kAlreadyExists, "resource_already_exists_exception", "index [y] already exists")
                      .with_index("y");
  CHECK(error_object_json(exists) ==
        R"({"type":"resource_already_exists_exception","reason":"index [y] already exists",)"
        R"("index_uuid":"_na_","index":"y"})");
}
