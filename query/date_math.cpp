// Date math is evaluated on local wall-clock milliseconds: calendar fields come from the local
// value, and each step converts back to an instant with TimeZone::local_to_utc, preferring the
// offset the value had (java.time's ZonedDateTime resolution, which OpenSearch uses).
#include "query/date_math.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace sift::query {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

struct Civil {
  int year;
  unsigned month, day;
};

Civil civil_from_days(int64_t days) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day())};
}

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

unsigned month_length(int y, unsigned m) {
  using namespace std::chrono;
  return unsigned((year{y} / month{m} / last).day());
}

Status math_error(const char* what, std::string_view math) {
  return parse_error(std::string(what) + " [" + std::string(math) + "]");
}

// The instants date math works with: years -32766 to 32766. std::chrono's civil calendar, which the
// month arithmetic and rounding below use, is exact only for years -32767 to 32767 (a year outside
// wraps silently: "now+2147483647y" was a date in 2025), and the spare year keeps a local time
// (UTC +-18h) and a unit rounded up inside it. Bounding every step's input also keeps the
// millisecond arithmetic far from int64 overflow: one step adds at most 2^31 weeks (1.3e18 ms).
constexpr int kMaxYear = 32766;
constexpr int64_t kMinMillis = -1096162243200000;  // -32766-01-01T00:00:00Z
constexpr int64_t kMaxMillis = 971859427199999;    // 32766-12-31T23:59:59.999Z

bool in_date_math_range(int64_t ms) { return ms >= kMinMillis && ms <= kMaxMillis; }

// Moves the local date by whole months, clamping the day; the time of day is kept. A year beyond
// the calendar's exact range saturates just outside kMinMillis..kMaxMillis instead of wrapping.
int64_t add_months_local(int64_t local_ms, int64_t months) {
  int64_t days = floor_div(local_ms, kDay);
  int64_t time_of_day = local_ms - days * kDay;
  Civil c = civil_from_days(days);
  int64_t total = int64_t(c.year) * 12 + (c.month - 1) + months;
  int64_t year = floor_div(total, 12);
  if (year > kMaxYear + 1) return kMaxMillis + 366 * kDay;
  if (year < -kMaxYear - 1) return kMinMillis - 366 * kDay;
  int y = int(year);
  unsigned m = unsigned(floor_mod(total, 12) + 1);
  unsigned d = std::min(c.day, month_length(y, m));
  return days_from_civil(y, m, d) * kDay + time_of_day;
}

// --- anchors ---

std::vector<std::string_view> split_formats(std::string_view spec) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t bar = spec.find("||", start);
    parts.push_back(spec.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (bar == std::string_view::npos) return parts;
    start = bar + 2;
  }
}

