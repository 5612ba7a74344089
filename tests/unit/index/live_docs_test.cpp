#include "index/live_docs.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <utility>

#include "common/crc32c.h"

using sift::Code;
using sift::index::LiveDocs;

namespace {

LiveDocs make_docs() {
  LiveDocs d;
  for (uint32_t doc : {0u, 3u, 7u, 100000u, 4294967295u}) d.mark_deleted(doc);
  // A dense run too, so the bitmap holds more than one container kind.
  for (uint32_t doc = 200000; doc < 210000; ++doc) d.mark_deleted(doc);
  return d;
}

}  // namespace

TEST_CASE("live docs mark, query and count deletes", "[live_docs]") {
  LiveDocs d;
  CHECK(d.empty());
  CHECK(d.is_live(5));
  d.mark_deleted(5);
  d.mark_deleted(5);
  CHECK(d.is_deleted(5));
  CHECK_FALSE(d.is_live(5));
  CHECK(d.is_live(4));
  CHECK(d.num_deleted() == 1);
  CHECK_FALSE(d.empty());
}

TEST_CASE("live docs serialize round trip", "[live_docs]") {
  LiveDocs d = make_docs();
  std::string bytes = d.serialize();
  auto back = LiveDocs::deserialize(bytes);
  REQUIRE(back.is_ok());
  CHECK(back->num_deleted() == d.num_deleted());
  for (uint32_t doc : {0u, 3u, 7u, 100000u, 4294967295u, 200000u, 209999u}) CHECK(back->is_deleted(doc));
  for (uint32_t doc : {1u, 8u, 99999u, 199999u, 210000u}) CHECK(back->is_live(doc));
  // Serialization is deterministic, so the copy serializes to the same bytes.
  CHECK(back->serialize() == bytes);

  auto empty = LiveDocs::deserialize(LiveDocs().serialize());
  REQUIRE(empty.is_ok());
  CHECK(empty->empty());
}

TEST_CASE("live docs copies are independent", "[live_docs]") {
  LiveDocs a = make_docs();
  LiveDocs b(a);
  b.mark_deleted(42);
  CHECK(b.is_deleted(42));
  CHECK(a.is_live(42));

  LiveDocs c;
  c = a;
  a.mark_deleted(43);
  CHECK(c.is_live(43));
  CHECK(c.num_deleted() == b.num_deleted() - 1);

  LiveDocs& same = c;
  c = same;  // self-assignment keeps the contents
  CHECK(c.is_deleted(3));
}

TEST_CASE("live docs moves steal the bitmap", "[live_docs]") {
  LiveDocs a = make_docs();
  uint64_t n = a.num_deleted();
  LiveDocs b(std::move(a));
  CHECK(b.num_deleted() == n);
  LiveDocs c;
  c.mark_deleted(1);
  c = std::move(b);
  CHECK(c.num_deleted() == n);
  CHECK(c.is_live(1));
  // A moved-from object stays usable.
  LiveDocs fresh;
  fresh = std::move(c);
  c.mark_deleted(9);
  CHECK(c.is_deleted(9));
  auto round = LiveDocs::deserialize(LiveDocs(std::move(fresh)).serialize());
  REQUIRE(round.is_ok());
  CHECK(round->num_deleted() == n);
}

TEST_CASE("live docs reject every flipped byte", "[live_docs]") {
  std::string bytes = make_docs().serialize();
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    auto r = LiveDocs::deserialize(bad);
    INFO("flipped byte " << i);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kCorruption);
  }
}

TEST_CASE("live docs reject truncated and extended bytes", "[live_docs]") {
  std::string bytes = make_docs().serialize();
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = LiveDocs::deserialize(std::string_view(bytes).substr(0, n));
    INFO("truncated to " << n);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kCorruption);
  }
  auto longer = LiveDocs::deserialize(bytes + "x");
  CHECK(longer.status().code() == Code::kCorruption);
}

TEST_CASE("live docs reject an unknown version even with a valid checksum", "[live_docs]") {
  std::string bytes = LiveDocs().serialize();
  // Header: u32 magic, varint 8, "livedocs", then the u32 version at offset 13.
  bytes[13] = 2;
  auto body = std::string_view(bytes).substr(0, bytes.size() - 4);
  uint32_t crc = sift::crc32c(body);
  std::memcpy(&bytes[bytes.size() - 4], &crc, 4);
  auto r = LiveDocs::deserialize(bytes);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorruption);
  CHECK(r.status().reason().find("version") != std::string::npos);
}
