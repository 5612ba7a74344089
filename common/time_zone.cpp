// TZif layout (RFC 8536): a v1 header and block with 32-bit times, then for v2+ a second header and
// block with 64-bit times, then "\n<POSIX TZ>\n". Leap-second records are skipped: zoneinfo's
// "posix" zones, which tzdata installs by default, have none.
#include "common/time_zone.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace sift {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

int year_of_days(int64_t days) {
  using namespace std::chrono;
  return int(year_month_day{sys_days{std::chrono::days{days}}}.year());
}

bool is_leap(int y) { return std::chrono::year{y}.is_leap(); }

int month_length(int y, int m) {
  static constexpr int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kLen[m - 1];
}

Status unknown_zone(std::string_view id) {
  return invalid_argument("Unknown time-zone ID: " + std::string(id));
}

// --- big-endian readers over the file bytes ---
struct Reader {
  std::string_view b;
  size_t pos = 0;
  bool has(size_t n) const { return pos + n <= b.size(); }
  uint32_t u32(size_t at) const {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(b[at + i]);
    return v;
  }
  int64_t s64(size_t at) const {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(b[at + i]);
    return static_cast<int64_t>(v);
  }
};

struct TzifCounts {
  uint32_t isut, isstd, leap, time, type, chars;
  size_t block_size(size_t time_size) const {
    return size_t(time) * time_size + time + size_t(type) * 6 + chars + size_t(leap) * (time_size + 4) + isstd +
           isut;
  }
};

bool read_header(const Reader& r, size_t at, char* version, TzifCounts* c) {
  if (!r.has(at + 44) || r.b.substr(at, 4) != "TZif") return false;
  *version = r.b[at + 4];
  *c = {r.u32(at + 20), r.u32(at + 24), r.u32(at + 28), r.u32(at + 32), r.u32(at + 36), r.u32(at + 40)};
  return c->type > 0;
}

