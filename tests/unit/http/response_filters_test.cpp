#include <catch2/catch.hpp>

#include "http/response_filters.h"

using namespace sift;
using namespace sift::http;

namespace {

std::string fp(std::string_view json, std::string_view expr) {
  auto r = filter_path(json, expr);
  REQUIRE(r.is_ok());
  return r.value();
}

const char* kNodes =
    R"({"_nodes":{"total":2},"cluster_name":"c","nodes":{)"
    R"("n1":{"name":"a","http":{"publish_address":"1.1.1.1:9200","bound":["x"]}},)"
    R"("n2":{"name":"b","http":{"publish_address":"2.2.2.2:9200"}}}})";

}  // namespace

TEST_CASE("pretty: OpenSearch's layout", "[pretty]") {
  auto r = pretty_json(R"({"a":1,"b":{"c":[1,2],"d":[]},"e":{},"f":[{"g":"x\n"}],"n":1.50,"t":true,"z":null})");
  REQUIRE(r.is_ok());
  CHECK(r.value() ==
        "{\n"
        "  \"a\" : 1,\n"
        "  \"b\" : {\n"
        "    \"c\" : [\n"
        "      1,\n"
        "      2\n"
        "    ],\n"
        "    \"d\" : [ ]\n"
        "  },\n"
        "  \"e\" : { },\n"
        "  \"f\" : [\n"
        "    {\n"
        "      \"g\" : \"x\\n\"\n"
        "    }\n"
        "  ],\n"
        "  \"n\" : 1.50,\n"
        "  \"t\" : true,\n"
        "  \"z\" : null\n"
        "}\n");
  CHECK(pretty_json("{}").value() == "{ }\n");
  CHECK(pretty_json("[]").value() == "[ ]\n");
  CHECK_FALSE(pretty_json("{\"a\":").is_ok());
}

TEST_CASE("filter_path: includes and wildcards", "[filter_path]") {
  CHECK(fp(kNodes, "cluster_name") == R"({"cluster_name":"c"})");
  CHECK(fp(kNodes, "nodes.*.http.publish_address") ==
        R"({"nodes":{"n1":{"http":{"publish_address":"1.1.1.1:9200"}},"n2":{"http":{"publish_address":"2.2.2.2:9200"}}}})");
  CHECK(fp(kNodes, "nodes.n*.name,_nodes.total") ==
        R"({"_nodes":{"total":2},"nodes":{"n1":{"name":"a"},"n2":{"name":"b"}}})");
  CHECK(fp(kNodes, "**.publish_address") ==
        R"({"nodes":{"n1":{"http":{"publish_address":"1.1.1.1:9200"}},"n2":{"http":{"publish_address":"2.2.2.2:9200"}}}})");
  CHECK(fp(kNodes, "nodes.**.bound") == R"({"nodes":{"n1":{"http":{"bound":["x"]}}}})");
  CHECK(fp(kNodes, "nothing.here") == "{}");
  CHECK(fp(kNodes, "") == kNodes);
}

TEST_CASE("filter_path: arrays are transparent, numbers verbatim", "[filter_path]") {
  const char* bulk =
      R"({"took":3,"errors":false,"items":[{"index":{"_id":"1","status":201,"result":"created"}},)"
      R"({"delete":{"_id":"2","status":404}}]})";
  CHECK(fp(bulk, "items.*.status") == R"({"items":[{"index":{"status":201}},{"delete":{"status":404}}]})");
  CHECK(fp(bulk, "took,items.index._id") == R"({"took":3,"items":[{"index":{"_id":"1"}}]})");

  const char* search =
      R"({"hits":{"total":{"value":2},"max_score":1.0E2,"hits":[{"_id":"a","_score":1.50,"_source":{"x":1}},)"
      R"({"_id":"b","_score":0.5,"_source":{"x":2}}]}})";
  CHECK(fp(search, "hits.hits._sou*") == R"({"hits":{"hits":[{"_source":{"x":1}},{"_source":{"x":2}}]}})");
  CHECK(fp(search, "hits.max_score,hits.hits._score") ==
        R"({"hits":{"max_score":1.0E2,"hits":[{"_score":1.50},{"_score":0.5}]}})");
  // A root array (the _cat APIs with format=json).
  CHECK(fp(R"([{"health":"green","index":"a"},{"health":"red","index":"b"}])", "index") ==
        R"([{"index":"a"},{"index":"b"}])");
}

TEST_CASE("filter_path: exclusions", "[filter_path]") {
  CHECK(fp(kNodes, "-nodes") == R"({"_nodes":{"total":2},"cluster_name":"c"})");
  CHECK(fp(kNodes, "-nodes.*.http,-_nodes") == R"({"cluster_name":"c","nodes":{"n1":{"name":"a"},"n2":{"name":"b"}}})");
  CHECK(fp(kNodes, "-**.name") ==
        R"({"_nodes":{"total":2},"cluster_name":"c","nodes":{"n1":{"http":{"publish_address":"1.1.1.1:9200","bound":["x"]}},)"
        R"("n2":{"http":{"publish_address":"2.2.2.2:9200"}}}})");
  // Include, then exclude within what was kept.
  CHECK(fp(kNodes, "nodes,-nodes.n2") ==
        R"({"nodes":{"n1":{"name":"a","http":{"publish_address":"1.1.1.1:9200","bound":["x"]}}}})");
  // An object already empty is kept; one emptied by the exclusion goes.
  CHECK(fp(R"({"a":{},"b":{"c":1}})", "-b.c") == R"({"a":{}})");
}

TEST_CASE("compression: gzip and deflate round trips", "[compression]") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + "\n";
  for (Compression kind : {Compression::kGzip, Compression::kDeflate}) {
    std::string packed = compress(text, kind);
    REQUIRE(!packed.empty());
    CHECK(packed.size() < text.size() / 2);
    auto back = decompress(packed, 1 << 20);
    REQUIRE(back.is_ok());
    CHECK(back.value() == text);
  }
  CHECK(static_cast<unsigned char>(compress(text, Compression::kGzip)[0]) == 0x1f);  // gzip magic

  // Over the limit after inflating.
  auto big = decompress(compress(text, Compression::kGzip), 100);
  REQUIRE_FALSE(big.is_ok());
  CHECK(big.status().code() == Code::kTooLarge);

  // Corrupt and truncated input.
  std::string packed = compress(text, Compression::kGzip);
  auto truncated = decompress(packed.substr(0, packed.size() / 2), 1 << 20);
  REQUIRE_FALSE(truncated.is_ok());
  CHECK(truncated.status().type() == "parse_exception");
  auto garbage = decompress("this is not compressed at all", 1 << 20);
  CHECK_FALSE(garbage.is_ok());
}

TEST_CASE("percent_decode", "[url]") {
  CHECK(percent_decode("a%20b%2Fc+d") == "a b/c+d");
  CHECK(percent_decode("100%") == "100%");
  CHECK(percent_decode("%zz") == "%zz");
}
