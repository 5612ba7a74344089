#include "index/date_format.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace sift::index {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date; valid for any year, including negative
// epochs, so no time zone database or libc time functions are needed.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month, day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

const char* const kMonthsShort[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kMonthsLong[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kDaysShort[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char* const kDaysLong[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// The fields a text yields; unset ones default to 1970-01-01T00:00:00Z as OpenSearch's resolver does.
struct Fields {
  int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;
  int offset_seconds = 0;
  int hour12 = -1;  // set by 'h'
  int pm = -1;      // set by 'a'
};

enum class Tok : uint8_t {
  kYear, kYear2, kMonth, kMonthText, kDay, kHour24, kHour12, kMinute, kSecond, kFraction, kAmPm,
  kOffset, kDayName, kLiteral, kOptional,
};

// One element of a compiled pattern. `width` is the letter count (it decides rendering);
// min_digits/max_digits bound what parsing accepts.
struct Node {
  Tok tok = Tok::kLiteral;
  int width = 0;
  int min_digits = 0, max_digits = 0;
  char offset_style = 'Z';  // 'Z' (+HHmm), 'X' (Z or +HH:mm), 'x' (+HH:mm)
  std::string literal;
  std::vector<Node> children;  // kOptional
};

bool is_numeric(const Node& n) {
  switch (n.tok) {
    case Tok::kYear: case Tok::kYear2: case Tok::kMonth: case Tok::kDay: case Tok::kHour24:
    case Tok::kHour12: case Tok::kMinute: case Tok::kSecond: case Tok::kFraction:
      return true;
    default:
      return false;
  }
}

Status bad_format(std::string_view spec, std::string_view why) {
  return invalid_argument("Invalid format: [" + std::string(spec) + "]: " + std::string(why));
}

Status numeric_node(char letter, int count, Node* n) {
  auto fixed_or_var = [&](Tok t) {
    n->tok = t;
    n->width = count;
    n->min_digits = count;
    n->max_digits = count >= 2 ? count : 2;
  };
  switch (letter) {
    case 'y': case 'u': case 'Y':
      if (count == 2) {
        n->tok = Tok::kYear2;
        n->width = n->min_digits = n->max_digits = 2;
      } else {
        n->tok = Tok::kYear;
        n->width = n->min_digits = count;
        n->max_digits = 9;
      }
      return Status::ok();
    case 'M':
      if (count >= 3) {
        n->tok = Tok::kMonthText;
        n->width = count;
        return Status::ok();
      }
      fixed_or_var(Tok::kMonth);
      return Status::ok();
    case 'd': fixed_or_var(Tok::kDay); return Status::ok();
    case 'H': fixed_or_var(Tok::kHour24); return Status::ok();
    case 'h': fixed_or_var(Tok::kHour12); return Status::ok();
    case 'm': fixed_or_var(Tok::kMinute); return Status::ok();
    case 's': fixed_or_var(Tok::kSecond); return Status::ok();
    case 'S':
      n->tok = Tok::kFraction;
      n->width = n->min_digits = n->max_digits = count > 9 ? 9 : count;
      return Status::ok();
    case 'a': n->tok = Tok::kAmPm; return Status::ok();
    case 'E': n->tok = Tok::kDayName; n->width = count; return Status::ok();
    case 'Z': case 'X': case 'x':
      n->tok = Tok::kOffset;
      n->width = count;
      n->offset_style = letter == 'Z' ? (count >= 5 ? 'X' : 'Z') : (count == 1 || count == 2 ? 'z' : letter);
      if (letter == 'x' && count < 3) n->offset_style = 'Z';
      return Status::ok();
    default:
      break;
  }
  return Status(Code::kInvalidArgument, "illegal_argument_exception",
                std::string("Unknown pattern letter: ") + letter);
}

// Compiles a Java DateTimeFormatter-style pattern: letters, 'quoted' literals, [optional] parts.
Status compile_pattern(std::string_view spec, std::string_view p, std::vector<Node>* out) {
  std::vector<std::vector<Node>*> stack{out};
  std::vector<Node> optional_nodes;
  size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    std::vector<Node>& cur = *stack.back();
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = i;
      while (j < p.size() && p[j] == c) ++j;
      Node n;
      Status st = numeric_node(c, static_cast<int>(j - i), &n);
      if (!st.is_ok()) return bad_format(spec, st.reason());
      cur.push_back(std::move(n));
      i = j;
    } else if (c == '\'') {
      size_t j = i + 1;
      std::string lit;
      if (j < p.size() && p[j] == '\'') {
        lit = "'";
        j += 1;
      } else {
        while (j < p.size() && p[j] != '\'') lit.push_back(p[j++]);
        if (j >= p.size()) return bad_format(spec, "Pattern ends with an incomplete string literal");
        ++j;
      }
      Node n;
      n.literal = std::move(lit);
      cur.push_back(std::move(n));
      i = j;
    } else if (c == '[') {
      Node n;
      n.tok = Tok::kOptional;
      cur.push_back(std::move(n));
      stack.push_back(&cur.back().children);
      ++i;
    } else if (c == ']') {
      if (stack.size() == 1) return bad_format(spec, "Pattern invalid as it contains ] without previous [");
      stack.pop_back();
      ++i;
    } else {
      if (!cur.empty() && cur.back().tok == Tok::kLiteral) {
        cur.back().literal.push_back(c);
      } else {
        Node n;
        n.literal.assign(1, c);
        cur.push_back(std::move(n));
      }
      ++i;
    }
  }
  if (out->empty()) return bad_format(spec, "empty pattern");
  return Status::ok();
}

// A variable-width number directly followed by another number (yyyyMMdd) must not eat the
// digits that belong to its neighbour, as Java's adjacent value parsing guarantees.
void fix_adjacent(std::vector<Node>& nodes) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].tok == Tok::kOptional) fix_adjacent(nodes[i].children);
    if (i + 1 < nodes.size() && is_numeric(nodes[i]) && is_numeric(nodes[i + 1]))
      nodes[i].max_digits = std::max(nodes[i].min_digits, 1);
  }
}

