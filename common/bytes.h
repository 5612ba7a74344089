// Byte helpers for file formats: a growable writer and a bounds-checked reader with fixed-width
// little-endian integers and LEB128 varints. Readers never read past their span: a short read sets
// a sticky failure flag the caller checks once (formats turn it into a corruption error).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sift {

class ByteWriter {
 public:
  void put_u8(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void put_u32(uint32_t v) { put_raw(&v, 4); }
  void put_u64(uint64_t v) { put_raw(&v, 8); }
  void put_i64(int64_t v) { put_raw(&v, 8); }
  void put_f64(double v) { put_raw(&v, 8); }
  void put_varint(uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
  }
  // ZigZag so small negative numbers stay short.
  void put_svarint(int64_t v) { put_varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void put_bytes(std::string_view s) {
    put_varint(s.size());
    buf_.append(s);
  }
  void put_raw(const void* p, size_t n) { buf_.append(static_cast<const char*>(p), n); }
  void patch_u32(size_t pos, uint32_t v) { std::memcpy(&buf_[pos], &v, 4); }
  void patch_u64(size_t pos, uint64_t v) { std::memcpy(&buf_[pos], &v, 8); }

  size_t size() const { return buf_.size(); }
  const std::string& data() const { return buf_; }
  std::string& mutable_data() { return buf_; }
  std::string take() { return std::move(buf_); }
  void clear() { buf_.clear(); }

 private:
  std::string buf_;
};

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()), begin_(s.data()) {}

  bool ok() const { return ok_; }
  bool eof() const { return p_ >= end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  size_t position() const { return static_cast<size_t>(p_ - begin_); }
  void seek(size_t pos) {
    if (pos > static_cast<size_t>(end_ - begin_)) { ok_ = false; p_ = end_; return; }
    p_ = begin_ + pos;
  }

  uint8_t get_u8() {
    if (!need(1)) return 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint32_t get_u32() { uint32_t v = 0; get_raw(&v, 4); return v; }
  uint64_t get_u64() { uint64_t v = 0; get_raw(&v, 8); return v; }
  int64_t get_i64() { int64_t v = 0; get_raw(&v, 8); return v; }
  double get_f64() { double v = 0; get_raw(&v, 8); return v; }
  uint64_t get_varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!need(1)) return 0;
      uint8_t b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }
  int64_t get_svarint() {
    uint64_t u = get_varint();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  std::string_view get_bytes() {
    uint64_t n = get_varint();
    if (!need(n)) return {};
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string_view get_view(size_t n) {
    if (!need(n)) return {};
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  void get_raw(void* out, size_t n) {
    if (!need(n)) { std::memset(out, 0, n); return; }
    std::memcpy(out, p_, n);
    p_ += n;
  }

 private:
  bool need(uint64_t n) {
    if (!ok_ || n > static_cast<uint64_t>(end_ - p_)) {
      ok_ = false;
      p_ = end_;
      return false;
    }
    return true;
  }
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* begin_ = nullptr;
  bool ok_ = true;
};

}  // namespace sift
