// index.mapping.nested_objects.limit: every object under a nested field counts, at every level.
#include <catch2/catch.hpp>

#include "index/document_parser.h"

using namespace sift::index;
using sift::analysis::AnalyzerRegistry;

namespace {

constexpr const char* kLimitMessage =
    "The number of nested documents has exceeded the allowed limit of [2]. This limit can be set by changing the "
    "[index.mapping.nested_objects.limit] index level setting.";

Mapping nested_mapping() {
  auto m = parse_mapping(R"({"properties":{
      "n":{"type":"nested","properties":{"foo":{"type":"keyword"},"inner":{"type":"nested"}}},
      "o":{"properties":{"foo":{"type":"keyword"}}}}})");
  INFO(m.status().to_string());
  REQUIRE(m.is_ok());
  return std::move(m).value();
}

sift::Status parse_with_limit(std::string_view src, size_t limit) {
  static auto registry = AnalyzerRegistry::builtin();
  static const Mapping mapping = nested_mapping();
  ParseLimits limits;
  limits.nested_objects = limit;
  auto r = parse_document(src, "1", mapping, limits);
  return r.is_ok() ? sift::Status::ok() : r.status();
}

}  // namespace

TEST_CASE("nested objects up to the limit are accepted, one more is refused", "[parser][nested]") {
  CHECK(ParseLimits{}.nested_objects == 10000);
  CHECK(parse_with_limit(R"({"n":[{"foo":"a"},{"foo":"b"}]})", 2).is_ok());
  sift::Status st = parse_with_limit(R"({"n":[{"foo":"a"},{"foo":"b"},{"foo":"c"}]})", 2);
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.type() == "mapper_parsing_exception");
  CHECK(st.reason() == kLimitMessage);
}

TEST_CASE("nested objects inside nested objects count too; plain objects do not", "[parser][nested]") {
  // One outer object plus two inner ones: three nested documents.
  const char* deep = R"({"n":{"foo":"a","inner":[{"x":1},{"x":2}]}})";
  CHECK_FALSE(parse_with_limit(deep, 2).is_ok());
  CHECK(parse_with_limit(deep, 3).is_ok());
  CHECK(parse_with_limit(R"({"o":[{"foo":"a"},{"foo":"b"},{"foo":"c"},{"foo":"d"}]})", 2).is_ok());
  // Nested arrays of arrays are flattened, as OpenSearch's parser flattens them.
  CHECK_FALSE(parse_with_limit(R"({"n":[[{"foo":"a"}],[{"foo":"b"},{"foo":"c"}]]})", 2).is_ok());
}

TEST_CASE("the nested limit holds when the document also adds fields dynamically", "[parser][nested]") {
  sift::Status st = parse_with_limit(R"({"fresh":"new field","n":[{"foo":"a"},{"foo":"b"},{"bar":"c"}]})", 2);
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.reason() == kLimitMessage);
}
