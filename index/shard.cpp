#include "index/shard.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "common/log.h"
#include "common/time_util.h"
#include "index/commit_point.h"

namespace sift::index {
namespace {

constexpr int64_t kGcDeletesMillis = 60'000;  // index.gc_deletes: how long a delete's version is kept
constexpr size_t kMaxSegmentsBeforeMerge = 10;
constexpr size_t kMergeFactor = 10;
constexpr const char* kCommitFile = "commit";
constexpr const char* kSegmentExt = ".sseg";

std::string live_file(const std::string& segment, uint64_t gen) {
  return segment + "_" + std::to_string(gen) + ".liv";
}

Status conflict(std::string reason) {
  return Status(Code::kVersionConflict, "version_conflict_engine_exception", std::move(reason));
}

}  // namespace

struct Shard::Segment {
  std::string name;
  std::shared_ptr<SegmentReader> reader;
  std::shared_ptr<LiveDocs> live;   // current deletions; copied before a write when a snapshot shares it
  uint64_t live_gen = 0;            // generation of the .liv file in the last commit (0: none)
  bool live_changed = false;        // deletions since the last commit
  bool synced = false;              // segment file fsynced
  uint64_t live_version = 0;        // bumped by every mutable_live()
  // Segments with nested docs: deletions plus nested docs, as of `visible_version` (publish_locked).
  std::shared_ptr<const LiveDocs> visible;
  uint64_t visible_version = UINT64_MAX;

