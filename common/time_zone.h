// Time zones for date math, range queries and date histograms: IANA zones read from the system's
// compiled zoneinfo files (TZif v1-v3, /usr/share/zoneinfo, Debian package tzdata) and fixed UTC
// offsets. A TimeZone maps an instant to its UTC offset and a local wall-clock time back to an
// instant, resolving DST gaps and overlaps the way java.time does. Zones are immutable and shared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift {

class TimeZone {
 public:
  // IANA names ("Europe/Berlin", "UTC", "Etc/GMT+5"), "Z", and fixed offsets ("+01:00", "-0530",
  // "+01", "UTC+01:00", "GMT-3"). Zones read from zoneinfo are cached; fixed offsets are built on each
  // call. Thread-safe.
  // Unknown ids fail with illegal_argument_exception "Unknown time-zone ID: X".
  static Result<std::shared_ptr<const TimeZone>> find(std::string_view id);
  static std::shared_ptr<const TimeZone> utc();

  // The zone's offset from UTC at that instant, in milliseconds.
  int64_t offset_ms_at_utc(int64_t utc_ms) const;

  // The instant of a local wall-clock time. In a DST gap the offset before the gap is used (the
  // local time moves forward by the gap length); in an overlap the earlier instant is chosen.
  int64_t local_to_utc(int64_t local_ms) const;
  // Like local_to_utc, but keeps `preferred_offset_ms` when it is one of the valid offsets
  // (java.time's resolution when adjusting a ZonedDateTime).
  int64_t local_to_utc(int64_t local_ms, int64_t preferred_offset_ms) const;

  int64_t utc_to_local(int64_t utc_ms) const { return utc_ms + offset_ms_at_utc(utc_ms); }
  const std::string& id() const { return id_; }
  bool is_fixed() const { return transitions_.empty() && !has_rule_; }

  // One date of a POSIX TZ rule (the footer of TZif v2+ files, e.g. "CET-1CEST,M3.5.0,M10.5.0/3").
  struct RuleDate {
    char kind = 'M';  // 'M' (Mm.w.d), 'J' (Jn, 1..365 without Feb 29), 'N' (n, 0..365)
    int month = 0, week = 0, weekday = 0, day = 0;
    int64_t time_s = 7200;  // local time of day of the change, may be negative or > 24h (v3)
  };

  // Public for tests and for building zones without files.
  static Result<std::shared_ptr<const TimeZone>> from_tzif(std::string id, std::string_view bytes);
  static Result<std::shared_ptr<const TimeZone>> from_posix(std::string id, std::string_view tz);
  static std::shared_ptr<const TimeZone> fixed(std::string id, int32_t offset_s);

 private:
  int64_t rule_offset_s(int64_t utc_s) const;
  bool parse_posix(std::string_view tz);

  std::string id_;
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int32_t> offsets_;      // offset in seconds from transitions_[i] on
  int32_t initial_offset_s_ = 0;      // before the first transition
  bool has_rule_ = false;             // the footer rule governs after the last transition
  int32_t std_offset_s_ = 0;
  int32_t dst_offset_s_ = 0;
  bool has_dst_ = false;
  RuleDate dst_start_, dst_end_;
};

}  // namespace sift
