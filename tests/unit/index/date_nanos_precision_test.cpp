// date_nanos at full precision: instants to the nanosecond from every format, the 1970 .. 2262
// range of an int64 of nanoseconds, printing 3 to 9 fraction digits, and the document parser
// storing epoch nanoseconds (and refusing what does not fit).
#include <catch2/catch.hpp>

#include "index/date_format.h"
#include "index/document_parser.h"

using namespace sift::index;
using sift::analysis::AnalyzerRegistry;

namespace {

DateFormatter fmt(const char* spec) {
  auto f = DateFormatter::create(spec);
  INFO(spec);
  REQUIRE(f.is_ok());
  return std::move(f).value();
}

int64_t nanos_of(const DateFormatter& f, const char* text) {
  auto t = f.parse_instant(text);
  INFO(text);
  REQUIRE(t.is_ok());
  auto ns = instant_to_nanos(*t, text);
  REQUIRE(ns.is_ok());
  return *ns;
}

constexpr int64_t k2019 = 1571646604LL;  // 2019-10-21T08:30:04Z in seconds

}  // namespace

TEST_CASE("instants keep every fraction digit the text gives", "[date_nanos][date_format]") {
  DateFormatter iso = fmt("strict_date_optional_time_nanos||epoch_millis");
  CHECK(nanos_of(iso, "2019-10-21T08:30:04.828733Z") == k2019 * 1'000'000'000 + 828'733'000);
  CHECK(nanos_of(iso, "2019-10-21T08:30:04.828733123Z") == k2019 * 1'000'000'000 + 828'733'123);
  CHECK(nanos_of(iso, "2019-10-21T08:30:04.8Z") == k2019 * 1'000'000'000 + 800'000'000);
  CHECK(nanos_of(iso, "2019-10-21T10:30:04.000000001+02:00") == k2019 * 1'000'000'000 + 1);
  // epoch_millis with a fraction reaches below the millisecond
  CHECK(nanos_of(iso, "1571646604828.733") == 1571646604828733000);
  CHECK(nanos_of(iso, "1571646604828") == 1571646604828000000);
  CHECK(nanos_of(fmt("epoch_second"), "1571646604.000000007") == k2019 * 1'000'000'000 + 7);
  CHECK(nanos_of(fmt("yyyy-MM-dd HH:mm:ss.SSSSSS"), "2019-10-21 08:30:04.828733") ==
        k2019 * 1'000'000'000 + 828'733'000);
  CHECK(nanos_of(fmt("yyyy-MM-dd HH:mm:ss.SSSSSSSSS"), "2019-10-21 08:30:04.000000999") ==
        k2019 * 1'000'000'000 + 999);
  // Ten digits are not a fraction any format reads.
  CHECK_FALSE(iso.parse_instant("2019-10-21T08:30:04.1234567891Z").is_ok());
  // The millisecond parse floors what lies below it, also before 1970.
  CHECK(iso.parse("2019-10-21T08:30:04.828999999Z").value() == k2019 * 1000 + 828);
  CHECK(fmt("epoch_millis").parse("-1.5").value() == -2);
  auto before = fmt("epoch_millis").parse_instant("-1.5");
  REQUIRE(before.is_ok());
  CHECK(before->seconds == -1);
  CHECK(before->nanos == 998'500'000);
}

TEST_CASE("date_nanos range ends at 1970 and 2262-04-11T23:47:16.854775807Z", "[date_nanos][date_format]") {
  DateFormatter iso = fmt("strict_date_optional_time_nanos");
  CHECK(nanos_of(iso, "1970-01-01T00:00:00Z") == 0);
  CHECK(nanos_of(iso, "2262-04-11T23:47:16.854775807Z") == INT64_MAX);
  auto past_max = iso.parse_instant("2262-04-11T23:47:16.854775808Z");
  REQUIRE(past_max.is_ok());
  auto over = instant_to_nanos(*past_max, "2262-04-11T23:47:16.854775808Z");
  REQUIRE_FALSE(over.is_ok());
  CHECK(over.status().reason() ==
        "date[2262-04-11T23:47:16.854775808Z] is after 2262-04-11T23:47:16.854775807 and cannot be stored in "
        "nanosecond resolution");
  auto under = instant_to_nanos(iso.parse_instant("1969-12-31T23:59:59.999999999Z").value(), "1969-12-31T23:59:59.999999999Z");
  REQUIRE_FALSE(under.is_ok());
  CHECK(under.status().reason() ==
        "date[1969-12-31T23:59:59.999999999Z] is before the epoch in 1970 and cannot be stored in nanosecond resolution");
  CHECK(clamp_to_nanos(*past_max) == INT64_MAX);
  CHECK(clamp_to_nanos(iso.parse_instant("1960-01-01T00:00:00Z").value()) == 0);
  CHECK(clamp_millis_to_nanos(-1) == 0);
  CHECK(clamp_millis_to_nanos(1571646604828) == 1571646604828000000);
  CHECK(clamp_millis_to_nanos(INT64_MAX / 1000) == INT64_MAX);
  // Round trips at the ends and around the epoch.
  for (int64_t ns : {int64_t{0}, int64_t{1}, int64_t{999'999'999}, int64_t{1'000'000'000}, INT64_MAX - 1, INT64_MAX}) {
    CHECK(clamp_to_nanos(instant_from_nanos(ns)) == ns);
    CHECK(nanos_of(iso, iso.format_nanos(ns).c_str()) == ns);
  }
  CHECK(nanos_to_millis(1571646604828733000) == 1571646604828);
}

TEST_CASE("formats print the digits below the millisecond", "[date_nanos][date_format]") {
  const int64_t ns = 1540815132123456789;  // 2018-10-29T12:12:12.123456789Z
  CHECK(fmt("strict_date_optional_time_nanos").format_nanos(ns) == "2018-10-29T12:12:12.123456789Z");
  CHECK(fmt("strict_date_optional_time_nanos").format_nanos(1540815132120000000) == "2018-10-29T12:12:12.120Z");
  CHECK(fmt("strict_date_optional_time_nanos").format_nanos(1540815132123400000) == "2018-10-29T12:12:12.1234Z");
  CHECK(fmt("strict_date_optional_time_nanos").format_nanos(1540771200000000000) == "2018-10-29T00:00:00.000Z");
  CHECK(fmt("strict_date_optional_time").format_nanos(ns) == "2018-10-29T12:12:12.123Z");
  CHECK(fmt("epoch_millis").format_nanos(ns) == "1540815132123.456789");
  CHECK(fmt("epoch_millis").format_nanos(1540815132123000000) == "1540815132123");
  CHECK(fmt("epoch_second").format_nanos(ns) == "1540815132.123456789");
  CHECK(fmt("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSX").format_nanos(ns) == "2018-10-29T12:12:12.123456789Z");
  CHECK(fmt("yyyy-MM-dd HH:mm:ss.SSSSSS").format_nanos(ns) == "2018-10-29 12:12:12.123456");
  // Milliseconds print as before.
  CHECK(fmt("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSX").format(1540815132987) == "2018-10-29T12:12:12.987000000Z");
  CHECK(fmt("epoch_second").format(-1500) == "-1.5");
  CHECK(fmt("epoch_second").format(-500) == "-0.5");
  CHECK(fmt("epoch_millis").format(-2) == "-2");
}

TEST_CASE("the parser stores date_nanos as epoch nanoseconds and refuses what does not fit", "[date_nanos][parser]") {
  auto m = parse_mapping(R"({"properties":{"ts":{"type":"date_nanos","format":"yyyy-MM-dd HH:mm:ss.SSSSSS||epoch_millis"},
                             "lenient":{"type":"date_nanos","ignore_malformed":true},"ms":{"type":"date"}}})");
  REQUIRE(m.is_ok());
  auto registry = AnalyzerRegistry::builtin();
  auto r = parse_document(
      R"({"ts":["2019-10-21 08:30:04.828733", 1571646604828, "1571646604828.5"],"ms":"2019-10-21T08:30:04.828733Z"})",
      "1", *m);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  for (const auto& f : r->doc.numerics) {
    if (f.name == "ts") {
      CHECK(f.values == std::vector<int64_t>{1571646604828733000, 1571646604828000000, 1571646604828500000});
    } else if (f.name == "ms") {
      CHECK(f.values == std::vector<int64_t>{1571646604828});  // date keeps milliseconds
    }
  }
  for (const char* bad : {R"({"ts":"1969-12-31 23:59:59.999999"})", R"({"ts":"2263-01-01 00:00:00.000000"})",
                          R"({"ts":-1})"}) {
    auto e = parse_document(bad, "x", *m);
    INFO(bad);
    REQUIRE_FALSE(e.is_ok());
    CHECK(e.status().type() == "mapper_parsing_exception");
    CHECK_THAT(e.status().reason(), Catch::Contains("of type [date_nanos]"));
  }
  auto kept = parse_document(R"({"lenient":"1900-01-01T00:00:00Z"})", "y", *m);
  REQUIRE(kept.is_ok());
  CHECK(kept->doc.numerics.empty());
}
