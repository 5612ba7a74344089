#include "common/time_zone.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

using sift::TimeZone;

namespace {

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kMinute = 60 * 1000LL;

// Milliseconds since the epoch of a UTC (or local, when used as a wall-clock value) date-time.
int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  using namespace std::chrono;
  int64_t days = sys_days{year{y} / month{mo} / day{d}}.time_since_epoch().count();
  return ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

std::shared_ptr<const TimeZone> zone(const char* id) {
  auto z = TimeZone::find(id);
  REQUIRE(z.is_ok());
  return z.value();
}

bool zone_file_present(const char* id) { return std::ifstream(std::string("/usr/share/zoneinfo/") + id).good(); }

}  // namespace

TEST_CASE("Europe/Berlin has CET in winter and CEST in summer", "[time_zone]") {
  auto berlin = zone("Europe/Berlin");
  CHECK(berlin->id() == "Europe/Berlin");
  CHECK(berlin->offset_ms_at_utc(at(2026, 1, 15, 12)) == kHour);
  CHECK(berlin->offset_ms_at_utc(at(2026, 7, 15, 12)) == 2 * kHour);
  CHECK(berlin->offset_ms_at_utc(at(1995, 7, 15, 12)) == 2 * kHour);
  CHECK(berlin->offset_ms_at_utc(at(1960, 7, 1)) == kHour);  // no DST in West Berlin then
}

TEST_CASE("Berlin's 2026 transitions happen at 01:00 UTC on the last Sundays", "[time_zone]") {
  auto berlin = zone("Europe/Berlin");
  const int64_t spring = at(2026, 3, 29, 1);  // 1774746000000
  const int64_t autumn = at(2026, 10, 25, 1);
  CHECK(spring == 1774746000000);
  CHECK(berlin->offset_ms_at_utc(spring - 1) == kHour);
  CHECK(berlin->offset_ms_at_utc(spring) == 2 * kHour);
  CHECK(berlin->offset_ms_at_utc(autumn - 1) == 2 * kHour);
  CHECK(berlin->offset_ms_at_utc(autumn) == kHour);
}

TEST_CASE("local_to_utc resolves gaps forward and overlaps to the first occurrence", "[time_zone]") {
  auto berlin = zone("Europe/Berlin");
  // Ordinary local times.
  CHECK(berlin->local_to_utc(at(2026, 1, 15, 12)) == at(2026, 1, 15, 11));
  CHECK(berlin->local_to_utc(at(2026, 7, 15, 12)) == at(2026, 7, 15, 10));
  // Gap: 02:30 local does not exist on 2026-03-29; java.time gives 03:30 CEST = 01:30 UTC.
  CHECK(berlin->local_to_utc(at(2026, 3, 29, 2, 30)) == at(2026, 3, 29, 1, 30));
  CHECK(berlin->local_to_utc(at(2026, 3, 29, 2, 0)) == at(2026, 3, 29, 1, 0));
  CHECK(berlin->local_to_utc(at(2026, 3, 29, 3, 0)) == at(2026, 3, 29, 1, 0));
  CHECK(berlin->local_to_utc(at(2026, 3, 29, 1, 59)) == at(2026, 3, 29, 0, 59));
  // Overlap: 02:30 local happens twice on 2026-10-25; the first is 02:30 CEST = 00:30 UTC.
  CHECK(berlin->local_to_utc(at(2026, 10, 25, 2, 30)) == at(2026, 10, 25, 0, 30));
  CHECK(berlin->local_to_utc(at(2026, 10, 25, 3, 0)) == at(2026, 10, 25, 2, 0));
  // A preferred offset that is valid in the overlap is kept; an invalid one is not.
  CHECK(berlin->local_to_utc(at(2026, 10, 25, 2, 30), kHour) == at(2026, 10, 25, 1, 30));
  CHECK(berlin->local_to_utc(at(2026, 7, 1), kHour) == at(2026, 6, 30, 22));
}