bool iequals_prefix(std::string_view text, size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char a = text[pos + i], b = word[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

bool read_digits(std::string_view t, size_t* pos, int min, int max, int64_t* v, int* count = nullptr) {
  size_t i = *pos;
  int64_t x = 0;
  int n = 0;
  while (i < t.size() && n < max && t[i] >= '0' && t[i] <= '9') {
    x = x * 10 + (t[i] - '0');
    ++i;
    ++n;
  }
  if (n < min) return false;
  *pos = i;
  *v = x;
  if (count) *count = n;
  return true;
}

// Accepts Z, +HH, +HHmm and +HH:mm whatever the pattern's style: being lenient here costs nothing
// and spares users from matching Java's offset letters exactly.
bool read_offset(std::string_view t, size_t* pos, int* seconds) {
  size_t i = *pos;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    *seconds = 0;
    *pos = i + 1;
    return true;
  }
  if (i >= t.size() || (t[i] != '+' && t[i] != '-')) return false;
  int sign = t[i] == '-' ? -1 : 1;
  ++i;
  int64_t hh = 0, mm = 0;
  if (!read_digits(t, &i, 2, 2, &hh)) return false;
  if (i < t.size() && t[i] == ':') {
    ++i;
    if (!read_digits(t, &i, 2, 2, &mm)) return false;
  } else if (i + 1 < t.size() && t[i] >= '0' && t[i] <= '9') {
    if (!read_digits(t, &i, 2, 2, &mm)) return false;
  }
  if (hh > 18 || mm > 59) return false;
  *seconds = sign * static_cast<int>(hh * 3600 + mm * 60);
  *pos = i;
  return true;
}

bool match_nodes(const std::vector<Node>& nodes, std::string_view t, size_t* pos, Fields* f);

bool match_node(const Node& n, std::string_view t, size_t* pos, Fields* f) {
  int64_t v = 0;
  switch (n.tok) {
    case Tok::kLiteral:
      if (t.substr(*pos, n.literal.size()) != n.literal) return false;
      *pos += n.literal.size();
      return true;
    case Tok::kOptional: {
      size_t p = *pos;
      Fields saved = *f;
      if (match_nodes(n.children, t, &p, f)) {
        *pos = p;
      } else {
        *f = saved;
      }
      return true;
    }
    case Tok::kYear:
      if (!read_digits(t, pos, n.min_digits, n.max_digits, &v)) return false;
      f->year = v;
      return true;
    case Tok::kYear2:
      if (!read_digits(t, pos, 2, 2, &v)) return false;
      f->year = 2000 + v;
      return true;
    case Tok::kMonthText:
      for (int m = 0; m < 12; ++m) {
        std::string_view name = n.width >= 4 ? kMonthsLong[m] : kMonthsShort[m];
        if (iequals_prefix(t, *pos, name)) {
          f->month = m + 1;
          *pos += name.size();
          return true;
        }
      }
      return false;
    case Tok::kDayName:
      for (int d = 0; d < 7; ++d) {
        std::string_view name = n.width >= 4 ? kDaysLong[d] : kDaysShort[d];
        if (iequals_prefix(t, *pos, name)) {
          *pos += name.size();
          return true;
        }
      }
      return false;
    case Tok::kAmPm:
      if (iequals_prefix(t, *pos, "AM") || iequals_prefix(t, *pos, "PM")) {
        f->pm = (t[*pos] == 'P' || t[*pos] == 'p') ? 1 : 0;
        *pos += 2;
        return true;
      }
      return false;
    case Tok::kOffset:
      return read_offset(t, pos, &f->offset_seconds);
    case Tok::kFraction: {
      int count = 0;
      if (!read_digits(t, pos, n.min_digits, n.max_digits, &v, &count)) return false;
      for (int i = count; i < 9; ++i) v *= 10;
      f->nanos = v;
      return true;
    }
    default:
      break;
  }
  if (!read_digits(t, pos, n.min_digits, n.max_digits, &v)) return false;
  switch (n.tok) {
    case Tok::kMonth: f->month = static_cast<int>(v); break;
    case Tok::kDay: f->day = static_cast<int>(v); break;
    case Tok::kHour24: f->hour = static_cast<int>(v); break;
    case Tok::kHour12: f->hour12 = static_cast<int>(v); break;
    case Tok::kMinute: f->minute = static_cast<int>(v); break;
    case Tok::kSecond: f->second = static_cast<int>(v); break;
    default: return false;
  }
  return true;
}

bool match_nodes(const std::vector<Node>& nodes, std::string_view t, size_t* pos, Fields* f) {
  for (const Node& n : nodes) {
    if (!match_node(n, t, pos, f)) return false;
  }
  return true;
}

bool resolve(Fields f, DateInstant* out) {
  if (f.hour12 >= 0) {
    if (f.hour12 < 1 || f.hour12 > 12) return false;
    f.hour = f.hour12 % 12 + (f.pm == 1 ? 12 : 0);
  } else if (f.pm == 1 && f.hour < 12) {
    f.hour += 12;
  }
  if (f.year > 200000000 || f.month < 1 || f.month > 12) return false;
  if (f.day < 1 || static_cast<unsigned>(f.day) > days_in_month(f.year, static_cast<unsigned>(f.month)))
    return false;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return false;
  int64_t days = days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
  out->seconds = days * 86400 + f.hour * 3600LL + f.minute * 60LL + f.second - f.offset_seconds;
  out->nanos = static_cast<int32_t>(f.nanos);
  return true;
}

// ISO-8601 as strict_date_optional_time reads it: yyyy[-MM[-dd]] then optional
// 'T'HH[:mm[:ss[.fraction]]] and an offset. `strict` requires the fixed widths.
bool parse_iso(std::string_view t, bool strict, DateInstant* out) {
  Fields f;
  size_t i = 0;
  int64_t v = 0;
  if (!read_digits(t, &i, 4, strict ? 4 : 9, &v)) return false;
  f.year = v;
  const int min2 = strict ? 2 : 1;
  if (i < t.size() && t[i] == '-') {
    ++i;
    if (!read_digits(t, &i, min2, 2, &v)) return false;
    f.month = static_cast<int>(v);
    if (i < t.size() && t[i] == '-') {
      ++i;
      if (!read_digits(t, &i, min2, 2, &v)) return false;
      f.day = static_cast<int>(v);
    }
  }
  if (i < t.size() && t[i] == 'T') {
    ++i;
    if (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (!read_digits(t, &i, min2, 2, &v)) return false;
      f.hour = static_cast<int>(v);
      if (i < t.size() && t[i] == ':') {
        ++i;
        if (!read_digits(t, &i, min2, 2, &v)) return false;
        f.minute = static_cast<int>(v);
        if (i < t.size() && t[i] == ':') {
          ++i;
          if (!read_digits(t, &i, min2, 2, &v)) return false;
          f.second = static_cast<int>(v);
          if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
            ++i;
            int count = 0;
            if (!read_digits(t, &i, 1, 9, &v, &count)) return false;
            for (int k = count; k < 9; ++k) v *= 10;
            f.nanos = v;
          }
        }
      }
      if (i < t.size() && !read_offset(t, &i, &f.offset_seconds)) return false;
    }
  }
  if (i != t.size()) return false;
  return resolve(f, out);
}

