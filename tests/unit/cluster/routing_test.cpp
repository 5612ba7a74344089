// Document routing equal to OpenSearch's: Murmur3HashFunction over UTF-16 code units, then
// floorMod(hash, routing_num_shards) / (routing_num_shards / shards).
#include <catch2/catch.hpp>

#include "cluster/index_service.h"

using namespace sift;

TEST_CASE("routing hashes are OpenSearch's Murmur3HashFunction", "[routing]") {
  // OpenSearch's own known values for this function.
  CHECK(cluster::routing_hash("hell") == 0x5a0cb7c3u);
  CHECK(cluster::routing_hash("hello") == 0xd7c31989u);
  // UTF-16 units, not UTF-8 bytes: a non-ASCII value hashes its code units.
  std::string utf16le_e_acute("\xe9\x00", 2);
  CHECK(cluster::routing_hash("\xc3\xa9") == murmur3_32(utf16le_e_acute));
  // A supplementary character is a surrogate pair (U+1F335: D83C DF35).
  std::string pair("\x3c\xd8\x35\xdf", 4);
  CHECK(cluster::routing_hash("\xf0\x9f\x8c\xb5") == murmur3_32(pair));
  // Invalid UTF-8 becomes U+FFFD rather than failing.
  std::string replacement("\xfd\xff", 2);
  CHECK(cluster::routing_hash("\xff") == murmur3_32(replacement));
}

TEST_CASE("the default number of routing shards lets an index split up to 1024 shards", "[routing]") {
  CHECK(cluster::default_routing_num_shards(1) == 1024);
  CHECK(cluster::default_routing_num_shards(2) == 1024);
  CHECK(cluster::default_routing_num_shards(3) == 768);
  CHECK(cluster::default_routing_num_shards(5) == 640);
  CHECK(cluster::default_routing_num_shards(512) == 1024);
  CHECK(cluster::default_routing_num_shards(1024) == 2048);  // at least one split
}
