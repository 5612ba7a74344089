#include <catch2/catch.hpp>

#include "index/date_format.h"
#include "index/document_parser.h"
#include "index/ip_address.h"
#include "index/numeric_codec.h"

using namespace sift::index;
using sift::analysis::AnalyzerRegistry;

namespace {

const AnalyzerRegistry& registry() {
  static auto r = AnalyzerRegistry::builtin();
  return *r;
}

Mapping mapping_of(std::string_view json) {
  auto m = parse_mapping(json);
  INFO(m.status().to_string());
  REQUIRE(m.is_ok());
  return std::move(m).value();
}

ParseOutput parse_ok(std::string_view src, const Mapping& m, const ParseLimits& limits = {}) {
  auto r = parse_document(src, "1", m, limits);
  INFO(src.substr(0, 200) << " -> " << r.status().to_string());
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

sift::Status parse_err(std::string_view src, const Mapping& m, const ParseLimits& limits = {}) {
  auto r = parse_document(src, "1", m, limits);
  INFO(src.substr(0, 200));
  REQUIRE_FALSE(r.is_ok());
  return r.status();
}

const ParsedDocument::TextField* text_field(const ParsedDocument& d, std::string_view name) {
  for (const auto& f : d.text) {
    if (f.name == name) return &f;
  }
  return nullptr;
}
const ParsedDocument::TermField* term_field(const ParsedDocument& d, std::string_view name) {
  for (const auto& f : d.terms) {
    if (f.name == name) return &f;
  }
  return nullptr;
}
const ParsedDocument::NumericField* num_field(const ParsedDocument& d, std::string_view name) {
  for (const auto& f : d.numerics) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string> terms_of(const ParsedDocument::TextField& f) {
  std::vector<std::string> out;
  for (const auto& t : f.tokens) out.push_back(t.term);
  return out;
}

const char* kAllTypes =
    R"({"properties":{"t":{"type":"text"},"k":{"type":"keyword"},"l":{"type":"long"},"i":{"type":"integer"},)"
    R"("s":{"type":"short"},"b":{"type":"byte"},"d":{"type":"double"},"f":{"type":"float"},)"
    R"("h":{"type":"half_float"},"sf":{"type":"scaled_float","scaling_factor":100},"dt":{"type":"date"},)"
    R"("bo":{"type":"boolean"},"ip":{"type":"ip"}}})";

}  // namespace

TEST_CASE("every field type", "[parser]") {
  Mapping m = mapping_of(kAllTypes);
  auto out = parse_ok(R"({"t":"Quick Brown fox","k":"Hello World","l":-9223372036854775808,"i":2147483647,)"
                      R"("s":-32768,"b":127,"d":1.5,"f":0.1,"h":2.5,"sf":1.234,"dt":"2015-01-01T00:00:00Z",)"
                      R"("bo":true,"ip":"192.168.0.1"})",
                      m);
  const ParsedDocument& d = out.doc;
  CHECK_FALSE(out.mapping_update.has_value());
  const auto* t = text_field(d, "t");
  REQUIRE(t != nullptr);
  CHECK(terms_of(*t) == std::vector<std::string>{"quick", "brown", "fox"});
  CHECK(t->length == 3);
  CHECK(t->norms);
  CHECK(t->tokens[2].position == 2);
  CHECK(t->tokens[2].start_offset == 12);
  REQUIRE(term_field(d, "k") != nullptr);
  CHECK(term_field(d, "k")->values == std::vector<std::string>{"Hello World"});
  CHECK(num_field(d, "l")->values == std::vector<int64_t>{INT64_MIN});
  CHECK(num_field(d, "l")->kind == NumericKind::kLong);
  CHECK(num_field(d, "i")->values == std::vector<int64_t>{2147483647});
  CHECK(num_field(d, "s")->values == std::vector<int64_t>{-32768});
  CHECK(num_field(d, "b")->values == std::vector<int64_t>{127});
  CHECK(num_field(d, "d")->kind == NumericKind::kDouble);
  CHECK(sortable_to_double(num_field(d, "d")->values[0]) == 1.5);
  CHECK(sortable_to_double(num_field(d, "f")->values[0]) == static_cast<double>(0.1f));
  CHECK(sortable_to_double(num_field(d, "h")->values[0]) == 2.5);
  CHECK(num_field(d, "sf")->kind == NumericKind::kLong);
  CHECK(num_field(d, "sf")->values == std::vector<int64_t>{123});
  CHECK(num_field(d, "dt")->kind == NumericKind::kDate);
  CHECK(num_field(d, "dt")->values == std::vector<int64_t>{1420070400000});
  CHECK(term_field(d, "bo")->values == std::vector<std::string>{"T"});
  REQUIRE(term_field(d, "ip") != nullptr);
  CHECK(term_field(d, "ip")->values[0] == *parse_ip("::ffff:192.168.0.1"));
  CHECK(d.field_names.size() == 13);
}

TEST_CASE("a value's trailing removed tokens move the next value on, as Lucene's final increment", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"t":{"type":"text","analyzer":"stop"}}})");
  auto out = parse_ok(R"({"t":["fox the a","dog"]})", m);
  const auto* t = text_field(out.doc, "t");
  REQUIRE(t != nullptr);
  REQUIRE(t->tokens.size() == 2);
  CHECK(t->tokens[0].position == 0);
  CHECK(t->tokens[1].position == 103);  // "fox the a" used positions 0-2; gap 100; then "dog"
}