// epoch_millis / epoch_second: an optional minus, digits, an optional fraction of the unit (kept to
// the nanosecond).
bool parse_epoch(std::string_view t, int64_t unit_millis, DateInstant* out) {
  size_t i = 0;
  bool neg = false;
  if (i < t.size() && t[i] == '-') {
    neg = true;
    ++i;
  }
  int64_t whole = 0;
  int count = 0;
  if (!read_digits(t, &i, 1, 18, &whole, &count)) return false;
  int64_t frac_nanos = 0;  // fraction of one unit, in billionths
  if (i < t.size() && t[i] == '.') {
    ++i;
    int64_t v = 0;
    int n = 0;
    if (!read_digits(t, &i, 1, 9, &v, &n)) return false;
    for (int k = n; k < 9; ++k) v *= 10;
    frac_nanos = v;
  }
  if (i != t.size()) return false;
  if (whole > INT64_MAX / unit_millis - 1) return false;  // epoch milliseconds must fit
  // The magnitude as seconds and nanoseconds, then the sign: an instant before the epoch with a
  // fraction lies in the previous second (and millisecond).
  int64_t secs = unit_millis == 1 ? whole / 1000 : whole;
  int64_t nanos = unit_millis == 1 ? (whole % 1000) * kNanosPerMilli + frac_nanos / 1000 : frac_nanos;
  if (neg && nanos != 0) {
    secs = -secs - 1;
    nanos = kNanosPerSecond - nanos;
  } else if (neg) {
    secs = -secs;
  }
  out->seconds = secs;
  out->nanos = static_cast<int32_t>(nanos);
  return true;
}

