// Node: one Sift process. It owns the data directory, the cluster state (persisted atomically in
// `_state/`), the open indices, and the background work (scheduled refresh, translog-size flush,
// merges). Single node for now: the coordinator calls local shards directly; the etcd-backed
// cluster issue keeps this interface and moves the state behind a store.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/registry.h"
#include "cluster/index_metadata.h"
#include "cluster/index_service.h"
#include "cluster/task_manager.h"
#include "common/status.h"

namespace sift::cluster {

struct NodeOptions {
  std::string data_path = "./data";
  std::string node_name;          // default: the host name
  std::string cluster_name = "sift";
  std::string version_number = "7.10.2";
  std::string publish_host = "127.0.0.1";
  uint16_t http_port = 9200;
  int64_t flush_threshold_bytes = 512LL * 1024 * 1024;
};

struct IndicesOptions {
  bool ignore_unavailable = false;
  bool allow_no_indices = true;
  bool expand_open = true;
  bool expand_closed = false;
  bool expand_hidden = false;
};

struct CreateIndexRequest {
  std::string name;
  std::string settings_json;      // may be empty
  std::string mappings_json;      // may be empty
  std::string aliases_json;       // may be empty
};

struct AliasAction {
  enum class Type { kAdd, kRemove, kRemoveIndex };
  Type type = Type::kAdd;
  std::vector<std::string> indices;   // expressions
  std::vector<std::string> aliases;   // names (patterns for remove)
  AliasMetadata alias;
  bool must_exist = false;
};

class Node {
 public:
  static Result<std::unique_ptr<Node>> open(NodeOptions options);
  ~Node();
  void start_background();
  void stop();

  const NodeOptions& options() const { return options_; }
  const std::string& node_id() const { return node_id_; }
  const std::string& cluster_uuid() const;
  int64_t start_time_ms() const { return start_time_ms_; }
  ClusterStatePtr state() const;

  Result<IndexMetadataPtr> create_index(const CreateIndexRequest& req);
  Status delete_indices(const std::vector<std::string>& names);
  // Closing flushes and releases an index's shards; it stays in the state (and on disk) until opened.
  Status close_indices(const std::vector<std::string>& names);
  Status open_indices(const std::vector<std::string>& names);
  // index_closed_exception for `name` when it is a closed index, ok otherwise.
  Status check_not_closed(const std::string& name) const;
  std::shared_ptr<IndexService> index(const std::string& name) const;
  // Resolves an index expression (comma list, wildcards, -exclusions, aliases, _all) to index names.
  Result<std::vector<std::string>> resolve(const std::string& expression, const IndicesOptions& opts) const;
  // The index a write to `name` goes to: the index itself, an alias's write index, or a new index
  // created on the fly when `auto_create` allows.
  Result<std::shared_ptr<IndexService>> write_target(const std::string& name, bool auto_create);
  // Alias routing/filter for a name when it is an alias of `index` (nullptr otherwise).
  bool is_alias(const std::string& name) const;
  std::optional<AliasMetadata> alias_of(const std::string& alias, const std::string& index) const;

  Status put_mapping(const std::vector<std::string>& indices, std::string_view mapping_json);
  // `preserve_existing` keeps settings that are already set (PUT _settings?preserve_existing=true).
  Status update_settings(const std::vector<std::string>& indices, std::string_view settings_json,
                         bool preserve_existing = false);
  Status update_aliases(const std::vector<AliasAction>& actions);
  Status put_cluster_settings(const Settings& persistent, const Settings& transient);

  enum class TemplateKind { kComposable, kComponent, kLegacy };
  // Stores a template from its JSON body; `create` refuses to replace an existing one.
  Status put_template(TemplateKind kind, const std::string& name, std::string_view body, bool create);
  // Deletes the templates matching `names` (comma list, wildcards); a missing plain name is 404.
  Status delete_templates(TemplateKind kind, const std::string& names);

  // Waits for ops to become visible per `?refresh=wait_for`.
  std::shared_ptr<const analysis::AnalyzerRegistry> analyzers() const { return analyzers_; }

  // Long-running operations (by-query), visible to `_tasks`; stopped first when the node stops.
  TaskManager& tasks() { return *tasks_; }

 private:
  Node() = default;
  Status load_state();
  Status persist_locked(const ClusterState& next);
  // Builds a new state with `fn`, persists it, publishes it. `fn` may fail: nothing changes then.
  Status update_state(const std::function<Status(ClusterState&)>& fn);
  Result<IndexMetadataPtr> publish_mapping(const std::string& index, index::Mapping mapping);
  std::string index_path(const std::string& uuid) const;
  void maintenance_loop();
  void merge_loop();
  std::vector<std::shared_ptr<IndexService>> all_services() const;

  NodeOptions options_;
  std::string node_id_;
  int64_t start_time_ms_ = 0;
  std::shared_ptr<const analysis::AnalyzerRegistry> analyzers_;

  mutable std::mutex state_mu_;   // serializes state changes; guards state_ and services_
  ClusterStatePtr state_;
  std::map<std::string, std::shared_ptr<IndexService>> services_;  // by index name
  std::unique_ptr<TaskManager> tasks_;

  std::atomic<bool> stopping_{false};
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  std::thread maintenance_thread_;
  std::thread merge_thread_;
  struct Activity {
    int64_t seq_no = -1;
    int64_t changed_ms = 0;
    bool flushed = false;
  };
  std::map<index::Shard*, Activity> activity_;  // maintenance thread only
};

// Parses a POST _aliases body: {"actions":[{"add":{...}},{"remove":{...}},{"remove_index":{...}}]}.
Result<std::vector<AliasAction>> parse_alias_actions(std::string_view json);
// Parses a single alias body (PUT /{index}/_alias/{name}), which may be empty; `index`/`alias`
// keys in the body replace the ones from the path.
Result<AliasMetadata> parse_alias_body(std::string_view json, std::vector<std::string>* indices,
                                       std::vector<std::string>* aliases);

}  // namespace sift::cluster
