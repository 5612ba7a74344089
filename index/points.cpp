// Points encoding and range intersection (docs/formats/segment.md, "Points"). A leaf stores its
// values as bit-packed deltas from the previous value (the first value is the leaf's min in the
// index) and its docs bit-packed either as gaps (when they ascend, as in time-ordered logs, where
// they are often all 0 bits) or as offsets from the leaf's smallest doc.
#include "index/points.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "index/postings_format.h"
#include "index/segment_format.h"

namespace sift::index {

namespace {

constexpr uint8_t kAscending = 0x80;

uint32_t bits_of(uint64_t v) { return v == 0 ? 0 : 64 - static_cast<uint32_t>(__builtin_clzll(v)); }

uint64_t packed_len(uint64_t n, uint32_t bits) { return (n * bits + 7) / 8; }

// Appends n values of `bits` bits (0..64) each, little-endian bit order, packed_len(n, bits) bytes.
void pack(const uint64_t* v, size_t n, uint32_t bits, ByteWriter& out) {
  if (bits == 0) return;
  unsigned __int128 acc = 0;
  uint32_t filled = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= static_cast<unsigned __int128>(v[i]) << filled;
    filled += bits;
    while (filled >= 8) {
      out.put_u8(static_cast<uint8_t>(acc));
      acc >>= 8;
      filled -= 8;
    }
  }
  if (filled > 0) out.put_u8(static_cast<uint8_t>(acc));
}

// The `bits`-bit value at bit `bit` of in[0, len), reading only inside it.
uint64_t read_slow(const uint8_t* in, size_t len, uint64_t bit, uint32_t bits) {
  unsigned __int128 acc = 0;
  size_t first = static_cast<size_t>(bit >> 3);
  for (size_t k = 0; k < 9 && first + k < len; ++k) acc |= static_cast<unsigned __int128>(in[first + k]) << (8 * k);
  acc >>= (bit & 7);
  return bits == 64 ? static_cast<uint64_t>(acc) : static_cast<uint64_t>(acc) & ((1ULL << bits) - 1);
}

// n values of at most 32 bits. Eight-byte loads while they stay inside the span, then byte reads.
void unpack32(const uint8_t* in, size_t len, uint32_t bits, uint32_t n, uint32_t* out) {
  if (bits == 0) {
    std::fill(out, out + n, 0u);
    return;
  }
  // Whole runs of 128 that have 8 readable bytes after them: the postings' unrolled unpacker (a
  // run of 128 values ends on a byte boundary, in the same bit order).
  uint32_t i = 0;
  const size_t run_bytes = postfmt::packed_bytes(bits);
  for (; i + postfmt::kBlockSize <= n && (i / postfmt::kBlockSize + 1) * run_bytes + postfmt::kUnpackSlack <= len;
       i += postfmt::kBlockSize) {
    postfmt::unpack128(in + (i / postfmt::kBlockSize) * run_bytes, bits, out + i);
  }
  const uint64_t mask = (1ULL << bits) - 1;
  // i is fast while (i * bits) / 8 + 8 <= len.
  uint32_t fast = len < 8 ? 0 : static_cast<uint32_t>(std::min<uint64_t>(n, ((len - 8) * 8 + 7) / bits + 1));
  for (; i < fast; ++i) {
    const uint64_t bit = static_cast<uint64_t>(i) * bits;
    uint64_t w;
    std::memcpy(&w, in + (bit >> 3), 8);
    out[i] = static_cast<uint32_t>((w >> (bit & 7)) & mask);
  }
  for (; i < n; ++i) out[i] = static_cast<uint32_t>(read_slow(in, len, static_cast<uint64_t>(i) * bits, bits));
}

// n values of up to 64 bits.
void unpack64(const uint8_t* in, size_t len, uint32_t bits, uint32_t n, uint64_t* out) {
  if (bits == 0) {
    std::fill(out, out + n, 0ULL);
    return;
  }
  if (bits > 56) {  // a value may span 9 bytes
    for (uint32_t i = 0; i < n; ++i) out[i] = read_slow(in, len, static_cast<uint64_t>(i) * bits, bits);
    return;
  }
  const uint64_t mask = (1ULL << bits) - 1;
  uint32_t fast = len < 8 ? 0 : static_cast<uint32_t>(std::min<uint64_t>(n, ((len - 8) * 8 + 7) / bits + 1));
  uint32_t i = 0;
  for (; i < fast; ++i) {
    const uint64_t bit = static_cast<uint64_t>(i) * bits;
    uint64_t w;
    std::memcpy(&w, in + (bit >> 3), 8);
    out[i] = (w >> (bit & 7)) & mask;
  }
  for (; i < n; ++i) out[i] = read_slow(in, len, static_cast<uint64_t>(i) * bits, bits);
}

int64_t load_i64(const char* p) { return static_cast<int64_t>(segfmt::load_u64(p)); }

// Sorted unique docs out of leaves: appended while they keep ascending (time-ordered data), a
// bitset over the segment's docs once they do not.
class DocCollector {
 public:
  DocCollector(uint32_t max_doc, std::vector<uint32_t>* out) : max_doc_(max_doc), out_(out) {}

