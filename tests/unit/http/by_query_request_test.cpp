#include <catch2/catch.hpp>

#include "http/by_query_request.h"

using namespace sift;
using namespace sift::http;
using cluster::ByQueryKind;

namespace {

RestRequest make(std::string body, std::map<std::string, std::string> params = {}) {
  RestRequest r;
  r.method = Method::kPost;
  r.body = std::move(body);
  r.params = std::move(params);
  r.params["index"] = "t";
  return r;
}

std::string reason(const Result<ByQueryParams>& r) { return r.is_ok() ? "" : r.status().reason(); }

}  // namespace

TEST_CASE("defaults: batches of 1000, abort on conflict, all docs, wait for completion", "[by_query]") {
  auto p = parse_by_query_request(make(R"({"query":{"match_all":{}}})"), ByQueryKind::kDelete);
  REQUIRE(p.is_ok());
  CHECK(p->request.batch_size == 1000);
  CHECK(p->request.abort_on_conflict);
  CHECK(p->request.max_docs == -1);
  CHECK(p->request.requests_per_second == -1);
  CHECK_FALSE(p->request.refresh);
  CHECK(p->wait_for_completion);
  CHECK(p->request.query != nullptr);
  CHECK(p->warnings.empty());
}

TEST_CASE("body and URI options", "[by_query]") {
  auto p = parse_by_query_request(make(R"({"conflicts":"proceed","max_docs":5,"size":20,"query":{"term":{"a":"b"}}})",
                                       {{"refresh", "true"},
                                        {"wait_for_completion", "false"},
                                        {"requests_per_second", "2.5"},
                                        {"routing", "r1,r2"},
                                        {"slices", "auto"},
                                        {"sort", "n:desc"}}),
                                  ByQueryKind::kDelete);
  REQUIRE(p.is_ok());
  CHECK_FALSE(p->request.abort_on_conflict);
  CHECK(p->request.max_docs == 5);
  CHECK(p->request.batch_size == 20);  // the body's size is the batch size
  CHECK(p->request.refresh);
  CHECK_FALSE(p->wait_for_completion);
  CHECK(p->request.requests_per_second == 2.5);
  CHECK(p->request.routing == std::vector<std::string>{"r1", "r2"});
  REQUIRE(p->request.sort.size() == 1);
  CHECK(p->request.sort[0].descending);

  auto q = parse_by_query_request(make("", {{"q", "tag:x"}, {"scroll_size", "7"}, {"conflicts", "abort"}}),
                                  ByQueryKind::kDelete);
  REQUIRE(q.is_ok());
  CHECK(q->request.query != nullptr);
  CHECK(q->request.batch_size == 7);
  CHECK(parse_by_query_request(make("", {{"requests_per_second", "-1"}}), ByQueryKind::kUpdate)->request.requests_per_second ==
        -1);
}

TEST_CASE("max_docs: from the body, size or max_docs, the same value or an error", "[by_query]") {
  auto size = parse_by_query_request(make(R"({"query":{"match_all":{}}})", {{"size", "3"}}), ByQueryKind::kDelete);
  REQUIRE(size.is_ok());
  CHECK(size->request.max_docs == 3);
  CHECK(size->warnings.size() == 1);
  CHECK(parse_by_query_request(make("{}", {{"size", "3"}, {"max_docs", "3"}}), ByQueryKind::kUpdate).is_ok());
  CHECK(reason(parse_by_query_request(make("{}", {{"size", "4"}, {"max_docs", "5"}}), ByQueryKind::kUpdate)) ==
        "[max_docs] set to two different values [4] and [5]");
  CHECK(reason(parse_by_query_request(make(R"({"max_docs":2})", {{"max_docs", "5"}}), ByQueryKind::kUpdate)) ==
        "[max_docs] set to two different values [2] and [5]");
  CHECK(reason(parse_by_query_request(make("{}", {{"max_docs", "-4"}}), ByQueryKind::kUpdate)) ==
        "[max_docs] parameter cannot be negative, found [-4]");
  CHECK(reason(parse_by_query_request(make("{}", {{"max_docs", "1"}, {"slices", "2"}}), ByQueryKind::kUpdate)) ==
        "[max_docs] should be >= [slices]");
  CHECK(reason(parse_by_query_request(make(R"({"max_docs":0})"), ByQueryKind::kUpdate)) ==
        "[max_docs] should be >= [slices]");
  CHECK(parse_by_query_request(make("{}", {{"max_docs", "1"}, {"slices", "auto"}}), ByQueryKind::kUpdate).is_ok());
}