TEST_CASE("America/New_York", "[time_zone]") {
  auto ny = zone("America/New_York");
  CHECK(ny->offset_ms_at_utc(at(2026, 1, 15)) == -5 * kHour);
  CHECK(ny->offset_ms_at_utc(at(2026, 7, 1)) == -4 * kHour);
  CHECK(ny->offset_ms_at_utc(at(2026, 3, 8, 6, 59)) == -5 * kHour);
  CHECK(ny->offset_ms_at_utc(at(2026, 3, 8, 7)) == -4 * kHour);
  CHECK(ny->local_to_utc(at(2026, 3, 8, 2, 30)) == at(2026, 3, 8, 7, 30));  // gap
  CHECK(ny->local_to_utc(at(2026, 11, 1, 1, 30)) == at(2026, 11, 1, 5, 30));  // overlap, EDT first
}

TEST_CASE("Asia/Kolkata is +05:30 all year", "[time_zone]") {
  auto kolkata = zone("Asia/Kolkata");
  CHECK(kolkata->offset_ms_at_utc(at(2026, 1, 1)) == 5 * kHour + 30 * kMinute);
  CHECK(kolkata->offset_ms_at_utc(at(2026, 7, 1)) == 5 * kHour + 30 * kMinute);
  CHECK(kolkata->local_to_utc(at(2026, 1, 1)) == at(2025, 12, 31, 18, 30));
}

TEST_CASE("Australia/Lord_Howe moves its clocks by 30 minutes", "[time_zone]") {
  if (!zone_file_present("Australia/Lord_Howe")) {
    WARN("skipped: /usr/share/zoneinfo/Australia/Lord_Howe is not installed");
    return;
  }
  auto lh = zone("Australia/Lord_Howe");
  CHECK(lh->offset_ms_at_utc(at(2026, 1, 15)) == 11 * kHour);
  CHECK(lh->offset_ms_at_utc(at(2026, 7, 15)) == 10 * kHour + 30 * kMinute);
  // DST starts on the first Sunday of October 2026 (Oct 4) at 02:00 local: 02:00-02:30 is a gap.
  CHECK(lh->local_to_utc(at(2026, 10, 4, 2, 15)) == at(2026, 10, 3, 15, 45));
  CHECK(lh->local_to_utc(at(2026, 10, 4, 2, 30)) == at(2026, 10, 3, 15, 30));
}

TEST_CASE("instants after the last transition follow the POSIX footer rule", "[time_zone]") {
  auto berlin = zone("Europe/Berlin");
  const int64_t spring_2100 = at(2100, 3, 28, 1);  // the last Sunday of March 2100
  CHECK(berlin->offset_ms_at_utc(at(2100, 1, 1)) == kHour);
  CHECK(berlin->offset_ms_at_utc(spring_2100 - 1) == kHour);
  CHECK(berlin->offset_ms_at_utc(spring_2100) == 2 * kHour);
  CHECK(berlin->offset_ms_at_utc(at(2100, 10, 31, 0, 59)) == 2 * kHour);  // Oct 31 is that Sunday
  CHECK(berlin->offset_ms_at_utc(at(2100, 10, 31, 1)) == kHour);
  auto ny = zone("America/New_York");
  CHECK(ny->offset_ms_at_utc(at(2100, 7, 1)) == -4 * kHour);
}

TEST_CASE("POSIX rules: M, J and n date forms with explicit times", "[time_zone]") {
  auto m = TimeZone::from_posix("m", "CET-1CEST,M3.5.0,M10.5.0/3");
  REQUIRE(m.is_ok());
  CHECK(m.value()->offset_ms_at_utc(at(2026, 3, 29, 0, 59)) == kHour);
  CHECK(m.value()->offset_ms_at_utc(at(2026, 3, 29, 1)) == 2 * kHour);
  // Julian day 60 is always March 1; DST from 01:00 local, ending at day 300 (0-based, leap-aware).
  auto j = TimeZone::from_posix("j", "<+03>-3<+04>,J60/1,300/-1");
  REQUIRE(j.is_ok());
  CHECK(j.value()->offset_ms_at_utc(at(2024, 2, 29, 21, 59)) == 3 * kHour);  // 2024-03-01 00:59 local
  CHECK(j.value()->offset_ms_at_utc(at(2024, 2, 29, 22, 0)) == 4 * kHour);
  // Day 300 of 2024 (leap, counting from 0) is October 27; -1 means 23:00 on October 26 local.
  CHECK(j.value()->offset_ms_at_utc(at(2024, 10, 26, 18, 59)) == 4 * kHour);
  CHECK(j.value()->offset_ms_at_utc(at(2024, 10, 26, 19, 0)) == 3 * kHour);
  // Southern hemisphere: DST spans the new year.
  auto south = TimeZone::from_posix("s", "<-03>3<-02>,M10.1.0/0,M2.3.0/0");
  REQUIRE(south.is_ok());
  CHECK(south.value()->offset_ms_at_utc(at(2026, 1, 1)) == -2 * kHour);
  CHECK(south.value()->offset_ms_at_utc(at(2026, 6, 1)) == -3 * kHour);
  CHECK_FALSE(TimeZone::from_posix("bad", "CET-1CEST,M13.5.0,M10.5.0").is_ok());
  CHECK_FALSE(TimeZone::from_posix("bad", "C-1").is_ok());
}