  LiveDocs& mutable_live() {
    ++live_version;
    if (!live) {
      live = std::make_shared<LiveDocs>();
    } else if (live.use_count() > 1) {
      live = std::make_shared<LiveDocs>(*live);
    }
    return *live;
  }
  uint64_t live_count() const { return reader->max_doc() - (live ? live->num_deleted() : 0); }
};

struct Shard::VersionEntry {
  int64_t seq_no;
  int64_t primary_term;
  int64_t version;
  bool deleted;
  uint32_t buffer_doc;  // kNoMoreDocs when deleted
  uint64_t gen;         // buffer generation the op went to
};

struct Shard::Current {
  bool found = false;
  bool in_buffer = false;
  uint64_t gen = 0;         // buffer generation when in_buffer
  uint32_t doc = 0;
  Segment* segment = nullptr;
  int64_t seq_no = -1;
  int64_t primary_term = 0;
  int64_t version = 0;      // live version, or the deleted version still remembered (0: unknown)
};

Result<std::unique_ptr<Shard>> Shard::open(const std::string& path, int64_t primary_term, SourceParser parser) {
  std::unique_ptr<Shard> shard(new Shard());
  shard->path_ = path;
  shard->primary_term_ = primary_term;
  shard->parser_ = std::move(parser);
  SIFT_ASSIGN_OR_RETURN(shard->dir_, Directory::open(path, true));
  shard->buffer_ = std::make_shared<SegmentBuilder>();
  SIFT_RETURN_IF_ERROR(shard->recover());
  return shard;
}

Shard::~Shard() = default;

std::string Shard::next_segment_name() {
  char buf[32];
  std::snprintf(buf, sizeof buf, "_%llx", static_cast<unsigned long long>(segment_counter_++));
  return buf;
}

Status Shard::recover() {
  CommitPoint commit;
  if (dir_->exists(kCommitFile)) {
    SIFT_ASSIGN_OR_RETURN(std::string bytes, dir_->read_all(kCommitFile));
    SIFT_ASSIGN_OR_RETURN(commit, CommitPoint::parse(bytes));
  }
  segment_counter_ = commit.segment_counter;
  for (const auto& e : commit.segments) {
    auto seg = std::make_unique<Segment>();
    seg->name = e.segment;
    SIFT_ASSIGN_OR_RETURN(auto file, dir_->map(e.segment + kSegmentExt));
    SIFT_ASSIGN_OR_RETURN(seg->reader, SegmentReader::open(file));
    if (e.live_gen > 0) {
      SIFT_ASSIGN_OR_RETURN(std::string bytes, dir_->read_all(live_file(e.segment, e.live_gen)));
      SIFT_ASSIGN_OR_RETURN(LiveDocs live, LiveDocs::deserialize(bytes));
      seg->live = std::make_shared<LiveDocs>(std::move(live));
    }
    seg->live_gen = e.live_gen;
    seg->synced = true;
    segments_.push_back(std::move(seg));
    committed_files_.push_back(e.segment + kSegmentExt);
    if (e.live_gen > 0) committed_files_.push_back(live_file(e.segment, e.live_gen));
  }
  next_seq_no_ = commit.max_seq_no + 1;
  commit_generation_ = commit.generation;
  delete_unreferenced_files();

  SIFT_ASSIGN_OR_RETURN(translog_, Translog::open(path_ + "/translog"));
  uint64_t replayed = 0;
  std::lock_guard<std::mutex> lock(mu_);
  Status s = translog_->replay(commit.translog_generation, [&](const TranslogOp& op) -> Status {
    if (op.seq_no <= commit.max_seq_no) return Status::ok();
    ParsedDocument parsed;
    WriteOp w;
    w.id = op.id;
    w.routing = op.routing;
    if (op.type == TranslogOp::Type::kIndex) {
      SIFT_ASSIGN_OR_RETURN(parsed, parser_(op.id, op.source));
      w.kind = WriteOp::Kind::kIndex;
      w.source = op.source;
      w.parsed = &parsed;
    } else if (op.type == TranslogOp::Type::kDelete) {
      w.kind = WriteOp::Kind::kDelete;
    } else {
      next_seq_no_ = std::max(next_seq_no_, op.seq_no + 1);
      return Status::ok();
    }
    Replayed r{op.seq_no, op.primary_term, op.version};
    auto res = apply_locked(w, &r);
    if (!res.is_ok()) return std::move(res).take_status();
    ++replayed;
    return Status::ok();
  });
  SIFT_RETURN_IF_ERROR(s);
  if (replayed > 0) log::info("shard [" + path_ + "]: replayed " + std::to_string(replayed) + " translog operations");
  SIFT_RETURN_IF_ERROR(refresh_locked());
  recovered_ops_ = replayed;
  return Status::ok();
}

Shard::Current Shard::lookup_locked(std::string_view id) const {
  Current cur;
  auto it = version_map_.find(std::string(id));
  if (it != version_map_.end()) {
    const VersionEntry& e = *it->second;
    cur.seq_no = e.seq_no;
    cur.primary_term = e.primary_term;
    cur.version = e.version;
    if (!e.deleted) {
      cur.found = true;
      cur.in_buffer = true;
      cur.gen = e.gen;
      cur.doc = e.buffer_doc;
    }
    return cur;
  }
  for (auto sit = segments_.rbegin(); sit != segments_.rend(); ++sit) {
    Segment* seg = sit->get();
    auto doc = seg->reader->find_id(id);
    if (!doc || (seg->live && seg->live->is_deleted(*doc))) continue;
    StoredDocument stored;
    if (!seg->reader->stored(*doc, &stored).is_ok()) continue;
    cur.found = true;
    cur.segment = seg;
    cur.doc = *doc;
    cur.seq_no = stored.meta.seq_no;
    cur.primary_term = stored.meta.primary_term;
    cur.version = stored.meta.version;
    return cur;
  }
  auto t = tombstones_.find(std::string(id));
  if (t != tombstones_.end()) cur.version = t->second.first;
  return cur;
}

Status Shard::mark_deleted_locked(const Current& cur) {
  if (!cur.found) return Status::ok();
  if (cur.in_buffer) {
    // The whole block: the root and its nested docs.
    if (cur.gen == buffer_gen_) {
      for (uint32_t d = buffer_->block_start(cur.doc); d <= cur.doc; ++d) buffer_deleted_[d] = true;
    } else if (cur.gen == refreshing_gen_) {
      for (uint32_t d = refreshing_->block_start(cur.doc); d <= cur.doc; ++d) refreshing_deleted_[d] = true;
    }
  } else {
    LiveDocs& live = cur.segment->mutable_live();
    for (uint32_t d = cur.segment->reader->block_start(cur.doc); d <= cur.doc; ++d) live.mark_deleted(d);
    cur.segment->live_changed = true;
  }
  dirty_ = true;
  return Status::ok();
}

Result<WriteResult> Shard::apply(const WriteOp& op) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return Status(Code::kUnavailable, "shard_closed_exception", "shard is closed");
  if (!failure_.is_ok()) return failure_;
  return apply_locked(op, nullptr);
}

