#include "index/live_docs.h"

#include <roaring/roaring.h>

#include <cstring>
#include <utility>

#include "common/bytes.h"
#include "common/crc32c.h"

namespace sift::index {
namespace {

// Layout (docs/formats/live_docs.md): u32 magic, varint-prefixed format name, u32 version,
// u64 bitmap length, portable roaring bitmap, u32 CRC-32C of every byte before it.
constexpr uint32_t kMagic = 0x54464953;  // "SIFT" in file byte order
constexpr std::string_view kFormatName = "livedocs";
constexpr uint32_t kVersion = 1;
constexpr size_t kFooterSize = 4;

roaring_bitmap_t* bm(void* p) { return static_cast<roaring_bitmap_t*>(p); }

Status corrupt(const std::string& why) {
  return corruption("live docs are corrupted: " + why);
}

}  // namespace

LiveDocs::LiveDocs() : bitmap_(roaring_bitmap_create()) {}

LiveDocs::~LiveDocs() {
  if (bitmap_ != nullptr) roaring_bitmap_free(bm(bitmap_));
}

// A snapshot must never see a later delete made on its copy, hence the deep copy.
LiveDocs::LiveDocs(const LiveDocs& other)
    : bitmap_(other.bitmap_ != nullptr ? roaring_bitmap_copy(bm(other.bitmap_)) : nullptr) {}

LiveDocs& LiveDocs::operator=(const LiveDocs& other) {
  if (this == &other) return *this;
  LiveDocs tmp(other);
  std::swap(bitmap_, tmp.bitmap_);
  return *this;
}

// The moved-from object holds no bitmap; every method treats that as "nothing deleted".
LiveDocs::LiveDocs(LiveDocs&& other) noexcept : bitmap_(std::exchange(other.bitmap_, nullptr)) {}

LiveDocs& LiveDocs::operator=(LiveDocs&& other) noexcept {
  if (this != &other) std::swap(bitmap_, other.bitmap_);
  return *this;
}

bool LiveDocs::is_deleted(uint32_t doc) const {
  return bitmap_ != nullptr && roaring_bitmap_contains(bm(bitmap_), doc);
}

void LiveDocs::mark_deleted(uint32_t doc) {
  if (bitmap_ == nullptr) bitmap_ = roaring_bitmap_create();
  roaring_bitmap_add(bm(bitmap_), doc);
}

void LiveDocs::mark_all_deleted(const LiveDocs& other) {
  if (other.bitmap_ == nullptr) return;
  if (bitmap_ == nullptr) bitmap_ = roaring_bitmap_create();
  roaring_bitmap_or_inplace(bm(bitmap_), bm(other.bitmap_));
}

uint64_t LiveDocs::num_deleted() const {
  return bitmap_ == nullptr ? 0 : roaring_bitmap_get_cardinality(bm(bitmap_));
}

std::string LiveDocs::serialize() const {
  // A moved-from object serializes as an empty bitmap.
  roaring_bitmap_t* empty = bitmap_ == nullptr ? roaring_bitmap_create() : nullptr;
  const roaring_bitmap_t* src = empty != nullptr ? empty : bm(bitmap_);
  SIFT_ASSERT(src != nullptr);
  // No run_optimize here: it mutates containers that concurrent readers of a snapshot may be using.
  ByteWriter w;
  w.put_u32(kMagic);
  w.put_bytes(kFormatName);
  w.put_u32(kVersion);
  size_t n = roaring_bitmap_portable_size_in_bytes(src);
  w.put_u64(n);
  size_t at = w.size();
  w.mutable_data().resize(at + n);
  size_t written = roaring_bitmap_portable_serialize(src, w.mutable_data().data() + at);
  if (empty != nullptr) roaring_bitmap_free(empty);
  SIFT_ASSERT(written == n);
  w.put_u32(crc32c(w.data()));
  return w.take();
}

Result<LiveDocs> LiveDocs::deserialize(std::string_view bytes) {
  if (bytes.size() < kFooterSize) return corrupt("file is too short (" + std::to_string(bytes.size()) + " bytes)");
  std::string_view body = bytes.substr(0, bytes.size() - kFooterSize);
  ByteReader r(body);
  if (r.get_u32() != kMagic || !r.ok()) return corrupt("bad magic");
  if (r.get_bytes() != kFormatName || !r.ok()) return corrupt("format name is not [livedocs]");
  uint32_t version = r.get_u32();
  if (!r.ok()) return corrupt("truncated header");
  if (version != kVersion) {
    return corrupt("unsupported format version " + std::to_string(version) + " (supported: 1)");
  }
  uint64_t len = r.get_u64();
  if (!r.ok() || len != r.remaining()) {
    return corrupt("bitmap length " + std::to_string(len) + " does not match the " +
                   std::to_string(r.remaining()) + " bytes present");
  }
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + body.size(), kFooterSize);
  if (crc32c(body) != stored_crc) return corrupt("checksum mismatch");

  std::string_view bitmap_bytes = r.get_view(static_cast<size_t>(len));
  roaring_bitmap_t* b = roaring_bitmap_portable_deserialize_safe(bitmap_bytes.data(), bitmap_bytes.size());
  if (b == nullptr) return corrupt("bitmap bytes are unreadable");
  // A valid checksum over a bitmap that does not fill its length means a writer bug; refuse it.
  if (roaring_bitmap_portable_size_in_bytes(b) != bitmap_bytes.size()) {
    roaring_bitmap_free(b);
    return corrupt("bitmap does not fill its declared length");
  }
  LiveDocs out;
  roaring_bitmap_free(bm(out.bitmap_));
  out.bitmap_ = b;
  return out;
}

}  // namespace sift::index
