// An instant with nanosecond precision, what date parsing yields before a field picks its
// resolution: `date` keeps epoch milliseconds, `date_nanos` epoch nanoseconds in an int64, which
// limits it to 1970-01-01T00:00:00Z .. 2262-04-11T23:47:16.854775807Z as in OpenSearch.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace sift::index {

// Whole seconds since the epoch (floored) and the nanoseconds within that second, so an instant
// before 1970 keeps a non-negative nanosecond part.
struct DateInstant {
  int64_t seconds = 0;
  int32_t nanos = 0;  // 0 .. 999,999,999
};

inline constexpr int64_t kNanosPerMilli = 1'000'000;
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;

inline int64_t floor_div_i64(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Floors to the millisecond, as java.time's toEpochMilli. Seconds beyond +-9.2e15 do not fit;
// the parsers never produce them.
inline int64_t instant_to_millis(DateInstant t) { return t.seconds * 1000 + t.nanos / kNanosPerMilli; }
inline DateInstant instant_from_millis(int64_t ms) {
  int64_t s = floor_div_i64(ms, 1000);
  return {s, static_cast<int32_t>((ms - s * 1000) * kNanosPerMilli)};
}
inline DateInstant instant_from_nanos(int64_t ns) {
  int64_t s = floor_div_i64(ns, kNanosPerSecond);
  return {s, static_cast<int32_t>(ns - s * kNanosPerSecond)};
}
inline int64_t nanos_to_millis(int64_t ns) { return floor_div_i64(ns, kNanosPerMilli); }

// Epoch nanoseconds for a date_nanos value. Errors (illegal_argument_exception) name `text`:
//   date[1969-10-28T12:12:12Z] is before the epoch in 1970 and cannot be stored in nanosecond resolution
//   date[2263-01-01] is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution
Result<int64_t> instant_to_nanos(DateInstant t, std::string_view text);
// The same, saturating at the ends of date_nanos' range (range query bounds, as OpenSearch's
// DateUtils.clampToNanosRange).
int64_t clamp_to_nanos(DateInstant t);
inline int64_t clamp_millis_to_nanos(int64_t ms) { return clamp_to_nanos(instant_from_millis(ms)); }

}  // namespace sift::index