void append_padded(std::string& out, int64_t v, int width) {
  char buf[32];
  if (v < 0) {
    out.push_back('-');
    v = -v;
  }
  int n = std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  out.append(buf, static_cast<size_t>(n));
}

void append_offset_utc(std::string& out, const Node& n) {
  if (n.offset_style == 'X') out += 'Z';
  else if (n.offset_style == 'x') out += "+00:00";
  else if (n.offset_style == 'z') out += 'Z';
  else out += "+0000";
}

// The nine digits of the nanoseconds within a second.
std::string nine_digits(int32_t nanos) {
  std::string digits;
  append_padded(digits, nanos, 9);
  return digits;
}

void render_nodes(const std::vector<Node>& nodes, DateInstant t, std::string& out) {
  const int64_t days = floor_div(t.seconds, 86400);
  const int64_t in_day = t.seconds - days * 86400;
  const Civil c = civil_from_days(days);
  const int hour = static_cast<int>(in_day / 3600), minute = static_cast<int>(in_day / 60 % 60);
  const int second = static_cast<int>(in_day % 60);
  for (const Node& n : nodes) {
    switch (n.tok) {
      case Tok::kLiteral: out += n.literal; break;
      case Tok::kOptional: render_nodes(n.children, t, out); break;
      case Tok::kYear: append_padded(out, c.year, n.width); break;
      case Tok::kYear2: append_padded(out, ((c.year % 100) + 100) % 100, 2); break;
      case Tok::kMonth: append_padded(out, c.month, n.width); break;
      case Tok::kMonthText: out += n.width >= 4 ? kMonthsLong[c.month - 1] : kMonthsShort[c.month - 1]; break;
      case Tok::kDay: append_padded(out, c.day, n.width); break;
      case Tok::kDayName: {
        int dow = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
        out += n.width >= 4 ? kDaysLong[dow] : kDaysShort[dow];
        break;
      }
      case Tok::kHour24: append_padded(out, hour, n.width); break;
      case Tok::kHour12: append_padded(out, hour % 12 == 0 ? 12 : hour % 12, n.width); break;
      case Tok::kMinute: append_padded(out, minute, n.width); break;
      case Tok::kSecond: append_padded(out, second, n.width); break;
      case Tok::kFraction: out.append(nine_digits(t.nanos), 0, static_cast<size_t>(n.width)); break;
      case Tok::kAmPm: out += hour < 12 ? "AM" : "PM"; break;
      case Tok::kOffset: append_offset_utc(out, n); break;
    }
  }
}