TEST_CASE("a keyword normalizer folds Unicode case in indexed values", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"k":{"type":"keyword","normalizer":"lowercase"}}})");
  auto out = parse_ok(R"({"k":["ÀÉ-X","plain"]})", m);
  CHECK(term_field(out.doc, "k")->values == std::vector<std::string>{"àé-x", "plain"});
}

TEST_CASE("arrays group values and text positions continue with a gap", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"t":{"type":"text"},"k":{"type":"keyword"},"n":{"type":"long"}}})");
  auto out = parse_ok(R"({"t":["a b","c"],"k":["x",["y",null],"z"],"n":[3,1,2]})", m);
  const auto* t = text_field(out.doc, "t");
  REQUIRE(t != nullptr);
  REQUIRE(t->tokens.size() == 3);
  CHECK(t->tokens[0].position == 0);
  CHECK(t->tokens[1].position == 1);
  CHECK(t->tokens[2].position == 102);
  CHECK(t->tokens[2].start_offset == 4);  // "a b" (3) + offset gap 1
  CHECK(t->length == 3);
  CHECK(term_field(out.doc, "k")->values == std::vector<std::string>{"x", "y", "z"});
  CHECK(num_field(out.doc, "n")->values == std::vector<int64_t>{3, 1, 2});
  CHECK(out.doc.text.size() == 1);
  CHECK(out.doc.terms.size() == 1);
}

TEST_CASE("objects, arrays of objects and disabled objects", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"user":{"properties":{"name":{"type":"keyword"},)"
                         R"("addr":{"properties":{"city":{"type":"keyword"}}}}},)"
                         R"("blob":{"type":"object","enabled":false}}})");
  auto out = parse_ok(R"({"user":[{"name":"a","addr":{"city":"x"}},{"name":"b"}],"blob":{"any":[1,{"x":"y"}]},)"
                      R"("user.addr.city":"dotted"})",
                      m);
  CHECK(term_field(out.doc, "user.name")->values == std::vector<std::string>{"a", "b"});
  CHECK(term_field(out.doc, "user.addr.city")->values == std::vector<std::string>{"x", "dotted"});
  CHECK_FALSE(out.mapping_update.has_value());
  CHECK(out.doc.field_names == std::vector<std::string>{"user", "user.addr", "user.addr.city", "user.name"});

  auto st = parse_err(R"({"user":"flat"})", m);
  CHECK(st.type() == "mapper_parsing_exception");
  CHECK(st.reason() == "object mapping for [user] tried to parse field [user] as object, but found a concrete value");

  st = parse_err(R"({"user":{"name":{"first":"a"}}})", m);
  CHECK(st.reason().find("failed to parse field [user.name] of type [keyword]") == 0);
}

