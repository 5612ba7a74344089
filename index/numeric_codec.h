// Order-preserving encodings of numbers: a double maps to an int64 whose signed order equals the
// double's order, and an int64 maps to 8 big-endian bytes whose byte order equals the number's, so
// numeric values can live in a sorted terms dictionary.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace sift::index {

inline int64_t double_to_sortable(double d) {
  int64_t bits;
  std::memcpy(&bits, &d, 8);
  return bits ^ ((bits >> 63) & 0x7fffffffffffffffLL);
}

inline double sortable_to_double(int64_t v) {
  int64_t bits = v ^ ((v >> 63) & 0x7fffffffffffffffLL);
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

// unsigned_long: 0 .. 2^64-1 kept as an int64 with the sign bit flipped, so the signed order of the
// stored values is the unsigned order of the numbers (0 is INT64_MIN, 2^64-1 is INT64_MAX) and the
// long machinery (doc values, terms, range walks, sort) works on them unchanged.
inline int64_t unsigned_to_sortable(uint64_t u) { return static_cast<int64_t>(u ^ 0x8000000000000000ULL); }
inline uint64_t sortable_to_unsigned(int64_t v) { return static_cast<uint64_t>(v) ^ 0x8000000000000000ULL; }

inline std::string encode_sortable_term(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v) ^ 0x8000000000000000ULL;
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  return out;
}

inline int64_t decode_sortable_term(const std::string& s) {
  uint64_t u = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) u = (u << 8) | static_cast<uint8_t>(s[i]);
  return static_cast<int64_t>(u ^ 0x8000000000000000ULL);
}

}  // namespace sift::index