// --- POSIX TZ strings ---
struct PosixCursor {
  std::string_view s;
  size_t i = 0;
  bool at_end() const { return i >= s.size(); }
  char peek() const { return at_end() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  bool number(int max_digits, int* out) {
    int v = 0, n = 0;
    while (n < max_digits && !at_end() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0'), ++n;
    *out = v;
    return n > 0;
  }
  bool name() {
    if (eat('<')) {
      size_t end = s.find('>', i);
      if (end == std::string_view::npos) return false;
      i = end + 1;
      return true;
    }
    size_t start = i;
    while (!at_end() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
    return i - start >= 3;
  }
  // [+-]hh[:mm[:ss]] in seconds, hours up to 167 (TZif v3 allows times of day outside 0..24h).
  bool hms(int64_t* out) {
    bool neg = eat('-');
    if (!neg) eat('+');
    int h = 0, m = 0, sec = 0;
    if (!number(3, &h) || h > 167) return false;
    if (eat(':') && (!number(2, &m) || m > 59)) return false;
    if (eat(':') && (!number(2, &sec) || sec > 59)) return false;
    *out = (neg ? -1 : 1) * (h * 3600LL + m * 60LL + sec);
    return true;
  }
  bool rule_date(TimeZone::RuleDate* d) {
    if (eat('M')) {
      d->kind = 'M';
      if (!number(2, &d->month) || !eat('.') || !number(1, &d->week) || !eat('.') || !number(1, &d->weekday)) {
        return false;
      }
      if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->weekday > 6) return false;
    } else if (eat('J')) {
      d->kind = 'J';
      if (!number(3, &d->day) || d->day < 1 || d->day > 365) return false;
    } else {
      d->kind = 'N';
      if (!number(3, &d->day) || d->day > 365) return false;
    }
    d->time_s = 7200;
    return !eat('/') || hms(&d->time_s);
  }
};

// Days since the epoch of a rule date in year y.
int64_t rule_day(const TimeZone::RuleDate& d, int y) {
  if (d.kind == 'J') return days_from_civil(y, 1, 1) + d.day - 1 + (is_leap(y) && d.day >= 60 ? 1 : 0);
  if (d.kind == 'N') return days_from_civil(y, 1, 1) + d.day;
  int64_t first = days_from_civil(y, unsigned(d.month), 1);
  int first_weekday = int((first % 7 + 11) % 7);  // 1970-01-01 was a Thursday (4)
  int day = 1 + (d.weekday - first_weekday + 7) % 7 + (d.week - 1) * 7;
  while (day > month_length(y, d.month)) day -= 7;
  return first + day - 1;
}

// "+01:00", "-0530", "+01", "+1", "+01:02:03": seconds east of UTC, at most 18 hours.
bool parse_fixed_offset(std::string_view s, int32_t* out) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return false;
  bool neg = s[0] == '-';
  s.remove_prefix(1);
  auto digits = [&](size_t n, int* v) {
    if (s.size() < n) return false;
    *v = 0;
    for (size_t i = 0; i < n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      *v = *v * 10 + (s[i] - '0');
    }
    s.remove_prefix(n);
    return true;
  };
  int h = 0, m = 0, sec = 0;
  if (s.size() == 1 || (s.size() > 1 && (s[1] < '0' || s[1] > '9'))) {
    if (!digits(1, &h) || !s.empty()) return false;
  } else if (!digits(2, &h)) {
    return false;
  }
  bool colon = !s.empty() && s[0] == ':';
  if (colon) s.remove_prefix(1);
  if (!s.empty() || colon) {
    if (!digits(2, &m)) return false;
    if (!s.empty()) {
      if (colon && (s[0] != ':' || (s.remove_prefix(1), false))) return false;
      if (!digits(2, &sec)) return false;
    }
  }
  if (!s.empty() || h > 18 || m > 59 || sec > 59 || (h == 18 && (m > 0 || sec > 0))) return false;
  *out = (neg ? -1 : 1) * (h * 3600 + m * 60 + sec);
  return true;
}

std::string format_offset(int32_t s) {
  if (s == 0) return "Z";
  char buf[16];
  int a = s < 0 ? -s : s;
  if (a % 60 != 0) {
    snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", s < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
  } else {
    snprintf(buf, sizeof buf, "%c%02d:%02d", s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  }
  return buf;
}

bool valid_zone_name(std::string_view id) {
  if (id.empty() || id.size() > 255 || id[0] == '/' || id.find("..") != std::string_view::npos) return false;
  if (id.find("//") != std::string_view::npos || id.back() == '/') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '+' || c == '/';
  });
}

}  // namespace

bool TimeZone::parse_posix(std::string_view tz) {
  PosixCursor c{tz};
  int64_t std_west = 0;
  if (!c.name() || !c.hms(&std_west)) return false;
  std_offset_s_ = int32_t(-std_west);
  has_rule_ = true;
  if (c.at_end()) return true;
  if (!c.name()) return false;
  has_dst_ = true;
  dst_offset_s_ = std_offset_s_ + 3600;
  if (c.peek() != ',' && !c.at_end()) {
    int64_t dst_west = 0;
    if (!c.hms(&dst_west)) return false;
    dst_offset_s_ = int32_t(-dst_west);
  }
  if (c.at_end()) {  // no rule: POSIX leaves it implementation-defined; use the US rule like glibc
    dst_start_ = {'M', 3, 2, 0, 0, 7200};
    dst_end_ = {'M', 11, 1, 0, 0, 7200};
    return true;
  }
  return c.eat(',') && c.rule_date(&dst_start_) && c.eat(',') && c.rule_date(&dst_end_) && c.at_end();
}