TEST_CASE("multi-fields and copy_to", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"title":{"type":"text","copy_to":["all","raw_all"],)"
                         R"("fields":{"keyword":{"type":"keyword"},"len":{"type":"integer","ignore_malformed":true}}},)"
                         R"("all":{"type":"text"},"raw_all":{"type":"keyword"}}})");
  auto out = parse_ok(R"({"title":"Hello There"})", m);
  CHECK(terms_of(*text_field(out.doc, "title")) == std::vector<std::string>{"hello", "there"});
  CHECK(term_field(out.doc, "title.keyword")->values == std::vector<std::string>{"Hello There"});
  CHECK(num_field(out.doc, "title.len") == nullptr);  // malformed and ignored
  CHECK(terms_of(*text_field(out.doc, "all")) == std::vector<std::string>{"hello", "there"});
  CHECK(term_field(out.doc, "raw_all")->values == std::vector<std::string>{"Hello There"});
  CHECK(std::count(out.doc.field_names.begin(), out.doc.field_names.end(), "title.keyword") == 1);

  out = parse_ok(R"({"title":"42"})", m);
  REQUIRE(num_field(out.doc, "title.len") != nullptr);
  CHECK(num_field(out.doc, "title.len")->values == std::vector<int64_t>{42});
}

TEST_CASE("copy_to a missing field creates it dynamically", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"a":{"type":"keyword","copy_to":"meta.combined"}}})");
  auto out = parse_ok(R"({"a":"v"})", m);
  REQUIRE(out.mapping_update.has_value());
  REQUIRE(out.mapping_update->find("meta.combined") != nullptr);
  CHECK(out.mapping_update->find("meta.combined")->type == FieldType::kText);
  REQUIRE(text_field(out.doc, "meta.combined") != nullptr);

  Mapping strict = mapping_of(R"({"dynamic":"strict","properties":{"a":{"type":"keyword","copy_to":"c"}}})");
  auto st = parse_err(R"({"a":"v"})", strict);
  CHECK(st.type() == "strict_dynamic_mapping_exception");
}

TEST_CASE("keyword ignore_above, null_value and normalizer", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"k":{"type":"keyword","ignore_above":5,"null_value":"NULL"},)"
                         R"("n":{"type":"long","null_value":7},"lc":{"type":"keyword","normalizer":"lowercase"},)"
                         R"("nd":{"type":"keyword","index":false,"doc_values":false}}})");
  auto out = parse_ok(R"({"k":["short","too long","h\u00e9llo",null],"n":null,"lc":"MiXed","nd":"x"})", m);
  CHECK(term_field(out.doc, "k")->values == std::vector<std::string>{"short", "h\xc3\xa9llo", "NULL"});
  CHECK(num_field(out.doc, "n")->values == std::vector<int64_t>{7});
  CHECK(term_field(out.doc, "lc")->values == std::vector<std::string>{"mixed"});
  CHECK(term_field(out.doc, "nd") == nullptr);
  CHECK(std::find(out.doc.field_names.begin(), out.doc.field_names.end(), "nd") == out.doc.field_names.end());

  out = parse_ok(R"({"k":"way too long"})", m);
  CHECK(term_field(out.doc, "k") == nullptr);
  CHECK(out.doc.field_names.empty());
}

