#include "cluster/index_service.h"

#include <algorithm>
#include <cstring>

#include "cluster/index_names.h"
#include "cluster/json_merge.h"
#include "common/log.h"
#include "index/document_parser.h"

namespace sift::cluster {


IndexService::IndexService(IndexMetadataPtr meta, std::string path,
                           std::shared_ptr<const analysis::AnalyzerRegistry> analyzers, MappingPublisher publisher)
    : name_(meta->name), path_(std::move(path)), analyzers_(std::move(analyzers)), publisher_(std::move(publisher)),
      meta_(std::move(meta)) {}

IndexService::~IndexService() { close(); }

Status IndexService::open() {
  IndexMetadataPtr meta = metadata();
  for (int i = 0; i < meta->number_of_shards; ++i) {
    auto parser = [this](std::string_view id, std::string_view source) -> Result<index::ParsedDocument> {
      return parse(id, source, false);
    };
    auto shard = index::Shard::open(path_ + "/" + std::to_string(i), meta->primary_term, parser);
    if (!shard.is_ok()) {
      failure_ = Status(shard.status().code(), shard.status().type(),
                        "shard [" + std::to_string(i) + "] of index [" + name_ + "] failed to open: " +
                            shard.status().reason())
                     .with_index(name_);
      shards_.clear();
      return failure_;
    }
    shards_.push_back(std::move(shard).value());
  }
  // index.number_of_routing_shards is static: read once, not per routed document.
  const int shards = static_cast<int>(shards_.size());
  routing_num_shards_ = default_routing_num_shards(shards);
  auto configured = parse_int_setting(meta->settings, "index.number_of_routing_shards", routing_num_shards_);
  if (configured.is_ok() && *configured >= shards && *configured % shards == 0) routing_num_shards_ = *configured;
  return Status::ok();
}

IndexMetadataPtr IndexService::metadata() const {
  std::lock_guard<std::mutex> lock(meta_mu_);
  return meta_;
}

void IndexService::set_metadata(IndexMetadataPtr meta) {
  std::lock_guard<std::mutex> lock(meta_mu_);
  meta_ = std::move(meta);
}

uint32_t routing_hash(std::string_view value) {
  // UTF-8 -> UTF-16 code units, little-endian, as Java's String.charAt order (invalid bytes: U+FFFD).
  std::string units;
  units.reserve(value.size() * 2);
  auto put = [&units](uint32_t u) {
    units.push_back(static_cast<char>(u & 0xff));
    units.push_back(static_cast<char>((u >> 8) & 0xff));
  };
  const auto* p = reinterpret_cast<const uint8_t*>(value.data());
  size_t n = value.size(), i = 0;
  while (i < n) {
    uint32_t c = p[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (p[i + k] & 0xc0) == 0x80;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if (!ok) {
      put(0xfffd);
      ++i;
      continue;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  return murmur3_32(units);
}

int default_routing_num_shards(int num_shards) {
  // The largest num_shards * 2^k that is at most 1024, with k >= 1 (OpenSearch 2.x indices).
  int log2_shards = 0;
  while ((1 << log2_shards) < num_shards) ++log2_shards;
  int splits = std::max(1, 10 - log2_shards);
  return num_shards << splits;
}

int IndexService::shard_for(std::string_view id, std::string_view routing) const {
  // OpenSearch's OperationRouting: floorMod(hash, routing_num_shards) / (routing_num_shards / shards).
  const int shards = static_cast<int>(shards_.size());
  const int64_t routing_shards = routing_num_shards_;
  int64_t h = static_cast<int32_t>(routing_hash(routing.empty() ? id : routing));
  int64_t slot = ((h % routing_shards) + routing_shards) % routing_shards;
  return static_cast<int>(slot / (routing_shards / shards));
}

Result<index::ParsedDocument> IndexService::parse(std::string_view id, std::string_view source, bool publish_updates) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    IndexMetadataPtr meta = metadata();
    index::ParseLimits limits;
    auto total = parse_int_setting(meta->settings, "index.mapping.total_fields.limit", 1000);
    if (total.is_ok()) limits.total_fields = static_cast<size_t>(*total);
    auto depth = parse_int_setting(meta->settings, "index.mapping.depth.limit", 20);
    if (depth.is_ok()) limits.depth = static_cast<size_t>(*depth);
    auto nested = parse_int_setting(meta->settings, "index.mapping.nested_objects.limit", 10000);
    if (nested.is_ok()) limits.nested_objects = static_cast<size_t>(*nested);
    SIFT_ASSIGN_OR_RETURN(index::ParseOutput out, index::parse_document(source, id, *meta->mapping, limits));
    if (!out.mapping_update) return std::move(out.doc);
    if (!publish_updates) {
      // Replay: the mapping was published before the op was acknowledged, so this is a field the
      // mapping lost; index it as parsed rather than fail recovery.
      return std::move(out.doc);
    }
    std::lock_guard<std::mutex> lock(mapping_mu_);
    if (metadata()->mapping != meta->mapping) continue;  // someone else changed it: parse again
    SIFT_ASSIGN_OR_RETURN(IndexMetadataPtr now, publisher_(name_, std::move(*out.mapping_update)));
    set_metadata(now);
    return std::move(out.doc);
  }
  return Status(Code::kUnavailable, "mapper_exception", "could not settle the mapping after repeated concurrent updates");
}

Result<DocWriteResponse> IndexService::write(const DocWriteRequest& req) {
  if (failed()) return failure_;
  if (closed_) return Status(Code::kUnavailable, "index_closed_exception", "closed").with_index(name_);
  DocWriteResponse resp;
  resp.index = name_;
  index::WriteOp op;
  op.kind = req.kind;
  op.routing = req.routing;
  op.if_seq_no = req.if_seq_no;
  op.if_primary_term = req.if_primary_term;
  op.version_type = req.version_type;
  op.version = req.version;
  if (req.id.empty()) {
    if (req.kind == index::WriteOp::Kind::kDelete) return invalid_argument("id is missing");
    op.id = auto_document_id();
    op.auto_generated_id = true;
    op.kind = index::WriteOp::Kind::kCreate;
  } else {
    op.id = req.id;
  }
  if (op.id.size() > 512) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: id [" + op.id.substr(0, 32) + "...] is too long, must be no longer than 512 bytes but was: " +
                      std::to_string(op.id.size()) + ";");
  }
  if (op.routing.empty() && metadata()->mapping->routing_required) {
    return Status(Code::kInvalidArgument, "routing_missing_exception",
                  "routing is required for [" + name_ + "]/[" + op.id + "]")
        .with_index(name_);
  }
  index::ParsedDocument parsed;
  if (op.kind != index::WriteOp::Kind::kDelete) {
    SIFT_ASSIGN_OR_RETURN(parsed, parse(op.id, req.source, true));
    op.parsed = &parsed;
    op.source = req.source;
  }
  resp.id = op.id;
  resp.shard = shard_for(op.id, op.routing);
  auto applied = shards_[static_cast<size_t>(resp.shard)]->apply(op);
  if (!applied.is_ok()) {
    Status s = std::move(applied).take_status();
    s.with_index(name_).with_shard(resp.shard);
    return s;
  }
  resp.result = *applied;
  return resp;
}

