#include <catch2/catch.hpp>

#include "cluster/index_metadata.h"
#include "cluster/templates.h"

using namespace sift;
using namespace sift::cluster;

namespace {
template <typename T>
T ok(Result<T> r) {
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  return std::move(r).value();
}
}  // namespace

TEST_CASE("composable templates: highest priority wins, components compose, later fields replace", "[templates]") {
  Templates t;
  t.components["base"] = ok(parse_component_template(
      R"({"template":{"settings":{"number_of_replicas":1},"mappings":{"properties":{"a":{"type":"keyword"},)"
      R"("obj":{"properties":{"x":{"type":"keyword"}}}}},"aliases":{"al":{"is_write_index":false}}}})"));
  t.components["more"] = ok(parse_component_template(
      R"({"template":{"settings":{"index.number_of_replicas":0},"mappings":{"properties":{"obj":{"properties":{"x":{"type":"text"},"y":{"type":"long"}}}}}}})"));
  t.composable["low"] = ok(parse_composable_template(R"({"index_patterns":["logs-*"],"priority":1,)"
                                                     R"("template":{"settings":{"number_of_shards":5}}})"));
  t.composable["high"] = ok(parse_composable_template(
      R"({"index_patterns":["logs-*"],"priority":10,"composed_of":["base","more"],)"
      R"("template":{"settings":{"number_of_shards":2},"aliases":{"al":{"routing":"r"}}}})"));
  ResolvedTemplate r = ok(resolve_templates(t, "logs-2026"));
  CHECK(r.matched == "high");
  CHECK(r.settings.at("index.number_of_shards") == "2");
  CHECK(r.settings.at("index.number_of_replicas") == "0");  // the later component wins
  REQUIRE(r.mappings);
  CHECK(r.mappings->find("a")->type == index::FieldType::kKeyword);
  CHECK(r.mappings->find("obj.x")->type == index::FieldType::kText);  // replaced, not a conflict
  CHECK(r.mappings->find("obj.y") != nullptr);
  REQUIRE(r.aliases_json.size() == 2);
  CHECK(r.aliases_json[1] == R"({"al":{"index_routing":"r","search_routing":"r"}})");
  CHECK(ok(resolve_templates(t, "metrics")).matched.empty());
}

TEST_CASE("legacy templates apply by ascending order when no composable template matches", "[templates]") {
  Templates t;
  t.legacy["a"] = ok(parse_legacy_template(R"({"index_patterns":"x*","order":2,"settings":{"number_of_shards":3}})"));
  t.legacy["b"] = ok(parse_legacy_template(R"({"template":"x*","order":1,"settings":{"number_of_shards":7,"refresh_interval":"5s"},)"
                                           R"("mappings":{"_doc":{"properties":{"f":{"type":"long"}}}}})"));
  ResolvedTemplate r = ok(resolve_templates(t, "xyz"));
  CHECK(r.settings.at("index.number_of_shards") == "3");
  CHECK(r.settings.at("index.refresh_interval") == "5s");
  REQUIRE(r.mappings);
  CHECK(r.mappings->find("f") != nullptr);  // legacy templates may carry a type wrapper
  t.composable["c"] = ok(parse_composable_template(R"({"index_patterns":["xy*"]})"));
  CHECK(ok(resolve_templates(t, "xyz")).settings.empty());  // a composable match hides legacy ones
}

TEST_CASE("template validation: patterns, components, priorities", "[templates]") {
  auto missing = parse_composable_template("{}");
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.status().reason().find("index patterns are missing") != std::string::npos);
  CHECK_FALSE(parse_composable_template(R"({"index_patterns":"a*","bogus":1})").is_ok());
  CHECK_FALSE(parse_composable_template(R"({"index_patterns":"a*","priority":-1})").is_ok());
  Templates t;
  t.composable["one"] = ok(parse_composable_template(R"({"index_patterns":["logs-*"]})"));
  auto same = ok(parse_composable_template(R"({"index_patterns":["logs-app-*"]})"));
  Status clash = validate_composable(t, "two", same);
  CHECK(clash.type() == "illegal_argument_exception");
  CHECK(clash.reason().find("that have the same priority [0]") != std::string::npos);
  auto distinct = ok(parse_composable_template(R"({"index_patterns":["app-*-some_other-*"]})"));
  t.composable["three"] = ok(parse_composable_template(R"({"index_patterns":["app-*-some-*"]})"));
  CHECK(validate_composable(t, "four", distinct).is_ok());
  auto needs = ok(parse_composable_template(R"({"index_patterns":["z"],"composed_of":["nope"]})"));
  CHECK(validate_composable(t, "five", needs).reason().find("specifies component templates [nope] that do not exist") !=
        std::string::npos);
}

TEST_CASE("templates render as GET shows them and read back the same", "[templates]") {
  auto c = ok(parse_composable_template(
      R"({"index_patterns":"t-*","priority":3,"version":7,"_meta":{"k":"v"},"composed_of":["x"],)"
      R"("template":{"settings":{"number_of_shards":1},"mappings":{"properties":{"f":{"type":"keyword"}}}}})"));
  std::string json = composable_template_to_json(c, false);
  CHECK(json == R"({"index_patterns":["t-*"],"template":{"settings":{"index":{"number_of_shards":"1"}},)"
                 R"("mappings":{"properties":{"f":{"type":"keyword"}}}},"composed_of":["x"],"priority":3,"version":7,)"
                 R"("_meta":{"k":"v"}})");
  CHECK(composable_template_to_json(ok(parse_composable_template(json)), false) == json);
  auto l = ok(parse_legacy_template(R"({"index_patterns":["a*"],"order":1})"));
  CHECK(legacy_template_to_json(l, true) == R"({"order":1,"index_patterns":["a*"],"settings":{},"mappings":{},"aliases":{}})");
}