Result<WriteResult> Shard::apply_locked(const WriteOp& op, const Replayed* replayed) {
  const bool is_delete = op.kind == WriteOp::Kind::kDelete;
  Current cur;
  if (!(op.auto_generated_id && !is_delete && replayed == nullptr)) cur = lookup_locked(op.id);

  WriteResult result;
  if (replayed == nullptr) {
    if (op.if_seq_no || op.if_primary_term) {
      int64_t want_seq = op.if_seq_no.value_or(-2), want_term = op.if_primary_term.value_or(0);
      if (!cur.found) {
        return conflict("[" + op.id + "]: version conflict, required seqNo [" + std::to_string(want_seq) +
                        "], primary term [" + std::to_string(want_term) + "] but no document was found");
      }
      if (cur.seq_no != want_seq || cur.primary_term != want_term) {
        return conflict("[" + op.id + "]: version conflict, required seqNo [" + std::to_string(want_seq) +
                        "], primary term [" + std::to_string(want_term) + "]. current document has seqNo [" +
                        std::to_string(cur.seq_no) + "] and primary term [" + std::to_string(cur.primary_term) + "]");
      }
    }
    if (op.kind == WriteOp::Kind::kCreate && cur.found) {
      return conflict("[" + op.id + "]: version conflict, document already exists (current version [" +
                      std::to_string(cur.version) + "])");
    }
    if (op.version_type != VersionType::kInternal && (cur.found || cur.version > 0)) {
      bool ok = op.version_type == VersionType::kExternal ? op.version > cur.version : op.version >= cur.version;
      if (!ok) {
        return conflict("[" + op.id + "]: version conflict, current version [" + std::to_string(cur.version) +
                        "] is higher" + (op.version_type == VersionType::kExternal ? " or equal to" : " than") +
                        " the one provided [" + std::to_string(op.version) + "]");
      }
    }
    result.version = op.version_type != VersionType::kInternal ? op.version
                     : cur.found                               ? cur.version + 1
                     : (!is_delete && cur.version > 0)         ? cur.version + 1
                                                               : 1;
    if (is_delete && !cur.found && op.version_type == VersionType::kInternal) result.version = 1;
    result.seq_no = next_seq_no_;
    result.primary_term = primary_term_;

    TranslogOp t;
    t.type = is_delete ? TranslogOp::Type::kDelete : TranslogOp::Type::kIndex;
    t.seq_no = result.seq_no;
    t.primary_term = result.primary_term;
    t.version = result.version;
    t.id = op.id;
    t.routing = op.routing;
    if (!is_delete) t.source = op.source;
    SIFT_ASSIGN_OR_RETURN(result.location, translog_->append(t));
    ++next_seq_no_;
  } else {
    result.seq_no = replayed->seq_no;
    result.primary_term = replayed->primary_term;
    result.version = replayed->version;
    next_seq_no_ = std::max(next_seq_no_, result.seq_no + 1);
  }

  SIFT_RETURN_IF_ERROR(mark_deleted_locked(cur));
  auto& entry = version_map_[op.id];
  if (!entry) entry = std::make_unique<VersionEntry>();
  entry->seq_no = result.seq_no;
  entry->primary_term = result.primary_term;
  entry->version = result.version;
  entry->gen = buffer_gen_;
  if (is_delete) {
    result.outcome = cur.found ? WriteResult::Outcome::kDeleted : WriteResult::Outcome::kNotFound;
    entry->deleted = true;
    entry->buffer_doc = kNoMoreDocs;
    if (cur.found) tombstones_[op.id] = {result.version, now_millis()};
  } else {
    result.outcome = cur.found ? WriteResult::Outcome::kUpdated : WriteResult::Outcome::kCreated;
    DocMeta meta{op.id, op.routing, result.seq_no, result.primary_term, result.version};
    entry->deleted = false;
    entry->buffer_doc = buffer_->add(*op.parsed, meta, op.source);
    buffer_deleted_.resize(buffer_->num_docs(), false);  // the doc and its nested docs
  }
  max_seq_no_in_buffer_ = std::max(max_seq_no_in_buffer_, result.seq_no);
  dirty_ = true;
  return result;
}

