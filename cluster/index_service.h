// IndexService: one open index on this node — its shards, the routing of documents to shards, and
// the document operations (index, delete, get, update) that the REST layer and bulk call. Documents
// are parsed against the current mapping; a dynamic mapping update is published (persisted in the
// cluster state) before the write is applied, so an acknowledged document always has its mapping.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/registry.h"
#include "cluster/index_metadata.h"
#include "common/hash.h"
#include "common/status.h"
#include "index/shard.h"

namespace sift::cluster {

// Publishes a new mapping for an index (persisting the cluster state); returns the metadata now in force.
using MappingPublisher = std::function<Result<IndexMetadataPtr>(const std::string& index, index::Mapping mapping)>;

struct DocWriteRequest {
  index::WriteOp::Kind kind = index::WriteOp::Kind::kIndex;
  std::string id;                 // empty: auto-generate (index/create only)
  std::string routing;
  std::string source;
  std::optional<int64_t> if_seq_no;
  std::optional<int64_t> if_primary_term;
  index::VersionType version_type = index::VersionType::kInternal;
  int64_t version = 0;
};

struct DocWriteResponse {
  std::string index;
  std::string id;
  int shard = 0;
  index::WriteResult result;
  bool noop = false;              // update that changed nothing
  std::string get_source;         // update with _source requested: the new source
};

struct UpdateRequest {
  std::string id;
  std::string routing;
  std::string doc;                // partial document (JSON object), may be empty
  std::string upsert;             // upsert document, may be empty
  bool doc_as_upsert = false;
  bool detect_noop = true;
  bool scripted = false;          // a script was given: unsupported
  int retry_on_conflict = 0;
  std::optional<int64_t> if_seq_no;
  std::optional<int64_t> if_primary_term;
};

class IndexService {
 public:
  IndexService(IndexMetadataPtr meta, std::string path, std::shared_ptr<const analysis::AnalyzerRegistry> analyzers,
               MappingPublisher publisher);
  ~IndexService();
  // Opens (recovers) every shard. On failure the index stays registered but failed: its requests
  // answer the failure, health turns red, and the rest of the node keeps serving.
  Status open();
  const Status& failure() const { return failure_; }
  bool failed() const { return !failure_.is_ok(); }

  IndexMetadataPtr metadata() const;
  void set_metadata(IndexMetadataPtr meta);
  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  int num_shards() const { return static_cast<int>(shards_.size()); }
  index::Shard& shard(int i) { return *shards_[static_cast<size_t>(i)]; }
  int shard_for(std::string_view id, std::string_view routing) const;

  // Applies one write (not yet durable: call sync on the returned shard/location).
  Result<DocWriteResponse> write(const DocWriteRequest& req);
  Result<DocWriteResponse> update(const UpdateRequest& req);
  Status sync(const DocWriteResponse& resp);
  Result<std::optional<index::StoredDocument>> get(std::string_view id, std::string_view routing);

  Status refresh();
  Status flush();
  Status force_merge(int max_segments);
  void close();
  bool closed() const { return closed_; }
  int64_t last_refresh_ms() const { return last_refresh_ms_; }
  void set_last_refresh_ms(int64_t ms) { last_refresh_ms_ = ms; }

 private:
  Result<index::ParsedDocument> parse(std::string_view id, std::string_view source, bool publish_updates);
  // The answer of an update that changes nothing (detect_noop, or an upsert of an existing doc).
  DocWriteResponse noop_response(const UpdateRequest& req, const index::StoredDocument& current,
                                 std::string source) const;

  std::string name_;
  std::string path_;
  std::shared_ptr<const analysis::AnalyzerRegistry> analyzers_;
  MappingPublisher publisher_;
  mutable std::mutex meta_mu_;
  IndexMetadataPtr meta_;
  std::mutex mapping_mu_;         // serializes dynamic mapping updates
  std::vector<std::unique_ptr<index::Shard>> shards_;
  int64_t routing_num_shards_ = 1;  // set by open()
  std::atomic<bool> closed_{false};
  Status failure_;
  std::atomic<int64_t> last_refresh_ms_{0};
};

// OpenSearch's Murmur3HashFunction of a routing value: murmur3_32 over its UTF-16LE code units.
uint32_t routing_hash(std::string_view value);
// index.number_of_routing_shards when not set: the largest num_shards * 2^k <= 1024, k >= 1.
int default_routing_num_shards(int num_shards);

}  // namespace sift::cluster
