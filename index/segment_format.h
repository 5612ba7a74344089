// Private layout constants and small encoding helpers shared by the segment writer, reader and
// merger (format v3, docs/formats/segment.md). Not part of the public index/ contract.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/bytes.h"

namespace sift::index::segfmt {

inline constexpr char kMagic[8] = {'\x89', 'S', 'I', 'F', 'T', 'S', 'E', 'G'};
inline constexpr std::string_view kFormatName = "sift-segment";
// v2: postings in blocks of 128 with skip entries and impacts. v3: points of numeric fields
// (index/points.h). Older segments are not read.
inline constexpr uint32_t kVersion = 3;
inline constexpr uint32_t kMinVersion = 3;
inline constexpr uint32_t kFooterMagic = 0x5446a5e6;  // little-endian on disk
inline constexpr size_t kFooterSize = 16;             // u64 toc offset, u32 crc32c, u32 magic

inline constexpr size_t kTermsPerBlock = 32;
inline constexpr size_t kStoredBlockRawBytes = 16 * 1024;
inline constexpr int kStoredZstdLevel = 1;
inline constexpr size_t kStoredIndexEntryBytes = 20;  // u32 first doc, u64 offset, u32 comp, u32 raw
// A stored block never decompresses to more than this (a single huge source gets its own block).
inline constexpr uint64_t kMaxStoredBlockRaw = 1ULL << 31;

inline constexpr std::string_view kIdField = "_id";
inline constexpr std::string_view kFieldNamesField = "_field_names";
// Nested documents carry their object path here (docs-only terms); roots have no value.
inline constexpr std::string_view kNestedPathField = "_nested_path";

// FieldInfo flag bits.
inline constexpr uint8_t kFlagPostings = 1;
inline constexpr uint8_t kFlagPositions = 2;
inline constexpr uint8_t kFlagNorms = 4;
inline constexpr uint8_t kFlagDocValues = 8;
inline constexpr uint8_t kFlagPoints = 16;

enum class DocValuesType : uint8_t { kNone = 0, kNumeric = 1, kSortedSet = 2 };

// A byte range of the file, absolute offsets.
struct Range {
  uint64_t offset = 0;
  uint64_t length = 0;
};

inline void put_range(ByteWriter& w, Range r) {
  w.put_varint(r.offset);
  w.put_varint(r.length);
}
inline Range get_range(ByteReader& r) {
  Range out;
  out.offset = r.get_varint();
  out.length = r.get_varint();
  return out;
}

inline uint32_t load_u32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t load_u64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// One postings entry. Freq-carrying streams (text fields) pack the doc gap with a "freq is 1" bit,
// as Lucene does; docs-only streams write the bare gap. The gap is `doc - (previous doc + 1)`
// (the first doc is written as is), so doc ids are strictly increasing by construction.
inline void put_posting(ByteWriter& w, bool freqs, uint32_t gap, uint32_t freq) {
  if (!freqs) {
    w.put_varint(gap);
    return;
  }
  w.put_varint((static_cast<uint64_t>(gap) << 1) | (freq == 1 ? 1u : 0u));
  if (freq != 1) w.put_varint(freq);
}

// Bounded varint decode for hot loops; returns false at the end of the span or on a bad varint.
inline bool read_varint(const char*& p, const char* end, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    uint8_t b = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace sift::index::segfmt
