#include "index/segment_writer.h"

#include <zstd.h>

#include <algorithm>

#include "common/crc32c.h"

namespace sift::index {

using segfmt::Range;

SegmentWriter::SegmentWriter(std::string segment_id, uint32_t max_doc)
    : segment_id_(std::move(segment_id)), max_doc_(max_doc) {
  out_.put_raw(segfmt::kMagic, sizeof(segfmt::kMagic));
  out_.put_bytes(segfmt::kFormatName);
  out_.put_u32(segfmt::kVersion);
  out_.put_bytes(segment_id_);
  cctx_ = ZSTD_createCCtx();
}

SegmentWriter::~SegmentWriter() { ZSTD_freeCCtx(cctx_); }

Range SegmentWriter::append_section(std::string_view bytes) {
  Range r{out_.size(), bytes.size()};
  out_.put_raw(bytes.data(), bytes.size());
  return r;
}

void SegmentWriter::begin_field(const FieldInfo& info) {
  SIFT_ASSERT(!in_field_);
  SIFT_ASSERT(fields_.empty() || fields_.back().info.name < info.name);
  in_field_ = true;
  FieldEntry e;
  e.info = info;
  e.info.sum_doc_freq = 0;
  e.info.sum_total_term_freq = 0;
  fields_.push_back(std::move(e));
  terms_buf_.clear();
  index_buf_.clear();
  postings_buf_.clear();
  positions_buf_.clear();
  last_term_.clear();
  block_count_ = 0;
  last_block_offset_ = 0;
}

void SegmentWriter::add_term(std::string_view term, uint32_t doc_freq, uint64_t total_term_freq,
                             std::string_view postings, std::string_view positions) {
  FieldEntry& f = fields_.back();
  const bool freqs = f.info.kind == FieldIndexKind::kText;
  const bool with_positions = f.info.has_positions;
  SIFT_ASSERT(f.num_terms == 0 || last_term_ < term);
  const bool block_start = f.num_terms % segfmt::kTermsPerBlock == 0;
  size_t prefix = 0;
  if (block_start) {
    index_buf_.put_varint(terms_buf_.size() - last_block_offset_);
    last_block_offset_ = terms_buf_.size();
    ++block_count_;
  } else {
    size_t max = std::min(term.size(), last_term_.size());
    while (prefix < max && term[prefix] == last_term_[prefix]) ++prefix;
  }
  terms_buf_.put_varint(prefix);
  terms_buf_.put_bytes(term.substr(prefix));
  terms_buf_.put_varint(doc_freq);
  if (freqs) terms_buf_.put_varint(total_term_freq - doc_freq);
  uint64_t post_off = postings_buf_.size();
  terms_buf_.put_varint(block_start ? post_off : post_off - prev_post_off_);
  prev_post_off_ = post_off;
  postings_buf_.put_raw(postings.data(), postings.size());
  if (with_positions) {
    uint64_t pos_off = positions_buf_.size();
    terms_buf_.put_varint(block_start ? pos_off : pos_off - prev_pos_off_);
    prev_pos_off_ = pos_off;
    positions_buf_.put_raw(positions.data(), positions.size());
  }
  last_term_.assign(term);
  f.num_terms++;
  f.info.sum_doc_freq += doc_freq;
  f.info.sum_total_term_freq += freqs ? total_term_freq : doc_freq;
}

void SegmentWriter::set_norms(std::string_view norms) {
  SIFT_ASSERT(norms.size() == max_doc_);
  fields_.back().norms = append_section(norms);
}

void SegmentWriter::set_numeric_doc_values(const std::vector<uint32_t>& ends,
                                           const std::vector<int64_t>& values) {
  SIFT_ASSERT(ends.size() == max_doc_);
  FieldEntry& f = fields_.back();
  ByteWriter offsets, data;
  offsets.put_u32(0);
  uint32_t start = 0;
  for (uint32_t end : ends) {
    for (uint32_t i = start; i < end; ++i) {
      if (i == start) {
        data.put_svarint(values[i]);
      } else {
        data.put_varint(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]));
      }
    }
    offsets.put_u32(static_cast<uint32_t>(data.size()));
    start = end;
  }
  f.dv_type = segfmt::DocValuesType::kNumeric;
  f.dv_ends = append_section(offsets.data());
  f.dv_data = append_section(data.data());
}