  void add(const uint32_t* d, uint32_t n, bool ascending) {
    if (n == 0) return;
    if (!dense_ && (ascending || n == 1)) {
      if (!out_->empty() && d[0] == out_->back()) {  // a multi-valued doc ending one leaf, starting the next
        ++d;
        --n;
      }
      if (n == 0) return;
      if (out_->empty() || d[0] > out_->back()) {
        out_->insert(out_->end(), d, d + n);
        return;
      }
    }
    if (!dense_) to_dense();
    for (uint32_t i = 0; i < n; ++i) set(d[i]);
  }

  void finish() {
    if (!dense_) return;
    out_->clear();
    for (size_t w = lo_ >> 6; w <= (hi_ >> 6); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        out_->push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
      }
    }
  }

 private:
  void set(uint32_t doc) {
    bits_[doc >> 6] |= 1ULL << (doc & 63);
    lo_ = std::min(lo_, doc);
    hi_ = std::max(hi_, doc);
  }
  void to_dense() {
    dense_ = true;
    bits_.assign((static_cast<size_t>(max_doc_) + 63) / 64, 0);
    for (uint32_t doc : *out_) set(doc);
  }

  uint32_t max_doc_;
  std::vector<uint32_t>* out_;
  std::vector<uint64_t> bits_;
  bool dense_ = false;
  uint32_t lo_ = UINT32_MAX, hi_ = 0;
};

}  // namespace

void PointsWriter::add(int64_t value, uint32_t doc) {
  if (!docs_.empty() || num_points_ > 0) {
    SIFT_ASSERT(value > last_value_ || (value == last_value_ && doc >= last_doc_));
    if (value == last_value_ && doc == last_doc_) return;
  }
  last_value_ = value;
  last_doc_ = doc;
  values_.push_back(value);
  docs_.push_back(doc);
  ++num_points_;
  if (docs_.size() == kPointsPerLeaf) flush_leaf();
}

void PointsWriter::finish() {
  if (!docs_.empty()) flush_leaf();
}

void PointsWriter::flush_leaf() {
  const size_t n = docs_.size();
  uint64_t scratch[kPointsPerLeaf];
  // Values: n - 1 deltas, each from the previous value.
  uint64_t or_deltas = 0;
  for (size_t i = 1; i < n; ++i) {
    scratch[i - 1] = static_cast<uint64_t>(values_[i]) - static_cast<uint64_t>(values_[i - 1]);
    or_deltas |= scratch[i - 1];
  }
  const uint32_t value_bits = bits_of(or_deltas);
  // Docs: gaps when they ascend, else offsets from the smallest; the narrower form wins.
  bool ascending = true;
  uint32_t min_doc = docs_[0];
  uint64_t or_gaps = 0;
  for (size_t i = 1; i < n; ++i) {
    ascending = ascending && docs_[i] > docs_[i - 1];
    if (ascending) or_gaps |= docs_[i] - docs_[i - 1] - 1;
    min_doc = std::min(min_doc, docs_[i]);
  }
  uint64_t or_offsets = 0;
  for (size_t i = 0; i < n; ++i) or_offsets |= docs_[i] - min_doc;
  const bool gaps = ascending && bits_of(or_gaps) <= bits_of(or_offsets);
  const uint32_t doc_bits = gaps ? bits_of(or_gaps) : bits_of(or_offsets);

  index_.put_i64(values_.front());
  index_.put_i64(values_.back());
  index_.put_u64(data_.size());
  index_.put_u32(gaps ? docs_[0] : min_doc);
  index_.put_u8(static_cast<uint8_t>(value_bits));
  index_.put_u8(static_cast<uint8_t>(doc_bits | (gaps ? kAscending : 0)));
  index_.put_u8(0);
  index_.put_u8(0);
  pack(scratch, n - 1, value_bits, data_);
  for (size_t i = 0; i < n; ++i) {
    scratch[i] = gaps ? (i == 0 ? 0 : docs_[i] - docs_[i - 1] - 1) : docs_[i] - min_doc;
  }
  pack(scratch, n, doc_bits, data_);
  values_.clear();
  docs_.clear();
}

