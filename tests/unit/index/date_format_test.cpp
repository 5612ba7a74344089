#include <catch2/catch.hpp>

#include "index/date_format.h"

using sift::index::DateFormatter;

namespace {

int64_t parse_ok(std::string_view spec, std::string_view text) {
  auto f = DateFormatter::create(spec);
  REQUIRE(f.is_ok());
  auto r = f->parse(text);
  INFO(spec << " <- " << text << ": " << r.status().to_string());
  REQUIRE(r.is_ok());
  return *r;
}

bool parse_fails(std::string_view spec, std::string_view text) {
  auto f = DateFormatter::create(spec);
  REQUIRE(f.is_ok());
  return !f->parse(text).is_ok();
}

constexpr int64_t k2015 = 1420070400000;  // 2015-01-01T00:00:00Z

}  // namespace

TEST_CASE("strict_date_optional_time accepts every ISO precision", "[date]") {
  const auto& f = DateFormatter::default_formatter();
  CHECK(*f.parse("2015") == k2015);
  CHECK(*f.parse("2015-01") == k2015);
  CHECK(*f.parse("2015-01-01") == k2015);
  CHECK(*f.parse("2015-01-01T12") == k2015 + 12 * 3600000LL);
  CHECK(*f.parse("2015-01-01T12:10") == k2015 + 12 * 3600000LL + 600000);
  CHECK(*f.parse("2015-01-01T12:10:30") == k2015 + 43830000);
  CHECK(*f.parse("2015-01-01T12:10:30.5") == k2015 + 43830500);
  CHECK(*f.parse("2015-01-01T12:10:30.123456789") == k2015 + 43830123);
  CHECK(*f.parse("2015-01-01T12:10:30.123Z") == k2015 + 43830123);
  CHECK(*f.parse("2015-01-01T12:10:30+01:00") == k2015 + 43830000 - 3600000);
  CHECK(*f.parse("2015-01-01T12:10:30-0530") == k2015 + 43830000 + 19800000);
  CHECK(*f.parse("2015-01-01T12:10:30,250Z") == k2015 + 43830250);
}

