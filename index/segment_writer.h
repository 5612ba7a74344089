// SegmentWriter: serializes one segment file (format v3) from per-term postings in the compact
// varint form the builder and merger produce (segfmt::put_posting), norms, doc values and stored
// documents. `add_term` re-encodes postings into blocks of 128 with skip data and impacts. Shared by SegmentBuilder::finish and merge_segments, so
// both produce byte-identical layouts. Private to index/: callers use segment.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "index/points.h"
#include "index/segment.h"
#include "index/segment_format.h"

struct ZSTD_CCtx_s;

namespace sift::index {

class SegmentWriter {
 public:
  SegmentWriter(std::string segment_id, uint32_t max_doc);
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Fields must arrive in ascending name order. `info`'s doc_count is kept; sum_doc_freq and
  // sum_total_term_freq are computed from the terms added.
  void begin_field(const FieldInfo& info);
  // Terms ascending (bytewise). `postings` uses put_posting(); `positions` holds `freq` position
  // deltas per doc (only kept when the field has positions). A field with norms must have had
  // set_norms called first: the block impacts are (freq, norm) pairs.
  void add_term(std::string_view term, uint32_t doc_freq, uint64_t total_term_freq,
                std::string_view postings, std::string_view positions);
  // Overrides the doc_count given to begin_field (merges learn it while copying postings).
  void set_doc_count(uint32_t doc_count) { fields_.back().info.doc_count = doc_count; }
  // max_doc bytes.
  void set_norms(std::string_view norms);
  // Dense per-doc ends into `values` (doc d holds values[ends[d-1] .. ends[d]), sorted ascending).
  void set_numeric_doc_values(const std::vector<uint32_t>& ends, const std::vector<int64_t>& values);
  // `table` sorted unique; per-doc ordinals sorted unique, same dense-ends layout.
  void set_sorted_set_doc_values(const std::vector<std::string_view>& table,
                                 const std::vector<uint32_t>& ends, const std::vector<uint32_t>& ords);
  // The field's points (a finished PointsWriter); nothing is written when it holds no points.
  void set_points(const PointsWriter& points);
  void end_field();

  // Stored documents in doc order, exactly max_doc of them.
  void add_stored(const DocMeta& meta, std::string_view source);

  std::string finish();

 private:
  struct FieldEntry {
    FieldInfo info;
    uint64_t num_terms = 0;
    segfmt::Range terms, term_index, postings, positions, norms;
    segfmt::DocValuesType dv_type = segfmt::DocValuesType::kNone;
    uint64_t dv_num_values = 0;
    segfmt::Range dv_ends, dv_data, dv_table_offsets, dv_table_bytes;
    uint64_t num_points = 0;
    segfmt::Range points_index, points_data;
  };

  segfmt::Range append_section(std::string_view bytes);
  // Appends one term's v2 postings (docs_/freqs_ already decoded) to postings_buf_.
  void encode_postings(const FieldEntry& f, std::string_view v1_postings, std::string_view positions);
  void flush_stored_block();

  std::string segment_id_;
  uint32_t max_doc_;
  ByteWriter out_;
  std::vector<FieldEntry> fields_;
  bool in_field_ = false;

  // Current field's terms dictionary state.
  ByteWriter terms_buf_, index_buf_, postings_buf_, positions_buf_;
  std::string last_term_;
  uint64_t block_count_ = 0;
  uint64_t last_block_offset_ = 0;
  uint64_t prev_post_off_ = 0, prev_pos_off_ = 0;
  std::string norms_;                  // current field's norms (set_norms), for impacts
  std::vector<uint32_t> docs_, freqs_; // current term, decoded
  std::vector<uint64_t> pos_ends_;     // per doc: end of its positions in the term's stream
  ByteWriter skip_buf_, impacts_buf_, blocks_buf_;

  // Stored fields.
  ByteWriter stored_raw_, stored_blocks_, stored_index_;
  uint32_t stored_docs_ = 0;
  uint32_t block_first_doc_ = 0;
  uint64_t stored_num_blocks_ = 0;
  std::string compress_buf_;
  ZSTD_CCtx_s* cctx_ = nullptr;
};

}  // namespace sift::index