Status Shard::sync(const TranslogLocation& loc) { return translog_->sync(loc); }

Result<std::optional<StoredDocument>> Shard::get(std::string_view id) {
  std::shared_ptr<SegmentReader> reader;
  uint32_t doc = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Current cur = lookup_locked(id);
    if (!cur.found) return std::optional<StoredDocument>();
    if (cur.in_buffer) {
      // A refresh may be serializing the older buffer meanwhile: that only reads its metas and
      // sources, as this does.
      const auto& builder = cur.gen == buffer_gen_ ? buffer_ : refreshing_;
      StoredDocument d;
      d.meta = builder->meta(cur.doc);
      d.source = std::string(builder->source(cur.doc));
      return std::optional<StoredDocument>(std::move(d));
    }
    reader = cur.segment->reader;
    doc = cur.doc;
  }
  StoredDocument d;
  SIFT_RETURN_IF_ERROR(reader->stored(doc, &d));
  return std::optional<StoredDocument>(std::move(d));
}

Status Shard::refresh() {
  std::lock_guard<std::mutex> one_refresh(refresh_mu_);
  std::shared_ptr<SegmentBuilder> building;
  std::string name;
  int64_t upto;
  uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failure_.is_ok()) return failure_;
    if (buffer_->num_docs() == 0) return refresh_locked();  // only deletions to publish
    // Swap the buffer out; writers go on into a fresh one while the segment is built.
    building = buffer_;
    refreshing_ = buffer_;
    refreshing_deleted_ = std::move(buffer_deleted_);
    refreshing_gen_ = buffer_gen_++;
    gen = refreshing_gen_;
    buffer_ = std::make_shared<SegmentBuilder>();
    buffer_deleted_.clear();
    name = next_segment_name();
    upto = next_seq_no_ - 1;
    dirty_ = false;
  }
  auto seg = build_segment(*building, name);
  std::lock_guard<std::mutex> lock(mu_);
  if (!seg.is_ok()) {
    // The operations are safe in the translog, but this buffer can no longer become a segment:
    // fail the engine (writes stop with this error) until a restart replays the translog.
    failure_ = Status(seg.status().code(), seg.status().type(),
                      "shard [" + path_ + "] failed to refresh: " + seg.status().reason());
    log::error(failure_.reason());
    return failure_;
  }
  install_segment_locked(std::move(seg).value(), refreshing_deleted_, gen, upto);
  refreshing_.reset();
  refreshing_deleted_.clear();
  refreshing_gen_ = 0;
  return Status::ok();
}

Result<std::unique_ptr<Shard::Segment>> Shard::build_segment(SegmentBuilder& builder, const std::string& name) {
  auto seg = std::make_unique<Segment>();
  seg->name = name;
  std::string bytes = builder.finish(name);
  SIFT_RETURN_IF_ERROR(dir_->write_file(name + kSegmentExt, bytes, false));
  SIFT_ASSIGN_OR_RETURN(auto file, dir_->map(name + kSegmentExt));
  SIFT_ASSIGN_OR_RETURN(seg->reader, SegmentReader::open(file));
  return seg;
}