void append_column_points(const std::vector<uint32_t>& ends, const std::vector<int64_t>& values, PointPairs* out) {
  uint32_t start = 0;
  for (size_t d = 0; d < ends.size(); ++d) {
    for (uint32_t i = start; i < ends[d]; ++i) out->emplace_back(values[i], static_cast<uint32_t>(d));
    start = ends[d];
  }
}

void write_points(PointPairs* pairs, PointsWriter* w) {
  if (!std::is_sorted(pairs->begin(), pairs->end())) std::sort(pairs->begin(), pairs->end());
  for (const auto& [value, doc] : *pairs) w->add(value, doc);
  w->finish();
}

PointValues::Entry PointValues::entry(uint64_t i) const {
  const char* p = index_ + i * kPointLeafEntryBytes;
  Entry e;
  e.min = load_i64(p);
  e.max = load_i64(p + 8);
  e.offset = segfmt::load_u64(p + 16);
  e.doc_base = segfmt::load_u32(p + 24);
  e.value_bits = static_cast<uint8_t>(p[28]);
  e.doc_bits = static_cast<uint8_t>(p[29]) & 0x7f;
  e.ascending = (static_cast<uint8_t>(p[29]) & kAscending) != 0;
  return e;
}

uint32_t PointValues::leaf_count(uint64_t i) const {
  return i + 1 < num_leaves_ ? kPointsPerLeaf : static_cast<uint32_t>(num_points_ - i * kPointsPerLeaf);
}

int64_t PointValues::min_value() const { return load_i64(index_); }
int64_t PointValues::max_value() const { return load_i64(index_ + (num_leaves_ - 1) * kPointLeafEntryBytes + 8); }

Status PointValues::corrupt(uint64_t leaf) const {
  return corruption("points leaf " + std::to_string(leaf) + " disagrees with its index");
}

Result<PointValues> PointValues::open(std::string_view index, std::string_view data, uint64_t num_points,
                                      uint32_t max_doc) {
  PointValues pv;
  if (num_points == 0 || num_points > (static_cast<uint64_t>(1) << 48)) return corruption("bad number of points");
  const uint64_t leaves = (num_points + kPointsPerLeaf - 1) / kPointsPerLeaf;
  if (index.size() / kPointLeafEntryBytes != leaves || index.size() % kPointLeafEntryBytes != 0) {
    return corruption("bad points index length");
  }
  pv.index_ = index.data();
  pv.data_ = data.data();
  pv.data_size_ = data.size();
  pv.num_points_ = num_points;
  pv.num_leaves_ = leaves;
  pv.max_doc_ = max_doc;
  uint64_t offset = 0;
  for (uint64_t i = 0; i < leaves; ++i) {
    const Entry e = pv.entry(i);
    const char* raw = index.data() + i * kPointLeafEntryBytes;
    const uint32_t n = pv.leaf_count(i);
    bool ok = e.min <= e.max && (i == 0 || pv.entry(i - 1).max <= e.min) && e.offset == offset &&
              e.value_bits <= 64 && e.doc_bits <= 32 && e.doc_base < max_doc && raw[30] == 0 && raw[31] == 0 &&
              ((e.value_bits == 0 || n == 1) ? e.min == e.max : true);
    if (!ok) return corruption("bad points leaf entry " + std::to_string(i));
    offset += packed_len(n - 1, e.value_bits) + packed_len(n, e.doc_bits);
    if (offset > data.size()) return corruption("points leaf " + std::to_string(i) + " past the data");
  }
  if (offset != data.size()) return corruption("bad points data length");
  return pv;
}

