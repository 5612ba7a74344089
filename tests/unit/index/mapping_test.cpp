#include <catch2/catch.hpp>

#include "index/mapping.h"

using namespace sift::index;

namespace {

Mapping parse_ok(std::string_view json, bool allow_type_wrapper = false) {
  auto m = parse_mapping(json, allow_type_wrapper);
  INFO(json << " -> " << m.status().to_string());
  REQUIRE(m.is_ok());
  return std::move(m).value();
}

sift::Status parse_err(std::string_view json) {
  auto m = parse_mapping(json);
  INFO(json);
  REQUIRE_FALSE(m.is_ok());
  return m.status();
}

}  // namespace

TEST_CASE("field types by name", "[mapping]") {
  for (const char* name : {"object", "nested", "text", "keyword", "long", "integer", "short", "byte", "double",
                           "float", "half_float", "scaled_float", "date", "boolean", "ip"}) {
    auto t = parse_field_type(name);
    REQUIRE(t.has_value());
    CHECK(std::string(field_type_name(*t)) == name);
  }
  CHECK_FALSE(parse_field_type("geo_point").has_value());
}

TEST_CASE("parse and render round trip with sorted properties and multi-fields", "[mapping]") {
  const char* json =
      R"({"properties":{"zeta":{"type":"long","index":false},)"
      R"("alpha":{"type":"text","analyzer":"standard","fields":{"raw":{"type":"keyword","ignore_above":256}}},)"
      R"("when":{"type":"date","format":"yyyy-MM-dd||epoch_millis"},)"
      R"("price":{"type":"scaled_float","scaling_factor":100},)"
      R"("user":{"properties":{"name":{"type":"keyword","null_value":"NULL","copy_to":"all"}}},)"
      R"("all":{"type":"text"}}})";
  Mapping m = parse_ok(json);
  const std::string expected =
      R"({"properties":{"all":{"type":"text"},)"
      R"("alpha":{"type":"text","analyzer":"standard","fields":{"raw":{"type":"keyword","ignore_above":256}}},)"
      R"("price":{"type":"scaled_float","scaling_factor":100.0},)"
      R"("user":{"properties":{"name":{"type":"keyword","copy_to":["all"],"null_value":"NULL"}}},)"
      R"("when":{"type":"date","format":"yyyy-MM-dd||epoch_millis"},)"
      R"("zeta":{"type":"long","index":false}}})";
  CHECK(mapping_to_json(m) == expected);
  // Rendering is a fixed point.
  CHECK(mapping_to_json(parse_ok(mapping_to_json(m))) == expected);
}

TEST_CASE("path lookup over objects and multi-fields", "[mapping]") {
  Mapping m = parse_ok(
      R"({"properties":{"title":{"type":"text","fields":{"keyword":{"type":"keyword"}}},)"
      R"("user":{"type":"object","properties":{"name":{"type":"keyword","doc_values":false},)"
      R"("address":{"properties":{"city":{"type":"text"}}}}},)"
      R"("blob":{"type":"object","enabled":false,"properties":{"x":{"type":"long"}}},)"
      R"("n":{"type":"nested","properties":{"v":{"type":"integer"}}}}})");
  const ResolvedField* title = m.find("title");
  REQUIRE(title != nullptr);
  CHECK(title->type == FieldType::kText);
  CHECK_FALSE(title->doc_values);
  CHECK_FALSE(title->is_multi_field);
  const ResolvedField* kw = m.find("title.keyword");
  REQUIRE(kw != nullptr);
  CHECK(kw->is_multi_field);
  CHECK(kw->doc_values);
  const ResolvedField* name = m.find("user.name");
  REQUIRE(name != nullptr);
  CHECK_FALSE(name->doc_values);
  CHECK(name->indexed);
  REQUIRE(m.find("user.address.city") != nullptr);
  CHECK(m.find("user") == nullptr);
  CHECK(m.find_object("user") != nullptr);
  CHECK(m.find_object("user.address") != nullptr);
  CHECK(m.find_object("") == &m.root());
  CHECK(m.find_object("title") == nullptr);
  CHECK(m.find("blob.x") == nullptr);  // disabled: kept in _source only
  REQUIRE(m.find_object("n") != nullptr);
  CHECK(m.find_object("n")->type == FieldType::kNested);
  CHECK(m.find("n.v") != nullptr);
  // objects user, user.address, blob, n + leaves title, title.keyword, user.name, city, n.v
  CHECK(m.total_fields() == 9);
  // A copy owns its own lookup.
  Mapping copy(m);
  REQUIRE(copy.find("title") != nullptr);
  CHECK(copy.find("title")->mapping != title->mapping);
}

