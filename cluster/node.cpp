#include "cluster/node.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "cluster/index_names.h"
#include "common/log.h"
#include "common/memory.h"
#include "common/time_util.h"
#include "index/directory.h"

namespace sift::cluster {
namespace {

constexpr const char* kStateFile = "state.json";
constexpr int64_t kMaintenanceTickMs = 50;
constexpr int64_t kIdleFlushMs = 5 * 60 * 1000;
constexpr int64_t kTrimIntervalMs = 5000;

Status index_not_found(const std::string& name) {
  return Status(Code::kNotFound, "index_not_found_exception", "no such index [" + name + "]").with_index(name);
}

bool is_hidden(const IndexMetadata& m) {
  auto it = m.settings.find("index.hidden");
  return it != m.settings.end() && it->second == "true";
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(NodeOptions options) {
  std::unique_ptr<Node> node(new Node());
  if (options.node_name.empty()) {
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    options.node_name = host[0] ? host : "sift";
  }
  node->options_ = std::move(options);
  node->start_time_ms_ = now_millis();
  node->analyzers_ = analysis::AnalyzerRegistry::builtin();
  SIFT_RETURN_IF_ERROR(node->load_state());
  node->tasks_ = std::make_unique<TaskManager>(node->node_id_);
  return node;
}

Node::~Node() { stop(); }

std::string Node::index_path(const std::string& uuid) const { return options_.data_path + "/indices/" + uuid; }

Status Node::load_state() {
  SIFT_ASSIGN_OR_RETURN(auto dir, index::Directory::open(options_.data_path + "/_state", true));
  if (dir->exists("node_id")) {
    SIFT_ASSIGN_OR_RETURN(node_id_, dir->read_all("node_id"));
  } else {
    node_id_ = random_uuid();
    SIFT_RETURN_IF_ERROR(dir->write_atomic("node_id", node_id_));
  }
  ClusterState state;
  if (dir->exists(kStateFile)) {
    SIFT_ASSIGN_OR_RETURN(std::string json, dir->read_all(kStateFile));
    SIFT_ASSIGN_OR_RETURN(state, cluster_state_from_json(json));
  }
  if (state.cluster_uuid.empty()) {
    state.cluster_uuid = random_uuid();
    SIFT_RETURN_IF_ERROR(dir->write_atomic(kStateFile, cluster_state_to_json(state)));
  }
  // Open every index; remove directories of indices the state no longer knows (a crash between
  // persisting a delete and removing the files).
  std::set<std::string> known;
  for (const auto& [name, meta] : state.indices) {
    known.insert(meta->uuid);
    if (meta->closed) continue;  // opened by _open
    auto service = std::make_shared<IndexService>(
        meta, index_path(meta->uuid), analyzers_,
        [this](const std::string& index, index::Mapping m) { return publish_mapping(index, std::move(m)); });
    Status opened = service->open();
    if (!opened.is_ok()) log::error("index [" + name + "] is unavailable: " + opened.to_string());
    services_[name] = std::move(service);
  }
  std::error_code ec;
  std::filesystem::create_directories(options_.data_path + "/indices", ec);
  for (const auto& e : std::filesystem::directory_iterator(options_.data_path + "/indices", ec)) {
    if (!known.count(e.path().filename().string())) {
      log::warn("removing the files of a deleted index [" + e.path().string() + "]");
      (void)index::remove_tree(e.path().string());
    }
  }
  state_ = std::make_shared<const ClusterState>(std::move(state));
  return Status::ok();
}

const std::string& Node::cluster_uuid() const { return state()->cluster_uuid; }

ClusterStatePtr Node::state() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return state_;
}

Status Node::persist_locked(const ClusterState& next) {
  SIFT_ASSIGN_OR_RETURN(auto dir, index::Directory::open(options_.data_path + "/_state", true));
  return dir->write_atomic(kStateFile, cluster_state_to_json(next));
}

Status Node::update_state(const std::function<Status(ClusterState&)>& fn) {
  std::lock_guard<std::mutex> lock(state_mu_);
  ClusterState next = *state_;
  SIFT_RETURN_IF_ERROR(fn(next));
  next.version = state_->version + 1;
  SIFT_RETURN_IF_ERROR(persist_locked(next));
  state_ = std::make_shared<const ClusterState>(std::move(next));
  for (const auto& [name, meta] : state_->indices) {
    auto it = services_.find(name);
    if (it != services_.end() && it->second->metadata() != meta) it->second->set_metadata(meta);
  }
  return Status::ok();
}

Result<IndexMetadataPtr> Node::publish_mapping(const std::string& index, index::Mapping mapping) {
  IndexMetadataPtr out;
  SIFT_RETURN_IF_ERROR(update_state([&](ClusterState& s) -> Status {
    auto it = s.indices.find(index);
    if (it == s.indices.end()) return index_not_found(index);
    auto meta = std::make_shared<IndexMetadata>(*it->second);
    // Dynamic templates may name a similarity or an analyzer; the settings did not change, so the
    // index's analyzers are kept rather than built again.
    SIFT_RETURN_IF_ERROR(index::bind_index_settings(meta->settings, &mapping, it->second->mapping.get()));
    meta->mapping = std::make_shared<const index::Mapping>(std::move(mapping));
    ++meta->mapping_version;
    ++meta->version;
    out = meta;
    it->second = std::move(meta);
    return Status::ok();
  }));
  return out;
}

Result<IndexMetadataPtr> Node::create_index(const CreateIndexRequest& req) {
  SIFT_RETURN_IF_ERROR(validate_index_name(req.name));
  auto meta = std::make_shared<IndexMetadata>();
  meta->name = req.name;
  meta->uuid = random_uuid();
  meta->creation_date = now_millis();
  // Templates first, then the request's own settings, mappings and aliases on top.
  SIFT_ASSIGN_OR_RETURN(ResolvedTemplate tpl, resolve_templates(state()->templates, req.name));
  meta->settings = tpl.settings;
  if (!req.settings_json.empty()) {
    SIFT_ASSIGN_OR_RETURN(Settings own, parse_settings(req.settings_json, true));
    for (auto& [k, v] : own) meta->settings[k] = v;
  }
  for (auto it = meta->settings.begin(); it != meta->settings.end();) {
    it = it->second == "\x01null" ? meta->settings.erase(it) : std::next(it);
  }
  meta->settings.emplace("index.number_of_shards", "1");
  meta->settings.emplace("index.number_of_replicas", "1");
  SIFT_RETURN_IF_ERROR(apply_index_settings(meta.get()));
  meta->settings["index.uuid"] = meta->uuid;
  meta->settings["index.creation_date"] = std::to_string(meta->creation_date);
  meta->settings["index.provided_name"] = req.name;
  meta->settings["index.version.created"] = "136217827";  // OpenSearch 2.x's id for 7.10.2-compatible
  index::Mapping mapping = tpl.mappings.value_or(index::Mapping());
  if (!req.mappings_json.empty()) {
    SIFT_ASSIGN_OR_RETURN(index::Mapping own, index::parse_mapping(req.mappings_json));
    if (tpl.mappings) {
      mapping = compose_mappings(mapping, own);
    } else {
      mapping = std::move(own);
    }
  }
  SIFT_RETURN_IF_ERROR(index::bind_index_settings(meta->settings, &mapping));
  meta->mapping = std::make_shared<const index::Mapping>(std::move(mapping));
  for (const auto& aliases : tpl.aliases_json) {
    std::map<std::string, AliasMetadata> layer;
    SIFT_RETURN_IF_ERROR(parse_aliases_body(aliases, &layer));
    for (auto& [n, a] : layer) meta->aliases[n] = std::move(a);
  }
  if (!req.aliases_json.empty()) {
    std::map<std::string, AliasMetadata> own;
    SIFT_RETURN_IF_ERROR(parse_aliases_body(req.aliases_json, &own));
    for (auto& [n, a] : own) meta->aliases[n] = std::move(a);
  }
  std::shared_ptr<IndexService> service;
  SIFT_RETURN_IF_ERROR(update_state([&](ClusterState& s) -> Status {
    if (s.indices.count(req.name)) {
      return Status(Code::kAlreadyExists, "resource_already_exists_exception",
                    "index [" + req.name + "/" + s.indices[req.name]->uuid + "] already exists")
          .with_index(req.name);
    }
    for (const auto& [name, other] : s.indices) {
      if (other->aliases.count(req.name)) {
        return Status(Code::kInvalidArgument, "invalid_index_name_exception",
                      "Invalid index name [" + req.name + "], already exists as alias")
            .with_index(req.name);
      }
    }
    for (const auto& [alias, a] : meta->aliases) {
      if (s.indices.count(alias) || alias == req.name) {
        return Status(Code::kInvalidArgument, "invalid_alias_name_exception",
                      "Invalid alias name [" + alias + "]: an index or data stream exists with the same name as the alias");
      }
    }
    service = std::make_shared<IndexService>(
        meta, index_path(meta->uuid), analyzers_,
        [this](const std::string& index, index::Mapping m) { return publish_mapping(index, std::move(m)); });
    SIFT_RETURN_IF_ERROR(service->open());
    s.indices[req.name] = meta;
    services_[req.name] = service;
    return Status::ok();
  }));
  log::info("created index [" + req.name + "] with " + std::to_string(meta->number_of_shards) + " shard(s)");
  return IndexMetadataPtr(meta);
}

Status Node::delete_indices(const std::vector<std::string>& names) {
  std::vector<std::shared_ptr<IndexService>> removed;
  std::vector<std::string> closed_paths;
  SIFT_RETURN_IF_ERROR(update_state([&](ClusterState& s) -> Status {
    for (const auto& n : names) {
      if (!s.indices.count(n)) return index_not_found(n);
    }
    for (const auto& n : names) {
      if (s.indices[n]->closed) closed_paths.push_back(index_path(s.indices[n]->uuid));
      s.indices.erase(n);
      auto it = services_.find(n);
      if (it != services_.end()) {
        removed.push_back(it->second);
        services_.erase(it);
      }
    }
    return Status::ok();
  }));
  for (auto& svc : removed) {
    svc->close();
    SIFT_RETURN_IF_ERROR(index::remove_tree(svc->path()));
    log::info("deleted index [" + svc->name() + "]");
  }
  for (const auto& path : closed_paths) SIFT_RETURN_IF_ERROR(index::remove_tree(path));
  return Status::ok();
}

Status Node::close_indices(const std::vector<std::string>& names) {
  std::vector<std::shared_ptr<IndexService>> closing;
  SIFT_RETURN_IF_ERROR(update_state([&](ClusterState& s) -> Status {
    for (const auto& n : names) {
      if (!s.indices.count(n)) return index_not_found(n);
    }
    for (const auto& n : names) {
      auto meta = std::make_shared<IndexMetadata>(*s.indices[n]);
      meta->closed = true;
      ++meta->version;
      s.indices[n] = std::move(meta);
      auto it = services_.find(n);
      if (it != services_.end()) {
        closing.push_back(it->second);
        services_.erase(it);
      }
    }
    return Status::ok();
  }));
  for (auto& svc : closing) {
    svc->close();
    log::info("closed index [" + svc->name() + "]");
  }
  return Status::ok();
}

Status Node::open_indices(const std::vector<std::string>& names) {
  return update_state([&](ClusterState& s) -> Status {
    for (const auto& n : names) {
      if (!s.indices.count(n)) return index_not_found(n);
    }
    for (const auto& n : names) {
      if (!s.indices[n]->closed) continue;
      auto meta = std::make_shared<IndexMetadata>(*s.indices[n]);
      meta->closed = false;
      ++meta->version;
      auto service = std::make_shared<IndexService>(
          meta, index_path(meta->uuid), analyzers_,
          [this](const std::string& index, index::Mapping m) { return publish_mapping(index, std::move(m)); });
      Status opened = service->open();
      if (!opened.is_ok()) log::error("index [" + n + "] is unavailable: " + opened.to_string());
      s.indices[n] = meta;
      services_[n] = std::move(service);
    }
    return Status::ok();
  });
}

Status Node::check_not_closed(const std::string& name) const {
  ClusterStatePtr s = state();
  auto it = s->indices.find(name);
  if (it != s->indices.end() && it->second->closed) {
    return Status(Code::kInvalidArgument, "index_closed_exception", "closed").with_index(name);
  }
  return Status::ok();
}

std::shared_ptr<IndexService> Node::index(const std::string& name) const {
  std::lock_guard<std::mutex> lock(state_mu_);
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<IndexService>> Node::all_services() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  std::vector<std::shared_ptr<IndexService>> out;
  for (const auto& [n, s] : services_) out.push_back(s);
  return out;
}

Result<std::vector<std::string>> Node::resolve(const std::string& expression, const IndicesOptions& opts) const {
  ClusterStatePtr s = state();
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= expression.size()) {
    size_t comma = expression.find(',', start);
    std::string p = expression.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!p.empty()) parts.push_back(p);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (parts.empty()) parts.push_back("_all");

  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& n) {
    if (seen.insert(n).second) out.push_back(n);
  };
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string p = parts[i];
    if (p[0] == '-' && i > 0) {
      std::string pat = p.substr(1);
      std::vector<std::string> kept;
      for (auto& n : out) {
        if (!wildcard_match(pat, n)) kept.push_back(n);
      }
      out = kept;
      seen = std::set<std::string>(out.begin(), out.end());
      continue;
    }
    if (p == "_all" || p.find('*') != std::string::npos) {
      // Wildcards expand to indices in the states `expand_wildcards` names; hidden ones only
      // when asked, or when the pattern itself starts with a dot.
      for (const auto& [n, m] : s->indices) {
        bool state_ok = m->closed ? opts.expand_closed : opts.expand_open;
        bool hidden_ok = !is_hidden(*m) || opts.expand_hidden || p[0] == '.';
        if (!state_ok) continue;
        if ((p == "_all" || wildcard_match(p, n)) && hidden_ok) add(n);
        for (const auto& [alias, a] : m->aliases) {
          if (p != "_all" && wildcard_match(p, alias)) add(n);
        }
      }
      continue;
    }
    auto it = s->indices.find(p);
    if (it != s->indices.end()) {
      add(p);
      continue;
    }
    bool alias_found = false;
    for (const auto& [n, m] : s->indices) {
      if (m->aliases.count(p)) {
        add(n);
        alias_found = true;
      }
    }
    if (!alias_found && !opts.ignore_unavailable) return index_not_found(p);
  }
  if (out.empty() && !opts.allow_no_indices) return index_not_found(expression);
  return out;
}

