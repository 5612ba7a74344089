#include "query/date_math.h"

#include <catch2/catch.hpp>
#include <chrono>

using sift::TimeZone;
using sift::index::DateFormatter;
using sift::query::RangeOp;
using sift::query::Rounding;
using sift::query::add_units;
using sift::query::resolve_date_math;
using sift::query::resolve_range_bound;
using sift::query::round_down;

namespace {

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kDay = 24 * kHour;

int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  int64_t days = sys_days{year{y} / month{mo} / day{d}}.time_since_epoch().count();
  return ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
}

const DateFormatter& dflt() { return DateFormatter::default_formatter(); }

std::shared_ptr<const TimeZone> zone(const char* id) {
  auto z = TimeZone::find(id);
  REQUIRE(z.is_ok());
  return z.value();
}

// Resolves with a fixed `now` (2026-03-15T13:45:30.123Z, a Sunday) and the default format.
constexpr int64_t kNow = 1773582330123;

int64_t resolve(std::string_view expr, Rounding r = Rounding::kNone, const TimeZone* tz = nullptr,
                const DateFormatter& fmt = dflt(), int64_t now = kNow) {
  auto v = resolve_date_math(expr, now, fmt, tz, r);
  INFO(std::string(expr) << ": " << (v.is_ok() ? "" : v.status().to_string()));
  REQUIRE(v.is_ok());
  return v.value();
}

std::string error_of(std::string_view expr, const DateFormatter& fmt = dflt()) {
  auto v = resolve_date_math(expr, kNow, fmt, nullptr, Rounding::kRoundDown);
  REQUIRE_FALSE(v.is_ok());
  CHECK(v.status().type() == "parse_exception");
  return v.status().reason();
}

DateFormatter format(const char* spec) {
  auto f = DateFormatter::create(spec);
  REQUIRE(f.is_ok());
  return f.value();
}

}  // namespace

TEST_CASE("the fixed now is what the tests think it is", "[date_math]") {
  CHECK(kNow == at(2026, 3, 15, 13, 45, 30, 123));
}

TEST_CASE("each range operator rounds as OpenSearch documents", "[date_math]") {
  // The docs' table for 2022-05-18||/M, as inclusive bounds.
  auto bound = [](RangeOp op) {
    auto v = resolve_range_bound("2022-05-18||/M", op, kNow, dflt(), nullptr);
    REQUIRE(v.is_ok());
    return v.value();
  };
  CHECK(bound(RangeOp::kGt) == at(2022, 6, 1));
  CHECK(bound(RangeOp::kGte) == at(2022, 5, 1));
  CHECK(bound(RangeOp::kLt) == at(2022, 4, 30, 23, 59, 59, 999));
  CHECK(bound(RangeOp::kLte) == at(2022, 5, 31, 23, 59, 59, 999));
  // The raw values: gt compares with > against the end of the month.
  CHECK(resolve("2014-11-18||/M", Rounding::kRoundUp) == at(2014, 11, 30, 23, 59, 59, 999));
  CHECK(resolve("2014-11-18||/M", Rounding::kRoundDown) == at(2014, 11, 1));
  CHECK(resolve("2014-11-18||/M", Rounding::kNone) == at(2014, 11, 1));
  CHECK(sift::query::rounding_for(RangeOp::kGt) == Rounding::kRoundUp);
  CHECK(sift::query::rounding_for(RangeOp::kLt) == Rounding::kRoundDown);
}