TEST_CASE("type wrapper and root parameters", "[mapping]") {
  Mapping m = parse_ok(
      R"({"_doc":{"dynamic":"strict","date_detection":false,"numeric_detection":true,)"
      R"("dynamic_date_formats":["yyyy-MM-dd"],"_meta":{"owner":"me"},"_source":{"enabled":false},)"
      R"("dynamic_templates":[{"strings":{"match_mapping_type":"string","mapping":{"type":"keyword"}}}],)"
      R"("_routing":{"required":true},"properties":{"a":{"type":"keyword"}}}})", true);
  CHECK(m.dynamic() == Dynamic::kStrict);
  CHECK_FALSE(m.date_detection);
  CHECK(m.numeric_detection);
  CHECK(m.dynamic_date_formats == std::vector<std::string>{"yyyy-MM-dd"});
  CHECK(m.meta_json == R"({"owner":"me"})");
  CHECK_FALSE(m.source_enabled);
  CHECK(m.find("a") != nullptr);
  std::string out = mapping_to_json(m);
  CHECK(out.find(R"("dynamic":"strict")") != std::string::npos);
  CHECK(out.find(R"("_source":{"enabled":false})") != std::string::npos);
  CHECK(out.find(R"("date_detection":false)") != std::string::npos);
  CHECK(out.find(R"("_meta":{"owner":"me"})") != std::string::npos);
  CHECK(out.find(R"("dynamic_templates":[{"strings")") != std::string::npos);
  CHECK(out.find(R"("_routing":{"required":true})") != std::string::npos);

  Mapping wrapped = parse_ok(R"({"my_type":{"properties":{"x":{"type":"long"}}}})", true);
  CHECK(wrapped.find("x") != nullptr);
  // OpenSearch 2 rejects a type wrapper outside legacy templates.
  auto rejected = parse_mapping(R"({"_doc":{"properties":{"x":{"type":"long"}}}})");
  REQUIRE_FALSE(rejected.is_ok());
  CHECK(rejected.status().reason().find("cannot be nested under a type [_doc]") != std::string::npos);
  CHECK(parse_ok(R"({"dynamic":false})").dynamic() == Dynamic::kFalse);
  CHECK(parse_ok(R"({"dynamic":"true"})").dynamic() == Dynamic::kTrue);
}

TEST_CASE("empty mapping renders {} and defaults stay unrendered", "[mapping]") {
  CHECK(mapping_to_json(parse_ok("{}")) == "{}");
  CHECK(mapping_to_json(Mapping()) == "{}");
  CHECK(mapping_to_json(parse_ok(R"({"_doc":{}})", true)) == "{}");
  CHECK(mapping_to_json(parse_ok(R"({"dynamic":true})")) == R"({"dynamic":"true"})");
  Mapping m;
  CHECK(m.dynamic() == Dynamic::kTrue);
  CHECK(m.total_fields() == 0);
}

TEST_CASE("objects: implicit type, dotted names, dynamic and enabled", "[mapping]") {
  Mapping m = parse_ok(R"({"properties":{"a":{"dynamic":"strict","properties":{"b":{"type":"long"}}},)"
                       R"("c":{},"d.e":{"type":"keyword"},"f":{"type":"object","enabled":false}}})");
  REQUIRE(m.find_object("a") != nullptr);
  CHECK(m.find_object("a")->dynamic == Dynamic::kStrict);
  REQUIRE(m.find_object("c") != nullptr);
  CHECK(m.find_object("c")->type == FieldType::kObject);
  CHECK(m.find("d.e") != nullptr);
  CHECK(m.find_object("d") != nullptr);
  std::string out = mapping_to_json(m);
  CHECK(out == R"({"properties":{"a":{"dynamic":"strict","properties":{"b":{"type":"long"}}},)"
               R"("c":{"type":"object"},"d":{"properties":{"e":{"type":"keyword"}}},)"
               R"("f":{"type":"object","enabled":false}}})");
}

