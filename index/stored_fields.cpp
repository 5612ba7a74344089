// Stored documents of a v1 segment: zstd blocks of whole records (id, routing, seq_no,
// primary_term, version, source). One decoded block is cached per reader behind a mutex, so
// sequential fetches (merges, scrolls) decompress each block once.
#include <zstd.h>

#include <algorithm>

#include "index/segment_reader_impl.h"

namespace sift::index {

Status SegmentReader::Impl::read_stored(uint32_t doc, StoredDocument* out) const {
  if (doc >= max_doc) {
    return invalid_argument("doc [" + std::to_string(doc) + "] out of range in segment [" + segment_id + "]");
  }
  auto it = std::upper_bound(stored_index.begin(), stored_index.end(), doc,
                             [](uint32_t d, const StoredBlockRef& b) { return d < b.first_doc; });
  const size_t b = static_cast<size_t>(it - stored_index.begin()) - 1;  // block 0 starts at doc 0
  const StoredBlockRef& ref = stored_index[b];
  const uint32_t skip = doc - ref.first_doc;

  std::lock_guard<std::mutex> lock(cache_mu);
  if (cache_block != static_cast<int64_t>(b)) {
    cache_block = -1;
    const char* src = stored_blocks.data() + ref.offset;
    if (ZSTD_getFrameContentSize(src, ref.compressed) != ref.raw) {
      return corrupt("stored fields block " + std::to_string(b) + " has a bad frame header");
    }
    cache_raw.resize(ref.raw);
    size_t n = ZSTD_decompressDCtx(dctx, cache_raw.data(), cache_raw.size(), src, ref.compressed);
    if (ZSTD_isError(n) || n != ref.raw) return corrupt("stored fields block " + std::to_string(b) + " unreadable");
    cache_block = static_cast<int64_t>(b);
  }
  ByteReader r(cache_raw);
  for (uint32_t i = 0;; ++i) {
    std::string_view id = r.get_bytes();
    std::string_view routing = r.get_bytes();
    int64_t seq_no = r.get_svarint();
    int64_t primary_term = r.get_svarint();
    int64_t version = r.get_svarint();
    std::string_view source = r.get_bytes();
    if (!r.ok()) return corrupt("stored document [" + std::to_string(doc) + "] unreadable");
    if (i == skip) {
      out->meta.id.assign(id);
      out->meta.routing.assign(routing);
      out->meta.seq_no = seq_no;
      out->meta.primary_term = primary_term;
      out->meta.version = version;
      out->source.assign(source);
      return Status::ok();
    }
  }
}

Status SegmentReader::stored(uint32_t doc, StoredDocument* out) const { return impl_->read_stored(doc, out); }

std::optional<uint32_t> SegmentReader::find_id(std::string_view id) const {
  PostingsIterator it = postings(segfmt::kIdField, id);
  std::optional<uint32_t> last;
  for (uint32_t d = it.next(); d != kNoMoreDocs; d = it.next()) last = d;
  return last;
}

}  // namespace sift::index