TEST_CASE("dates before the epoch and at the ends of the year range", "[date]") {
  const auto& f = DateFormatter::default_formatter();
  CHECK(*f.parse("1969-12-31T23:59:59.999Z") == -1);
  CHECK(*f.parse("1900-03-01") == -2203891200000LL);
  CHECK(*f.parse("0000-01-01") == -62167219200000LL);
  CHECK(*f.parse("9999-12-31T23:59:59Z") == 253402300799000LL);
  CHECK(*f.parse("2000-02-29") == 951782400000LL);
  CHECK(f.format(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(f.format(-62167219200000LL) == "0000-01-01T00:00:00.000Z");
}

TEST_CASE("invalid calendar values and trailing junk are rejected", "[date]") {
  const auto& f = DateFormatter::default_formatter();
  for (const char* bad : {"2015-13-01", "2015-02-29", "2015-01-32", "2015-01-01T24:00", "2015-01-01T12:60",
                          "15-01-01", "2015-1-1", "2015-01-01 12:00:00", "2015-01-01T12:00:00Zx", "", "abc",
                          "2015-01-01T12:00:00+25:00"}) {
    INFO(bad);
    CHECK_FALSE(f.parse(bad).is_ok());
  }
  auto r = f.parse("not a date");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().type() == "illegal_argument_exception");
  CHECK(r.status().reason() ==
        "failed to parse date field [not a date] with format [strict_date_optional_time||epoch_millis]");
}

TEST_CASE("date_optional_time is lenient about widths", "[date]") {
  CHECK(parse_ok("date_optional_time", "2015-1-1T1:2:3Z") == k2015 + 3723000);
  CHECK(parse_fails("strict_date_optional_time", "2015-1-1"));
}

TEST_CASE("epoch_millis and epoch_second", "[date]") {
  CHECK(parse_ok("epoch_millis", "1420070400000") == k2015);
  CHECK(parse_ok("epoch_millis", "-1000") == -1000);
  CHECK(parse_ok("epoch_millis", "1420070400000.999") == k2015);
  CHECK(parse_ok("epoch_millis", "-1.5") == -2);
  CHECK(parse_ok("epoch_millis", "0") == 0);
  CHECK(parse_ok("epoch_second", "1420070400") == k2015);
  CHECK(parse_ok("epoch_second", "1420070400.25") == k2015 + 250);
  CHECK(parse_ok("epoch_second", "-1.5") == -1500);
  CHECK(parse_fails("epoch_millis", "12a"));
  CHECK(parse_fails("epoch_millis", "1e10"));
  CHECK(parse_fails("epoch_millis", "99999999999999999999"));
  CHECK(parse_fails("epoch_second", ""));
  // The default format takes epoch millis as the second alternative.
  CHECK(*DateFormatter::default_formatter().parse("1420070400000") == k2015);
}

TEST_CASE("named built-in formats", "[date]") {
  CHECK(parse_ok("date", "2015-01-01") == k2015);
  CHECK(parse_ok("strict_date", "2015-01-01") == k2015);
  CHECK(parse_ok("basic_date", "20150101") == k2015);
  CHECK(parse_ok("basic_date_time", "20150101T121030.000Z") == k2015 + 43830000);
  CHECK(parse_ok("basic_date_time_no_millis", "20150101T121030+0100") == k2015 + 43830000 - 3600000);
  CHECK(parse_ok("date_time", "2015-01-01T12:10:30.123+01:00") == k2015 + 43830123 - 3600000);
  CHECK(parse_ok("strict_date_time", "2015-01-01T12:10:30.1Z") == k2015 + 43830100);
  CHECK(parse_ok("date_time_no_millis", "2015-01-01T12:10:30Z") == k2015 + 43830000);
  CHECK(parse_ok("date_hour_minute_second", "2015-01-01T12:10:30") == k2015 + 43830000);
  CHECK(parse_ok("strict_date_hour_minute_second", "2015-01-01T12:10:30") == k2015 + 43830000);
  CHECK(parse_ok("year", "2015") == k2015);
  CHECK(parse_ok("year_month", "2015-01") == k2015);
  CHECK(parse_ok("year_month_day", "2015-01-01") == k2015);
  CHECK(parse_ok("hour_minute", "01:30") == 5400000);
  CHECK(parse_fails("date", "2015-01-01T00:00"));
  CHECK(parse_fails("basic_date", "2015-01-01"));
}

TEST_CASE("Java-style patterns", "[date]") {
  CHECK(parse_ok("yyyy-MM-dd HH:mm:ss", "2015-01-01 12:10:30") == k2015 + 43830000);
  CHECK(parse_ok("yyyy/MM/dd HH:mm:ss Z", "2015/01/01 12:10:30 +0100") == k2015 + 43830000 - 3600000);
  CHECK(parse_ok("dd/MMM/yyyy:HH:mm:ss Z", "01/Jan/2015:12:10:30 -0000") == k2015 + 43830000);
  CHECK(parse_ok("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700") == 971211336000LL);
  CHECK(parse_ok("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2015-01-01T12:10:30.123Z") == k2015 + 43830123);
  CHECK(parse_ok("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2015-01-01T12:10:30.123+02:00") == k2015 + 43830123 - 7200000);
  CHECK(parse_ok("dd.MM.yy", "01.01.15") == k2015);
  CHECK(parse_ok("d/M/yyyy", "1/1/2015") == k2015);
  CHECK(parse_ok("MM/dd/yyyy hh:mm a", "01/01/2015 12:30 AM") == k2015 + 1800000);
  CHECK(parse_ok("MM/dd/yyyy hh:mm a", "01/01/2015 01:30 PM") == k2015 + 13 * 3600000LL + 1800000);
  CHECK(parse_ok("EEE, dd MMM yyyy HH:mm:ss Z", "Thu, 01 Jan 2015 00:00:00 +0000") == k2015);
  CHECK(parse_ok("MMMM d, yyyy", "January 1, 2015") == k2015);
  CHECK(parse_ok("yyyy-MM-dd[ HH:mm]", "2015-01-01") == k2015);
  CHECK(parse_ok("yyyy-MM-dd[ HH:mm]", "2015-01-01 00:01") == k2015 + 60000);
  CHECK(parse_ok("yyyyMMddHHmmss", "20150101121030") == k2015 + 43830000);
  CHECK(parse_ok("'day' yyyy-MM-dd", "day 2015-01-01") == k2015);
  CHECK(parse_fails("yyyy-MM-dd HH:mm:ss", "2015-01-01"));
  CHECK(parse_fails("dd/MMM/yyyy", "01/Foo/2015"));
}

TEST_CASE("alternatives are tried in order", "[date]") {
  auto f = DateFormatter::create("yyyy-MM-dd HH:mm:ss||yyyy-MM-dd||epoch_millis");
  REQUIRE(f.is_ok());
  CHECK(*f->parse("2015-01-01 00:00:01") == k2015 + 1000);
  CHECK(*f->parse("2015-01-01") == k2015);
  CHECK(*f->parse("1420070400000") == k2015);
  CHECK_FALSE(f->parse("2015/01/01").is_ok());
  CHECK(f->spec() == "yyyy-MM-dd HH:mm:ss||yyyy-MM-dd||epoch_millis");
}

TEST_CASE("unknown names and pattern letters fail at create", "[date]") {
  for (const char* bad : {"foo_bar", "yyyy-MM-dd Q", "yyyy-MM-dd'T", "||", "yyyy]", "strict_date_optional_time||"}) {
    INFO(bad);
    auto f = DateFormatter::create(bad);
    REQUIRE_FALSE(f.is_ok());
    CHECK(f.status().type() == "illegal_argument_exception");
  }
  auto f = DateFormatter::create("yyyy-qq");
  REQUIRE_FALSE(f.is_ok());
  CHECK(f.status().reason().find("Invalid format: [yyyy-qq]") != std::string::npos);
}

TEST_CASE("formatting uses the first alternative", "[date]") {
  const int64_t t = k2015 + 43830123;
  CHECK(DateFormatter::default_formatter().format(t) == "2015-01-01T12:10:30.123Z");
  CHECK(DateFormatter::create("epoch_millis||strict_date_optional_time")->format(t) == "1420114230123");
  CHECK(DateFormatter::create("epoch_second")->format(k2015) == "1420070400");
  CHECK(DateFormatter::create("epoch_second")->format(k2015 + 500) == "1420070400.5");
  CHECK(DateFormatter::create("yyyy/MM/dd HH:mm:ss")->format(t) == "2015/01/01 12:10:30");
  CHECK(DateFormatter::create("dd/MMM/yyyy:HH:mm:ss Z")->format(t) == "01/Jan/2015:12:10:30 +0000");
  CHECK(DateFormatter::create("date_time")->format(t) == "2015-01-01T12:10:30.123Z");
  CHECK(DateFormatter::create("basic_date")->format(t) == "20150101");
  CHECK(DateFormatter::create("hh:mm a")->format(t) == "12:10 PM");
  CHECK(DateFormatter::create("EEE yyyy")->format(t) == "Thu 2015");
}

TEST_CASE("round trip of formatting and parsing over a range of instants", "[date]") {
  const auto& f = DateFormatter::default_formatter();
  for (int64_t t = -62167219200000LL; t < 253402300799000LL; t += 7777777777777LL) {
    auto back = f.parse(f.format(t));
    REQUIRE(back.is_ok());
    CHECK(*back == t);
  }
}
