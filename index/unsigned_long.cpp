#include "index/unsigned_long.h"

#include <cmath>
#include <string>

namespace sift::index {

namespace {

constexpr std::string_view kMaxDigits = "18446744073709551615";
constexpr int64_t kExponentCap = 100000;  // far beyond any representable value, far from overflow

Status not_a_number(std::string_view text) {
  return invalid_argument("For input string: \"" + std::string(text) + "\"");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Status unsigned_long_out_of_range(std::string_view text) {
  return invalid_argument("Value [" + std::string(text) + "] is out of range for an unsigned long");
}

Result<UnsignedLongValue> parse_unsigned_long(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;  // integer and fraction digits, the point after `point` of them
  while (i < text.size() && is_digit(text[i])) digits.push_back(text[i++]);
  int64_t point = static_cast<int64_t>(digits.size());
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) digits.push_back(text[i++]);
  }
  if (digits.empty()) return not_a_number(text);
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size() || !is_digit(text[i])) return not_a_number(text);
    int64_t exp = 0;
    while (i < text.size() && is_digit(text[i])) {
      if (exp < kExponentCap) exp = exp * 10 + (text[i] - '0');
      ++i;
    }
    point += exp_negative ? -exp : exp;
  }
  if (i != text.size()) return not_a_number(text);
  // Leading zeros move the point left; no digit left means zero.
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return UnsignedLongValue{};
  digits.erase(0, first);
  point -= static_cast<int64_t>(first);
  if (negative) return unsigned_long_out_of_range(text);
  UnsignedLongValue out;
  if (point <= 0) {
    out.has_fraction = true;
    return out;
  }
  if (point > static_cast<int64_t>(kMaxDigits.size())) return unsigned_long_out_of_range(text);
  std::string integer = digits.substr(0, static_cast<size_t>(std::min<int64_t>(point, digits.size())));
  integer.append(static_cast<size_t>(point) - integer.size(), '0');
  if (integer.size() == kMaxDigits.size() && integer > kMaxDigits) return unsigned_long_out_of_range(text);
  for (char c : integer) out.integer = out.integer * 10 + static_cast<uint64_t>(c - '0');
  out.has_fraction = digits.find_first_not_of('0', integer.size()) != std::string::npos &&
                     digits.size() > static_cast<size_t>(point);
  return out;
}

Result<UnsignedLongValue> unsigned_long_from_double(double d, std::string_view text) {
  if (!std::isfinite(d)) return not_a_number(text);
  if (d < 0) return unsigned_long_out_of_range(text);
  if (d >= 18446744073709551616.0) return unsigned_long_out_of_range(text);  // 2^64, exact in a double
  double whole = std::trunc(d);
  UnsignedLongValue out;
  out.integer = static_cast<uint64_t>(whole);
  out.has_fraction = whole != d;
  return out;
}

}  // namespace sift::index