TEST_CASE("parameter errors carry OpenSearch's messages", "[by_query]") {
  auto bad = [](std::map<std::string, std::string> params) {
    return reason(parse_by_query_request(make(R"({"query":{"match_all":{}}})", std::move(params)), ByQueryKind::kDelete));
  };
  CHECK(bad({{"conflicts", "cat"}}) == "conflicts may only be \"proceed\" or \"abort\" but was [cat]");
  CHECK(bad({{"scroll_size", "asdf"}}) == "Failed to parse int parameter [scroll_size] with value [asdf]");
  for (const char* rps : {"", "-12", "0", "unlimited"}) {
    CHECK(bad({{"requests_per_second", rps}}) ==
          "[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.");
  }
  CHECK(bad({{"slices", "junk"}}) == "[slices] must be a positive integer or the string \"auto\", but was [junk]");
  CHECK(bad({{"slices", "0"}}) == "[slices] must be a positive integer or the string \"auto\", but was [0]");
  CHECK(bad({{"refresh", "wait_for"}}) == "Failed to parse value [wait_for] as only [true] or [false] are allowed.");
}

TEST_CASE("validation lists every problem; a delete needs a query, an update does not", "[by_query]") {
  auto none = parse_by_query_request(make(""), ByQueryKind::kDelete);
  REQUIRE_FALSE(none.is_ok());
  CHECK(none.status().type() == "action_request_validation_exception");
  CHECK(none.status().reason() == "Validation Failed: 1: query is missing;");
  CHECK(parse_by_query_request(make(""), ByQueryKind::kUpdate).is_ok());
  auto several = parse_by_query_request(make(R"({"stored_fields":["_id"],"from":1})"), ByQueryKind::kDelete);
  CHECK(reason(several) ==
        "Validation Failed: 1: from is not supported in this context;2: stored_fields is not supported in this "
        "context;3: query is missing;");
  CHECK(reason(parse_by_query_request(make("{}", {{"scroll_size", "0"}}), ByQueryKind::kUpdate)) ==
        "Validation Failed: 1: [size] cannot be [0] in a scroll context;");
}

TEST_CASE("scripts, manual slices and pipelines are refused", "[by_query]") {
  auto script = parse_by_query_request(make(R"({"script":{"source":"ctx._source.x = 1"}})"), ByQueryKind::kUpdate);
  REQUIRE_FALSE(script.is_ok());
  CHECK(script.status().type() == "illegal_argument_exception");
  CHECK(script.status().reason() == "scripts are not supported");
  // Delete by query has no script: the search body parser refuses the key.
  CHECK_FALSE(parse_by_query_request(make(R"({"query":{"match_all":{}},"script":{}})"), ByQueryKind::kDelete).is_ok());
  CHECK_FALSE(parse_by_query_request(make(R"({"slice":{"id":0,"max":2}})"), ByQueryKind::kUpdate).is_ok());
  CHECK(reason(parse_by_query_request(make("{}", {{"pipeline", "p"}}), ByQueryKind::kUpdate)) ==
        "pipeline with id [p] does not exist");
  CHECK(parse_by_query_request(make("{}", {{"pipeline", "_none"}}), ByQueryKind::kUpdate).is_ok());
}
