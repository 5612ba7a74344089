// Private state of SegmentReader: validated views into the segment bytes (every range was checked
// against the file at open), the in-memory terms-block index and the stored-block cache.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "index/directory.h"
#include "index/segment.h"
#include "index/segment_format.h"

struct ZSTD_DCtx_s;

namespace sift::index {

struct TermEntry {
  uint32_t doc_freq = 0;
  uint64_t total_term_freq = 0;
  uint64_t postings_offset = 0;
  uint64_t positions_offset = 0;
};

struct TermBlockRef {
  std::string_view first_term;
  uint64_t offset = 0;  // within the field's terms section
};

struct FieldData {
  uint64_t num_terms = 0;
  bool has_freqs = false;
  bool has_positions = false;
  std::string_view terms, postings, positions, norms;
  std::vector<TermBlockRef> blocks;
  segfmt::DocValuesType dv_type = segfmt::DocValuesType::kNone;
  uint64_t dv_num_values = 0;
  std::string_view dv_ends, dv_data, dv_table_offsets, dv_table_bytes;
  PointValues points;

  std::string_view block_bytes(size_t b) const {
    uint64_t end = b + 1 < blocks.size() ? blocks[b + 1].offset : terms.size();
    return terms.substr(blocks[b].offset, end - blocks[b].offset);
  }
};

// Decodes the entries of one terms block in order.
class TermBlockScanner {
 public:
  TermBlockScanner(const FieldData& field, std::string_view block) : field_(field), r_(block) {}
  // False at the end of the block or on a malformed entry.
  bool next(TermEntry* e);
  const std::string& term() const { return term_; }

 private:
  const FieldData& field_;
  ByteReader r_;
  std::string term_;
  bool first_ = true;
  uint64_t post_ = 0, pos_ = 0;
};

struct StoredBlockRef {
  uint32_t first_doc = 0;
  uint64_t offset = 0;
  uint32_t compressed = 0;
  uint32_t raw = 0;
};

struct SegmentReader::Impl {
  std::shared_ptr<const MappedFile> file;
  std::string owned;
  std::string_view data;
  std::string segment_id;
  uint32_t max_doc = 0;
  uint64_t header_end = 0;
  uint64_t toc_offset = 0;
  std::vector<FieldInfo> infos;   // sorted by name
  std::vector<FieldData> fields;  // parallel to infos
  std::string_view stored_blocks;
  std::vector<StoredBlockRef> stored_index;
  std::shared_ptr<const LiveDocs> nested_docs;  // docs with a _nested_path (nested_docs.cpp)

  mutable std::mutex cache_mu;
  mutable int64_t cache_block = -1;
  mutable std::string cache_raw;
  ZSTD_DCtx_s* dctx = nullptr;

  ~Impl();
  Status corrupt(std::string_view what) const;
  Status parse();
  Status parse_header();
  Status parse_field(ByteReader& r);
  Status parse_stored(ByteReader& r);
  bool range(ByteReader& r, std::string_view* out) const;

  int find_field(std::string_view name) const;
  bool seek_term(const FieldData& f, std::string_view term, TermEntry* e) const;
  Status read_stored(uint32_t doc, StoredDocument* out) const;
};

}  // namespace sift::index
