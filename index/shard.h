// Shard: one primary shard's storage engine. Writes get a sequence number, go to the translog and
// the in-memory segment buffer under one lock, and become durable with a group-commit sync.
// Refresh turns the buffer into an immutable segment and publishes a new reader snapshot; flush
// fsyncs segments and writes an atomic commit point, then trims the translog; merges combine
// segments in the background. Opening a shard loads the last commit point and replays the
// translog after it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "index/directory.h"
#include "index/document.h"
#include "index/live_docs.h"
#include "index/segment.h"
#include "index/translog.h"

namespace sift::index {

enum class VersionType : uint8_t { kInternal, kExternal, kExternalGte };

struct WriteOp {
  enum class Kind : uint8_t { kIndex, kCreate, kDelete };
  Kind kind = Kind::kIndex;
  std::string id;
  std::string routing;
  std::string source;                       // kIndex / kCreate
  const ParsedDocument* parsed = nullptr;   // kIndex / kCreate
  bool auto_generated_id = false;           // append-only: skips the id lookup
  std::optional<int64_t> if_seq_no;
  std::optional<int64_t> if_primary_term;
  VersionType version_type = VersionType::kInternal;
  int64_t version = 0;                      // external versions
};

struct WriteResult {
  enum class Outcome : uint8_t { kCreated, kUpdated, kDeleted, kNotFound };
  Outcome outcome = Outcome::kCreated;
  int64_t seq_no = 0;
  int64_t primary_term = 1;
  int64_t version = 1;
  TranslogLocation location;
};

// One segment as a search sees it: immutable reader plus the deletions at snapshot time.
struct ReaderSegment {
  std::shared_ptr<SegmentReader> reader;
  // What top-level queries may return: deleted docs and nested docs are marked (is_deleted).
  std::shared_ptr<const LiveDocs> live;
  // Only the deleted docs, for queries that look inside nested documents (same as `live` when the
  // segment has no nested docs).
  std::shared_ptr<const LiveDocs> deletes;
  uint32_t base = 0;  // doc id offset of this segment within the shard
};

// A point-in-time view of the shard, shared by searches while the engine moves on.
struct ShardSnapshot {
  std::vector<ReaderSegment> segments;
  uint64_t num_docs = 0;       // live docs
  uint64_t num_deleted = 0;
  uint64_t generation = 0;     // refresh count
};

struct ShardStats {
  uint64_t docs = 0;
  uint64_t deleted = 0;
  uint64_t segments = 0;
  uint64_t store_bytes = 0;
  uint64_t translog_bytes = 0;
  int64_t max_seq_no = -1;
  uint64_t buffered_docs = 0;
};

// Re-parses a stored source during translog replay (the index service binds it to the mapping).
using SourceParser = std::function<Result<ParsedDocument>(std::string_view id, std::string_view source)>;

class Shard {
 public:
  static Result<std::unique_ptr<Shard>> open(const std::string& path, int64_t primary_term, SourceParser parser);
  ~Shard();

  Result<WriteResult> apply(const WriteOp& op);
  // Durability: blocks until the op at `loc` is fsynced (one fsync shared by concurrent callers).
  Status sync(const TranslogLocation& loc);
  // Real-time get: sees writes that are not refreshed yet.
  Result<std::optional<StoredDocument>> get(std::string_view id);

  Status refresh();
  // Blocks until a refresh has made `seq_no` visible (forces one when `force`).
  Status wait_for_visible(int64_t seq_no, bool force);
  Status flush();
  // Merges when the policy finds work; returns whether it merged. `force_max_segments` > 0 merges
  // down to at most that many segments.
  Result<bool> maybe_merge(int force_max_segments = 0);

  std::shared_ptr<const ShardSnapshot> snapshot() const;
  ShardStats stats() const;
  // True when writes arrived since the last refresh.
  bool needs_refresh() const;
  uint64_t translog_bytes() const;
  uint64_t recovered_ops() const { return recovered_ops_; }
  // Closes files after a final flush (used on shutdown).
  Status close();

 private:
  struct VersionEntry;
  Shard() = default;
  Status recover();
  // Synchronous refresh under mu_ (recovery, flush): builds the segment while holding the lock.
  Status refresh_locked();
  // Turns `builder` into a segment file and an open reader (no lock needed).
  struct Segment;
  Result<std::unique_ptr<Segment>> build_segment(SegmentBuilder& builder, const std::string& name);
  // Adds a built segment and its buffered deletions, forgets the version-map entries of that buffer
  // generation, and publishes a new snapshot.
  void install_segment_locked(std::unique_ptr<Segment> seg, const std::vector<bool>& deleted, uint64_t gen,
                              int64_t visible_upto);
  // Finds the live version of `id`: buffer (version map) first, then segments.
  struct Current;
  struct Replayed {
    int64_t seq_no, primary_term, version;
  };
  Current lookup_locked(std::string_view id) const;
  Result<WriteResult> apply_locked(const WriteOp& op, const Replayed* replayed);
  Status mark_deleted_locked(const Current& cur);
  void delete_unreferenced_files();
  void publish_locked();
  std::string next_segment_name();

  std::string path_;
  std::unique_ptr<Directory> dir_;
  std::unique_ptr<Translog> translog_;
  SourceParser parser_;
  int64_t primary_term_ = 1;

  mutable std::mutex mu_;                 // guards everything below
  std::shared_ptr<SegmentBuilder> buffer_;
  std::vector<bool> buffer_deleted_;
  uint64_t buffer_gen_ = 1;               // generation of buffer_; version-map entries name theirs
  // The buffer a refresh is turning into a segment outside the lock (real-time gets read it).
  std::shared_ptr<SegmentBuilder> refreshing_;
  std::vector<bool> refreshing_deleted_;
  uint64_t refreshing_gen_ = 0;
  Status failure_;                        // an engine failure (refresh could not write): writes stop
  std::mutex refresh_mu_;                 // one refresh at a time
  std::vector<std::unique_ptr<Segment>> segments_;
  std::unordered_map<std::string, std::unique_ptr<VersionEntry>> version_map_;  // ops since refresh
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> tombstones_;     // id -> (version, ms)
  int64_t next_seq_no_ = 0;
  int64_t max_seq_no_in_buffer_ = -1;
  uint64_t segment_counter_ = 0;
  uint64_t refresh_generation_ = 0;
  std::shared_ptr<const ShardSnapshot> snapshot_;
  std::atomic<int64_t> visible_seq_no_{-1};
  std::condition_variable visible_cv_;
  std::vector<std::string> committed_files_;
  std::set<std::string> in_progress_;     // merge outputs not installed yet
  uint64_t commit_generation_ = 0;
  uint64_t recovered_ops_ = 0;
  bool dirty_ = false;

  std::mutex flush_mu_;    // one flush at a time
  std::mutex merge_mu_;    // one merge at a time
  bool closed_ = false;
};

}  // namespace sift::index
