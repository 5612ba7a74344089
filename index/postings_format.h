// Postings encoding of segment format v2 (docs/formats/segment.md "Postings"): doc-id gaps and
// frequencies bit-packed in blocks of 128, a varint tail, and per-block skip entries carrying the
// block's last doc, stream offsets and its competitive (freq, norm) impacts for block-max WAND.
// Private to index/: the writer encodes with PostingsEncoder, PostingsIterator decodes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/bytes.h"

namespace sift::index::postfmt {

inline constexpr uint32_t kBlockSize = 128;
// u32 last_doc, u32 docs_end, u32 impacts_end, u64 positions_end
inline constexpr size_t kSkipEntryBytes = 20;
// Bytes a decoder may read past the end of a packed block (one unaligned 8-byte load).
inline constexpr size_t kUnpackSlack = 8;

inline constexpr size_t packed_bytes(uint32_t bits) { return 16 * static_cast<size_t>(bits); }

inline uint32_t bits_needed(uint32_t v) { return v == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(v)); }

// Appends 128 values of `bits` bits each, little-endian bit order.
inline void pack128(const uint32_t* in, uint32_t bits, ByteWriter& out) {
  if (bits == 0) return;
  uint64_t acc = 0;
  uint32_t filled = 0;
  for (uint32_t i = 0; i < kBlockSize; ++i) {
    acc |= static_cast<uint64_t>(in[i]) << filled;
    filled += bits;
    while (filled >= 8) {
      out.put_u8(static_cast<uint8_t>(acc));
      acc >>= 8;
      filled -= 8;
    }
  }
  // 128 * bits is a multiple of 8: nothing is left over.
}

template <uint32_t B>
inline void unpack128_fixed(const uint8_t* in, uint32_t* out) {
  if constexpr (B == 0) {
    for (uint32_t i = 0; i < kBlockSize; ++i) out[i] = 0;
  } else {
    constexpr uint64_t kMask = B == 32 ? 0xffffffffULL : ((1ULL << B) - 1);
    for (uint32_t i = 0; i < kBlockSize; ++i) {
      const uint32_t bit = i * B;
      uint64_t w;
      std::memcpy(&w, in + (bit >> 3), 8);
      out[i] = static_cast<uint32_t>((w >> (bit & 7)) & kMask);
    }
  }
}

// Decodes 128 values; `in` must have packed_bytes(bits) + kUnpackSlack readable bytes.
void unpack128(const uint8_t* in, uint32_t bits, uint32_t* out);

// Competitive impacts: for each norm byte, the highest freq seen, reduced to the pairs no other
// pair dominates (higher or equal freq with a shorter or equal length). BM25 grows with freq and
// shrinks with length, so the best score over a set of docs is the best over these pairs.
class ImpactAccumulator {
 public:
  ImpactAccumulator() { std::memset(max_freq_, 0, sizeof(max_freq_)); }
  void add(uint32_t freq, uint8_t norm) {
    if (freq > max_freq_[norm]) max_freq_[norm] = freq;
  }
  // Calls f(norm, freq) for each competitive pair, norms ascending. Norm bytes order lengths
  // ascending (Lucene's SmallFloat is monotonic), so a pair is competitive exactly when its freq
  // beats every shorter length's: the pairs have freqs strictly increasing with the norm, and none
  // dominates another.
  template <typename F>
  void for_each_competitive(F f) const {
    uint32_t best = 0;
    for (uint32_t norm = 0; norm < 256; ++norm) {
      if (max_freq_[norm] > best) {
        best = max_freq_[norm];
        f(static_cast<uint8_t>(norm), best);
      }
    }
  }
  // Writes `varint count, count x (u8 norm, varint freq)` in norm order, then resets.
  void write_and_reset(ByteWriter& out) {
    uint32_t n = 0;
    for_each_competitive([&](uint8_t, uint32_t) { ++n; });
    out.put_varint(n);
    for_each_competitive([&](uint8_t norm, uint32_t freq) {
      out.put_u8(norm);
      out.put_varint(freq);
    });
    std::memset(max_freq_, 0, sizeof(max_freq_));
  }

 private:
  uint32_t max_freq_[256];
};

}  // namespace sift::index::postfmt