TEST_CASE("numbers and booleans in keyword and text fields", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"k":{"type":"keyword"},"t":{"type":"text"}}})");
  auto out = parse_ok(R"({"k":[42,true,1.5,-7],"t":123})", m);
  CHECK(term_field(out.doc, "k")->values == std::vector<std::string>{"42", "true", "1.5", "-7"});
  CHECK(terms_of(*text_field(out.doc, "t")) == std::vector<std::string>{"123"});
}

TEST_CASE("numeric coercion and range errors", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"l":{"type":"long"},"i":{"type":"integer"},"b":{"type":"byte"},)"
                         R"("nc":{"type":"long","coerce":false},"f":{"type":"float"},"h":{"type":"half_float"},)"
                         R"("im":{"type":"integer","ignore_malformed":true}}})");
  auto out = parse_ok(R"({"l":["12","-3.9",7.99,"1e3"],"i":"+5","f":"2.5","im":"bad"})", m);
  CHECK(num_field(out.doc, "l")->values == std::vector<int64_t>{12, -3, 7, 1000});
  CHECK(num_field(out.doc, "i")->values == std::vector<int64_t>{5});
  CHECK(sortable_to_double(num_field(out.doc, "f")->values[0]) == 2.5);
  CHECK(num_field(out.doc, "im") == nullptr);

  struct Case {
    const char* doc;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"i":2147483648})", "failed to parse field [i] of type [integer] in document with id '1'. Preview of field's value: '2147483648'"},
      {R"({"b":128})", "failed to parse field [b] of type [byte] in document with id '1'. Preview of field's value: '128'"},
      {R"({"l":9223372036854775808})", "failed to parse field [l] of type [long] in document with id '1'. Preview of field's value: '9223372036854775808'"},
      {R"({"l":1e19})", "failed to parse field [l] of type [long] in document with id '1'. Preview of field's value: '1e+19'"},
      {R"({"l":"abc"})", "failed to parse field [l] of type [long] in document with id '1'. Preview of field's value: 'abc'"},
      {R"({"l":""})", "failed to parse field [l] of type [long] in document with id '1'. Preview of field's value: ''"},
      {R"({"l":true})", "failed to parse field [l] of type [long] in document with id '1'. Preview of field's value: 'true'"},
      {R"({"nc":"5"})", "failed to parse field [nc] of type [long] in document with id '1'. Preview of field's value: '5'"},
      {R"({"nc":1.5})", "failed to parse field [nc] of type [long] in document with id '1'. Preview of field's value: '1.5'"},
      {R"({"f":1e39})", "failed to parse field [f] of type [float] in document with id '1'. Preview of field's value: '1e+39'"},
      {R"({"f":"NaN"})", "failed to parse field [f] of type [float] in document with id '1'. Preview of field's value: 'NaN'"},
      {R"({"h":70000})", "failed to parse field [h] of type [half_float] in document with id '1'. Preview of field's value: '70000'"},
  };
  for (const Case& c : cases) {
    auto st = parse_err(c.doc, m);
    CHECK(st.type() == "mapper_parsing_exception");
    CHECK(st.reason() == c.reason);
  }
}