void Shard::install_segment_locked(std::unique_ptr<Segment> seg, const std::vector<bool>& deleted, uint64_t gen,
                                   int64_t visible_upto) {
  for (uint32_t d = 0; d < deleted.size(); ++d) {
    if (deleted[d]) seg->mutable_live().mark_deleted(d);
  }
  seg->live_changed = seg->live != nullptr;
  segments_.push_back(std::move(seg));
  // Entries of that buffer (and older) now live in segments; newer ops keep theirs.
  for (auto it = version_map_.begin(); it != version_map_.end();) {
    it = it->second->gen <= gen ? version_map_.erase(it) : std::next(it);
  }
  int64_t now = now_millis();
  for (auto it = tombstones_.begin(); it != tombstones_.end();) {
    it = now - it->second.second > kGcDeletesMillis ? tombstones_.erase(it) : std::next(it);
  }
  publish_locked();
  if (visible_upto > visible_seq_no_.load()) {
    visible_seq_no_ = visible_upto;
    visible_cv_.notify_all();
  }
}

Status Shard::refresh_locked() {
  if (!failure_.is_ok()) return failure_;
  if (buffer_->num_docs() > 0) {
    std::string name = next_segment_name();
    SIFT_ASSIGN_OR_RETURN(auto seg, build_segment(*buffer_, name));
    std::vector<bool> deleted = std::move(buffer_deleted_);
    uint64_t gen = buffer_gen_++;
    buffer_ = std::make_shared<SegmentBuilder>();
    buffer_deleted_.clear();
    install_segment_locked(std::move(seg), deleted, gen, next_seq_no_ - 1);
  } else {
    // Only deletions since the last refresh: they are in the live docs now (and their versions in
    // the tombstones), so their version-map entries can go. Callers hold refresh_mu_ (or are
    // recovering), so no other buffer is being refreshed.
    for (auto it = version_map_.begin(); it != version_map_.end();) {
      it = it->second->deleted ? version_map_.erase(it) : std::next(it);
    }
    if (dirty_ || !snapshot_) publish_locked();
    if (next_seq_no_ - 1 > visible_seq_no_.load()) {
      visible_seq_no_ = next_seq_no_ - 1;
      visible_cv_.notify_all();
    }
  }
  dirty_ = false;
  return Status::ok();
}

void Shard::publish_locked() {
  auto snap = std::make_shared<ShardSnapshot>();
  uint32_t base = 0;
  for (auto& seg : segments_) {
    ReaderSegment rs;
    rs.reader = seg->reader;
    rs.live = seg->live;
    rs.deletes = seg->live;
    if (const auto& nested = seg->reader->nested_docs()) {
      if (seg->visible_version != seg->live_version || !seg->visible) {
        auto visible = std::make_shared<LiveDocs>(*nested);
        if (seg->live) visible->mark_all_deleted(*seg->live);
        seg->visible = std::move(visible);
        seg->visible_version = seg->live_version;
      }
      rs.live = seg->visible;
    }
    rs.base = base;
    base += seg->reader->max_doc();
    snap->num_docs += seg->live_count();
    snap->num_deleted += seg->live ? seg->live->num_deleted() : 0;
    snap->segments.push_back(std::move(rs));
  }
  snap->generation = ++refresh_generation_;
  snapshot_ = std::move(snap);
}

Status Shard::wait_for_visible(int64_t seq_no, bool force) {
  if (visible_seq_no_.load() >= seq_no) return Status::ok();
  if (force) return refresh();
  {
    std::unique_lock<std::mutex> lock(mu_);
    // The node's refresh scheduler wakes us; a bounded wait keeps a stalled scheduler from hanging.
    if (visible_cv_.wait_for(lock, std::chrono::seconds(30),
                             [&] { return visible_seq_no_.load() >= seq_no || closed_; })) {
      return Status::ok();
    }
  }
  return refresh();
}

