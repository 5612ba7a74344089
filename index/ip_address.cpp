#include "index/ip_address.h"

#include <cstdint>
#include <cstdio>

namespace sift::index {

namespace {

// Dotted quad with no leading zeros, as InetAddresses accepts it (a leading zero would be octal
// to some parsers and decimal to others).
bool parse_v4(std::string_view t, uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t start = i;
    unsigned v = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9' && i - start < 3) v = v * 10 + static_cast<unsigned>(t[i++] - '0');
    size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && t[start] == '0')) return false;
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= t.size() || t[i] != '.') return false;
      ++i;
    }
  }
  return i == t.size();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_v6(std::string_view t, uint8_t out[16]) {
  uint16_t groups[8] = {};
  int count = 0, gap = -1;
  size_t i = 0;
  if (t.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
  } else if (!t.empty() && t[0] == ':') {
    return false;
  }
  while (i < t.size()) {
    if (count >= 8) return false;
    size_t start = i;
    unsigned v = 0;
    while (i < t.size() && hex_value(t[i]) >= 0 && i - start < 4) v = v * 16 + static_cast<unsigned>(hex_value(t[i++]));
    if (i < t.size() && t[i] == '.') {
      // Embedded IPv4 in the last 32 bits.
      uint8_t v4[4];
      if (count > 6 || !parse_v4(t.substr(start), v4)) return false;
      groups[count++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
      i = t.size();
      break;
    }
    if (i == start) return false;
    groups[count++] = static_cast<uint16_t>(v);
    if (i == t.size()) break;
    if (t[i] != ':') return false;
    ++i;
    if (i < t.size() && t[i] == ':') {
      if (gap >= 0) return false;
      gap = count;
      ++i;
    } else if (i == t.size()) {
      return false;
    }
  }
  if (gap < 0 && count != 8) return false;
  if (gap >= 0 && count > 7) return false;
  uint16_t full[8] = {};
  if (gap < 0) {
    for (int k = 0; k < 8; ++k) full[k] = groups[k];
  } else {
    int tail = count - gap;
    for (int k = 0; k < gap; ++k) full[k] = groups[k];
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
  }
  for (int k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<uint8_t>(full[k] >> 8);
    out[2 * k + 1] = static_cast<uint8_t>(full[k] & 0xff);
  }
  return true;
}

}  // namespace

std::optional<std::string> parse_ip(std::string_view text) {
  uint8_t bytes[16] = {};
  if (text.find(':') == std::string_view::npos) {
    uint8_t v4[4];
    if (!parse_v4(text, v4)) return std::nullopt;
    bytes[10] = bytes[11] = 0xff;
    for (int k = 0; k < 4; ++k) bytes[12 + k] = v4[k];
  } else if (!parse_v6(text, bytes)) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(bytes), 16);
}

std::string format_ip(std::string_view b) {
  if (b.size() != 16) return std::string();
  auto u = [&](size_t k) { return static_cast<unsigned>(static_cast<uint8_t>(b[k])); };
  bool mapped = true;
  for (size_t k = 0; k < 10; ++k) mapped = mapped && u(k) == 0;
  mapped = mapped && u(10) == 0xff && u(11) == 0xff;
  char buf[64];
  if (mapped) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", u(12), u(13), u(14), u(15));
    return buf;
  }
  unsigned g[8];
  for (size_t k = 0; k < 8; ++k) g[k] = u(2 * k) << 8 | u(2 * k + 1);
  int best = -1, best_len = 0;
  for (int k = 0; k < 8;) {
    if (g[k] != 0) {
      ++k;
      continue;
    }
    int j = k;
    while (j < 8 && g[j] == 0) ++j;
    if (j - k > best_len && j - k >= 2) best = k, best_len = j - k;
    k = j;
  }
  std::string out;
  for (int k = 0; k < 8; ++k) {
    if (k == best) {
      out += "::";
      k += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[k]);
    out += buf;
  }
  return out;
}

}  // namespace sift::index
