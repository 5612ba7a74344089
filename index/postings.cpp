// PostingsIterator over the v1 postings encoding (segment_format.h put_posting), and Lucene's
// one-byte norm encoding. Every read is bounded by the term's section; a malformed entry ends the
// iteration instead of reading past it (the footer checksum makes that a deliberate-tamper case).
#include <climits>

#include "index/segment.h"
#include "index/segment_format.h"

namespace sift::index {

uint32_t PostingsIterator::next() {
  if (read_ >= doc_freq_ || doc_ == kNoMoreDocs) return doc_ = kNoMoreDocs;
  uint64_t v;
  if (!segfmt::read_varint(p_, end_, &v)) return doc_ = kNoMoreDocs;
  uint64_t gap = v;
  uint64_t freq = 1;
  if (has_freqs_) {
    gap = v >> 1;
    if (!(v & 1)) {
      if (!segfmt::read_varint(p_, end_, &freq) || freq == 0 || freq > UINT32_MAX) return doc_ = kNoMoreDocs;
    }
  }
  if (has_positions_ && read_ > 0 && !positions_loaded_) pos_skip_ += freq_;
  uint64_t doc = (read_ == 0 ? 0 : static_cast<uint64_t>(doc_) + 1) + gap;
  if (doc >= max_doc_) return doc_ = kNoMoreDocs;
  ++read_;
  doc_ = static_cast<uint32_t>(doc);
  freq_ = static_cast<uint32_t>(freq);
  positions_loaded_ = false;
  return doc_;
}

uint32_t PostingsIterator::advance(uint32_t target) {
  if (read_ > 0 && doc_ >= target) return doc_;
  while (true) {
    uint32_t d = next();
    if (d >= target || d == kNoMoreDocs) return d;
  }
}

const std::vector<uint32_t>& PostingsIterator::positions() {
  if (positions_loaded_) return positions_;
  positions_loaded_ = true;
  positions_.clear();
  if (!has_positions_ || read_ == 0 || doc_ == kNoMoreDocs) return positions_;
  // Skip the entries of docs passed over without loading their positions.
  while (pos_skip_ > 0 && pos_p_ < pos_end_) {
    if (!(static_cast<uint8_t>(*pos_p_++) & 0x80)) --pos_skip_;
  }
  uint64_t pos = 0;
  for (uint32_t i = 0; i < freq_; ++i) {
    uint64_t delta;
    if (!segfmt::read_varint(pos_p_, pos_end_, &delta)) break;
    pos += delta;
    positions_.push_back(static_cast<uint32_t>(pos));
  }
  return positions_;
}

// Lucene 8 SmallFloat: longToInt4 keeps 4 significant bits; intToByte4 maps small values 1:1.
namespace {

uint32_t long_to_int4(uint64_t i) {
  int num_bits = i == 0 ? 0 : 64 - __builtin_clzll(i);
  if (num_bits < 4) return static_cast<uint32_t>(i);  // subnormal
  int shift = num_bits - 4;
  uint32_t encoded = static_cast<uint32_t>(i >> shift) & 0x07;
  return encoded | (static_cast<uint32_t>(shift + 1) << 3);
}

uint64_t int4_to_long(uint32_t i) {
  uint64_t bits = i & 0x07;
  int shift = static_cast<int>(i >> 3) - 1;
  return shift == -1 ? bits : (bits | 0x08) << shift;
}

const uint32_t kNumFreeValues = 255 - long_to_int4(INT32_MAX);  // 24

}  // namespace

uint8_t encode_norm(uint32_t length) {
  uint64_t i = length > static_cast<uint32_t>(INT32_MAX) ? INT32_MAX : length;
  if (i < kNumFreeValues) return static_cast<uint8_t>(i);
  return static_cast<uint8_t>(kNumFreeValues + long_to_int4(i - kNumFreeValues));
}

uint32_t decode_norm(uint8_t norm) {
  if (norm < kNumFreeValues) return norm;
  return static_cast<uint32_t>(kNumFreeValues + int4_to_long(norm - kNumFreeValues));
}

}  // namespace sift::index