Status Shard::flush() {
  std::lock_guard<std::mutex> flush_lock(flush_mu_);
  // Build the bulk of the buffer without blocking writers; the rest goes in under the lock below.
  SIFT_RETURN_IF_ERROR(refresh());
  std::lock_guard<std::mutex> one_refresh(refresh_mu_);
  CommitPoint commit;
  std::vector<std::pair<std::string, std::shared_ptr<const LiveDocs>>> live_to_write;
  std::vector<std::string> to_sync;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return Status::ok();
    SIFT_RETURN_IF_ERROR(refresh_locked());
    SIFT_ASSIGN_OR_RETURN(commit.translog_generation, translog_->roll_generation());
    commit.max_seq_no = next_seq_no_ - 1;
    commit.segment_counter = segment_counter_;
    commit.generation = ++commit_generation_;
    for (auto& seg : segments_) {
      CommitPoint::Entry e{seg->name, seg->live_gen};
      if (seg->live_changed && seg->live && !seg->live->empty()) {
        e.live_gen = commit.generation;
        live_to_write.emplace_back(live_file(seg->name, e.live_gen), seg->live);
        seg->live_gen = e.live_gen;
      }
      seg->live_changed = false;
      if (!seg->synced) {
        to_sync.push_back(seg->name + kSegmentExt);
        seg->synced = true;
      }
      commit.segments.push_back(std::move(e));
    }
  }
  for (const auto& name : to_sync) SIFT_RETURN_IF_ERROR(dir_->sync_file(name));
  for (const auto& [name, live] : live_to_write) {
    SIFT_RETURN_IF_ERROR(dir_->write_file(name, live->serialize(), true));
  }
  SIFT_RETURN_IF_ERROR(dir_->write_atomic(kCommitFile, commit.serialize()));
  SIFT_RETURN_IF_ERROR(translog_->trim_below(commit.translog_generation));
  {
    std::lock_guard<std::mutex> lock(mu_);
    committed_files_.clear();
    for (const auto& e : commit.segments) {
      committed_files_.push_back(e.segment + kSegmentExt);
      if (e.live_gen > 0) committed_files_.push_back(live_file(e.segment, e.live_gen));
    }
  }
  delete_unreferenced_files();
  return Status::ok();
}

void Shard::delete_unreferenced_files() {
  std::set<std::string> keep;
  {
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    if (translog_) lock.lock();  // during recovery the caller is alone
    keep.insert(committed_files_.begin(), committed_files_.end());
    for (const auto& seg : segments_) {
      keep.insert(seg->name + kSegmentExt);
      if (seg->live_gen > 0) keep.insert(live_file(seg->name, seg->live_gen));
    }
    for (const auto& name : in_progress_) keep.insert(name + kSegmentExt);
  }
  auto names = dir_->list();
  if (!names.is_ok()) return;
  for (const auto& name : *names) {
    bool ours = name.size() > 1 && name[0] == '_' &&
                (name.ends_with(kSegmentExt) || name.ends_with(".liv"));
    if ((ours && !keep.count(name)) || name.ends_with(".tmp")) (void)dir_->remove(name);
  }
}