DocWriteResponse IndexService::noop_response(const UpdateRequest& req, const index::StoredDocument& current,
                                             std::string source) const {
  DocWriteResponse resp;
  resp.index = name_;
  resp.id = req.id;
  resp.shard = shard_for(req.id, req.routing);
  resp.noop = true;
  resp.result = {index::WriteResult::Outcome::kUpdated, current.meta.seq_no, current.meta.primary_term,
                 current.meta.version, {}};
  resp.get_source = std::move(source);
  return resp;
}

Result<DocWriteResponse> IndexService::update(const UpdateRequest& req) {
  if (req.scripted) {
    return invalid_argument("scripted updates are not supported by Sift; send a partial [doc] instead");
  }
  if (req.doc.empty() && req.upsert.empty()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: script or doc is missing;");
  }
  for (int attempt = 0;; ++attempt) {
    SIFT_ASSIGN_OR_RETURN(auto current, get(req.id, req.routing));
    DocWriteRequest w;
    w.id = req.id;
    w.routing = req.routing;
    if (!current) {
      if (!req.upsert.empty()) {
        w.source = req.upsert;
      } else if (req.doc_as_upsert) {
        w.source = req.doc;
      } else {
        return Status(Code::kNotFound, "document_missing_exception", "[" + req.id + "]: document missing")
            .with_index(name_);
      }
      w.kind = index::WriteOp::Kind::kCreate;
    } else {
      if (req.if_seq_no && (current->meta.seq_no != *req.if_seq_no ||
                            current->meta.primary_term != req.if_primary_term.value_or(0))) {
        return Status(Code::kVersionConflict, "version_conflict_engine_exception",
                      "[" + req.id + "]: version conflict, required seqNo [" + std::to_string(*req.if_seq_no) +
                          "], primary term [" + std::to_string(req.if_primary_term.value_or(0)) +
                          "]. current document has seqNo [" + std::to_string(current->meta.seq_no) +
                          "] and primary term [" + std::to_string(current->meta.primary_term) + "]")
            .with_index(name_);
      }
      if (req.doc.empty()) {
        // Only an upsert was given and the doc exists: nothing to change.
        return noop_response(req, *current, current->source);
      }
      bool changed = false;
      SIFT_ASSIGN_OR_RETURN(std::string merged, merge_json_objects(current->source, req.doc, &changed));
      if (!changed && req.detect_noop) {
        return noop_response(req, *current, std::move(merged));
      }
      w.source = std::move(merged);
      w.kind = index::WriteOp::Kind::kIndex;
      w.if_seq_no = current->meta.seq_no;
      w.if_primary_term = current->meta.primary_term;
    }
    auto r = write(w);
    if (!r.is_ok() && r.status().code() == Code::kVersionConflict && attempt < req.retry_on_conflict) continue;
    if (!r.is_ok()) {
      Status s = std::move(r).take_status();
      s.with_index(name_);
      return s;
    }
    r->get_source = w.source;
    return r;
  }
}

Status IndexService::sync(const DocWriteResponse& resp) {
  if (resp.noop) return Status::ok();
  return shards_[static_cast<size_t>(resp.shard)]->sync(resp.result.location);
}

Result<std::optional<index::StoredDocument>> IndexService::get(std::string_view id, std::string_view routing) {
  if (failed()) return failure_;
  return shards_[static_cast<size_t>(shard_for(id, routing))]->get(id);
}

Status IndexService::refresh() {
  for (auto& s : shards_) SIFT_RETURN_IF_ERROR(s->refresh());
  return Status::ok();
}

Status IndexService::flush() {
  for (auto& s : shards_) SIFT_RETURN_IF_ERROR(s->flush());
  return Status::ok();
}

Status IndexService::force_merge(int max_segments) {
  for (auto& s : shards_) {
    SIFT_RETURN_IF_ERROR(s->refresh());
    auto r = s->maybe_merge(max_segments);
    if (!r.is_ok()) return std::move(r).take_status();
  }
  return Status::ok();
}

void IndexService::close() {
  if (closed_.exchange(true)) return;
  for (auto& s : shards_) {
    Status st = s->close();
    if (!st.is_ok()) log::warn("closing a shard of [" + name_ + "]: " + st.to_string());
  }
}

}  // namespace sift::cluster