bool Node::is_alias(const std::string& name) const {
  ClusterStatePtr s = state();
  for (const auto& [n, m] : s->indices) {
    if (m->aliases.count(name)) return true;
  }
  return false;
}

std::optional<AliasMetadata> Node::alias_of(const std::string& alias, const std::string& index) const {
  ClusterStatePtr s = state();
  auto it = s->indices.find(index);
  if (it == s->indices.end()) return std::nullopt;
  auto a = it->second->aliases.find(alias);
  if (a == it->second->aliases.end()) return std::nullopt;
  return a->second;
}

Result<std::shared_ptr<IndexService>> Node::write_target(const std::string& name, bool auto_create) {
  if (auto svc = index(name)) return svc;
  SIFT_RETURN_IF_ERROR(check_not_closed(name));
  ClusterStatePtr s = state();
  std::vector<std::string> members;
  std::string write_index;
  for (const auto& [n, m] : s->indices) {
    auto a = m->aliases.find(name);
    if (a == m->aliases.end()) continue;
    members.push_back(n);
    if (a->second.is_write_index.value_or(false)) write_index = n;
  }
  if (!members.empty()) {
    if (write_index.empty() && members.size() == 1) {
      auto a = s->indices.at(members[0])->aliases.at(name);
      if (!a.is_write_index.has_value() || *a.is_write_index) write_index = members[0];
    }
    if (write_index.empty()) {
      return invalid_argument("no write index is defined for alias [" + name +
                              "]. The write index may be explicitly disabled using is_write_index=false or the alias "
                              "points to multiple indices without one being designated as a write index");
    }
    SIFT_RETURN_IF_ERROR(check_not_closed(write_index));
    return index(write_index);
  }
  if (!auto_create) return index_not_found(name);
  auto it = s->persistent_settings.find("action.auto_create_index");
  if (it != s->persistent_settings.end() && it->second == "false") {
    return Status(Code::kNotFound, "index_not_found_exception",
                  "no such index [" + name + "] and [action.auto_create_index] is [false]")
        .with_index(name);
  }
  CreateIndexRequest req;
  req.name = name;
  auto created = create_index(req);
  if (!created.is_ok() && created.status().type() != "resource_already_exists_exception") {
    return std::move(created).take_status();
  }
  if (auto svc = index(name)) return svc;
  return index_not_found(name);
}