TEST_CASE("dates, booleans and ips", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"d":{"type":"date"},"ds":{"type":"date","format":"epoch_second"},)"
                         R"("dp":{"type":"date","format":"yyyy/MM/dd HH:mm:ss||yyyy/MM/dd"},)"
                         R"("b":{"type":"boolean"},"ip":{"type":"ip"}}})");
  auto out = parse_ok(R"({"d":[1420070400000,"2015-01-01T01:00:00+01:00",-1000],"ds":1420070400,)"
                      R"("dp":"2015/01/01","b":["true","false","",false],"ip":["::1","2001:db8::ff00:42:8329"]})",
                      m);
  CHECK(num_field(out.doc, "d")->values == std::vector<int64_t>{1420070400000, 1420070400000, -1000});
  CHECK(num_field(out.doc, "ds")->values == std::vector<int64_t>{1420070400000});
  CHECK(num_field(out.doc, "dp")->values == std::vector<int64_t>{1420070400000});
  CHECK(term_field(out.doc, "b")->values == std::vector<std::string>{"T", "F", "F", "F"});
  REQUIRE(term_field(out.doc, "ip")->values.size() == 2);
  CHECK(format_ip(term_field(out.doc, "ip")->values[0]) == "::1");
  CHECK(format_ip(term_field(out.doc, "ip")->values[1]) == "2001:db8::ff00:42:8329");

  CHECK(parse_err(R"({"d":"yesterday"})", m).reason() ==
        "failed to parse field [d] of type [date] in document with id '1'. Preview of field's value: 'yesterday'");
  CHECK(parse_err(R"({"b":"yes"})", m).reason().find("of type [boolean]") != std::string::npos);
  CHECK(parse_err(R"({"b":1})", m).reason().find("of type [boolean]") != std::string::npos);
  CHECK(parse_err(R"({"ip":"300.1.1.1"})", m).reason().find("of type [ip]") != std::string::npos);
  CHECK(parse_err(R"({"ip":"1:2:3"})", m).reason().find("of type [ip]") != std::string::npos);
}

TEST_CASE("ip addresses parse and format canonically", "[parser]") {
  CHECK(format_ip(*parse_ip("10.0.0.1")) == "10.0.0.1");
  CHECK(format_ip(*parse_ip("::ffff:10.0.0.1")) == "10.0.0.1");
  CHECK(format_ip(*parse_ip("2001:DB8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1");
  CHECK(format_ip(*parse_ip("::")) == "::");
  CHECK(format_ip(*parse_ip("1::")) == "1::");
  CHECK(parse_ip("1.2.3.4")->size() == 16);
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", ":::", "1:2:3:4:5:6:7:8:9", "g::1",
                          "1::2::3", "1.2.3.4 ", "::1%eth0"}) {
    INFO(bad);
    CHECK_FALSE(parse_ip(bad).has_value());
  }
}

TEST_CASE("dynamic mapping of new fields", "[parser]") {
  Mapping m;
  auto out = parse_ok(R"({"msg":"Hello","count":3,"ratio":0.5,"ok":true,"when":"2015-01-01T00:00:00Z",)"
                      R"("slash":"2015/09/02","user":{"name":"x"},"tags":[null,"a"],"none":null,"empty":[]})",
                      m);
  REQUIRE(out.mapping_update.has_value());
  const Mapping& u = *out.mapping_update;
  CHECK(u.find("msg")->type == FieldType::kText);
  REQUIRE(u.find("msg.keyword") != nullptr);
  CHECK(u.find("msg.keyword")->mapping->ignore_above == 256);
  CHECK(u.find("count")->type == FieldType::kLong);
  CHECK(u.find("ratio")->type == FieldType::kFloat);
  CHECK(u.find("ok")->type == FieldType::kBoolean);
  CHECK(u.find("when")->type == FieldType::kDate);
  CHECK_FALSE(u.find("when")->mapping->format.has_value());
  CHECK(u.find("slash")->type == FieldType::kDate);
  CHECK(u.find("slash")->mapping->format.has_value());
  CHECK(u.find_object("user") != nullptr);
  CHECK(u.find("user.name")->type == FieldType::kText);
  CHECK(u.find("tags")->type == FieldType::kText);
  CHECK(u.find("none") == nullptr);
  CHECK(u.find("empty") == nullptr);
  // The document is indexed with the new mapping.
  CHECK(term_field(out.doc, "msg.keyword")->values == std::vector<std::string>{"Hello"});
  CHECK(num_field(out.doc, "when")->values == std::vector<int64_t>{1420070400000});
  CHECK(num_field(out.doc, "slash")->kind == NumericKind::kDate);
  CHECK(term_field(out.doc, "tags.keyword")->values == std::vector<std::string>{"a"});
  CHECK(mapping_to_json(u).find(R"("msg":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}})") !=
        std::string::npos);

  // A known field on its own needs no update.
  auto again = parse_ok(R"({"msg":"other"})", u);
  CHECK_FALSE(again.mapping_update.has_value());

  // Detection switches.
  Mapping no_dates = mapping_of(R"({"date_detection":false,"numeric_detection":true})");
  auto nd = parse_ok(R"({"d":"2015-01-01","n":"12","x":"1.5"})", no_dates);
  CHECK(nd.mapping_update->find("d")->type == FieldType::kText);
  CHECK(nd.mapping_update->find("n")->type == FieldType::kLong);
  CHECK(nd.mapping_update->find("x")->type == FieldType::kFloat);

  // A value of another type after the first fixes the mapping, then fails as OpenSearch does.
  auto st = parse_err(R"({"mixed":[1,"abc"]})", m);
  CHECK(st.reason().find("failed to parse field [mixed] of type [long]") == 0);
}