TEST_CASE("fixed offsets and UTC aliases", "[time_zone]") {
  struct Case {
    const char* id;
    int64_t offset;
    const char* canonical;
  };
  for (const Case& c : {Case{"Z", 0, "Z"}, Case{"UTC", 0, "UTC"}, Case{"+01:00", kHour, "+01:00"},
                        Case{"-0530", -(5 * kHour + 30 * kMinute), "-05:30"}, Case{"+01", kHour, "+01:00"},
                        Case{"UTC+01:00", kHour, "UTC+01:00"}, Case{"GMT-3", -3 * kHour, "GMT-03:00"},
                        Case{"+18:00", 18 * kHour, "+18:00"}}) {
    INFO(c.id);
    auto z = zone(c.id);
    CHECK(z->id() == c.canonical);
    CHECK(z->offset_ms_at_utc(at(2026, 7, 1)) == c.offset);
    CHECK(z->local_to_utc(at(2026, 7, 1)) == at(2026, 7, 1) - c.offset);
  }
  // Etc/GMT+5 is five hours west (POSIX sign convention in the zone name).
  CHECK(zone("Etc/GMT+5")->offset_ms_at_utc(at(2026, 7, 1)) == -5 * kHour);
}

TEST_CASE("unknown ids and path traversal are rejected", "[time_zone]") {
  for (const char* bad : {"Mars/Olympus_Mons", "", "+19:00", "+01:60", "UTC+", "GMT+1:2", "../../etc/passwd",
                          "Europe/../Europe/Berlin", "/usr/share/zoneinfo/Europe/Berlin", "Europe//Berlin",
                          "Europe/Berlin/", "Europe/Ber lin", "zone.tab"}) {
    INFO(bad);
    auto z = TimeZone::find(bad);
    REQUIRE_FALSE(z.is_ok());
    CHECK(z.status().type() == "illegal_argument_exception");
    CHECK(z.status().reason() == std::string("Unknown time-zone ID: ") + bad);
  }
}

TEST_CASE("zones are cached and safe to look up from several threads", "[time_zone]") {
  auto first = zone("Europe/Berlin");
  std::vector<std::thread> threads;
  std::vector<const TimeZone*> seen(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto z = TimeZone::find("Europe/Berlin");
      seen[t] = z.is_ok() ? z.value().get() : nullptr;
    });
  }
  for (auto& th : threads) th.join();
  for (const TimeZone* z : seen) CHECK(z == first.get());
}

TEST_CASE("fixed offsets are not cached, so clients cannot grow the cache without bound", "[time_zone]") {
  // Found while fuzzing the query DSL (tests/fuzz): every distinct spelling of an offset a request
  // named stayed in the cache; the hhmmss forms alone are ~520,000 ids (~140 MB).
  auto a = zone("+01:00:30");
  auto b = zone("+01:00:30");
  CHECK(a.get() != b.get());
  CHECK(a->id() == "+01:00:30");
  CHECK(b->offset_ms_at_utc(at(2026, 7, 1)) == kHour + 30 * 1000);
  CHECK(zone("UTC+010030")->id() == "UTC+01:00:30");
  // Zones read from files still are.
  CHECK(zone("America/New_York").get() == zone("America/New_York").get());
}