TEST_CASE("rounding up fills a bare anchor's missing fields with their maxima", "[date_math]") {
  CHECK(resolve("2014-11-18", Rounding::kRoundUp) == at(2014, 11, 18, 23, 59, 59, 999));
  CHECK(resolve("2014-11-18", Rounding::kRoundDown) == at(2014, 11, 18));
  CHECK(resolve("2014-11-18T10", Rounding::kRoundUp) == at(2014, 11, 18, 10, 59, 59, 999));
  CHECK(resolve("2014-11-18T10:15", Rounding::kRoundUp) == at(2014, 11, 18, 10, 15, 59, 999));
  CHECK(resolve("2014-11-18T10:15:30", Rounding::kRoundUp) == at(2014, 11, 18, 10, 15, 30, 999));
  CHECK(resolve("2014-11-18T10:15:30.5", Rounding::kRoundUp) == at(2014, 11, 18, 10, 15, 30, 500));
  CHECK(resolve("2014-11-18T10:15:30Z", Rounding::kRoundUp) == at(2014, 11, 18, 10, 15, 30, 999));
  // A year alone keeps month and day at 01, as the docs say.
  CHECK(resolve("2022", Rounding::kRoundUp) == at(2022, 1, 1, 23, 59, 59, 999));
  // An anchor followed by "||" is parsed without filling.
  CHECK(resolve("2014-11-18||+1d", Rounding::kRoundUp) == at(2014, 11, 19));
  CHECK(resolve("1700000000123", Rounding::kRoundUp) == 1700000000123);  // epoch_millis is exact
  CHECK(resolve("1000", Rounding::kRoundUp) == at(1000, 1, 1, 23, 59, 59, 999));  // a year, as in OpenSearch
  CHECK(resolve("5", Rounding::kRoundUp, nullptr, format("epoch_second")) == 5999);
  CHECK(resolve("2014/11/18 10:15", Rounding::kRoundUp, nullptr, format("yyyy/MM/dd HH:mm")) ==
        at(2014, 11, 18, 10, 15, 59, 999));
}

TEST_CASE("now and sequences of operations", "[date_math]") {
  CHECK(resolve("now") == kNow);
  CHECK(resolve("now-15m/m") == at(2026, 3, 15, 13, 30));
  CHECK(resolve("now-15m/m", Rounding::kRoundUp) == at(2026, 3, 15, 13, 30, 59, 999));
  CHECK(resolve("now/d") == at(2026, 3, 15));
  CHECK(resolve("now/d", Rounding::kRoundUp) == at(2026, 3, 15, 23, 59, 59, 999));
  CHECK(resolve("now-1d/d") == at(2026, 3, 14));
  CHECK(resolve("now+1h+30m-10s") == kNow + kHour + 30 * 60000 - 10000);
  CHECK(resolve("now+2H") == kNow + 2 * kHour);
  CHECK(resolve("now/y") == at(2026, 1, 1));
  CHECK(resolve("now-1y/M+1w") == at(2025, 3, 8));
  CHECK(resolve("now/d+8h") == at(2026, 3, 15, 8));
  CHECK(resolve("now/s") == at(2026, 3, 15, 13, 45, 30));
  CHECK(resolve("2026-01-01||+1M/d") == at(2026, 2, 1));
  CHECK(resolve("2019/01/01||-1y-1d", Rounding::kNone, nullptr, format("yyyy/MM/dd")) == at(2017, 12, 31));
  CHECK(resolve("2026-01-01T10:00:00||") == at(2026, 1, 1, 10));
}

TEST_CASE("month and year arithmetic clamps the day like java.time", "[date_math]") {
  CHECK(resolve("2026-01-31||+1M") == at(2026, 2, 28));
  CHECK(resolve("2024-01-31||+1M") == at(2024, 2, 29));
  CHECK(resolve("2024-03-31||-1M") == at(2024, 2, 29));
  CHECK(resolve("2026-01-31||+2M") == at(2026, 3, 31));
  CHECK(resolve("2026-01-31||+1M+1M") == at(2026, 3, 28));  // clamping is not undone
  CHECK(resolve("2024-02-29||+1y") == at(2025, 2, 28));
  CHECK(resolve("2026-11-30T06:00:00||+3M") == at(2027, 2, 28, 6));
  CHECK(resolve("2026-03-01||-14M") == at(2025, 1, 1));
}

