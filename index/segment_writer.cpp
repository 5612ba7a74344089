#include "index/segment_writer.h"

#include <zstd.h>

#include <algorithm>

#include "common/crc32c.h"
#include "index/postings_format.h"

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
  norms_.clear();
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
  if (doc_freq < postfmt::kBlockSize) {
    postings_buf_.put_raw(postings.data(), postings.size());  // a short term is all tail
  } else {
    encode_postings(f, postings, with_positions ? positions : std::string_view());
  }
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

void SegmentWriter::encode_postings(const FieldEntry& f, std::string_view v1, std::string_view positions) {
  const bool freqs = f.info.kind == FieldIndexKind::kText;
  const bool has_norms = f.info.has_norms;
  SIFT_ASSERT(!has_norms || norms_.size() == max_doc_);
  // Decode the compact form (input from our own builder or merger, so it is well formed).
  docs_.clear();
  freqs_.clear();
  const char* p = v1.data();
  const char* end = p + v1.size();
  uint64_t prev = 0;
  while (p < end) {
    uint64_t v = 0, freq = 1;
    bool ok = segfmt::read_varint(p, end, &v);
    uint64_t gap = v;
    if (ok && freqs) {
      gap = v >> 1;
      if (!(v & 1)) ok = segfmt::read_varint(p, end, &freq);
    }
    SIFT_ASSERT(ok);
    uint64_t doc = docs_.empty() ? gap : prev + 1 + gap;
    docs_.push_back(static_cast<uint32_t>(doc));
    freqs_.push_back(static_cast<uint32_t>(freq));
    prev = doc;
  }
  const size_t n = docs_.size();
  pos_ends_.clear();
  if (!positions.empty()) {
    // Each doc has `freq` varints; a varint ends at a byte without the continuation bit.
    size_t at = 0;
    for (size_t i = 0; i < n; ++i) {
      for (uint32_t k = 0; k < freqs_[i]; ++k) {
        while (at < positions.size() && (static_cast<uint8_t>(positions[at]) & 0x80)) ++at;
        ++at;
      }
      pos_ends_.push_back(at);
    }
  }
  auto norm_of = [&](uint32_t doc) -> uint8_t { return has_norms ? static_cast<uint8_t>(norms_[doc]) : 1; };

  const size_t num_blocks = (n + postfmt::kBlockSize - 1) / postfmt::kBlockSize;
  const size_t full_blocks = n / postfmt::kBlockSize;
  postfmt::ImpactAccumulator term_impacts, block_impacts;
  skip_buf_.clear();
  impacts_buf_.clear();
  blocks_buf_.clear();
  uint32_t deltas[postfmt::kBlockSize];
  for (size_t b = 0; b < num_blocks; ++b) {
    const size_t first = b * postfmt::kBlockSize;
    const size_t last = std::min(n, first + postfmt::kBlockSize);
    for (size_t i = first; i < last; ++i) {
      if (freqs) {
        term_impacts.add(freqs_[i], norm_of(docs_[i]));
        block_impacts.add(freqs_[i], norm_of(docs_[i]));
      }
    }
    if (b < full_blocks) {
      uint32_t max_delta = 0, max_freq = 0;
      for (size_t i = first; i < last; ++i) {
        uint32_t d = i == 0 ? docs_[0] : docs_[i] - docs_[i - 1] - 1;
        deltas[i - first] = d;
        max_delta |= d;
        max_freq |= freqs_[i] - 1;
      }
      uint32_t bits = postfmt::bits_needed(max_delta);
      blocks_buf_.put_u8(static_cast<uint8_t>(bits));
      postfmt::pack128(deltas, bits, blocks_buf_);
      if (freqs) {
        for (size_t i = first; i < last; ++i) deltas[i - first] = freqs_[i] - 1;
        uint32_t fbits = postfmt::bits_needed(max_freq);
        blocks_buf_.put_u8(static_cast<uint8_t>(fbits));
        postfmt::pack128(deltas, fbits, blocks_buf_);
      }
    } else {
      // The tail (< 128 docs): the compact varint form, gaps continuing from the last block.
      for (size_t i = first; i < last; ++i) {
        segfmt::put_posting(blocks_buf_, freqs, docs_[i] - docs_[i - 1] - 1, freqs_[i]);
      }
    }
    if (freqs) block_impacts.write_and_reset(impacts_buf_);
    skip_buf_.put_u32(docs_[last - 1]);
    skip_buf_.put_u32(static_cast<uint32_t>(blocks_buf_.size()));
    skip_buf_.put_u32(static_cast<uint32_t>(impacts_buf_.size()));
    skip_buf_.put_u64(pos_ends_.empty() ? 0 : pos_ends_[last - 1]);
  }
  SIFT_ASSERT(blocks_buf_.size() <= UINT32_MAX && impacts_buf_.size() <= UINT32_MAX);
  if (freqs) term_impacts.write_and_reset(postings_buf_);
  postings_buf_.put_raw(skip_buf_.data().data(), skip_buf_.size());
  postings_buf_.put_raw(impacts_buf_.data().data(), impacts_buf_.size());
  postings_buf_.put_raw(blocks_buf_.data().data(), blocks_buf_.size());
}

void SegmentWriter::set_norms(std::string_view norms) {
  SIFT_ASSERT(norms.size() == max_doc_);
  SIFT_ASSERT(fields_.back().num_terms == 0);  // before the terms: their impacts read the norms
  fields_.back().norms = append_section(norms);
  norms_.assign(norms);
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

void SegmentWriter::set_points(const PointsWriter& points) {
  if (points.num_points() == 0) return;
  FieldEntry& f = fields_.back();
  SIFT_ASSERT(f.info.kind == FieldIndexKind::kNumeric);
  f.info.has_points = true;
  f.num_points = points.num_points();
  f.points_index = append_section(points.index());
  f.points_data = append_section(points.data());
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
  norms_.clear();
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
                    (i.has_norms ? segfmt::kFlagNorms : 0) | (i.has_doc_values ? segfmt::kFlagDocValues : 0) |
                    (f.num_points > 0 ? segfmt::kFlagPoints : 0);
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
    if (f.num_points > 0) {
      out_.put_varint(f.num_points);
      segfmt::put_range(out_, f.points_index);
      segfmt::put_range(out_, f.points_data);
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