TEST_CASE("harmless parameters are accepted and rendered back", "[mapping]") {
  Mapping m = parse_ok(R"({"properties":{"t":{"type":"text","boost":2,"index_options":"offsets",)"
                       R"("position_increment_gap":10,"fielddata":true,"term_vector":"yes","meta":{"unit":"x"}},)"
                       R"("k":{"type":"keyword","eager_global_ordinals":true,"similarity":"BM25"},)"
                       R"("d":{"type":"date","locale":"en"}}})");
  const FieldMapping* t = m.find("t")->mapping;
  CHECK(t->other_params.at("position_increment_gap") == "10");
  CHECK(t->other_params.at("index_options") == "\"offsets\"");
  std::string out = mapping_to_json(m);
  CHECK(out.find(R"("fielddata":true)") != std::string::npos);
  CHECK(out.find(R"("locale":"en")") != std::string::npos);
  CHECK(out.find(R"("similarity":"BM25")") != std::string::npos);
}

TEST_CASE("mapping errors match OpenSearch", "[mapping]") {
  auto st = parse_err(R"({"properties":{"bar":{"type":"keyword","foo":1}}})");
  CHECK(st.type() == "mapper_parsing_exception");
  CHECK(st.code() == sift::Code::kInvalidArgument);
  CHECK(st.reason() == "unknown parameter [foo] on mapper [bar] of type [keyword]");

  st = parse_err(R"({"properties":{"bar":{"type":"foo"}}})");
  CHECK(st.reason() == "No handler for type [foo] declared on field [bar]");

  st = parse_err(R"({"properties":{"x":{"index":false}}})");
  CHECK(st.reason() == "No type specified for field [x]");

  st = parse_err(R"({"properties":{"t":{"type":"text","analyzer":"standard","doc_values":true}}})");
  CHECK(st.reason() == "unknown parameter [doc_values] on mapper [t] of type [text]");

  st = parse_err(R"({"properties":{"k":{"type":"keyword","analyzer":"standard"}}})");
  CHECK(st.reason() == "unknown parameter [analyzer] on mapper [k] of type [keyword]");

  st = parse_err(R"({"properties":{"s":{"type":"scaled_float"}}})");
  CHECK(st.reason() == "Field [scaling_factor] is required");

  st = parse_err(R"({"properties":{"k":{"type":"keyword","ignore_above":"lots"}}})");
  CHECK(st.reason().find("ignore_above") != std::string::npos);

  st = parse_err(R"({"properties":{"k":{"type":"keyword","index":"maybe"}}})");
  CHECK(st.reason().find("[maybe]") != std::string::npos);

  st = parse_err(R"({"dynamic":"sometimes"})");
  CHECK(st.reason().find("sometimes") != std::string::npos);

  st = parse_err(R"({"properties":{"d":{"type":"date","format":"yyyy-qq"}}})");
  CHECK(st.reason().find("yyyy-qq") != std::string::npos);

  st = parse_err(R"({"foo":1,"properties":{}})");
  CHECK(st.reason() == "Root mapping definition has unsupported parameters:  [foo : 1]");

  st = parse_err(R"({"properties":{"t":{"type":"text","fields":{"raw":{"ignore_above":1}}}}})");
  CHECK(st.reason() == "No type specified for field [raw]");

  st = parse_err(R"({"properties":{"o":{"properties":{},"color":"red"}}})");
  CHECK(st.reason().find("No type specified for field [o]") != std::string::npos);

  st = parse_err(R"({"properties":{"o":{"type":"object","color":"red"}}})");
  CHECK(st.reason().find("unsupported parameters") != std::string::npos);

  CHECK(parse_err("{not json").type() == "mapper_parsing_exception");
  CHECK(parse_err("[]").type() == "mapper_parsing_exception");
  CHECK(parse_err(R"({"properties":{"a":"text"}})").type() == "mapper_parsing_exception");
}

