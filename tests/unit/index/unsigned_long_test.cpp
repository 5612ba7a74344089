// unsigned_long: exact reading of 0 .. 2^64-1 from text, the sign-flip encoding that keeps the
// unsigned order in the int64 machinery (and in the 8-byte terms), the mapping type and the
// document parser's rules for strings, fractions, coerce and out-of-range values.
#include <catch2/catch.hpp>

#include <random>

#include "index/document_parser.h"
#include "index/numeric_codec.h"
#include "index/unsigned_long.h"

using namespace sift::index;
using sift::analysis::AnalyzerRegistry;

namespace {

UnsignedLongValue ok(const char* text) {
  auto v = parse_unsigned_long(text);
  INFO(text << ": " << v.status().to_string());
  REQUIRE(v.is_ok());
  return *v;
}

std::string error_of(const char* text) {
  auto v = parse_unsigned_long(text);
  INFO(text);
  REQUIRE_FALSE(v.is_ok());
  return v.status().reason();
}

}  // namespace

TEST_CASE("unsigned_long text reads exactly, with OpenSearch's range errors", "[unsigned_long]") {
  CHECK(ok("0").integer == 0);
  CHECK(ok("-0").integer == 0);
  CHECK(ok("+17").integer == 17);
  CHECK(ok("18446744073709551615").integer == UINT64_MAX);
  CHECK(ok("018446744073709551615").integer == UINT64_MAX);
  CHECK(ok("9223372036854775808").integer == 9223372036854775808ULL);
  CHECK(ok("1e19").integer == 10000000000000000000ULL);
  CHECK(ok("1.8446744073709551615E19").integer == UINT64_MAX);
  auto frac = ok("18446744073709551615.999");
  CHECK(frac.integer == UINT64_MAX);
  CHECK(frac.has_fraction);
  CHECK(ok("42.5").integer == 42);
  CHECK(ok("42.5").has_fraction);
  CHECK_FALSE(ok("42.000").has_fraction);
  CHECK(ok("0.25").integer == 0);
  CHECK(ok("0.25").has_fraction);
  CHECK(ok("25e-2").has_fraction);
  CHECK(error_of("18446744073709551616") == "Value [18446744073709551616] is out of range for an unsigned long");
  CHECK(error_of("-1") == "Value [-1] is out of range for an unsigned long");
  CHECK(error_of("-0.5") == "Value [-0.5] is out of range for an unsigned long");
  CHECK(error_of("1e20") == "Value [1e20] is out of range for an unsigned long");
  CHECK(error_of("99999999999999999999999") == "Value [99999999999999999999999] is out of range for an unsigned long");
  for (const char* bad : {"", "abc", "1x", "1e", ".", "- 1", "0x10", "NaN"}) {
    CHECK(error_of(bad) == "For input string: \"" + std::string(bad) + "\"");
  }
  CHECK(unsigned_long_from_double(1.5, "1.5")->integer == 1);
  CHECK(unsigned_long_from_double(18446744073709549568.0, "x")->integer == 18446744073709549568ULL);
  CHECK_FALSE(unsigned_long_from_double(18446744073709551616.0, "x").is_ok());
  CHECK_FALSE(unsigned_long_from_double(-0.5, "x").is_ok());
}

TEST_CASE("the sign flip keeps unsigned order in int64 and in term bytes", "[unsigned_long]") {
  const uint64_t edges[] = {0, 1, 9223372036854775806ULL, 9223372036854775807ULL, 9223372036854775808ULL,
                            9223372036854775809ULL, UINT64_MAX - 1, UINT64_MAX};
  CHECK(unsigned_to_sortable(0) == INT64_MIN);
  CHECK(unsigned_to_sortable(UINT64_MAX) == INT64_MAX);
  for (uint64_t a : edges) {
    CHECK(sortable_to_unsigned(unsigned_to_sortable(a)) == a);
    CHECK(decode_sortable_term(encode_sortable_term(unsigned_to_sortable(a))) == unsigned_to_sortable(a));
    for (uint64_t b : edges) {
      CHECK((a < b) == (unsigned_to_sortable(a) < unsigned_to_sortable(b)));
      CHECK((a < b) == (encode_sortable_term(unsigned_to_sortable(a)) < encode_sortable_term(unsigned_to_sortable(b))));
    }
  }
  const uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 10000; ++i) {
    uint64_t a = rng(), b = rng();
    REQUIRE((a < b) == (unsigned_to_sortable(a) < unsigned_to_sortable(b)));
  }
}

TEST_CASE("unsigned_long maps and parses documents as OpenSearch", "[unsigned_long][parser]") {
  auto m = parse_mapping(R"({"properties":{"c":{"type":"unsigned_long","null_value":7},
                                           "strict":{"type":"unsigned_long","coerce":false},
                                           "lenient":{"type":"unsigned_long","ignore_malformed":true}}})");
  INFO(m.status().to_string());
  REQUIRE(m.is_ok());
  REQUIRE(m->find("c") != nullptr);
  CHECK(m->find("c")->type == FieldType::kUnsignedLong);
  CHECK(mapping_to_json(*m).find(R"("type":"unsigned_long")") != std::string::npos);
  CHECK_FALSE(parse_mapping(R"({"properties":{"c":{"type":"unsigned_long","analyzer":"standard"}}})").is_ok());

  auto registry = AnalyzerRegistry::builtin();
  auto r = parse_document(R"({"c":[0, 18446744073709551615, "9223372036854775808", "42.9", null]})", "1", *m);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  REQUIRE(r->doc.numerics.size() == 1);
  CHECK(r->doc.numerics[0].values ==
        std::vector<int64_t>{unsigned_to_sortable(0), unsigned_to_sortable(UINT64_MAX),
                             unsigned_to_sortable(9223372036854775808ULL), unsigned_to_sortable(42),
                             unsigned_to_sortable(7)});
  for (const char* bad : {R"({"c":-1})", R"({"c":18446744073709551616})", R"({"c":"18446744073709551616"})",
                          R"({"c":"abc"})", R"({"c":true})", R"({"strict":1.5})", R"({"strict":"3"})"}) {
    auto e = parse_document(bad, "x", *m);
    INFO(bad);
    REQUIRE_FALSE(e.is_ok());
    CHECK(e.status().type() == "mapper_parsing_exception");
    CHECK_THAT(e.status().reason(), Catch::Contains("of type [unsigned_long]"));
  }
  auto strict_ok = parse_document(R"({"strict":3})", "y", *m);
  CHECK(strict_ok.is_ok());
  auto kept = parse_document(R"({"lenient":-5})", "z", *m);
  REQUIRE(kept.is_ok());
  CHECK(kept->doc.numerics.empty());
}