int64_t TimeZone::rule_offset_s(int64_t utc_s) const {
  if (!has_dst_) return std_offset_s_;
  int y = year_of_days(floor_div(utc_s + std_offset_s_, kSecondsPerDay));
  int64_t start = rule_day(dst_start_, y) * kSecondsPerDay + dst_start_.time_s - std_offset_s_;
  int64_t end = rule_day(dst_end_, y) * kSecondsPerDay + dst_end_.time_s - dst_offset_s_;
  bool dst = start < end ? (utc_s >= start && utc_s < end) : !(utc_s >= end && utc_s < start);
  return dst ? dst_offset_s_ : std_offset_s_;
}

int64_t TimeZone::offset_ms_at_utc(int64_t utc_ms) const {
  int64_t s = floor_div(utc_ms, 1000);
  if (transitions_.empty() || s < transitions_.front()) {
    return (transitions_.empty() && has_rule_ ? rule_offset_s(s) : initial_offset_s_) * 1000LL;
  }
  size_t i = size_t(std::upper_bound(transitions_.begin(), transitions_.end(), s) - transitions_.begin()) - 1;
  if (i + 1 == transitions_.size() && has_rule_) return rule_offset_s(s) * 1000;
  return offsets_[i] * 1000LL;
}

int64_t TimeZone::local_to_utc(int64_t local_ms) const {
  // Offsets lie within +-18h, so the instants that can show local_ms lie within local_ms +-18h;
  // with at most one transition there, the offsets at both ends are the only candidates.
  constexpr int64_t kWindow = 18 * 3600 * 1000LL;
  int64_t a = offset_ms_at_utc(local_ms + kWindow);
  int64_t b = offset_ms_at_utc(local_ms - kWindow);
  int64_t c = offset_ms_at_utc(local_ms);
  int64_t best = INT64_MIN;
  for (int64_t o : {a, b, c}) {
    // An offset is valid when the instant it gives really has that offset; the largest valid
    // offset gives the earliest instant (the first occurrence in an overlap).
    if (offset_ms_at_utc(local_ms - o) == o) best = std::max(best, o);
  }
  if (best != INT64_MIN) return local_ms - best;
  // A gap: the instant just before the transition has the offset from before the gap.
  int64_t hi = std::max({a, b, c});
  return local_ms - offset_ms_at_utc(local_ms - hi);
}

int64_t TimeZone::local_to_utc(int64_t local_ms, int64_t preferred_offset_ms) const {
  if (offset_ms_at_utc(local_ms - preferred_offset_ms) == preferred_offset_ms) return local_ms - preferred_offset_ms;
  return local_to_utc(local_ms);
}

Result<std::shared_ptr<const TimeZone>> TimeZone::from_posix(std::string id, std::string_view tz) {
  auto zone = std::make_shared<TimeZone>();
  zone->id_ = std::move(id);
  if (!zone->parse_posix(tz)) return unknown_zone(zone->id_);
  zone->initial_offset_s_ = zone->std_offset_s_;
  return std::shared_ptr<const TimeZone>(std::move(zone));
}