Status PointValues::read_leaf(uint32_t i, bool with_values, Leaf* out) const {
  const Entry e = entry(i);
  const uint32_t n = leaf_count(i);
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data_ + e.offset);
  const uint64_t value_len = packed_len(n - 1, e.value_bits);
  out->count = n;
  unpack32(p + value_len, packed_len(n, e.doc_bits), e.doc_bits, n, out->docs);
  uint64_t last;
  if (e.ascending) {
    uint64_t doc = static_cast<uint64_t>(e.doc_base) + out->docs[0];
    out->docs[0] = static_cast<uint32_t>(doc);
    for (uint32_t k = 1; k < n; ++k) {
      doc += 1 + static_cast<uint64_t>(out->docs[k]);
      out->docs[k] = static_cast<uint32_t>(doc);
    }
    last = doc;
  } else {
    uint32_t max_offset = 0;
    for (uint32_t k = 0; k < n; ++k) max_offset = std::max(max_offset, out->docs[k]);
    last = static_cast<uint64_t>(e.doc_base) + max_offset;
    for (uint32_t k = 0; k < n; ++k) out->docs[k] += e.doc_base;
  }
  if (last >= max_doc_) return corrupt(i);
  if (!with_values) return Status::ok();
  uint64_t* deltas = reinterpret_cast<uint64_t*>(out->values);  // same size and alignment
  unpack64(p, value_len, e.value_bits, n - 1, deltas + 1);
  uint64_t v = static_cast<uint64_t>(e.min);
  out->values[0] = e.min;
  for (uint32_t k = 1; k < n; ++k) {
    uint64_t next = v + deltas[k];
    // Pairs ascend by (value, doc): a wrapped delta or a doc not above its equal-valued
    // predecessor is corruption (merges feed these pairs to a writer that needs the order).
    if (static_cast<int64_t>(next) < static_cast<int64_t>(v) || (next == v && out->docs[k] <= out->docs[k - 1])) {
      return corrupt(i);
    }
    v = next;
    out->values[k] = static_cast<int64_t>(v);
  }
  if (static_cast<int64_t>(v) != e.max) return corrupt(i);
  return Status::ok();
}

Status PointValues::intersect(int64_t lo, int64_t hi, std::vector<uint32_t>* docs) const {
  docs->clear();
  if (empty() || lo > hi || hi < min_value() || lo > max_value()) return Status::ok();
  // Leaves are ordered by value: maxes and mins are non-decreasing.
  uint64_t first = 0, count = num_leaves_;
  while (count > 0) {  // first leaf whose max >= lo
    uint64_t half = count / 2;
    if (entry(first + half).max < lo) {
      first += half + 1;
      count -= half + 1;
    } else {
      count = half;
    }
  }
  uint64_t end = first;
  count = num_leaves_ - first;
  while (count > 0) {  // first leaf (from `first`) whose min > hi
    uint64_t half = count / 2;
    if (entry(end + half).min <= hi) {
      end += half + 1;
      count -= half + 1;
    } else {
      count = half;
    }
  }
  docs->reserve(std::min<uint64_t>((end - first) * kPointsPerLeaf, max_doc_));
  DocCollector out(max_doc_, docs);
  auto leaf = std::make_unique<Leaf>();
  for (uint64_t i = first; i < end; ++i) {
    const Entry e = entry(i);
    const bool inside = e.min >= lo && e.max <= hi;
    SIFT_RETURN_IF_ERROR(read_leaf(static_cast<uint32_t>(i), !inside, leaf.get()));
    if (inside) {
      out.add(leaf->docs, leaf->count, e.ascending);
      continue;
    }
    const int64_t* v = leaf->values;
    uint32_t from = static_cast<uint32_t>(std::lower_bound(v, v + leaf->count, lo) - v);
    uint32_t to = static_cast<uint32_t>(std::upper_bound(v, v + leaf->count, hi) - v);
    if (from < to) out.add(leaf->docs + from, to - from, e.ascending);
  }
  out.finish();
  return Status::ok();
}

}  // namespace sift::index
