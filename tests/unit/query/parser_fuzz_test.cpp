// Regressions from fuzzing the query parsers (tests/fuzz/dsl_fuzz.cpp, findings in its README): each
// input below once crashed the harness, tripped UBSan in it, or silently gave a wrong answer. Inputs
// are kept as minimized so the test still reaches the code path that failed; what it asserts is the
// clean error (or the right result) it gives now.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "index/date_format.h"
#include "query/date_math.h"
#include "query/query_string.h"

using namespace sift;

namespace {

constexpr int64_t kNow = 1773582330123;  // 2026-03-15T13:45:30.123Z

Result<int64_t> bound(std::string_view expr, query::RangeOp op = query::RangeOp::kGte,
                      const TimeZone* tz = nullptr) {
  return query::resolve_range_bound(expr, op, kNow, index::DateFormatter::default_formatter(), tz);
}

void check_out_of_range(std::string_view expr, const TimeZone* tz = nullptr) {
  INFO(expr);
  for (auto op : {query::RangeOp::kGt, query::RangeOp::kGte, query::RangeOp::kLt, query::RangeOp::kLte}) {
    auto v = bound(expr, op, tz);
    REQUIRE_FALSE(v.is_ok());
    CHECK(v.status().type() == "parse_exception");
    CHECK(v.status().reason().find("date out of range for date math") == 0);
  }
}

}  // namespace

TEST_CASE("query_string boosts that std::stof threw on are syntax errors", "[fuzz][query_string]") {
  // Fuzzer input "Q5^.": std::stof(".") threw std::invalid_argument out of parse_query_string.
  auto dot = query::parse_query_string("5^.");
  REQUIRE_FALSE(dot.is_ok());
  CHECK(dot.status().type() == "query_shard_exception");
  CHECK(dot.status().reason() == "Failed to parse query [5^.]: missing boost after [^]");
  // Beyond float's range: stof threw std::out_of_range.
  auto huge = query::parse_query_string("a^" + std::string(60, '9'));
  REQUIRE_FALSE(huge.is_ok());
  CHECK(huge.status().reason().find("is out of range") != std::string::npos);
  // Lucene's NUMBER token ends at a second '.', so what follows is the next term.
  auto two_dots = query::parse_query_string("a^1.5.3");
  REQUIRE(two_dots.is_ok());
  REQUIRE((*two_dots)->children.size() == 2);
  CHECK((*two_dots)->children[0]->boost == 1.5f);
  CHECK((*two_dots)->children[1]->text == ".3");
  CHECK(query::parse_query_string("(a b)^0.25").value()->children[0]->boost == 0.25f);
  // Below float's range is 0, as Java's Float.parseFloat has it, not an error.
  auto tiny = query::parse_query_string("a^0." + std::string(60, '0') + "1");
  REQUIRE(tiny.is_ok());
  CHECK((*tiny)->children[0]->boost == 0.0f);
}

TEST_CASE("query_string phrase slops beyond int saturate as Lucene's do", "[fuzz][query_string]") {
  // std::stoi threw std::out_of_range on a slop wider than int (the boost bug's twin, found by
  // reading the code around it, then confirmed through the harness).
  auto big = query::parse_query_string(R"("a b"~99999999999)");
  REQUIRE(big.is_ok());
  CHECK((*big)->children[0]->slop == INT32_MAX);
  // Lucene reads the slop as a float and truncates it.
  auto frac = query::parse_query_string(R"("a b"~2.7 c)");
  REQUIRE(frac.is_ok());
  REQUIRE((*frac)->children.size() == 2);
  CHECK((*frac)->children[0]->slop == 2);
  CHECK(query::parse_query_string(R"("a b"~)").value()->children[0]->slop == 2);
}

// Date math on range bounds, which the harness resolves for every range query: inputs written to
// probe its arithmetic and run through the harness, which reported them.
TEST_CASE("date math that leaves the calendar's range is an error, not an overflow", "[fuzz][date_math]") {
  // UBSan: "2147483647 * 7 cannot be represented in type 'int'" in add_units ('w').
  check_out_of_range("now+2147483647w");
  // UBSan: signed overflow adding days to a value already pushed far out by earlier steps.
  std::string chained = "now";
  for (int i = 0; i < 60; ++i) chained += "+2147483647d";
  check_out_of_range(chained);
  // No sanitizer report, but the year wrapped through std::chrono's 16-bit year: this was a date
  // in March 2025, and "-2147483647y/y" one in 2028.
  check_out_of_range("now+2147483647y");
  check_out_of_range("now-2147483647y/y");
  check_out_of_range("now+786432M");
  // An anchor the formatter accepts (epoch_millis reaches year 29 million) but the calendar cannot
  // round or move; alone, without math, it is still the plain instant it was.
  check_out_of_range("922337203685477580||/d");
  check_out_of_range("922337203685477580||+1s");
  REQUIRE(bound("922337203685477580").is_ok());
  CHECK(bound("922337203685477580").value() == 922337203685477580);
  // In a zone with DST rules, far from any transition table.
  auto berlin = TimeZone::find("Europe/Berlin");
  REQUIRE(berlin.is_ok());
  check_out_of_range("now+2147483647d", berlin.value().get());
}

TEST_CASE("date math keeps working up to the edges of its range", "[fuzz][date_math]") {
  // Years -32766..32766 are exact; a step that stays inside gives the calendar's answer.
  auto far = bound("now+30740y/y", query::RangeOp::kGte);
  REQUIRE(far.is_ok());
  CHECK(far.value() == 971827891200000);  // 32766-01-01T00:00:00Z
  auto end = bound("now+30740y/y", query::RangeOp::kLte);
  REQUIRE(end.is_ok());
  CHECK(end.value() == 971859427199999);  // 32766-12-31T23:59:59.999Z
  check_out_of_range("now+30741y");
  auto early = bound("now-34792y/y");
  REQUIRE(early.is_ok());
  CHECK(early.value() == -1096162243200000);  // -32766-01-01T00:00:00Z
  check_out_of_range("now-34793y");
  // Large but sane steps are unaffected.
  CHECK(bound("now-100000d/d").value() == 1773532800000 - 100000 * 86400000LL);
  CHECK(bound("now+2147483647s").value() == kNow + 2147483647000LL);
}