Status Node::put_mapping(const std::vector<std::string>& indices, std::string_view mapping_json) {
  SIFT_ASSIGN_OR_RETURN(index::Mapping update, index::parse_mapping(mapping_json));
  return update_state([&](ClusterState& s) -> Status {
    std::vector<std::pair<std::string, IndexMetadataPtr>> changed;
    for (const auto& n : indices) {
      auto it = s.indices.find(n);
      if (it == s.indices.end()) return index_not_found(n);
      SIFT_ASSIGN_OR_RETURN(index::Mapping merged, index::merge_mappings(*it->second->mapping, update));
      SIFT_RETURN_IF_ERROR(index::bind_index_settings(it->second->settings, &merged, it->second->mapping.get()));
      auto meta = std::make_shared<IndexMetadata>(*it->second);
      meta->mapping = std::make_shared<const index::Mapping>(std::move(merged));
      ++meta->mapping_version;
      ++meta->version;
      changed.emplace_back(n, std::move(meta));
    }
    for (auto& [n, m] : changed) s.indices[n] = std::move(m);
    return Status::ok();
  });
}

Status Node::update_settings(const std::vector<std::string>& indices, std::string_view settings_json,
                             bool preserve_existing) {
  SIFT_ASSIGN_OR_RETURN(Settings update, parse_settings(settings_json, true));
  static const std::set<std::string> kStatic = {"index.number_of_shards", "index.uuid", "index.creation_date",
                                                "index.provided_name", "index.version.created", "index.codec",
                                                "index.number_of_routing_shards"};
  return update_state([&](ClusterState& s) -> Status {
    std::vector<std::pair<std::string, IndexMetadataPtr>> changed;
    for (const auto& n : indices) {
      auto it = s.indices.find(n);
      if (it == s.indices.end()) return index_not_found(n);
      auto meta = std::make_shared<IndexMetadata>(*it->second);
      bool similarity_changed = false;
      for (const auto& [k, v] : update) {
        // Similarities and analysis are static too, but a closed index may change them
        // (OpenSearch's way to redefine an index's default similarity or an analyzer).
        bool similarity = k.rfind("index.similarity.", 0) == 0 || k.rfind("index.analysis.", 0) == 0;
        if (kStatic.count(k) || (similarity && !meta->closed)) {
          return invalid_argument("Can't update non dynamic settings [[" + k + "]] for open indices [[" + n + "/" +
                                  meta->uuid + "]]");
        }
        similarity_changed = similarity_changed || similarity;
        if (preserve_existing && meta->settings.count(k)) continue;
        if (v == "\x01null") meta->settings.erase(k);
        else meta->settings[k] = v;
      }
      SIFT_RETURN_IF_ERROR(apply_index_settings(meta.get()));
      if (similarity_changed) {
        index::Mapping rebound = *meta->mapping;
        SIFT_RETURN_IF_ERROR(index::bind_index_settings(meta->settings, &rebound));
        meta->mapping = std::make_shared<const index::Mapping>(std::move(rebound));
      }
      ++meta->settings_version;
      ++meta->version;
      changed.emplace_back(n, std::move(meta));
    }
    for (auto& [n, m] : changed) s.indices[n] = std::move(m);
    return Status::ok();
  });
}