TEST_CASE("deeply nested mapping JSON is a clean error", "[mapping]") {
  std::string json = R"({"properties":)";
  const int depth = 5000;
  for (int i = 0; i < depth; ++i) json += R"({"a":{"properties":)";
  json += "{}";
  for (int i = 0; i < depth; ++i) json += "}}";
  json += "}";
  auto st = parse_err(json);
  CHECK(st.type() == "mapper_parsing_exception");
}

TEST_CASE("merge adds fields and rejects type changes", "[mapping]") {
  Mapping base = parse_ok(R"({"properties":{"n":{"type":"long"},"k":{"type":"keyword","ignore_above":10},)"
                          R"("o":{"properties":{"x":{"type":"text"}}}}})");
  Mapping update = parse_ok(R"({"dynamic":"strict","properties":{"k":{"type":"keyword","ignore_above":20,)"
                            R"("fields":{"t":{"type":"text"}}},"o":{"properties":{"y":{"type":"ip"}}},"z":{"type":"boolean"}}})");
  auto merged = merge_mappings(base, update);
  REQUIRE(merged.is_ok());
  CHECK(merged->dynamic() == Dynamic::kStrict);
  REQUIRE(merged->find("k") != nullptr);
  CHECK(merged->find("k")->mapping->ignore_above == 20);
  CHECK(merged->find("k.t") != nullptr);
  CHECK(merged->find("o.x") != nullptr);
  CHECK(merged->find("o.y") != nullptr);
  CHECK(merged->find("z") != nullptr);
  CHECK(merged->find("n")->type == FieldType::kLong);
  // The base is untouched.
  CHECK(base.find("z") == nullptr);

  auto bad = merge_mappings(base, parse_ok(R"({"properties":{"n":{"type":"text"}}})"));
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().type() == "illegal_argument_exception");
  CHECK(bad.status().reason() == "mapper [n] cannot be changed from type [long] to [text]");

  bad = merge_mappings(base, parse_ok(R"({"properties":{"o":{"properties":{"x":{"type":"keyword"}}}}})"));
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason() == "mapper [o.x] cannot be changed from type [text] to [keyword]");

  bad = merge_mappings(base, parse_ok(R"({"properties":{"o":{"type":"long"}}})"));
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason().find("[o]") != std::string::npos);

  bad = merge_mappings(base, parse_ok(R"({"properties":{"o":{"properties":{"x":{"type":"text","analyzer":"simple"}}}}})"));
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason().find("Cannot update parameter [analyzer]") != std::string::npos);

  // Re-putting the same definition is a no-op.
  auto same = merge_mappings(base, base);
  REQUIRE(same.is_ok());
  CHECK(mapping_to_json(*same) == mapping_to_json(base));
}

TEST_CASE("copies keep every root parameter", "[mapping]") {
  Mapping m = parse_ok(R"({"dynamic":"strict","date_detection":false,"numeric_detection":true,)"
                       R"("dynamic_date_formats":["yyyy"],"_meta":{"a":1},"_source":{"enabled":false},)"
                       R"("dynamic_templates":[],"_routing":{"required":true},"properties":{"x":{"type":"long"}}})");
  CHECK(m.routing_required);
  for (const Mapping& c : {Mapping(m), [&] { Mapping a; a = m; return a; }()}) {
    CHECK(c.routing_required);
    CHECK(c.dynamic() == Dynamic::kStrict);
    CHECK_FALSE(c.date_detection);
    CHECK(c.numeric_detection);
    CHECK(c.dynamic_date_formats == m.dynamic_date_formats);
    CHECK(c.meta_json == m.meta_json);
    CHECK_FALSE(c.source_enabled);
    CHECK(mapping_to_json(c) == mapping_to_json(m));
    CHECK(c.find("x") != nullptr);
  }
}