TEST_CASE("dynamic false and strict", "[parser]") {
  Mapping off = mapping_of(R"({"dynamic":false,"properties":{"a":{"type":"keyword"},)"
                           R"("o":{"dynamic":true,"properties":{}}}})");
  auto out = parse_ok(R"({"a":"x","b":"y","deep":{"c":1},"o":{"n":1}})", off);
  REQUIRE(out.mapping_update.has_value());
  CHECK(out.mapping_update->find("b") == nullptr);
  CHECK(out.mapping_update->find_object("deep") == nullptr);
  CHECK(out.mapping_update->find("o.n") != nullptr);
  CHECK(num_field(out.doc, "o.n") != nullptr);
  CHECK(term_field(out.doc, "b") == nullptr);

  Mapping strict = mapping_of(R"({"dynamic":"strict","properties":{"a":{"type":"keyword"},)"
                              R"("o":{"properties":{"x":{"type":"long"}}},"loose":{"dynamic":false,"properties":{}}}})");
  auto st = parse_err(R"({"a":"x","b":"y"})", strict);
  CHECK(st.type() == "strict_dynamic_mapping_exception");
  CHECK(st.code() == sift::Code::kInvalidArgument);
  CHECK(st.reason() == "mapping set to strict, dynamic introduction of [b] within [_doc] is not allowed");
  st = parse_err(R"({"o":{"x":1,"y":2}})", strict);
  CHECK(st.reason() == "mapping set to strict, dynamic introduction of [y] within [o] is not allowed");
  st = parse_err(R"({"c":null})", strict);
  CHECK(st.type() == "strict_dynamic_mapping_exception");
  auto fine = parse_ok(R"({"loose":{"anything":[1,2]}})", strict);
  CHECK_FALSE(fine.mapping_update.has_value());
}

TEST_CASE("malformed documents are clean errors", "[parser]") {
  Mapping m;
  auto check = [&](std::string_view src, std::string_view needle) {
    auto st = parse_err(src, m);
    CHECK(st.type() == "mapper_parsing_exception");
    CHECK(st.code() == sift::Code::kInvalidArgument);
    INFO(st.reason());
    CHECK(st.reason().find("failed to parse") == 0);
    CHECK(st.reason().find(needle) != std::string::npos);
  };
  check("{\"a\":", "offset");
  check("[1,2]", "JSON object");
  check("\"str\"", "JSON object");
  check("   ", "empty");
  check("{\"a\":1,\"a\":2}", "Duplicate field 'a'");
  check("{\"o\":{\"x\":1,\"y\":2,\"x\":3}}", "Duplicate field 'x'");
  check("{\"a\":1e400}", "Number too big");
  check(std::string("{\"a\":\"\xff\xfe\"}"), "offset");
  check(std::string("{\"a\":\"\xc3\"}"), "offset");
}