bool is_builtin_name(std::string_view f) {
  for (char c : f) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  for (std::string_view word : {"date", "time", "year", "hour", "week", "ordinal", "epoch"}) {
    if (f.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// Pattern letters outside quoted literals.
bool pattern_has_any(std::string_view pattern, std::string_view letters) {
  bool quoted = false;
  for (char c : pattern) {
    if (c == '\'') quoted = !quoted;
    else if (!quoted && letters.find(c) != std::string_view::npos) return true;
  }
  return false;
}

// The part of an ISO-like text after its 'T' separator, or empty.
std::string_view iso_time_part(std::string_view text) {
  size_t t = text.find_first_of("Tt");
  return t == std::string_view::npos ? std::string_view() : text.substr(t + 1);
}

bool iso_has_offset(std::string_view text) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) return true;
  return iso_time_part(text).find_first_of("+-") != std::string_view::npos;
}

// What OpenSearch's round-up parser adds to a date with missing fields: each missing field below the
// finest given one takes its maximum (a date alone becomes 23:59:59.999 of that day; a year alone is
// Jan 1 23:59:59.999, since month and day default to 01).
int64_t round_up_fill_iso(std::string_view text) {
  std::string_view time = iso_time_part(text);
  if (time.empty()) return kDay - 1;
  time = time.substr(0, time.find_first_of("Zz+-"));
  if (time.find_first_of(".,") != std::string_view::npos) return 0;
  int digits = 0;
  for (char c : time) digits += (c >= '0' && c <= '9') ? 1 : 0;
  if (digits <= 2) return kHour - 1;
  if (digits <= 4) return kMinute - 1;
  return kSecond - 1;
}

int64_t round_up_fill_pattern(std::string_view pattern) {
  if (pattern_has_any(pattern, "SnN")) return 0;
  if (pattern_has_any(pattern, "s")) return kSecond - 1;
  if (pattern_has_any(pattern, "m")) return kMinute - 1;
  if (pattern_has_any(pattern, "HhKk")) return kHour - 1;
  return kDay - 1;
}

struct AnchorShape {
  bool epoch = false;       // epoch_millis / epoch_second: an instant, never shifted
  bool has_offset = false;  // the text names its own offset
  int64_t round_up_fill = 0;
  bool below_millis_given = false;  // the text sets the digits below the millisecond
};

// A resolved date: epoch milliseconds and the nanoseconds below them (0 .. 999,999), so date_nanos
// bounds keep what their anchor gives and rounding up fills the last nanosecond of its unit.
struct MathTime {
  int64_t ms = 0;
  int64_t sub_ms = 0;
};
constexpr int64_t kLastSubMs = 999'999;

AnchorShape shape_of(std::string_view format, std::string_view text) {
  AnchorShape s;
  if (format == "epoch_millis" || format == "epoch_second") {
    s.epoch = true;
    bool fraction = text.find('.') != std::string_view::npos;
    s.round_up_fill = format == "epoch_second" && !fraction ? kSecond - 1 : 0;
    s.below_millis_given = fraction;  // epoch_millis rounds up to the millisecond's last nanosecond
  } else if (is_builtin_name(format)) {
    s.has_offset = iso_has_offset(text);
    s.round_up_fill = round_up_fill_iso(text);
    s.below_millis_given = s.round_up_fill == 0;
  } else {
    s.has_offset = pattern_has_any(format, "ZXxzOV");
    s.round_up_fill = round_up_fill_pattern(format);
    s.below_millis_given = s.round_up_fill == 0;
  }
  return s;
}

Result<MathTime> parse_anchor(std::string_view text, const index::DateFormatter& fmt, const TimeZone& tz,
                              bool round_up) {
  auto parsed = fmt.parse_instant(text);
  if (!parsed.is_ok()) return parse_error(parsed.status().reason());
  // Find the alternative that matched: it decides whether the zone applies and what is missing.
  std::string_view format = fmt.spec();
  std::vector<std::string_view> formats = split_formats(fmt.spec());
  if (formats.size() > 1) {
    for (std::string_view f : formats) {
      auto one = index::DateFormatter::create(f);
      if (one.is_ok() && one.value().parse(text).is_ok()) {
        format = f;
        break;
      }
    }
  }
  AnchorShape shape = shape_of(format, text);
  MathTime out;
  out.ms = index::instant_to_millis(*parsed) + (round_up ? shape.round_up_fill : 0);
  out.sub_ms = round_up && !shape.below_millis_given ? kLastSubMs : parsed->nanos % index::kNanosPerMilli;
  if (!shape.epoch && !shape.has_offset) out.ms = tz.local_to_utc(out.ms);  // the wall clock was read as UTC
  return out;
}

// Rounding (`/unit`) sets *sub_ms to the first or last nanosecond of the millisecond it lands on.
Result<int64_t> apply_math(std::string_view math, int64_t time, bool round_up, const TimeZone& tz,
                           int64_t* sub_ms) {
  size_t i = 0;
  while (i < math.size()) {
    // Checked before every operation: the anchor may be any instant the formatter accepts
    // (epoch_millis up to 9e17), and each operation may move the value out of range.
    if (!in_date_math_range(time)) return math_error("date out of range for date math", math);
    char op = math[i++];
    if (op != '/' && op != '+' && op != '-') return math_error("operator not supported for date math", math);
    if (i >= math.size()) return math_error("truncated date math", math);
    int64_t num = 1;
    if (math[i] >= '0' && math[i] <= '9') {
      num = 0;
      while (i < math.size() && math[i] >= '0' && math[i] <= '9') {
        num = num * 10 + (math[i++] - '0');
        if (num > INT32_MAX) return math_error("number out of range for date math", math);
      }
      if (i >= math.size()) return math_error("truncated date math", math);
    }
    if (op == '/' && num != 1) return math_error("rounding `/` can only be used on single unit types", math);
    char unit = math[i++];
    if (!is_date_math_unit(unit)) {
      return parse_error("unit [" + std::string(1, unit) + "] not supported for date math [" + std::string(math) + "]");
    }
    if (op == '/') {
      time = round_down(time, unit, tz);
      if (round_up) time = add_units(time, 1, unit, tz) - 1;
      *sub_ms = round_up ? kLastSubMs : 0;
    } else {
      time = add_units(time, int(op == '-' ? -num : num), unit, tz);
    }
  }
  if (!in_date_math_range(time)) return math_error("date out of range for date math", math);
  return time;
}

}  // namespace

Rounding rounding_for(RangeOp op) {
  return op == RangeOp::kGt || op == RangeOp::kLte ? Rounding::kRoundUp : Rounding::kRoundDown;
}

