// LiveDocs: the deleted documents of one segment, as a CRoaring bitmap. A reader snapshot holds
// an immutable LiveDocs; the engine copies it on write when a delete arrives. Serialized per commit
// generation as `<segment>_<gen>.liv` with a header and a checksum footer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::index {

class LiveDocs {
 public:
  LiveDocs();
  ~LiveDocs();
  LiveDocs(const LiveDocs& other);
  LiveDocs& operator=(const LiveDocs& other);
  LiveDocs(LiveDocs&&) noexcept;
  LiveDocs& operator=(LiveDocs&&) noexcept;

  bool is_deleted(uint32_t doc) const;
  bool is_live(uint32_t doc) const { return !is_deleted(doc); }
  void mark_deleted(uint32_t doc);
  void mark_all_deleted(const LiveDocs& other);  // every doc `other` has deleted
  uint64_t num_deleted() const;
  bool empty() const { return num_deleted() == 0; }

  // File bytes: header, portable roaring bitmap, checksum footer.
  std::string serialize() const;
  static Result<LiveDocs> deserialize(std::string_view bytes);

 private:
  void* bitmap_;  // roaring_bitmap_t*, kept out of the header
};

}  // namespace sift::index