Result<std::shared_ptr<const TimeZone>> TimeZone::from_tzif(std::string id, std::string_view bytes) {
  Reader r{bytes};
  char version = 0;
  TzifCounts c{};
  if (!read_header(r, 0, &version, &c)) return unknown_zone(id);
  size_t at = 44, time_size = 4;
  if (version >= '2') {  // skip the 32-bit block, use the 64-bit one
    at += c.block_size(4);
    if (!read_header(r, at, &version, &c)) return unknown_zone(id);
    at += 44;
    time_size = 8;
  }
  if (!r.has(at + c.block_size(time_size))) return unknown_zone(id);
  auto zone = std::make_shared<TimeZone>();
  zone->id_ = std::move(id);
  std::vector<int32_t> type_offsets(c.type);
  size_t types_at = at + size_t(c.time) * (time_size + 1);
  for (uint32_t t = 0; t < c.type; ++t) type_offsets[t] = static_cast<int32_t>(r.u32(types_at + t * 6));
  zone->initial_offset_s_ = type_offsets[0];
  for (uint32_t i = 0; i < c.time; ++i) {
    int64_t when = time_size == 8 ? r.s64(at + i * 8) : static_cast<int32_t>(r.u32(at + i * 4));
    uint8_t type = static_cast<uint8_t>(bytes[at + size_t(c.time) * time_size + i]);
    if (type >= c.type) return unknown_zone(zone->id_);
    if (!zone->transitions_.empty() && when <= zone->transitions_.back()) return unknown_zone(zone->id_);
    zone->transitions_.push_back(when);
    zone->offsets_.push_back(type_offsets[type]);
  }
  size_t footer = at + c.block_size(time_size);
  if (time_size == 8 && footer < bytes.size() && bytes[footer] == '\n') {
    size_t end = bytes.find('\n', footer + 1);
    std::string_view tz = bytes.substr(footer + 1, end == std::string_view::npos ? 0 : end - footer - 1);
    if (!tz.empty() && !zone->parse_posix(tz)) return unknown_zone(zone->id_);
    if (!tz.empty() && zone->transitions_.empty()) zone->initial_offset_s_ = zone->std_offset_s_;
  }
  return std::shared_ptr<const TimeZone>(std::move(zone));
}

std::shared_ptr<const TimeZone> TimeZone::fixed(std::string id, int32_t offset_s) {
  auto zone = std::make_shared<TimeZone>();
  zone->id_ = std::move(id);
  zone->initial_offset_s_ = offset_s;
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::utc() {
  static const std::shared_ptr<const TimeZone> kUtc = fixed("UTC", 0);
  return kUtc;
}

namespace {

Result<std::shared_ptr<const TimeZone>> load_zone(std::string_view id) {
  if (id == "Z") return TimeZone::fixed("Z", 0);
  if (id == "UTC" || id == "GMT" || id == "UT") return TimeZone::fixed(std::string(id), 0);
  int32_t offset = 0;
  if (parse_fixed_offset(id, &offset)) return TimeZone::fixed(format_offset(offset), offset);
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (id.size() > prefix.size() && id.substr(0, prefix.size()) == prefix &&
        (id[prefix.size()] == '+' || id[prefix.size()] == '-')) {
      if (!parse_fixed_offset(id.substr(prefix.size()), &offset)) return unknown_zone(id);
      // java.time names these "UTC+01:00", and plain "UTC" when the offset is zero
      return TimeZone::fixed(std::string(prefix) + (offset == 0 ? "" : format_offset(offset)), offset);
    }
  }
  if (!valid_zone_name(id)) return unknown_zone(id);
  const char* dir = std::getenv("TZDIR");
  std::string path = std::string(dir != nullptr && dir[0] != '\0' ? dir : "/usr/share/zoneinfo") + "/" + std::string(id);
  std::ifstream in(path, std::ios::binary);
  if (!in) return unknown_zone(id);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return unknown_zone(id);
  return TimeZone::from_tzif(std::string(id), bytes.str());
}

}  // namespace

Result<std::shared_ptr<const TimeZone>> TimeZone::find(std::string_view id) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const TimeZone>> cache;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(std::string(id));
    if (it != cache.end()) return it->second;
  }
  auto zone = load_zone(id);  // outside the lock: file reads must not serialize other lookups
  if (!zone.is_ok()) return zone;
  // Only zones read from zoneinfo are kept: a few hundred files, each worth not reading twice. A fixed
  // offset costs nothing to build and has about a million spellings ("+01:00:30", "UTC+010030", ...);
  // cached, every distinct `time_zone` a client sends would stay in memory for good (~140 MB for the
  // hhmmss forms alone).
  if (zone.value()->is_fixed()) return zone;
  std::lock_guard<std::mutex> lock(mu);
  return cache.emplace(std::string(id), zone.value()).first->second;
}

}  // namespace sift