TEST_CASE("deep nesting never crashes", "[parser]") {
  Mapping m;
  const int depth = 100000;
  std::string arrays = "{\"a\":" + std::string(depth, '[') + "1" + std::string(depth, ']') + "}";
  auto st = parse_err(arrays, m);
  CHECK(st.type() == "mapper_parsing_exception");

  std::string objects;
  for (int i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1";
  objects += std::string(depth, '}');
  st = parse_err(objects, m);
  CHECK(st.type() == "mapper_parsing_exception");

  // Within the JSON limit but beyond the mapping depth limit of 20.
  std::string deep;
  for (int i = 0; i < 30; ++i) deep += "{\"a\":";
  deep += "1";
  deep += std::string(30, '}');
  st = parse_err(deep, m);
  CHECK(st.type() == "illegal_argument_exception");
  CHECK(st.reason().find("Limit of mapping depth [20] has been exceeded due to object field [a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a]") == 0);

  // Nested arrays in a mapped leaf are flattened.
  Mapping k = mapping_of(R"({"properties":{"k":{"type":"keyword"}}})");
  auto out = parse_ok("{\"k\":" + std::string(500, '[') + "\"v\"" + std::string(500, ']') + "}", k);
  CHECK(term_field(out.doc, "k")->values == std::vector<std::string>{"v"});
  // dynamic:false subtrees are validated too.
  Mapping off = mapping_of(R"({"dynamic":false})");
  CHECK(parse_err(objects, off).type() == "mapper_parsing_exception");
}

TEST_CASE("total fields limit", "[parser]") {
  Mapping m;
  std::string doc = "{";
  for (int i = 0; i < 10; ++i) doc += (i ? ",\"f" : "\"f") + std::to_string(i) + "\":" + std::to_string(i);
  doc += "}";
  ParseLimits limits;
  limits.total_fields = 5;
  auto st = parse_err(doc, m, limits);
  CHECK(st.type() == "illegal_argument_exception");
  CHECK(st.reason() == "Limit of total fields [5] has been exceeded while adding new fields [10]");
  limits.total_fields = 10;
  auto out = parse_ok(doc, m, limits);
  CHECK(out.mapping_update->total_fields() == 10);
  // Strings count their .keyword sub-field.
  limits.total_fields = 1;
  CHECK(parse_err(R"({"s":"x"})", m, limits).reason().find("new fields [2]") != std::string::npos);
}

TEST_CASE("text analyzer and field options", "[parser]") {
  Mapping m = mapping_of(R"({"properties":{"w":{"type":"text","analyzer":"whitespace","norms":false},)"
                         R"("bad":{"type":"text","analyzer":"nope"},"gap":{"type":"text","position_increment_gap":0},)"
                         R"("noidx":{"type":"text","index":false}}})");
  auto out = parse_ok(R"({"w":"Hello World","gap":["a","b"],"noidx":"x"})", m);
  CHECK(terms_of(*text_field(out.doc, "w")) == std::vector<std::string>{"Hello", "World"});
  CHECK_FALSE(text_field(out.doc, "w")->norms);
  CHECK(text_field(out.doc, "gap")->tokens[1].position == 1);
  CHECK(text_field(out.doc, "noidx") == nullptr);
  auto st = parse_err(R"({"bad":"x"})", m);
  CHECK(st.type() == "mapper_parsing_exception");
  CHECK(st.reason() == "analyzer [nope] has not been configured in mappings");
}

TEST_CASE("field names with bad dots are rejected", "[parser]") {
  Mapping m;
  CHECK(parse_err(R"({"":1})", m).type() == "mapper_parsing_exception");
  CHECK(parse_err(R"({"a..b":1})", m).type() == "mapper_parsing_exception");
  CHECK(parse_err(R"({".a":1})", m).reason().find("ambiguous") != std::string::npos);
  auto out = parse_ok(R"({"a.b":1})", m);
  CHECK(out.mapping_update->find_object("a") != nullptr);
  CHECK(num_field(out.doc, "a.b")->values == std::vector<int64_t>{1});
}
