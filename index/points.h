// Points: a one-dimensional block tree of a numeric field's values (longs, dates, doubles as
// sortable longs), for range queries. Every (value, doc) pair of the segment, sorted by value then
// doc, is cut into leaves of 512 pairs; a leaf index keeps each leaf's min and max value, so a
// range visits only the leaves it overlaps and checks values in the two edge leaves alone.
// PointsWriter encodes a sorted stream of pairs (segment builder and merger); PointValues is the
// reader's validated view of one field (docs/formats/segment.md, "Points").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace sift::index {

inline constexpr uint32_t kPointsPerLeaf = 512;
// i64 min, i64 max, u64 offset, u32 doc base, u8 value bits, u8 doc bits (| 0x80 ascending), u16 0
inline constexpr size_t kPointLeafEntryBytes = 32;

// Encodes pairs given in ascending (value, doc) order; an identical pair given twice is kept once.
class PointsWriter {
 public:
  void add(int64_t value, uint32_t doc);
  // Ends the last leaf. Afterwards: num_points(), index(), data().
  void finish();
  uint64_t num_points() const { return num_points_; }
  const std::string& index() const { return index_.data(); }
  const std::string& data() const { return data_.data(); }

 private:
  void flush_leaf();

  uint64_t num_points_ = 0;
  int64_t last_value_ = 0;
  uint32_t last_doc_ = 0;
  std::vector<int64_t> values_;
  std::vector<uint32_t> docs_;
  ByteWriter index_, data_;
};

// (value, doc) pairs in any order, as the segment builder gathers them.
using PointPairs = std::vector<std::pair<int64_t, uint32_t>>;
// Appends the pairs of a dense doc-values column: doc d's values are values[ends[d-1] .. ends[d]).
void append_column_points(const std::vector<uint32_t>& ends, const std::vector<int64_t>& values, PointPairs* out);
// Sorts `pairs` by (value, doc), gives them to `w` and finishes it.
void write_points(PointPairs* pairs, PointsWriter* w);

// One field's points inside a mapped segment: a small value type over the file's bytes, valid
// while its SegmentReader lives. Empty when the field has no points.
class PointValues {
 public:
  // Checks the leaf index against `data` (counts, value order across leaves, offsets, widths and
  // doc bases) so that no later read leaves the sections; corruption otherwise.
  static Result<PointValues> open(std::string_view index, std::string_view data, uint64_t num_points,
                                  uint32_t max_doc);

  bool empty() const { return num_points_ == 0; }
  uint64_t size() const { return num_points_; }
  uint32_t num_leaves() const { return static_cast<uint32_t>(num_leaves_); }
  int64_t min_value() const;  // undefined when empty
  int64_t max_value() const;

  // The docs with at least one value in [lo, hi], ascending, each once (deleted docs included:
  // callers filter liveness). Leaves inside the range are taken whole; only the edge leaves decode
  // values. A leaf that disagrees with the index is corruption.
  Status intersect(int64_t lo, int64_t hi, std::vector<uint32_t>* docs) const;

  // One decoded leaf: `count` pairs in (value, doc) order.
  struct Leaf {
    uint32_t count = 0;
    int64_t values[kPointsPerLeaf];
    uint32_t docs[kPointsPerLeaf];
  };
  // Decodes leaf `i` (< num_leaves()); `with_values` false leaves `values` unset.
  Status read_leaf(uint32_t i, bool with_values, Leaf* out) const;

 private:
  struct Entry {
    int64_t min, max;
    uint64_t offset;
    uint32_t doc_base;
    uint8_t value_bits, doc_bits;
    bool ascending;
  };
  Entry entry(uint64_t i) const;
  uint32_t leaf_count(uint64_t i) const;
  Status corrupt(uint64_t leaf) const;

  const char* index_ = nullptr;
  const char* data_ = nullptr;
  uint64_t data_size_ = 0;
  uint64_t num_points_ = 0;
  uint64_t num_leaves_ = 0;
  uint32_t max_doc_ = 0;
};

}  // namespace sift::index