struct Builtin {
  const char* name;
  const char* pattern;
};

// Named formats that are plain patterns. Fractions in these accept 1 to 9 digits, as OpenSearch's
// built-ins do; the rendered width stays 3.
constexpr Builtin kBuiltins[] = {
    {"date", "yyyy-MM-dd"},
    {"basic_date", "yyyyMMdd"},
    {"basic_date_time", "yyyyMMdd'T'HHmmss.SSSZ"},
    {"basic_date_time_no_millis", "yyyyMMdd'T'HHmmssZ"},
    {"basic_time", "HHmmss.SSSZ"},
    {"basic_time_no_millis", "HHmmssZ"},
    {"basic_t_time", "'T'HHmmss.SSSZ"},
    {"basic_t_time_no_millis", "'T'HHmmssZ"},
    {"date_hour", "yyyy-MM-dd'T'HH"},
    {"date_hour_minute", "yyyy-MM-dd'T'HH:mm"},
    {"date_hour_minute_second", "yyyy-MM-dd'T'HH:mm:ss"},
    {"date_hour_minute_second_fraction", "yyyy-MM-dd'T'HH:mm:ss.SSS"},
    {"date_hour_minute_second_millis", "yyyy-MM-dd'T'HH:mm:ss.SSS"},
    {"date_time", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"},
    {"date_time_no_millis", "yyyy-MM-dd'T'HH:mm:ssXXX"},
    {"hour", "HH"},
    {"hour_minute", "HH:mm"},
    {"hour_minute_second", "HH:mm:ss"},
    {"hour_minute_second_fraction", "HH:mm:ss.SSS"},
    {"hour_minute_second_millis", "HH:mm:ss.SSS"},
    {"time", "HH:mm:ss.SSSXXX"},
    {"time_no_millis", "HH:mm:ssXXX"},
    {"t_time", "'T'HH:mm:ss.SSSXXX"},
    {"t_time_no_millis", "'T'HH:mm:ssXXX"},
    {"year", "yyyy"},
    {"year_month", "yyyy-MM"},
    {"year_month_day", "yyyy-MM-dd"},
};

void widen_fractions(std::vector<Node>& nodes) {
  for (Node& n : nodes) {
    if (n.tok == Tok::kFraction) n.min_digits = 1, n.max_digits = 9;
    if (n.tok == Tok::kOffset) n.offset_style = 'X';
    if (n.tok == Tok::kOptional) widen_fractions(n.children);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

struct DateFormatter::Part {
  enum class Kind : uint8_t { kIso, kEpochMillis, kEpochSecond, kPattern };
  Kind kind = Kind::kPattern;
  bool strict = true;
  bool nanos = false;  // strict_date_optional_time_nanos: prints up to 9 fraction digits
  std::vector<Node> nodes;
};

Result<DateFormatter> DateFormatter::create(std::string_view spec) {
  DateFormatter f;
  f.spec_ = std::string(spec);
  size_t start = 0;
  while (true) {
    size_t bar = spec.find("||", start);
    std::string_view one = trim(spec.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (one.empty()) return bad_format(spec, "empty format");
    auto part = std::make_shared<Part>();
    std::string_view name = one;
    if (name.substr(0, 7) == "strict_") name.remove_prefix(7);
    if (name == "date_optional_time" || name == "date_optional_time_nanos") {
      part->kind = Part::Kind::kIso;
      part->strict = one.substr(0, 7) == "strict_";
      part->nanos = name == "date_optional_time_nanos";
    } else if (one == "epoch_millis") {
      part->kind = Part::Kind::kEpochMillis;
    } else if (one == "epoch_second") {
      part->kind = Part::Kind::kEpochSecond;
    } else {
      const Builtin* builtin = nullptr;
      for (const Builtin& b : kBuiltins) {
        if (name == b.name) builtin = &b;
      }
      Status st = compile_pattern(spec, builtin ? builtin->pattern : one, &part->nodes);
      if (!st.is_ok()) return st;
      if (builtin) widen_fractions(part->nodes);
      fix_adjacent(part->nodes);
    }
    f.parts_.push_back(std::move(part));
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return f;
}

const DateFormatter& DateFormatter::default_formatter() {
  static const DateFormatter kDefault = std::move(create("strict_date_optional_time||epoch_millis")).value();
  return kDefault;
}

Result<DateInstant> DateFormatter::parse_instant(std::string_view text) const {
  for (const auto& part : parts_) {
    DateInstant t;
    bool ok = false;
    switch (part->kind) {
      case Part::Kind::kIso: ok = parse_iso(text, part->strict, &t); break;
      case Part::Kind::kEpochMillis: ok = parse_epoch(text, 1, &t); break;
      case Part::Kind::kEpochSecond: ok = parse_epoch(text, 1000, &t); break;
      case Part::Kind::kPattern: {
        Fields fields;
        size_t pos = 0;
        ok = match_nodes(part->nodes, text, &pos, &fields) && pos == text.size() && resolve(fields, &t);
        break;
      }
    }
    if (ok) return t;
  }
  return invalid_argument("failed to parse date field [" + std::string(text) + "] with format [" + spec_ + "]");
}

Result<int64_t> DateFormatter::parse(std::string_view text) const {
  SIFT_ASSIGN_OR_RETURN(DateInstant t, parse_instant(text));
  return instant_to_millis(t);
}

std::string DateFormatter::format(int64_t epoch_millis) const { return format_instant(instant_from_millis(epoch_millis)); }

std::string DateFormatter::format_nanos(int64_t epoch_nanos) const {
  return format_instant(instant_from_nanos(epoch_nanos));
}

std::string DateFormatter::format_instant(DateInstant t) const {
  std::string out;
  if (parts_.empty()) return std::to_string(instant_to_millis(t));
  const Part& part = *parts_.front();
  // A fraction: the given digits without trailing zeros, at least `min` of them.
  auto fraction = [](std::string digits, size_t min) {
    while (digits.size() > min && digits.back() == '0') digits.pop_back();
    return digits;
  };
  // A number of units and the nanoseconds below one unit, signed as a decimal is: -1.5, not -2.5.
  auto decimal = [&](int64_t units, int64_t below, int64_t unit_nanos) {
    if (below == 0) return std::to_string(units);
    std::string text;
    if (units < 0) {
      units += 1;
      below = unit_nanos - below;
      if (units == 0) text.push_back('-');
    }
    text.append(std::to_string(units));
    text.push_back('.');
    std::string digits = nine_digits(static_cast<int32_t>(below)).substr(unit_nanos == kNanosPerMilli ? 3 : 0);
    text.append(fraction(std::move(digits), 0));
    return text;
  };
  switch (part.kind) {
    case Part::Kind::kEpochMillis:
      return decimal(instant_to_millis(t), t.nanos % kNanosPerMilli, kNanosPerMilli);
    case Part::Kind::kEpochSecond:
      return decimal(t.seconds, t.nanos, kNanosPerSecond);
    case Part::Kind::kIso: {
      static const std::vector<Node> kIsoOut = [] {
        std::vector<Node> nodes;
        (void)compile_pattern("", "yyyy-MM-dd'T'HH:mm:ss", &nodes);
        return nodes;
      }();
      render_nodes(kIsoOut, t, out);
      out.push_back('.');
      out.append(part.nanos ? fraction(nine_digits(t.nanos), 3) : nine_digits(t.nanos).substr(0, 3));
      out.push_back('Z');
      return out;
    }
    case Part::Kind::kPattern:
      render_nodes(part.nodes, t, out);
      return out;
  }
  return out;
}

}  // namespace sift::index
