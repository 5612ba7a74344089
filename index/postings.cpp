// PostingsIterator over the v2 postings format (postings_format.h, docs/formats/segment.md), and
// Lucene's one-byte norm encoding. Every read is bounded by the field's postings section; a
// malformed block ends the iteration instead of reading past it (the footer checksum makes that a
// deliberate-tamper case).
#include <algorithm>
#include <climits>
#include <cstring>

#include "index/postings_format.h"
#include "index/segment.h"
#include "index/segment_format.h"

namespace sift::index {

namespace postfmt {

void unpack128(const uint8_t* in, uint32_t bits, uint32_t* out) {
  switch (bits) {
#define SIFT_UNPACK_CASE(B) \
  case B:                   \
    unpack128_fixed<B>(in, out); \
    return;
    SIFT_UNPACK_CASE(0) SIFT_UNPACK_CASE(1) SIFT_UNPACK_CASE(2) SIFT_UNPACK_CASE(3) SIFT_UNPACK_CASE(4)
    SIFT_UNPACK_CASE(5) SIFT_UNPACK_CASE(6) SIFT_UNPACK_CASE(7) SIFT_UNPACK_CASE(8) SIFT_UNPACK_CASE(9)
    SIFT_UNPACK_CASE(10) SIFT_UNPACK_CASE(11) SIFT_UNPACK_CASE(12) SIFT_UNPACK_CASE(13) SIFT_UNPACK_CASE(14)
    SIFT_UNPACK_CASE(15) SIFT_UNPACK_CASE(16) SIFT_UNPACK_CASE(17) SIFT_UNPACK_CASE(18) SIFT_UNPACK_CASE(19)
    SIFT_UNPACK_CASE(20) SIFT_UNPACK_CASE(21) SIFT_UNPACK_CASE(22) SIFT_UNPACK_CASE(23) SIFT_UNPACK_CASE(24)
    SIFT_UNPACK_CASE(25) SIFT_UNPACK_CASE(26) SIFT_UNPACK_CASE(27) SIFT_UNPACK_CASE(28) SIFT_UNPACK_CASE(29)
    SIFT_UNPACK_CASE(30) SIFT_UNPACK_CASE(31) SIFT_UNPACK_CASE(32)
#undef SIFT_UNPACK_CASE
    default:
      std::memset(out, 0, kBlockSize * sizeof(uint32_t));
  }
}

}  // namespace postfmt

namespace {

uint32_t skip_u32(const char* skip, uint32_t b, size_t field) {
  return segfmt::load_u32(skip + static_cast<size_t>(b) * postfmt::kSkipEntryBytes + field);
}
uint64_t skip_pos_end(const char* skip, uint32_t b) {
  return segfmt::load_u64(skip + static_cast<size_t>(b) * postfmt::kSkipEntryBytes + 12);
}
constexpr size_t kLastDoc = 0, kDocsEnd = 4, kImpactsEnd = 8;

// Skips an impacts list (varint count, count x (u8 norm, varint freq)); nullptr when malformed.
const char* skip_impacts(const char* p, const char* end) {
  uint64_t n;
  if (!segfmt::read_varint(p, end, &n) || n > 256) return nullptr;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t f;
    if (p >= end) return nullptr;
    ++p;
    if (!segfmt::read_varint(p, end, &f)) return nullptr;
  }
  return p;
}

// Unpacks one packed run at `p` (bits byte + data) bounded by `end`; advances `p`.
bool unpack_run(const char*& p, const char* end, const char* section_end, uint32_t* out) {
  if (p >= end) return false;
  uint32_t bits = static_cast<uint8_t>(*p++);
  size_t len = postfmt::packed_bytes(bits);
  if (bits > 32 || static_cast<size_t>(end - p) < len) return false;
  const uint8_t* in = reinterpret_cast<const uint8_t*>(p);
  if (static_cast<size_t>(section_end - p) < len + postfmt::kUnpackSlack) {
    // Too close to the end of the mapping for the unaligned 8-byte loads: decode from a copy.
    uint8_t padded[postfmt::packed_bytes(32) + postfmt::kUnpackSlack] = {};
    std::memcpy(padded, p, len);
    postfmt::unpack128(padded, bits, out);
  } else {
    postfmt::unpack128(in, bits, out);
  }
  p += len;
  return true;
}

}  // namespace