TEST_CASE("weeks round to Monday", "[date_math]") {
  CHECK(resolve("2026-03-15||/w") == at(2026, 3, 9));  // Sunday -> the Monday before
  CHECK(resolve("2026-03-09||/w") == at(2026, 3, 9));  // Monday stays
  CHECK(resolve("2026-03-15||/w", Rounding::kRoundUp) == at(2026, 3, 15, 23, 59, 59, 999));
  CHECK(resolve("1970-01-01||/w") == at(1969, 12, 29));
  CHECK(resolve("now/w") == at(2026, 3, 9));
}

TEST_CASE("rounding days in Europe/Berlin across DST changes", "[date_math]") {
  auto berlin = zone("Europe/Berlin");
  const TimeZone* tz = berlin.get();
  // Spring forward: 2026-03-29 has 23 hours. 14:00 CEST = 12:00 UTC.
  int64_t spring = at(2026, 3, 29, 12);
  CHECK(resolve("now/d", Rounding::kRoundDown, tz, dflt(), spring) == at(2026, 3, 28, 23));
  CHECK(resolve("now/d", Rounding::kRoundUp, tz, dflt(), spring) == at(2026, 3, 29, 22) - 1);
  // Fall back: 2026-10-25 has 25 hours.
  int64_t autumn = at(2026, 10, 25, 12);
  CHECK(resolve("now/d", Rounding::kRoundDown, tz, dflt(), autumn) == at(2026, 10, 24, 22));
  CHECK(resolve("now/d", Rounding::kRoundUp, tz, dflt(), autumn) == at(2026, 10, 25, 23) - 1);
  // now itself is not shifted by the zone.
  CHECK(resolve("now", Rounding::kNone, tz, dflt(), spring) == spring);
  // Adding a day keeps the wall clock (23 real hours), adding 24h does not.
  CHECK(resolve("2026-03-28T12:00:00||+1d", Rounding::kNone, tz) == at(2026, 3, 29, 10));
  CHECK(resolve("2026-03-28T12:00:00||+24h", Rounding::kNone, tz) == at(2026, 3, 29, 11));
  // Months and years round to local midnight too.
  CHECK(resolve("2026-07-18||/M", Rounding::kNone, tz) == at(2026, 6, 30, 22));
  CHECK(resolve("2026-07-18||/y", Rounding::kNone, tz) == at(2025, 12, 31, 23));
}

TEST_CASE("the zone applies to anchors without an offset only", "[date_math]") {
  auto berlin = zone("Europe/Berlin");
  auto minus4 = zone("-04:00");
  // The docs' example: time_zone -04:00 turns 06:00 into 10:00 UTC.
  CHECK(resolve("2022-04-17T06:00:00", Rounding::kRoundDown, minus4.get()) == at(2022, 4, 17, 10));
  CHECK(resolve("2026-07-01T12:00:00", Rounding::kNone, berlin.get()) == at(2026, 7, 1, 10));
  CHECK(resolve("2026-07-01", Rounding::kNone, berlin.get()) == at(2026, 6, 30, 22));
  CHECK(resolve("2026-07-01", Rounding::kRoundUp, berlin.get()) == at(2026, 7, 1, 22) - 1);
  CHECK(resolve("2026-07-01T12:00:00Z", Rounding::kNone, berlin.get()) == at(2026, 7, 1, 12));
  CHECK(resolve("2026-07-01T12:00:00+05:00", Rounding::kNone, berlin.get()) == at(2026, 7, 1, 7));
  CHECK(resolve("1700000000123", Rounding::kNone, berlin.get()) == 1700000000123);
  CHECK(resolve("1700000000123||/d", Rounding::kNone, berlin.get()) == at(2023, 11, 13, 23));  // 23:13 CET
  // An anchor with an offset still rounds in the zone: 23:30Z on June 30 is July 1 in Berlin.
  CHECK(resolve("2026-06-30T23:30:00Z||/d", Rounding::kNone, berlin.get()) == at(2026, 6, 30, 22));
  // A wall-clock anchor inside the spring gap moves forward like java.time.
  CHECK(resolve("2026-03-29T02:30:00", Rounding::kNone, berlin.get()) == at(2026, 3, 29, 1, 30));
}

