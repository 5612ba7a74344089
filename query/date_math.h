// OpenSearch date math for range queries and date_range aggregations: "now-15m/m", "now/d",
// "2026-01-01||+1M/d". An anchor (now, or a date parsed with the field's DateFormatter) is followed
// by operations: +N<unit>, -N<unit>, /<unit> (rounding), units y M w d h H m s. Calendar units are
// computed in the request's time zone, so `now/d` in Europe/Berlin is Berlin's midnight.
// date_histogram shares add_units/round_down so its buckets agree with range rounding.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "common/time_zone.h"
#include "index/date_format.h"

namespace sift::query {

// How `/unit` rounds, and how an anchor without "||" fills missing fields (OpenSearch's
// "roundUp" flag). Range operators map to it with rounding_for():
//   gte, lt -> kRoundDown: 2014-11-18||/M is 2014-11-01T00:00:00.000
//   gt, lte -> kRoundUp:   2014-11-18||/M is 2014-11-30T23:59:59.999, and a bare "2014-11-18"
//                          fills missing fields with their maxima (2014-11-18T23:59:59.999).
// kNone (date_range aggregations, plain values) rounds down.
enum class Rounding { kNone, kRoundDown, kRoundUp };

enum class RangeOp { kGt, kGte, kLt, kLte };
Rounding rounding_for(RangeOp op);

// Resolves `expr` to epoch milliseconds (UTC). `tz` (null means UTC) governs rounding, calendar
// arithmetic and anchors that carry no offset of their own; it never shifts `now` itself, nor
// epoch_millis / epoch_second anchors.
// Errors are parse_exception: "failed to parse date field [x] with format [f]",
// "operator not supported for date math [m]", "truncated date math [m]",
// "rounding `/` can only be used on single unit types [m]", "unit [u] not supported for date math [m]".
Result<int64_t> resolve_date_math(std::string_view expr, int64_t now_ms, const index::DateFormatter& fmt,
                                  const TimeZone* tz, Rounding rounding);

// The inclusive bound a range operator means, as OpenSearch's range query computes it:
// gt -> resolved (round up) + 1, gte -> round down, lt -> resolved (round down) - 1, lte -> round up.
// So with 2022-05-18||/M: gt 2022-06-01T00:00:00.000, gte 2022-05-01T00:00:00.000,
// lt 2022-04-30T23:59:59.999, lte 2022-05-31T23:59:59.999 (all as inclusive bounds).
Result<int64_t> resolve_range_bound(std::string_view expr, RangeOp op, int64_t now_ms,
                                    const index::DateFormatter& fmt, const TimeZone* tz);

// The same bound for a date_nanos field, in epoch nanoseconds: the anchor keeps its digits below
// the millisecond, rounding up (gt, lte; `/unit`, missing fields, an epoch_millis without fraction)
// fills them to the unit's last nanosecond, and the value is clamped to date_nanos' range
// (1970 .. 2262-04-11T23:47:16.854775807Z) before gt adds and lt takes one nanosecond, as
// OpenSearch's DateUtils.clampToNanosRange. So lte 2019-10-21 is 2019-10-21T23:59:59.999999999.
Result<int64_t> resolve_range_bound_nanos(std::string_view expr, RangeOp op, int64_t now_ms,
                                          const index::DateFormatter& fmt, const TimeZone* tz);
// A bound already resolved to epoch milliseconds plus `sub_ms` nanoseconds, as above (a bare
// number given as a range bound is epoch milliseconds: pass 999,999 for gt and lte).
int64_t nanos_range_bound(int64_t ms, int64_t sub_ms, RangeOp op);

// One of y M w d h H m s.
bool is_date_math_unit(char unit);

// utc_ms plus `amount` units. h/H/m/s move along the timeline; d/w/M/y move the local date in `tz`
// (keeping the wall-clock time and, when still valid, the offset, as java.time does); months clamp
// the day to the month's length (Jan 31 + 1M = Feb 28 or 29). `unit` must satisfy is_date_math_unit.
int64_t add_units(int64_t utc_ms, int amount, char unit, const TimeZone& tz);

// The start of the unit containing utc_ms in `tz`'s local time (weeks start on Monday). A start
// that falls into a DST gap moves forward by the gap, as java.time does.
int64_t round_down(int64_t utc_ms, char unit, const TimeZone& tz);

}  // namespace sift::query