bool PostingsIterator::init(const char* start, const char* end) {
  start_ = start;
  end_ = end;
  if (doc_freq_ < kBlock) {
    lone_tail_ = true;
    num_blocks_ = 1;
    full_blocks_ = 0;
    blocks_ = start;
    return true;
  }
  const char* p = start;
  if (has_freqs_) {
    term_impacts_ = p;
    p = skip_impacts(p, end);
    if (p == nullptr) return false;
  }
  num_blocks_ = (doc_freq_ + kBlock - 1) / kBlock;
  full_blocks_ = doc_freq_ / kBlock;
  if (static_cast<size_t>(end - p) / postfmt::kSkipEntryBytes < num_blocks_) return false;
  skip_ = p;
  impacts_ = skip_ + static_cast<size_t>(num_blocks_) * postfmt::kSkipEntryBytes;
  uint32_t impacts_len = skip_u32(skip_, num_blocks_ - 1, kImpactsEnd);
  if (static_cast<size_t>(end - impacts_) < impacts_len) return false;
  blocks_ = impacts_ + impacts_len;
  uint32_t blocks_len = skip_u32(skip_, num_blocks_ - 1, kDocsEnd);
  if (static_cast<size_t>(end - blocks_) < blocks_len) return false;
  if (skip_u32(skip_, num_blocks_ - 1, kLastDoc) >= max_doc_) return false;
  return true;
}

uint32_t PostingsIterator::block_last_doc(uint32_t b) const {
  if (lone_tail_) return block_ == 0 && count_ > 0 ? docs_[count_ - 1] : kNoMoreDocs - 1;
  return skip_u32(skip_, b, kLastDoc);
}

bool PostingsIterator::load_block(uint32_t b) {
  if (b == block_) return true;
  if (b >= num_blocks_) return false;
  const char* p = blocks_ + (b == 0 || lone_tail_ ? 0 : skip_u32(skip_, b - 1, kDocsEnd));
  const char* bend = lone_tail_ ? end_ : blocks_ + skip_u32(skip_, b, kDocsEnd);
  if (p > bend) return false;
  uint64_t prev = b == 0 ? UINT64_MAX : skip_u32(skip_, b - 1, kLastDoc);  // UINT64_MAX + 1 == 0
  if (b < full_blocks_) {
    if (!unpack_run(p, bend, end_, docs_)) return false;
    if (has_freqs_) {
      if (!unpack_run(p, bend, end_, freqs_)) return false;
      for (uint32_t i = 0; i < kBlock; ++i) freqs_[i] += 1;
    } else {
      for (uint32_t i = 0; i < kBlock; ++i) freqs_[i] = 1;
    }
    for (uint32_t i = 0; i < kBlock; ++i) {
      prev = prev + 1 + docs_[i];
      docs_[i] = static_cast<uint32_t>(prev);
    }
    if (prev != skip_u32(skip_, b, kLastDoc)) return false;
    count_ = kBlock;
  } else {
    const uint32_t n = doc_freq_ - full_blocks_ * kBlock;
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t v, freq = 1;
      if (!segfmt::read_varint(p, bend, &v)) return false;
      uint64_t gap = v;
      if (has_freqs_) {
        gap = v >> 1;
        if (!(v & 1) && (!segfmt::read_varint(p, bend, &freq) || freq == 0 || freq > UINT32_MAX)) return false;
      }
      prev = prev + 1 + gap;
      if (prev >= max_doc_) return false;
      docs_[i] = static_cast<uint32_t>(prev);
      freqs_[i] = static_cast<uint32_t>(freq);
    }
    count_ = n;
  }
  block_ = b;
  idx_ = 0;
  if (has_positions_) {
    uint64_t off = b == 0 || lone_tail_ ? 0 : skip_pos_end(skip_, b - 1);
    pos_p_ = off <= static_cast<uint64_t>(pos_end_ - pos_start_) ? pos_start_ + off : pos_end_;
    pos_idx_ = 0;
  }
  return true;
}

uint32_t PostingsIterator::next() {
  if (!started_) {
    started_ = true;
    if (doc_freq_ == 0 || !load_block(0)) return doc_ = kNoMoreDocs;
    idx_ = 0;
  } else {
    if (doc_ == kNoMoreDocs) return doc_;
    if (++idx_ >= count_) {
      if (block_ + 1 >= num_blocks_ || !load_block(block_ + 1)) return doc_ = kNoMoreDocs;
    }
  }
  doc_ = docs_[idx_];
  freq_ = freqs_[idx_];
  positions_loaded_ = false;
  return doc_;
}

