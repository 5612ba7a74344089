// SegmentReader: opens a v3 segment (header, footer checksum, table of contents), validates every
// section range against the file, and serves the terms dictionary, postings, norms and doc values.
// Stored documents are in stored_fields.cpp.
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "common/crc32c.h"
#include "index/segment_reader_impl.h"

namespace sift::index {

using segfmt::DocValuesType;

SegmentReader::Impl::~Impl() { ZSTD_freeDCtx(dctx); }

Status SegmentReader::Impl::corrupt(std::string_view what) const {
  return corruption("segment [" + (segment_id.empty() ? std::string("?") : segment_id) + "] " + std::string(what));
}

bool SegmentReader::Impl::range(ByteReader& r, std::string_view* out) const {
  segfmt::Range rg = segfmt::get_range(r);
  if (!r.ok()) return false;
  if (rg.length == 0) {  // absent sections are written as {0, 0}
    *out = std::string_view();
    return rg.offset <= toc_offset;
  }
  if (rg.offset < header_end || rg.length > toc_offset || rg.offset > toc_offset - rg.length) return false;
  *out = data.substr(rg.offset, rg.length);
  return true;
}

Status SegmentReader::Impl::parse_header() {
  if (data.size() < sizeof(segfmt::kMagic) + segfmt::kFooterSize) return corrupt("file too short");
  if (std::memcmp(data.data(), segfmt::kMagic, sizeof(segfmt::kMagic)) != 0) {
    return corrupt("not a sift segment file (bad magic)");
  }
  ByteReader r(data);
  r.seek(sizeof(segfmt::kMagic));
  std::string_view name = r.get_bytes();
  uint32_t version = r.get_u32();
  std::string_view id = r.get_bytes();
  if (!r.ok() || name != segfmt::kFormatName) return corrupt("bad format name in header");
  if (version < segfmt::kMinVersion) {
    return corrupt("format too old: version " + std::to_string(version) + ", supported " +
                   std::to_string(segfmt::kMinVersion) + ".." + std::to_string(segfmt::kVersion));
  }
  if (version > segfmt::kVersion) {
    return corrupt("format too new: version " + std::to_string(version) + ", supported " +
                   std::to_string(segfmt::kMinVersion) + ".." + std::to_string(segfmt::kVersion));
  }
  segment_id.assign(id);
  header_end = r.position();

  const char* footer = data.data() + data.size() - segfmt::kFooterSize;
  if (segfmt::load_u32(footer + 12) != segfmt::kFooterMagic) return corrupt("bad footer magic (truncated?)");
  uint32_t expected = segfmt::load_u32(footer + 8);
  uint32_t actual = crc32c(data.data(), data.size() - 8);
  if (expected != actual) return corrupt("checksum mismatch");
  toc_offset = segfmt::load_u64(footer);
  if (toc_offset < header_end || toc_offset > data.size() - segfmt::kFooterSize) {
    return corrupt("bad table of contents offset");
  }
  return Status::ok();
}

Status SegmentReader::Impl::parse_field(ByteReader& r) {
  FieldInfo info;
  FieldData fd;
  info.name.assign(r.get_bytes());
  uint8_t kind = r.get_u8();
  uint8_t numeric_kind = r.get_u8();
  uint8_t flags = r.get_u8();
  uint64_t doc_count = r.get_varint();
  info.sum_total_term_freq = r.get_varint();
  info.sum_doc_freq = r.get_varint();
  fd.num_terms = r.get_varint();
  std::string_view term_index;
  bool ranges = range(r, &fd.terms) && range(r, &term_index) && range(r, &fd.postings) &&
                range(r, &fd.positions) && range(r, &fd.norms);
  uint8_t dv_type = r.get_u8();
  if (ranges && dv_type != 0) ranges = range(r, &fd.dv_ends) && range(r, &fd.dv_data);
  if (ranges && dv_type == static_cast<uint8_t>(DocValuesType::kSortedSet)) {
    fd.dv_num_values = r.get_varint();
    ranges = range(r, &fd.dv_table_offsets) && range(r, &fd.dv_table_bytes);
  }
  uint64_t num_points = 0;
  std::string_view points_index, points_data;
  if (ranges && (flags & segfmt::kFlagPoints)) {
    num_points = r.get_varint();
    ranges = range(r, &points_index) && range(r, &points_data);
  }
  if (!r.ok() || !ranges) return corrupt("bad field table entry");
  if (kind < 1 || kind > 3 || numeric_kind > 3 || dv_type > 2 || flags > 31 || doc_count > max_doc ||
      ((flags & segfmt::kFlagPoints) && kind != static_cast<uint8_t>(FieldIndexKind::kNumeric))) {
    return corrupt("bad field info for [" + info.name + "]");
  }
  if (flags & segfmt::kFlagPoints) {
    auto points = PointValues::open(points_index, points_data, num_points, max_doc);
    if (!points.is_ok()) return corrupt(points.status().reason() + " for [" + info.name + "]");
    fd.points = *points;
  }
  if (!infos.empty() && infos.back().name >= info.name) return corrupt("field table not sorted");
  info.kind = static_cast<FieldIndexKind>(kind);
  info.numeric_kind = static_cast<NumericKind>(numeric_kind);
  info.has_postings = flags & segfmt::kFlagPostings;
  info.has_positions = flags & segfmt::kFlagPositions;
  info.has_norms = flags & segfmt::kFlagNorms;
  info.has_doc_values = flags & segfmt::kFlagDocValues;
  info.has_points = flags & segfmt::kFlagPoints;
  info.doc_count = static_cast<uint32_t>(doc_count);
  fd.has_freqs = info.kind == FieldIndexKind::kText;
  fd.has_positions = info.has_positions;
  fd.dv_type = static_cast<DocValuesType>(dv_type);

  if (fd.norms.size() != (info.has_norms ? max_doc : 0)) return corrupt("bad norms length for [" + info.name + "]");
  if (fd.dv_type != DocValuesType::kNone && fd.dv_ends.size() != 4 * (static_cast<uint64_t>(max_doc) + 1)) {
    return corrupt("bad doc values length for [" + info.name + "]");
  }
  if (fd.dv_type == DocValuesType::kSortedSet &&
      (fd.dv_num_values > fd.dv_table_offsets.size() || fd.dv_table_offsets.size() != 4 * (fd.dv_num_values + 1))) {
    return corrupt("bad doc values table for [" + info.name + "]");
  }

  // Terms-block index: each block starts with a full term (prefix 0).
  ByteReader ir(term_index);
  uint64_t num_blocks = ir.get_varint();
  if (!ir.ok() || fd.num_terms > fd.terms.size() ||
      num_blocks != (fd.num_terms + segfmt::kTermsPerBlock - 1) / segfmt::kTermsPerBlock) {
    return corrupt("bad terms index for [" + info.name + "]");
  }
  fd.blocks.reserve(num_blocks);
  uint64_t off = 0;
  for (uint64_t b = 0; b < num_blocks; ++b) {
    uint64_t delta = ir.get_varint();
    off += delta;
    if (!ir.ok() || (b == 0) != (delta == 0) || off >= fd.terms.size()) {
      return corrupt("bad terms block offset for [" + info.name + "]");
    }
    ByteReader tr(fd.terms.substr(off));
    uint64_t prefix = tr.get_varint();
    std::string_view first = tr.get_bytes();
    if (!tr.ok() || prefix != 0 || (!fd.blocks.empty() && fd.blocks.back().first_term >= first)) {
      return corrupt("bad terms block for [" + info.name + "]");
    }
    fd.blocks.push_back({first, off});
  }
  if (!ir.eof()) return corrupt("trailing bytes in terms index for [" + info.name + "]");
  infos.push_back(std::move(info));
  fields.push_back(std::move(fd));
  return Status::ok();
}

Status SegmentReader::Impl::parse_stored(ByteReader& r) {
  uint64_t num_blocks = r.get_varint();
  std::string_view index;
  if (!r.ok() || !range(r, &index) || !range(r, &stored_blocks)) return corrupt("bad stored fields entry");
  if (num_blocks > index.size() / segfmt::kStoredIndexEntryBytes ||
      index.size() != num_blocks * segfmt::kStoredIndexEntryBytes || (num_blocks == 0) != (max_doc == 0)) {
    return corrupt("bad stored fields index length");
  }
  stored_index.reserve(num_blocks);
  for (uint64_t b = 0; b < num_blocks; ++b) {
    const char* p = index.data() + b * segfmt::kStoredIndexEntryBytes;
    StoredBlockRef ref{segfmt::load_u32(p), segfmt::load_u64(p + 4), segfmt::load_u32(p + 12),
                       segfmt::load_u32(p + 16)};
    bool first_ok = b == 0 ? ref.first_doc == 0 : ref.first_doc > stored_index.back().first_doc;
    if (!first_ok || ref.first_doc >= max_doc || ref.offset > stored_blocks.size() ||
        ref.compressed > stored_blocks.size() - ref.offset || ref.raw > segfmt::kMaxStoredBlockRaw) {
      return corrupt("bad stored fields block " + std::to_string(b));
    }
    stored_index.push_back(ref);
  }
  return Status::ok();
}

Status SegmentReader::Impl::parse() {
  SIFT_RETURN_IF_ERROR(parse_header());
  ByteReader r(data.substr(toc_offset, data.size() - segfmt::kFooterSize - toc_offset));
  uint64_t docs = r.get_varint();
  uint64_t num_fields = r.get_varint();
  if (!r.ok() || docs >= kNoMoreDocs || num_fields > r.remaining()) return corrupt("bad table of contents");
  max_doc = static_cast<uint32_t>(docs);
  for (uint64_t i = 0; i < num_fields; ++i) SIFT_RETURN_IF_ERROR(parse_field(r));
  SIFT_RETURN_IF_ERROR(parse_stored(r));
  if (!r.ok() || !r.eof()) return corrupt("bad table of contents length");
  dctx = ZSTD_createDCtx();
  if (dctx == nullptr) return internal_error("cannot allocate a zstd context");
  return Status::ok();
}

SegmentReader::SegmentReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { load_nested(); }
SegmentReader::~SegmentReader() = default;

Result<std::shared_ptr<SegmentReader>> SegmentReader::open(std::shared_ptr<const MappedFile> file) {
  if (file == nullptr) return invalid_argument("no segment file to open");
  auto impl = std::make_unique<Impl>();
  impl->data = file->data();
  impl->file = std::move(file);
  Status st = impl->parse();
  if (!st.is_ok()) return st;
  return std::shared_ptr<SegmentReader>(new SegmentReader(std::move(impl)));
}

Result<std::shared_ptr<SegmentReader>> SegmentReader::open_bytes(std::string bytes) {
  auto impl = std::make_unique<Impl>();
  impl->owned = std::move(bytes);
  impl->data = impl->owned;
  Status st = impl->parse();
  if (!st.is_ok()) return st;
  return std::shared_ptr<SegmentReader>(new SegmentReader(std::move(impl)));
}

const std::string& SegmentReader::segment_id() const { return impl_->segment_id; }
uint32_t SegmentReader::max_doc() const { return impl_->max_doc; }
uint64_t SegmentReader::size_bytes() const { return impl_->data.size(); }
const std::vector<FieldInfo>& SegmentReader::fields() const { return impl_->infos; }

int SegmentReader::Impl::find_field(std::string_view name) const {
  auto it = std::lower_bound(infos.begin(), infos.end(), name,
                             [](const FieldInfo& f, std::string_view n) { return f.name < n; });
  if (it == infos.end() || it->name != name) return -1;
  return static_cast<int>(it - infos.begin());
}

const FieldInfo* SegmentReader::field(std::string_view name) const {
  int i = impl_->find_field(name);
  return i < 0 ? nullptr : &impl_->infos[static_cast<size_t>(i)];
}

bool TermBlockScanner::next(TermEntry* e) {
  if (r_.eof()) return false;
  uint64_t prefix = r_.get_varint();
  std::string_view suffix = r_.get_bytes();
  uint64_t doc_freq = r_.get_varint();
  uint64_t ttf = field_.has_freqs ? doc_freq + r_.get_varint() : doc_freq;
  uint64_t post = r_.get_varint();
  uint64_t pos = field_.has_positions ? r_.get_varint() : 0;
  if (!r_.ok() || prefix > term_.size() || doc_freq > UINT32_MAX || (first_ && prefix != 0)) return false;
  post_ = first_ ? post : post_ + post;
  pos_ = first_ ? pos : pos_ + pos;
  first_ = false;
  term_.resize(prefix);
  term_.append(suffix);
  e->doc_freq = static_cast<uint32_t>(doc_freq);
  e->total_term_freq = ttf;
  e->postings_offset = post_;
  e->positions_offset = pos_;
  return true;
}

bool SegmentReader::Impl::seek_term(const FieldData& f, std::string_view term, TermEntry* e) const {
  auto it = std::upper_bound(f.blocks.begin(), f.blocks.end(), term,
                             [](std::string_view t, const TermBlockRef& b) { return t < b.first_term; });
  if (it == f.blocks.begin()) return false;
  TermBlockScanner scan(f, f.block_bytes(static_cast<size_t>(it - f.blocks.begin() - 1)));
  while (scan.next(e)) {
    int c = scan.term().compare(term);
    if (c == 0) return true;
    if (c > 0) return false;
  }
  return false;
}

std::optional<TermStats> SegmentReader::term_stats(std::string_view field, std::string_view term) const {
  int fi = impl_->find_field(field);
  TermEntry e;
  if (fi < 0 || !impl_->seek_term(impl_->fields[static_cast<size_t>(fi)], term, &e)) return std::nullopt;
  return TermStats{e.doc_freq, e.total_term_freq};
}

PostingsIterator SegmentReader::postings(std::string_view field, std::string_view term) const {
  PostingsIterator it;
  int fi = impl_->find_field(field);
  if (fi < 0) return it;
  const FieldData& f = impl_->fields[static_cast<size_t>(fi)];
  TermEntry e;
  if (!impl_->seek_term(f, term, &e) || e.postings_offset > f.postings.size()) return it;
  it.doc_freq_ = e.doc_freq;
  it.max_doc_ = impl_->max_doc;
  it.has_freqs_ = f.has_freqs;
  it.norms_ = f.norms.size() == impl_->max_doc && impl_->max_doc > 0
                  ? reinterpret_cast<const uint8_t*>(f.norms.data())
                  : nullptr;
  if (f.has_positions && e.positions_offset <= f.positions.size()) {
    it.has_positions_ = true;
    it.pos_start_ = f.positions.data() + e.positions_offset;
    it.pos_end_ = f.positions.data() + f.positions.size();
  }
  if (!it.init(f.postings.data() + e.postings_offset, f.postings.data() + f.postings.size())) {
    it.doc_freq_ = 0;  // a malformed layout reads as no docs (the checksum makes it a tamper case)
  }
  return it;
}

std::vector<std::string> SegmentReader::terms_from(std::string_view field, std::string_view from,
                                                   size_t limit) const {
  std::vector<std::string> out;
  int fi = impl_->find_field(field);
  if (fi < 0 || limit == 0) return out;
  const FieldData& f = impl_->fields[static_cast<size_t>(fi)];
  auto it = std::upper_bound(f.blocks.begin(), f.blocks.end(), from,
                             [](std::string_view t, const TermBlockRef& b) { return t < b.first_term; });
  size_t b = it == f.blocks.begin() ? 0 : static_cast<size_t>(it - f.blocks.begin() - 1);
  TermEntry e;
  for (; b < f.blocks.size(); ++b) {
    TermBlockScanner scan(f, f.block_bytes(b));
    while (scan.next(&e)) {
      if (scan.term() < from) continue;
      out.push_back(scan.term());
      if (out.size() >= limit) return out;
    }
  }
  return out;
}

uint8_t SegmentReader::norm(std::string_view field, uint32_t doc) const {
  int fi = impl_->find_field(field);
  if (fi < 0 || doc >= impl_->max_doc) return 0;
  const FieldData& f = impl_->fields[static_cast<size_t>(fi)];
  return f.norms.size() == impl_->max_doc ? static_cast<uint8_t>(f.norms[doc]) : 0;
}

const uint8_t* SegmentReader::norms(std::string_view field) const {
  int fi = impl_->find_field(field);
  if (fi < 0 || impl_->max_doc == 0) return nullptr;
  const FieldData& f = impl_->fields[static_cast<size_t>(fi)];
  return f.norms.size() == impl_->max_doc ? reinterpret_cast<const uint8_t*>(f.norms.data()) : nullptr;
}

namespace {

// The doc's slice of a dense-ends doc values column; empty when absent or malformed.
std::string_view doc_slice(const FieldData& f, uint32_t doc) {
  uint32_t start = segfmt::load_u32(f.dv_ends.data() + 4 * static_cast<size_t>(doc));
  uint32_t end = segfmt::load_u32(f.dv_ends.data() + 4 * (static_cast<size_t>(doc) + 1));
  if (start > end || end > f.dv_data.size()) return {};
  return f.dv_data.substr(start, end - start);
}

}  // namespace

void SegmentReader::numeric_values(std::string_view field, uint32_t doc, std::vector<int64_t>* out) const {
  out->clear();
  int fi = impl_->find_field(field);
  if (fi < 0 || doc >= impl_->max_doc) return;
  const FieldData& f = impl_->fields[static_cast<size_t>(fi)];
  if (f.dv_type != DocValuesType::kNumeric) return;
  ByteReader r(doc_slice(f, doc));
  if (r.eof()) return;
  uint64_t v = static_cast<uint64_t>(r.get_svarint());
  if (!r.ok()) return;
  out->push_back(static_cast<int64_t>(v));
  while (!r.eof()) {
    v += r.get_varint();
    if (!r.ok()) return;
    out->push_back(static_cast<int64_t>(v));
  }
}

PointValues SegmentReader::points(std::string_view field) const {
  int fi = impl_->find_field(field);
  return fi < 0 ? PointValues() : impl_->fields[static_cast<size_t>(fi)].points;
}

void SegmentReader::term_values(std::string_view field, uint32_t doc, std::vector<std::string>* out) const {
  out->clear();
  int fi = impl_->find_field(field);
  if (fi < 0 || doc >= impl_->max_doc) return;
  const FieldData& f = impl_->fields[static_cast<size_t>(fi)];
  if (f.dv_type != DocValuesType::kSortedSet) return;
  ByteReader r(doc_slice(f, doc));
  uint64_t ord = 0;
  for (bool first = true; !r.eof(); first = false) {
    uint64_t v = r.get_varint();
    ord = first ? v : ord + v;
    if (!r.ok() || ord >= f.dv_num_values) return;
    uint32_t start = segfmt::load_u32(f.dv_table_offsets.data() + 4 * ord);
    uint32_t end = segfmt::load_u32(f.dv_table_offsets.data() + 4 * (ord + 1));
    if (start > end || end > f.dv_table_bytes.size()) return;
    out->emplace_back(f.dv_table_bytes.substr(start, end - start));
  }
}

}  // namespace sift::index