Result<bool> Shard::maybe_merge(int force_max_segments) {
  std::lock_guard<std::mutex> merge_lock(merge_mu_);
  std::vector<Segment*> inputs;
  std::vector<std::shared_ptr<SegmentReader>> readers;
  std::vector<std::shared_ptr<const LiveDocs>> lives;
  std::string name;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    std::vector<Segment*> by_size;
    for (auto& s : segments_) by_size.push_back(s.get());
    std::sort(by_size.begin(), by_size.end(), [](Segment* a, Segment* b) {
      return a->reader->size_bytes() < b->reader->size_bytes();
    });
    if (force_max_segments > 0) {
      bool has_deletes = false;
      for (auto* s : by_size) has_deletes |= s->live && !s->live->empty();
      if (by_size.size() > static_cast<size_t>(force_max_segments) || (has_deletes && force_max_segments == 1)) {
        inputs = by_size;  // forced merges rewrite everything into one
      }
    } else if (by_size.size() > kMaxSegmentsBeforeMerge) {
      inputs.assign(by_size.begin(), by_size.begin() + static_cast<long>(kMergeFactor));
    } else {
      for (auto* s : by_size) {
        if (s->live && s->live->num_deleted() * 2 > s->reader->max_doc()) {
          inputs.push_back(s);  // mostly deleted: rewrite it alone
          break;
        }
      }
    }
    if (inputs.empty()) return false;
    for (auto* s : inputs) {
      readers.push_back(s->reader);
      lives.push_back(s->live ? s->live : std::make_shared<LiveDocs>());
      if (s->live) s->live = std::make_shared<LiveDocs>(*s->live);  // later deletes go to a new copy
    }
    name = next_segment_name();
    in_progress_.insert(name);
  }

  std::vector<MergeInput> merge_inputs;
  for (size_t i = 0; i < readers.size(); ++i) merge_inputs.push_back({readers[i].get(), lives[i].get()});
  std::vector<std::vector<uint32_t>> doc_maps;
  auto finish_failed = [&](Status s) {
    std::lock_guard<std::mutex> lock(mu_);
    in_progress_.erase(name);
    return s;
  };
  auto bytes = merge_segments(merge_inputs, name, &doc_maps);
  if (!bytes.is_ok()) return finish_failed(std::move(bytes).take_status());
  Status ws = dir_->write_file(name + kSegmentExt, *bytes, false);
  if (!ws.is_ok()) return finish_failed(ws);
  auto file = dir_->map(name + kSegmentExt);
  if (!file.is_ok()) return finish_failed(std::move(file).take_status());
  auto reader = SegmentReader::open(*file);
  if (!reader.is_ok()) return finish_failed(std::move(reader).take_status());

  std::lock_guard<std::mutex> lock(mu_);
  in_progress_.erase(name);
  auto merged = std::make_unique<Segment>();
  merged->name = name;
  merged->reader = *reader;
  // Deletes that arrived while merging: carry them over through the doc maps.
  for (size_t i = 0; i < inputs.size(); ++i) {
    const LiveDocs* now = inputs[i]->live.get();
    if (!now) continue;
    for (uint32_t d = 0; d < readers[i]->max_doc(); ++d) {
      if (now->is_deleted(d) && !lives[i]->is_deleted(d) && doc_maps[i][d] != kNoMoreDocs) {
        merged->mutable_live().mark_deleted(doc_maps[i][d]);
      }
    }
  }
  merged->live_changed = merged->live != nullptr;
  std::set<Segment*> gone(inputs.begin(), inputs.end());
  segments_.erase(std::remove_if(segments_.begin(), segments_.end(),
                                 [&](const std::unique_ptr<Segment>& s) { return gone.count(s.get()) > 0; }),
                  segments_.end());
  segments_.push_back(std::move(merged));
  publish_locked();
  return true;
}

std::shared_ptr<const ShardSnapshot> Shard::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

ShardStats Shard::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  ShardStats s;
  for (const auto& seg : segments_) {
    s.docs += seg->live_count();
    s.deleted += seg->live ? seg->live->num_deleted() : 0;
    s.store_bytes += seg->reader->size_bytes();
  }
  s.segments = segments_.size();
  s.translog_bytes = translog_ ? translog_->size_bytes() : 0;
  s.max_seq_no = next_seq_no_ - 1;
  s.buffered_docs = buffer_->num_docs();
  return s;
}

bool Shard::needs_refresh() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dirty_;
}

uint64_t Shard::translog_bytes() const { return translog_ ? translog_->size_bytes() : 0; }

Status Shard::close() {
  Status s = flush();
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  visible_cv_.notify_all();
  return s;
}

}  // namespace sift::index