Status Node::update_aliases(const std::vector<AliasAction>& actions) {
  std::vector<std::string> to_delete;
  SIFT_RETURN_IF_ERROR(update_state([&](ClusterState& s) -> Status {
    auto targets_of = [&](const AliasAction& action, std::vector<std::string>* out) -> Status {
      for (const auto& expr : action.indices) {
        bool any = false;
        for (const auto& [n, m] : s.indices) {
          bool alias_match = m->aliases.count(expr) > 0 && action.type != AliasAction::Type::kRemoveIndex;
          if (expr == n || expr == "_all" || alias_match ||
              (expr.find('*') != std::string::npos && wildcard_match(expr, n))) {
            out->push_back(n);
            any = true;
          }
        }
        if (!any) return index_not_found(expr);
      }
      return Status::ok();
    };
    // remove_index goes first, so an alias may take the name of an index removed in the same call.
    std::set<std::string> removed_indices;
    for (const auto& action : actions) {
      if (action.type != AliasAction::Type::kRemoveIndex) continue;
      std::vector<std::string> targets;
      SIFT_RETURN_IF_ERROR(targets_of(action, &targets));
      for (const auto& n : targets) {
        if (s.indices.count(n)) {
          removed_indices.insert(n);
          to_delete.push_back(n);
        }
      }
    }
    for (const auto& n : removed_indices) s.indices.erase(n);
    for (const auto& action : actions) {
      if (action.type == AliasAction::Type::kRemoveIndex) continue;
      std::vector<std::string> targets;
      SIFT_RETURN_IF_ERROR(targets_of(action, &targets));
      std::set<std::string> removed_somewhere;
      for (const auto& n : targets) {
        auto meta = std::make_shared<IndexMetadata>(*s.indices[n]);
        for (const auto& alias : action.aliases) {
          if (action.type == AliasAction::Type::kAdd) {
            if (s.indices.count(alias)) {
              return Status(Code::kInvalidArgument, "invalid_alias_name_exception",
                            "Invalid alias name [" + alias + "]: an index or data stream exists with the same name as the alias");
            }
            Status valid = validate_index_name(alias);
            if (!valid.is_ok()) {
              std::string why = valid.reason().substr(valid.reason().find("], ") + 3);
              return Status(Code::kInvalidArgument, "invalid_alias_name_exception",
                            "Invalid alias name [" + alias + "]: " + why);
            }
            meta->aliases[alias] = action.alias;
            continue;
          }
          for (auto it = meta->aliases.begin(); it != meta->aliases.end();) {
            if (alias == "_all" || alias == "*" || it->first == alias || wildcard_match(alias, it->first)) {
              removed_somewhere.insert(alias);
              it = meta->aliases.erase(it);
            } else {
              ++it;
            }
          }
        }
        ++meta->aliases_version;
        ++meta->version;
        s.indices[n] = std::move(meta);
      }
      if (action.type == AliasAction::Type::kRemove) {
        for (const auto& alias : action.aliases) {
          bool pattern = alias == "_all" || alias.find('*') != std::string::npos;
          if (!removed_somewhere.count(alias) && (!pattern || action.must_exist)) {
            return Status(Code::kNotFound, "aliases_not_found_exception", "aliases [" + alias + "] missing")
                .with_index(alias);
          }
        }
      }
    }
    // At most one write index per alias.
    std::map<std::string, int> writers;
    for (const auto& [n, m] : s.indices) {
      for (const auto& [a, am] : m->aliases) {
        if (am.is_write_index.value_or(false) && ++writers[a] > 1) {
          return invalid_argument("alias [" + a + "] has more than one write index [" + n + "]");
        }
      }
    }
    return Status::ok();
  }));
  for (const auto& n : to_delete) {
    std::shared_ptr<IndexService> svc;
    {
      std::lock_guard<std::mutex> lock(state_mu_);
      auto it = services_.find(n);
      if (it != services_.end()) {
        svc = it->second;
        services_.erase(it);
      }
    }
    if (svc) {
      svc->close();
      SIFT_RETURN_IF_ERROR(index::remove_tree(svc->path()));
    }
  }
  return Status::ok();
}

