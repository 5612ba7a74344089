// `_analyze` handlers driven through the router against a real Node in a temp directory.
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <cstdlib>
#include <filesystem>

#include "http/handlers.h"

using namespace sift;
using namespace sift::http;

namespace {

struct AnalyzeFixture {
  std::string dir;
  std::unique_ptr<cluster::Node> node;
  Router router;

  AnalyzeFixture() {
    char tmpl[] = "/tmp/sift_analyze_test_XXXXXX";
    dir = ::mkdtemp(tmpl);
    cluster::NodeOptions o;
    o.data_path = dir;
    o.node_name = "n1";
    auto n = cluster::Node::open(o);
    REQUIRE(n.is_ok());
    node = std::move(n).value();
    register_analyze_handlers(router, *node);
    cluster::CreateIndexRequest c;
    c.name = "idx";
    c.settings_json = R"({"index.analyze.max_token_count":3})";
    c.mappings_json = R"({"properties":{"body":{"type":"text","analyzer":"whitespace"},
                          "tag":{"type":"keyword","normalizer":"lowercase"},"n":{"type":"long"}}})";
    REQUIRE(node->create_index(c).is_ok());
  }
  ~AnalyzeFixture() {
    node.reset();
    std::filesystem::remove_all(dir);
  }

  // Sends the request and parses the JSON answer into `doc`; returns the HTTP status.
  int call(std::string_view path, std::string body, rapidjson::Document* doc, Method m = Method::kPost) {
    RestRequest req;
    req.method = m;
    req.path = std::string(path);
    req.body = std::move(body);
    bool known = false;
    const Handler* h = router.match(m, path, &req.params, &known);
    REQUIRE(h != nullptr);
    RestResponse r = (*h)(req);
    doc->Parse(r.body.c_str());
    INFO(r.body);
    REQUIRE_FALSE(doc->HasParseError());
    return r.status;
  }
};

std::string str(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

std::vector<std::string> terms(const rapidjson::Value& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens.GetArray()) out.push_back(str(t["token"]));
  return out;
}

std::string error_type(const rapidjson::Document& d) { return str(d["error"]["type"]); }
std::string error_reason(const rapidjson::Document& d) { return str(d["error"]["reason"]); }

}  // namespace

TEST_CASE("_analyze with a built-in analyzer renders tokens as OpenSearch does", "[analyze]") {
  AnalyzeFixture fx;
  rapidjson::Document d;
  REQUIRE(fx.call("/_analyze", R"({"analyzer":"standard","text":"Quick Brown-Foxes!"})", &d, Method::kGet) == 200);
  const auto& t = d["tokens"];
  CHECK(terms(t) == std::vector<std::string>{"quick", "brown", "foxes"});
  CHECK(t[1]["start_offset"].GetInt() == 6);
  CHECK(t[1]["end_offset"].GetInt() == 11);
  CHECK(str(t[1]["type"]) == "<ALPHANUM>");
  CHECK(t[2]["position"].GetInt() == 2);

  REQUIRE(fx.call("/_analyze", R"({"text":"The fox"})", &d) == 200);  // standard by default
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"the", "fox"});
  REQUIRE(fx.call("/_analyze", R"({"analyzer":"whitespace","text":"The fox."})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"The", "fox."});
  CHECK(str(d["tokens"][0]["type"]) == "word");
}

TEST_CASE("_analyze text arrays continue positions with a gap of 100 and offsets by one", "[analyze]") {
  AnalyzeFixture fx;
  rapidjson::Document d;
  REQUIRE(fx.call("/_analyze", R"({"analyzer":"standard","text":["a b","ć d"]})", &d) == 200);
  const auto& t = d["tokens"];
  REQUIRE(t.Size() == 4);
  CHECK(t[1]["position"].GetInt() == 1);
  CHECK(t[2]["position"].GetInt() == 102);
  CHECK(t[3]["position"].GetInt() == 103);
  CHECK(t[2]["start_offset"].GetInt() == 4);  // "a b" is 3 units, plus the offset gap of 1
  CHECK(t[3]["start_offset"].GetInt() == 6);  // offsets count UTF-16 units, not bytes
}

TEST_CASE("_analyze tokenizer chains: supported ones match OpenSearch, others are named in a 400", "[analyze]") {
  AnalyzeFixture fx;
  rapidjson::Document d;
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"standard","text":"Déjà Vu"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"Déjà", "Vu"});  // the tokenizer does not lower-case
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"standard","filter":["lowercase","stop"],"text":"The Fox"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"fox"});
  CHECK(d["tokens"][0]["position"].GetInt() == 1);
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"letter","text":"It's OK2go"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"It", "s", "OK", "go"});
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"keyword","text":"New York"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"New York"});

  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"whitespace","filter":["lowercase"],"text":"A-B c"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"a-b", "c"});
  // Inline definitions.
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"whitespace","filter":[{"type":"stop","stopwords":["b"]}],"text":"a b c"})",
                  &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"a", "c"});
  CHECK(d["tokens"][1]["position"].GetInt() == 2);
  // Without a tokenizer: a normalizer (only normalizing filters).
  REQUIRE(fx.call("/_analyze", R"({"filter":["lowercase"],"text":"New York"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"new york"});
  REQUIRE(fx.call("/_analyze", R"({"filter":["stop"],"text":"A"})", &d) == 400);
  CHECK(error_reason(d) == "Custom normalizer may not use filter [stop]");
  // Unknown parts are named.
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"nope","text":"A"})", &d) == 400);
  CHECK(error_type(d) == "illegal_argument_exception");
  CHECK(error_reason(d) == "failed to find global tokenizer under [nope]");
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"standard","filter":["nope"],"text":"A"})", &d) == 400);
  CHECK(error_reason(d) == "failed to find global filter under [nope]");
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"standard","char_filter":["nope"],"text":"A"})", &d) == 400);
  CHECK(error_reason(d) == "failed to find global char_filter under [nope]");
  REQUIRE(fx.call("/_analyze", R"({"tokenizer":{"type":"nope"},"text":"A"})", &d) == 400);
  CHECK(error_reason(d) == "Unknown tokenizer type [nope] for [_anonymous_tokenizer]");
}

