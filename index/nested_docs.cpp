// The nested documents of a segment: every doc with a _nested_path term. A document block is its
// nested documents followed by the root (SegmentBuilder::add), so a root's block starts after the
// previous doc that is not nested.
#include "index/segment_format.h"
#include "index/segment_reader_impl.h"

namespace sift::index {

void SegmentReader::load_nested() {
  const FieldInfo* f = field(segfmt::kNestedPathField);
  if (f == nullptr || f->doc_count == 0) return;
  auto docs = std::make_shared<LiveDocs>();
  for (const std::string& path : terms_from(segfmt::kNestedPathField, "", SIZE_MAX)) {
    auto it = postings(segfmt::kNestedPathField, path);
    for (uint32_t d = it.next(); d != kNoMoreDocs; d = it.next()) docs->mark_deleted(d);
  }
  if (!docs->empty()) impl_->nested_docs = std::move(docs);
}

const std::shared_ptr<const LiveDocs>& SegmentReader::nested_docs() const { return impl_->nested_docs; }

uint32_t SegmentReader::block_start(uint32_t root) const {
  const LiveDocs* nested = impl_->nested_docs.get();
  if (nested == nullptr) return root;
  uint32_t d = root;
  while (d > 0 && nested->is_deleted(d - 1)) --d;
  return d;
}

}  // namespace sift::index