Status Node::put_cluster_settings(const Settings& persistent, const Settings& transient) {
  return update_state([&](ClusterState& s) -> Status {
    for (const auto& [k, v] : persistent) {
      if (v == "\x01null") s.persistent_settings.erase(k);
      else s.persistent_settings[k] = v;
    }
    for (const auto& [k, v] : transient) {
      if (v == "\x01null") s.transient_settings.erase(k);
      else s.transient_settings[k] = v;
    }
    return Status::ok();
  });
}

Status Node::put_template(TemplateKind kind, const std::string& name, std::string_view body, bool create) {
  if (name.empty() || name.find_first_of(" ,\"*\\<|>/?") != std::string::npos) {
    return invalid_argument("invalid template name [" + name + "]");
  }
  std::optional<ComposableTemplate> composable;
  std::optional<ComponentTemplate> component;
  std::optional<LegacyTemplate> legacy;
  if (kind == TemplateKind::kComposable) {
    SIFT_ASSIGN_OR_RETURN(composable, parse_composable_template(body));
  } else if (kind == TemplateKind::kComponent) {
    SIFT_ASSIGN_OR_RETURN(component, parse_component_template(body));
  } else {
    SIFT_ASSIGN_OR_RETURN(legacy, parse_legacy_template(body));
  }
  // Aliases and settings are checked now, so a bad template fails here rather than at index creation.
  const TemplateContent& content = composable ? composable->content : component ? component->content : legacy->content;
  if (content.aliases_json) {
    std::map<std::string, AliasMetadata> aliases;
    SIFT_RETURN_IF_ERROR(parse_aliases_body(*content.aliases_json, &aliases));
  }
  if (content.settings) {
    IndexMetadata probe;
    probe.settings = *content.settings;
    SIFT_RETURN_IF_ERROR(apply_index_settings(&probe));
  }
  return update_state([&](ClusterState& s) -> Status {
    Templates& t = s.templates;
    bool exists = kind == TemplateKind::kComposable  ? t.composable.count(name) > 0
                  : kind == TemplateKind::kComponent ? t.components.count(name) > 0
                                                     : t.legacy.count(name) > 0;
    if (create && exists) {
      return invalid_argument(std::string(kind == TemplateKind::kComponent ? "component template" : "index template") +
                              " [" + name + "] already exists");
    }
    if (composable) {
      SIFT_RETURN_IF_ERROR(validate_composable(t, name, *composable));
      t.composable[name] = std::move(*composable);
    } else if (component) {
      t.components[name] = std::move(*component);
    } else {
      t.legacy[name] = std::move(*legacy);
    }
    return Status::ok();
  });
}

