#include "index/commit_point.h"

#include "common/bytes.h"
#include "common/crc32c.h"

namespace sift::index {
namespace {
constexpr uint32_t kMagic = 0x544d4353;  // "SCMT"
constexpr uint32_t kVersion = 1;
}  // namespace

std::string CommitPoint::serialize() const {
  ByteWriter w;
  w.put_u32(kMagic);
  w.put_u32(kVersion);
  w.put_u64(generation);
  w.put_u64(translog_generation);
  w.put_i64(max_seq_no);
  w.put_u64(segment_counter);
  w.put_varint(segments.size());
  for (const auto& e : segments) {
    w.put_bytes(e.segment);
    w.put_varint(e.live_gen);
  }
  w.put_u32(crc32c(w.data()));
  return w.take();
}

Result<CommitPoint> CommitPoint::parse(std::string_view bytes) {
  if (bytes.size() < 12) return corruption("commit point is truncated");
  uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (crc32c(bytes.data(), bytes.size() - 4) != stored_crc) return corruption("commit point checksum mismatch");
  ByteReader r(bytes.substr(0, bytes.size() - 4));
  if (r.get_u32() != kMagic) return corruption("commit point has a bad magic number");
  uint32_t version = r.get_u32();
  if (version != kVersion) {
    return corruption("commit point format version " + std::to_string(version) + " is not supported");
  }
  CommitPoint c;
  c.generation = r.get_u64();
  c.translog_generation = r.get_u64();
  c.max_seq_no = r.get_i64();
  c.segment_counter = r.get_u64();
  uint64_t n = r.get_varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    Entry e;
    e.segment = std::string(r.get_bytes());
    e.live_gen = r.get_varint();
    c.segments.push_back(std::move(e));
  }
  if (!r.ok() || !r.eof()) return corruption("commit point is malformed");
  return c;
}

}  // namespace sift::index