uint32_t PostingsIterator::advance(uint32_t target) {
  if (started_ && doc_ >= target) return doc_;  // includes kNoMoreDocs
  if (doc_freq_ == 0) {
    started_ = true;
    return doc_ = kNoMoreDocs;
  }
  if (!started_ || block_ == UINT32_MAX || block_last_doc(block_) < target) {
    uint32_t b = block_ == UINT32_MAX ? 0 : block_;
    if (!lone_tail_) {
      // Gallop over the skip entries, then binary search the last step.
      uint32_t lo = b, step = 1;
      while (lo + step < num_blocks_ && skip_u32(skip_, lo + step, kLastDoc) < target) {
        lo += step;
        step *= 2;
      }
      uint32_t hi = std::min(num_blocks_, lo + step + 1);
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (skip_u32(skip_, mid, kLastDoc) < target) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      b = lo;
    }
    started_ = true;
    if (b >= num_blocks_ || !load_block(b)) return doc_ = kNoMoreDocs;
  }
  started_ = true;
  while (idx_ < count_ && docs_[idx_] < target) ++idx_;
  if (idx_ >= count_) return doc_ = kNoMoreDocs;  // only a lone tail (or a corrupt block) ends here
  doc_ = docs_[idx_];
  freq_ = freqs_[idx_];
  positions_loaded_ = false;
  return doc_;
}

uint32_t PostingsIterator::shallow_advance(uint32_t target) {
  if (doc_freq_ == 0) return kNoMoreDocs;
  if (lone_tail_) {
    // At most 127 docs: decoding them is the cheap way to know the last one.
    if (block_ != 0 && !load_block(0)) return kNoMoreDocs;
    shallow_ = 0;
    return target <= docs_[count_ - 1] ? docs_[count_ - 1] : kNoMoreDocs;
  }
  uint32_t b = std::max(shallow_, block_ == UINT32_MAX ? 0u : block_);
  while (b < num_blocks_ && skip_u32(skip_, b, kLastDoc) < target) ++b;
  if (b >= num_blocks_) return kNoMoreDocs;
  shallow_ = b;
  return skip_u32(skip_, b, kLastDoc);
}

void PostingsIterator::parse_impacts(const char* p, const char* end, std::vector<Impact>* out) {
  uint64_t n;
  if (!segfmt::read_varint(p, end, &n) || n > 256) return;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t f;
    if (p >= end) return;
    uint8_t norm = static_cast<uint8_t>(*p++);
    if (!segfmt::read_varint(p, end, &f)) return;
    out->push_back(Impact{static_cast<uint32_t>(std::min<uint64_t>(f, UINT32_MAX)), norm});
  }
}

void PostingsIterator::block_impacts(std::vector<Impact>* out) {
  out->clear();
  if (doc_freq_ == 0) return;
  if (!has_freqs_) {
    out->push_back(Impact{1, 1});
    return;
  }
  if (lone_tail_) {
    term_impacts(out);
    return;
  }
  const char* p = impacts_ + (shallow_ == 0 ? 0 : skip_u32(skip_, shallow_ - 1, kImpactsEnd));
  parse_impacts(p, impacts_ + skip_u32(skip_, shallow_, kImpactsEnd), out);
}

void PostingsIterator::term_impacts(std::vector<Impact>* out) {
  out->clear();
  if (doc_freq_ == 0) return;
  if (!has_freqs_) {
    out->push_back(Impact{1, 1});
    return;
  }
  if (!lone_tail_) {
    parse_impacts(term_impacts_, skip_, out);
    return;
  }
  if (block_ != 0 && !load_block(0)) return;
  // A lone tail: at most 127 docs, reduced to the competitive pairs on the fly.
  postfmt::ImpactAccumulator acc;
  for (uint32_t i = 0; i < count_; ++i) acc.add(freqs_[i], norms_ != nullptr ? norms_[docs_[i]] : 1);
  acc.for_each_competitive([&](uint8_t norm, uint32_t freq) { out->push_back(Impact{freq, norm}); });
}

const std::vector<uint32_t>& PostingsIterator::positions() {
  if (positions_loaded_) return positions_;
  positions_loaded_ = true;
  positions_.clear();
  if (!has_positions_ || !started_ || doc_ == kNoMoreDocs || pos_p_ == nullptr) return positions_;
  // Skip the entries of the block's docs passed over without loading their positions.
  uint64_t skip = 0;
  for (uint32_t i = pos_idx_; i < idx_; ++i) skip += freqs_[i];
  while (skip > 0 && pos_p_ < pos_end_) {
    if (!(static_cast<uint8_t>(*pos_p_++) & 0x80)) --skip;
  }
  uint64_t pos = 0;
  for (uint32_t i = 0; i < freq_; ++i) {
    uint64_t delta;
    if (!segfmt::read_varint(pos_p_, pos_end_, &delta)) break;
    pos += delta;
    positions_.push_back(static_cast<uint32_t>(pos));
  }
  pos_idx_ = idx_ + 1;
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
