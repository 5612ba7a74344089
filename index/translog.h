// Translog: the shard's write-ahead log. Every operation is appended as a checksummed record
// before it is acknowledged, and `sync` makes it durable with one fsync shared by every caller
// waiting at that moment (group commit). At start the shard replays the records after its last
// commit point. A torn tail (a partial last record from a crash) is cut off; a bad record followed
// by good ones is corruption and is reported, never skipped.
//
// Files: `translog-<generation>.tlog` in the shard directory. A new generation starts at each flush;
// generations wholly below the committed one are deleted by `trim_below`.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"

namespace sift::index {

struct TranslogOp {
  enum class Type : uint8_t { kIndex = 1, kDelete = 2, kNoop = 3 };
  Type type = Type::kIndex;
  int64_t seq_no = 0;
  int64_t primary_term = 1;
  int64_t version = 1;
  std::string id;
  std::string routing;
  std::string source;  // kIndex only
};

// Where an op ended: sync(location) makes everything up to it durable.
struct TranslogLocation {
  uint64_t generation = 0;
  uint64_t end_offset = 0;  // byte offset just past the record
};

class Translog {
 public:
  // Opens (or creates) the translog in `dir`. Appends go to a new generation after the highest
  // existing one, so replay never has to deal with a half-written record in the middle of history.
  static Result<std::unique_ptr<Translog>> open(const std::string& dir);
  ~Translog();

  // Appends one record (thread-safe). Not durable until sync() covers the returned location.
  Result<TranslogLocation> append(const TranslogOp& op);
  // Blocks until every record up to `loc` is on disk. Concurrent callers share one fsync.
  Status sync(const TranslogLocation& loc);
  // Makes everything appended so far durable.
  Status sync_all();

  // Starts a new generation and returns its number; the shard records it in the commit point.
  Result<uint64_t> roll_generation();
  // Deletes generations below `generation` (they are covered by a commit point).
  Status trim_below(uint64_t generation);
  uint64_t current_generation() const;
  // Bytes in all generations on disk (for flush decisions).
  uint64_t size_bytes() const;
  uint64_t fsync_count() const;

  // Reads every op in generations >= `from_generation`, oldest first, and calls `fn` for each.
  // A torn tail of the last generation is tolerated (and truncated away); a corrupt record that is
  // followed by valid records returns a kCorruption status naming the file and offset.
  Status replay(uint64_t from_generation, const std::function<Status(const TranslogOp&)>& fn);

 private:
  struct Impl;
  explicit Translog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Encodes/decodes one record payload (exposed for tests and tools).
std::string encode_translog_op(const TranslogOp& op);
Result<TranslogOp> decode_translog_op(std::string_view payload);

}  // namespace sift::index
