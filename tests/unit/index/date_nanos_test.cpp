// date_nanos: accepted wherever date is, rendered back as date_nanos, indexed as epoch nanoseconds.
#include <catch2/catch.hpp>

#include "index/document_parser.h"

using namespace sift::index;
using sift::analysis::AnalyzerRegistry;

namespace {

Mapping nanos_mapping(std::string_view json) {
  auto m = parse_mapping(json);
  INFO(m.status().to_string());
  REQUIRE(m.is_ok());
  return std::move(m).value();
}

const ParsedDocument::NumericField* numeric(const ParsedDocument& d, std::string_view name) {
  for (const auto& f : d.numerics) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("date_nanos maps, renders and refuses parameters date refuses", "[mapping][date_nanos]") {
  Mapping m = nanos_mapping(R"({"properties":{"ts":{"type":"date_nanos","format":"strict_date_optional_time_nanos",
                               "ignore_malformed":true,"locale":"en"}}})");
  const ResolvedField* f = m.find("ts");
  REQUIRE(f != nullptr);
  CHECK(f->type == FieldType::kDateNanos);
  CHECK(parse_field_type("date_nanos") == FieldType::kDateNanos);
  std::string json = mapping_to_json(m);
  CHECK(json.find(R"("type":"date_nanos")") != std::string::npos);
  CHECK(json.find(R"("format":"strict_date_optional_time_nanos")") != std::string::npos);

  auto bad = parse_mapping(R"({"properties":{"ts":{"type":"date_nanos","analyzer":"standard"}}})");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().type() == "mapper_parsing_exception");
  auto bad_format = parse_mapping(R"({"properties":{"ts":{"type":"date_nanos","format":"yyyy-MM-dd'"}}})");
  CHECK_FALSE(bad_format.is_ok());
}

TEST_CASE("date_nanos merges: its own default format, no silent type change", "[mapping][date_nanos]") {
  Mapping base = nanos_mapping(R"({"properties":{"ts":{"type":"date_nanos"}}})");
  auto same = merge_mappings(base, nanos_mapping(R"({"properties":{"ts":{"type":"date_nanos"}}})"));
  CHECK(same.is_ok());
  auto to_date = merge_mappings(base, nanos_mapping(R"({"properties":{"ts":{"type":"date"}}})"));
  REQUIRE_FALSE(to_date.is_ok());
  CHECK(to_date.status().reason() == "mapper [ts] cannot be changed from type [date_nanos] to [date]");
  auto fmt = merge_mappings(base, nanos_mapping(R"({"properties":{"ts":{"type":"date_nanos","format":"epoch_millis"}}})"));
  REQUIRE_FALSE(fmt.is_ok());
  CHECK(fmt.status().reason().find("from [strict_date_optional_time_nanos||epoch_millis] to [epoch_millis]") !=
        std::string::npos);
}

TEST_CASE("date_nanos values index as epoch nanoseconds", "[parser][date_nanos]") {
  Mapping m = nanos_mapping(R"({"properties":{"ts":{"type":"date_nanos"}}})");
  auto registry = AnalyzerRegistry::builtin();
  auto r = parse_document(R"({"ts":["2023-01-02T03:04:05.123456789Z", 1672628645123, "2023-01-02"]})", "1", m);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  const auto* f = numeric(r->doc, "ts");
  REQUIRE(f != nullptr);
  CHECK(f->kind == NumericKind::kDate);
  // Digits below the millisecond are kept; epoch_millis numbers are milliseconds.
  CHECK(f->values == std::vector<int64_t>{1672628645123456789, 1672628645123000000, 1672617600000000000});

  auto bad = parse_document(R"({"ts":"yesterday"})", "7", m);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().type() == "mapper_parsing_exception");
  CHECK(bad.status().reason().find("of type [date_nanos]") != std::string::npos);
}