TEST_CASE("_analyze explain renders OpenSearch's detail shape", "[analyze]") {
  AnalyzeFixture fx;
  rapidjson::Document d;
  REQUIRE(fx.call("/_analyze", R"({"analyzer":"standard","text":"Hi","explain":true})", &d) == 200);
  const auto& detail = d["detail"];
  CHECK(detail["custom_analyzer"].GetBool() == false);
  CHECK(str(detail["analyzer"]["name"]) == "standard");
  const auto& tok = detail["analyzer"]["tokens"][0];
  CHECK(str(tok["token"]) == "hi");
  CHECK(str(tok["bytes"]) == "[68 69]");
  CHECK(tok["termFrequency"].GetInt() == 1);

  REQUIRE(fx.call("/_analyze", R"({"tokenizer":"standard","filter":["lowercase"],"text":"Hi","explain":true,
                                    "attributes":["bytes"]})", &d) == 200);
  const auto& custom = d["detail"];
  CHECK(custom["custom_analyzer"].GetBool());
  CHECK(custom["charfilters"].Size() == 0);
  CHECK(str(custom["tokenizer"]["tokens"][0]["token"]) == "Hi");
  CHECK(str(custom["tokenfilters"][0]["name"]) == "lowercase");
  CHECK(str(custom["tokenfilters"][0]["tokens"][0]["token"]) == "hi");
  CHECK(custom["tokenfilters"][0]["tokens"][0].HasMember("bytes"));
  CHECK_FALSE(custom["tokenfilters"][0]["tokens"][0].HasMember("termFrequency"));
}

TEST_CASE("_analyze on an index uses the field's analyzer and the token limit", "[analyze]") {
  AnalyzeFixture fx;
  rapidjson::Document d;
  REQUIRE(fx.call("/idx/_analyze", R"({"field":"body","text":"Hello World"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"Hello", "World"});  // whitespace: case kept
  REQUIRE(fx.call("/idx/_analyze", R"({"field":"tag","text":"Hello World"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"hello world"});  // keyword + lowercase normalizer
  REQUIRE(fx.call("/idx/_analyze", R"({"field":"missing","text":"Hello World"})", &d) == 200);
  CHECK(terms(d["tokens"]) == std::vector<std::string>{"hello", "world"});  // the default analyzer
  REQUIRE(fx.call("/idx/_analyze", R"({"field":"n","text":"5"})", &d) == 400);
  CHECK(error_reason(d) == "Can't process field [n], Analysis requests are only supported on tokenized fields");

  REQUIRE(fx.call("/idx/_analyze", R"({"text":"one two three"})", &d) == 200);
  REQUIRE(fx.call("/idx/_analyze", R"({"text":["one two","three four"],"explain":true})", &d) == 400);
  CHECK(error_type(d) == "illegal_argument_exception");
  CHECK(error_reason(d) ==
        "The number of tokens produced by calling _analyze has exceeded the allowed maximum of [3]. This limit can be "
        "set by changing the [index.analyze.max_token_count] index level setting.");
}

TEST_CASE("_analyze errors have OpenSearch's types and reasons", "[analyze]") {
  AnalyzeFixture fx;
  rapidjson::Document d;
  REQUIRE(fx.call("/_analyze", R"({"analyzer":"nope","text":"x"})", &d) == 400);
  CHECK(error_type(d) == "illegal_argument_exception");
  CHECK(error_reason(d) == "failed to find global analyzer [nope]");
  REQUIRE(fx.call("/idx/_analyze", R"({"analyzer":"nope","text":"x"})", &d) == 400);
  CHECK(error_reason(d) == "failed to find analyzer [nope]");
  REQUIRE(fx.call("/_analyze", R"({"analyzer":"standard"})", &d) == 400);
  CHECK(error_type(d) == "action_request_validation_exception");
  CHECK(error_reason(d) == "Validation Failed: 1: text is missing;");
  REQUIRE(fx.call("/_analyze", "", &d) == 400);
  CHECK(error_reason(d) == "Validation Failed: 1: text is missing;");
  REQUIRE(fx.call("/nothere/_analyze", R"({"text":"x"})", &d) == 404);
  CHECK(error_type(d) == "index_not_found_exception");
  REQUIRE(fx.call("/_analyze", R"({"field":"body","text":"x"})", &d) == 400);
  CHECK(error_type(d) == "illegal_argument_exception");
  REQUIRE(fx.call("/_analyze", R"({"text":"x","bogus":1})", &d) == 400);
  CHECK(error_type(d) == "x_content_parse_exception");
}