bool is_date_math_unit(char unit) {
  return unit != '\0' && std::string_view("yMwdhHms").find(unit) != std::string_view::npos;
}

int64_t add_units(int64_t utc_ms, int amount, char unit, const TimeZone& tz) {
  switch (unit) {
    case 's': return utc_ms + amount * kSecond;
    case 'm': return utc_ms + amount * kMinute;
    case 'h': case 'H': return utc_ms + amount * kHour;
    default: break;
  }
  SIFT_ASSERT(is_date_math_unit(unit));
  int64_t offset = tz.offset_ms_at_utc(utc_ms);
  int64_t local = utc_ms + offset;
  switch (unit) {
    case 'd': local += amount * kDay; break;
    case 'w': local += int64_t(amount) * 7 * kDay; break;  // amount * 7 alone overflows int
    case 'M': local = add_months_local(local, amount); break;
    default: local = add_months_local(local, int64_t(amount) * 12); break;  // 'y'
  }
  return tz.local_to_utc(local, offset);
}

int64_t round_down(int64_t utc_ms, char unit, const TimeZone& tz) {
  SIFT_ASSERT(is_date_math_unit(unit));
  int64_t offset = tz.offset_ms_at_utc(utc_ms);
  int64_t local = utc_ms + offset;
  int64_t days = floor_div(local, kDay);
  switch (unit) {
    case 's': local -= floor_mod(local, kSecond); break;
    case 'm': local -= floor_mod(local, kMinute); break;
    case 'h': case 'H': local -= floor_mod(local, kHour); break;
    case 'd': local = days * kDay; break;
    case 'w': local = (days - floor_mod(days + 3, 7)) * kDay; break;  // 1970-01-01 was a Thursday
    case 'M': {
      Civil c = civil_from_days(days);
      local = days_from_civil(c.year, c.month, 1) * kDay;
      break;
    }
    default: local = days_from_civil(civil_from_days(days).year, 1, 1) * kDay; break;  // 'y'
  }
  return tz.local_to_utc(local, offset);
}

namespace {

Result<MathTime> resolve_math_time(std::string_view expr, int64_t now_ms, const index::DateFormatter& fmt,
                                   const TimeZone* tz, Rounding rounding) {
  const TimeZone& zone = tz != nullptr ? *tz : *TimeZone::utc();
  bool round_up = rounding == Rounding::kRoundUp;
  MathTime time{now_ms, 0};
  std::string_view math;
  if (expr.substr(0, 3) == "now") {
    math = expr.substr(3);
  } else {
    size_t bars = expr.find("||");
    if (bars == std::string_view::npos) return parse_anchor(expr, fmt, zone, round_up);
    SIFT_ASSIGN_OR_RETURN(time, parse_anchor(expr.substr(0, bars), fmt, zone, false));
    math = expr.substr(bars + 2);
  }
  SIFT_ASSIGN_OR_RETURN(time.ms, apply_math(math, time.ms, round_up, zone, &time.sub_ms));
  return time;
}

}  // namespace

Result<int64_t> resolve_date_math(std::string_view expr, int64_t now_ms, const index::DateFormatter& fmt,
                                  const TimeZone* tz, Rounding rounding) {
  SIFT_ASSIGN_OR_RETURN(MathTime t, resolve_math_time(expr, now_ms, fmt, tz, rounding));
  return t.ms;
}

Result<int64_t> resolve_range_bound(std::string_view expr, RangeOp op, int64_t now_ms,
                                    const index::DateFormatter& fmt, const TimeZone* tz) {
  SIFT_ASSIGN_OR_RETURN(int64_t value, resolve_date_math(expr, now_ms, fmt, tz, rounding_for(op)));
  if (op == RangeOp::kGt) return value == INT64_MAX ? value : value + 1;
  if (op == RangeOp::kLt) return value == INT64_MIN ? value : value - 1;
  return value;
}

Result<int64_t> resolve_range_bound_nanos(std::string_view expr, RangeOp op, int64_t now_ms,
                                          const index::DateFormatter& fmt, const TimeZone* tz) {
  SIFT_ASSIGN_OR_RETURN(MathTime t, resolve_math_time(expr, now_ms, fmt, tz, rounding_for(op)));
  return nanos_range_bound(t.ms, t.sub_ms, op);
}

int64_t nanos_range_bound(int64_t ms, int64_t sub_ms, RangeOp op) {
  index::DateInstant instant = index::instant_from_millis(ms);
  instant.nanos += static_cast<int32_t>(sub_ms);
  int64_t value = index::clamp_to_nanos(instant);
  if (op == RangeOp::kGt) return value == INT64_MAX ? value : value + 1;
  if (op == RangeOp::kLt) return value - 1;  // never below -1: the clamp floors at 0
  return value;
}

}  // namespace sift::query