TEST_CASE("half-hour zones and midnight gaps", "[date_math]") {
  auto kolkata = zone("Asia/Kolkata");
  // 10:10 UTC is 15:40 IST; the hour starts at 15:00 IST = 09:30 UTC.
  CHECK(round_down(at(2026, 1, 1, 10, 10), 'h', *kolkata) == at(2026, 1, 1, 9, 30));
  CHECK(round_down(at(2026, 1, 1, 10, 10), 'd', *kolkata) == at(2025, 12, 31, 18, 30));
  // In Beirut 2026-03-29 starts at 01:00 (midnight is in the gap).
  auto beirut = zone("Asia/Beirut");
  CHECK(round_down(at(2026, 3, 29, 9), 'd', *beirut) == at(2026, 3, 28, 22));
}

TEST_CASE("add_units and round_down helpers", "[date_math]") {
  auto utc = TimeZone::utc();
  auto berlin = zone("Europe/Berlin");
  CHECK(add_units(at(2026, 1, 31, 5), 1, 'M', *utc) == at(2026, 2, 28, 5));
  CHECK(add_units(at(2026, 1, 31, 5), -1, 'y', *utc) == at(2025, 1, 31, 5));
  CHECK(add_units(at(2026, 1, 1), 3, 'w', *utc) == at(2026, 1, 22));
  CHECK(add_units(at(2026, 1, 1), -90, 's', *utc) == at(2025, 12, 31, 23, 58, 30));
  // Across the autumn change, +1d keeps 00:00 local: 25 real hours.
  CHECK(add_units(at(2026, 10, 24, 22), 1, 'd', *berlin) == at(2026, 10, 25, 23));
  CHECK(round_down(at(2026, 3, 15, 13, 45, 30, 123), 'm', *utc) == at(2026, 3, 15, 13, 45));
  CHECK(round_down(at(1969, 12, 31, 23, 59, 59, 999), 'd', *utc) == at(1969, 12, 31));
  CHECK(round_down(at(1969, 12, 31, 23, 59, 59, 999), 'M', *utc) == at(1969, 12, 1));
  CHECK(round_down(at(2026, 10, 25, 1, 30), 'h', *berlin) == at(2026, 10, 25, 1));  // the second 02:xx hour
  CHECK(sift::query::is_date_math_unit('H'));
  CHECK_FALSE(sift::query::is_date_math_unit('x'));
  CHECK_FALSE(sift::query::is_date_math_unit('\0'));
}

TEST_CASE("bad expressions are parse exceptions with OpenSearch's wording", "[date_math]") {
  CHECK(error_of("now+") == "truncated date math [+]");
  CHECK(error_of("now+5") == "truncated date math [+5]");
  CHECK(error_of("now*1d") == "operator not supported for date math [*1d]");
  CHECK(error_of("nowx") == "operator not supported for date math [x]");
  CHECK(error_of("now/2d") == "rounding `/` can only be used on single unit types [/2d]");
  CHECK(error_of("now+1x") == "unit [x] not supported for date math [+1x]");
  CHECK(error_of("2026-01-01||+1d*") == "operator not supported for date math [+1d*]");
  CHECK(error_of("garbage||+1d") ==
        "failed to parse date field [garbage] with format [strict_date_optional_time||epoch_millis]");
  CHECK(error_of("2026-13-01") ==
        "failed to parse date field [2026-13-01] with format [strict_date_optional_time||epoch_millis]");
  CHECK(error_of("18/11/2014", format("yyyy-MM-dd")) == "failed to parse date field [18/11/2014] with format [yyyy-MM-dd]");
  CHECK(error_of("now+99999999999d") == "number out of range for date math [+99999999999d]");
}
