// Commit point: the durable description of a shard's committed state — which segment files (and
// which generation of their live-docs file) make up the shard, and which translog generation holds
// the operations after it. Written atomically as `commit` (format in docs/formats/commit_point.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace sift::index {

struct CommitPoint {
  struct Entry {
    std::string segment;      // segment name; the file is <segment>.sseg
    uint64_t live_gen = 0;    // 0: no deletions; else <segment>_<live_gen>.liv
  };
  std::vector<Entry> segments;
  uint64_t translog_generation = 0;  // replay starts at this generation
  int64_t max_seq_no = -1;           // every op up to here is in the segments
  uint64_t segment_counter = 0;      // next segment names continue after this
  uint64_t generation = 0;           // commit count

  std::string serialize() const;
  static Result<CommitPoint> parse(std::string_view bytes);
};

}  // namespace sift::index