Status Node::delete_templates(TemplateKind kind, const std::string& names) {
  return update_state([&](ClusterState& s) -> Status {
    Templates& t = s.templates;
    std::vector<std::string> doomed;
    auto collect = [&](const auto& map) -> Status {
      size_t start = 0;
      while (start <= names.size()) {
        size_t comma = names.find(',', start);
        std::string n = names.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        bool any = false;
        for (const auto& [name, unused] : map) {
          if (name == n || wildcard_match(n, name)) {
            doomed.push_back(name);
            any = true;
          }
        }
        if (!any && n.find('*') == std::string::npos) {
          return Status(Code::kNotFound,
                        kind == TemplateKind::kLegacy ? "index_template_missing_exception" : "resource_not_found_exception",
                        kind == TemplateKind::kComponent ? "component_template [" + n + "] missing"
                                                         : "index_template [" + n + "] missing");
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return Status::ok();
    };
    if (kind == TemplateKind::kComposable) {
      SIFT_RETURN_IF_ERROR(collect(t.composable));
      for (const auto& n : doomed) t.composable.erase(n);
    } else if (kind == TemplateKind::kComponent) {
      SIFT_RETURN_IF_ERROR(collect(t.components));
      for (const auto& n : doomed) {
        for (const auto& [tn, tpl] : t.composable) {
          if (std::find(tpl.composed_of.begin(), tpl.composed_of.end(), n) != tpl.composed_of.end()) {
            return invalid_argument("component templates [" + n + "] cannot be removed as they are still in use by index templates [" + tn + "]");
          }
        }
      }
      for (const auto& n : doomed) t.components.erase(n);
    } else {
      SIFT_RETURN_IF_ERROR(collect(t.legacy));
      for (const auto& n : doomed) t.legacy.erase(n);
    }
    return Status::ok();
  });
}

void Node::start_background() {
  maintenance_thread_ = std::thread([this] { maintenance_loop(); });
  merge_thread_ = std::thread([this] { merge_loop(); });
}

void Node::maintenance_loop() {
  int64_t last_trim = now_millis();
  while (!stopping_) {
    {
      std::unique_lock<std::mutex> lock(bg_mu_);
      bg_cv_.wait_for(lock, std::chrono::milliseconds(kMaintenanceTickMs), [&] { return stopping_.load(); });
    }
    if (stopping_) break;
    int64_t now = now_millis();
    if (now - last_trim > kTrimIntervalMs) {
      release_free_memory();
      last_trim = now;
    }
    for (auto& svc : all_services()) {
      if (svc->closed()) continue;
      IndexMetadataPtr meta = svc->metadata();
      bool refresh_due = meta->refresh_interval_ms >= 0 && now - svc->last_refresh_ms() >= meta->refresh_interval_ms;
      if (refresh_due) svc->set_last_refresh_ms(now);
      for (int i = 0; i < svc->num_shards(); ++i) {
        index::Shard& shard = svc->shard(i);
        if (refresh_due && shard.needs_refresh()) {
          Status st = shard.refresh();
          if (!st.is_ok()) log::warn("refresh of [" + svc->name() + "][" + std::to_string(i) + "] failed: " + st.to_string());
        }
        // Flush when the translog grows large, or once writes have stopped for a while, so a
        // restart replays little.
        int64_t seq = shard.stats().max_seq_no;
        auto& activity = activity_[&shard];
        if (seq != activity.seq_no) activity = {seq, now, false};
        bool idle = !activity.flushed && now - activity.changed_ms > kIdleFlushMs;
        if (idle || shard.translog_bytes() > static_cast<uint64_t>(options_.flush_threshold_bytes)) {
          Status st = shard.flush();
          if (!st.is_ok()) log::warn("flush of [" + svc->name() + "] failed: " + st.to_string());
          activity.flushed = idle;
        }
      }
    }
  }
}

void Node::merge_loop() {
  while (!stopping_) {
    {
      std::unique_lock<std::mutex> lock(bg_mu_);
      bg_cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_.load(); });
    }
    if (stopping_) break;
    for (auto& svc : all_services()) {
      for (int i = 0; i < svc->num_shards() && !stopping_ && !svc->closed(); ++i) {
        auto r = svc->shard(i).maybe_merge(0);
        if (!r.is_ok()) log::warn("merge of [" + svc->name() + "] failed: " + r.status().to_string());
      }
    }
  }
}

void Node::stop() {
  if (stopping_.exchange(true)) return;
  if (tasks_) tasks_->shutdown();  // background by-query work ends before the shards close
  bg_cv_.notify_all();
  if (maintenance_thread_.joinable()) maintenance_thread_.join();
  if (merge_thread_.joinable()) merge_thread_.join();
  for (auto& svc : all_services()) svc->close();
}

}  // namespace sift::cluster