void SegmentWriter::set_sorted_set_doc_values(const std::vector<std::string_view>& table,
                                              const std::vector<uint32_t>& ends,
                                              const std::vector<uint32_t>& ords) {
  SIFT_ASSERT(ends.size() == max_doc_);
  FieldEntry& f = fields_.back();
  ByteWriter offsets, data;
  offsets.put_u32(0);
  uint32_t start = 0;
  for (uint32_t end : ends) {
    for (uint32_t i = start; i < end; ++i) data.put_varint(i == start ? ords[i] : ords[i] - ords[i - 1]);
    offsets.put_u32(static_cast<uint32_t>(data.size()));
    start = end;
  }
  f.dv_type = segfmt::DocValuesType::kSortedSet;
  f.dv_ends = append_section(offsets.data());
  f.dv_data = append_section(data.data());
  ByteWriter table_offsets, table_bytes;
  table_offsets.put_u32(0);
  for (std::string_view v : table) {
    table_bytes.put_raw(v.data(), v.size());
    table_offsets.put_u32(static_cast<uint32_t>(table_bytes.size()));
  }
  f.dv_num_values = table.size();
  f.dv_table_offsets = append_section(table_offsets.data());
  f.dv_table_bytes = append_section(table_bytes.data());
}

void SegmentWriter::end_field() {
  SIFT_ASSERT(in_field_);
  in_field_ = false;
  FieldEntry& f = fields_.back();
  ByteWriter index;
  index.put_varint(block_count_);
  index.put_raw(index_buf_.data().data(), index_buf_.size());
  f.terms = append_section(terms_buf_.data());
  f.term_index = append_section(index.data());
  f.postings = append_section(postings_buf_.data());
  f.positions = append_section(positions_buf_.data());
}

void SegmentWriter::add_stored(const DocMeta& meta, std::string_view source) {
  if (stored_raw_.size() == 0) block_first_doc_ = stored_docs_;
  stored_raw_.put_bytes(meta.id);
  stored_raw_.put_bytes(meta.routing);
  stored_raw_.put_svarint(meta.seq_no);
  stored_raw_.put_svarint(meta.primary_term);
  stored_raw_.put_svarint(meta.version);
  stored_raw_.put_bytes(source);
  ++stored_docs_;
  if (stored_raw_.size() >= segfmt::kStoredBlockRawBytes) flush_stored_block();
}

void SegmentWriter::flush_stored_block() {
  if (stored_raw_.size() == 0) return;
  const std::string& raw = stored_raw_.data();
  compress_buf_.resize(ZSTD_compressBound(raw.size()));
  size_t n = ZSTD_compressCCtx(cctx_, compress_buf_.data(), compress_buf_.size(), raw.data(), raw.size(),
                               segfmt::kStoredZstdLevel);
  SIFT_ASSERT(!ZSTD_isError(n));
  stored_index_.put_u32(block_first_doc_);
  stored_index_.put_u64(stored_blocks_.size());
  stored_index_.put_u32(static_cast<uint32_t>(n));
  stored_index_.put_u32(static_cast<uint32_t>(raw.size()));
  stored_blocks_.put_raw(compress_buf_.data(), n);
  ++stored_num_blocks_;
  stored_raw_.clear();
}

std::string SegmentWriter::finish() {
  SIFT_ASSERT(!in_field_);
  SIFT_ASSERT(stored_docs_ == max_doc_);
  flush_stored_block();
  Range stored_index = append_section(stored_index_.data());
  Range stored_blocks = append_section(stored_blocks_.data());

  uint64_t toc_offset = out_.size();
  out_.put_varint(max_doc_);
  out_.put_varint(fields_.size());
  for (const FieldEntry& f : fields_) {
    const FieldInfo& i = f.info;
    out_.put_bytes(i.name);
    out_.put_u8(static_cast<uint8_t>(i.kind));
    out_.put_u8(static_cast<uint8_t>(i.numeric_kind));
    uint8_t flags = (i.has_postings ? segfmt::kFlagPostings : 0) | (i.has_positions ? segfmt::kFlagPositions : 0) |
                    (i.has_norms ? segfmt::kFlagNorms : 0) | (i.has_doc_values ? segfmt::kFlagDocValues : 0);
    out_.put_u8(flags);
    out_.put_varint(i.doc_count);
    out_.put_varint(i.sum_total_term_freq);
    out_.put_varint(i.sum_doc_freq);
    out_.put_varint(f.num_terms);
    segfmt::put_range(out_, f.terms);
    segfmt::put_range(out_, f.term_index);
    segfmt::put_range(out_, f.postings);
    segfmt::put_range(out_, f.positions);
    segfmt::put_range(out_, f.norms);
    out_.put_u8(static_cast<uint8_t>(f.dv_type));
    if (f.dv_type != segfmt::DocValuesType::kNone) {
      segfmt::put_range(out_, f.dv_ends);
      segfmt::put_range(out_, f.dv_data);
    }
    if (f.dv_type == segfmt::DocValuesType::kSortedSet) {
      out_.put_varint(f.dv_num_values);
      segfmt::put_range(out_, f.dv_table_offsets);
      segfmt::put_range(out_, f.dv_table_bytes);
    }
  }
  out_.put_varint(stored_num_blocks_);
  segfmt::put_range(out_, stored_index);
  segfmt::put_range(out_, stored_blocks);

  out_.put_u64(toc_offset);
  out_.put_u32(crc32c(out_.data()));
  out_.put_u32(segfmt::kFooterMagic);
  return out_.take();
}

}  // namespace sift::index
