#include "cluster/by_query.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "common/time_util.h"
#include "query/dsl_parser.h"
#include "query/searcher.h"

namespace sift::cluster {
namespace {

// One shard of the point in time the run works on.
struct ShardCursor {
  std::shared_ptr<IndexService> service;
  IndexMetadataPtr meta;
  int shard = 0;
  std::shared_ptr<const index::ShardSnapshot> snapshot;
  const query::Query* filter = nullptr;     // alias filter, if reached through filtered aliases
  std::vector<std::pair<uint32_t, uint32_t>> buffer;  // (segment, doc) in doc order
  size_t pos = 0;
  int64_t last_doc = -1;                    // shard doc number of the last hit buffered
  bool exhausted = false;
  uint64_t total = 0;
};

struct HitRef {
  size_t cursor;
  uint32_t segment;
  uint32_t doc;
};

// Query-construction errors belong to the request; anything else is a failure of that shard.
bool is_request_error(const Status& s) {
  return s.code() == Code::kInvalidArgument || s.code() == Code::kParseError;
}

// The shards to work on, with their snapshots taken now; failed indices become search failures.
Status open_cursors(Node& node, const ByQueryRequest& req,
                    std::map<std::string, std::unique_ptr<query::Query>>* alias_filters,
                    std::vector<ShardCursor>* cursors, std::vector<ShardFailure>* failures) {
  for (const auto& t : req.targets) {
    SIFT_ASSIGN_OR_RETURN(auto filter, alias_filter_query(t));
    if (filter) (*alias_filters)[t.index] = std::move(filter);
  }
  for (const auto& t : req.targets) {
    auto svc = node.index(t.index);
    if (!svc) {
      SIFT_RETURN_IF_ERROR(node.check_not_closed(t.index));
      continue;
    }
    IndexMetadataPtr meta = svc->metadata();
    if (svc->failed()) {
      for (int s = 0; s < meta->number_of_shards; ++s) failures->push_back({t.index, s, svc->failure()});
      continue;
    }
    std::set<int> routed;
    for (const auto& r : req.routing) routed.insert(svc->shard_for("", r));
    auto filter = alias_filters->find(t.index);
    for (int s = 0; s < svc->num_shards(); ++s) {
      if (!req.routing.empty() && !routed.count(s)) continue;
      ShardCursor c;
      c.service = svc;
      c.meta = meta;
      c.shard = s;
      c.snapshot = svc->shard(s).snapshot();
      c.filter = filter == alias_filters->end() ? nullptr : filter->second.get();
      cursors->push_back(std::move(c));
    }
  }
  return Status::ok();
}

// Buffers the next chunk of a shard's matches, in doc order after the last one buffered.
Status fill(ShardCursor& c, const query::Query* q, size_t chunk) {
  query::ShardSearchOptions opts;
  opts.top_n = chunk;
  opts.filter = c.filter;
  opts.track_total_hits = query::SearchRequest::kTrackAll;
  query::SortKey by_doc;
  by_doc.type = query::SortKey::Type::kDoc;
  opts.sort = {by_doc};
  if (c.last_doc >= 0) {
    query::SortValue after;
    after.kind = query::SortValue::Kind::kLong;
    after.l = c.last_doc;
    opts.search_after = {after};
  }
  SIFT_ASSIGN_OR_RETURN(query::ShardSearchResult r, query::search_shard(*c.snapshot, *c.meta->mapping, q, opts));
  if (c.last_doc < 0) c.total = r.total_hits;
  c.buffer.clear();
  c.pos = 0;
  for (const auto& h : r.top) {
    c.buffer.emplace_back(h.segment, h.doc);
    c.last_doc = static_cast<int64_t>(c.snapshot->segments[h.segment].base) + h.doc;
  }
  c.exhausted = r.top.size() < chunk;
  return Status::ok();
}

// The hits of a run: shard after shard in doc order, or (sort with max_docs) the first max_docs
// hits of the requested sort across every shard.
class HitStream {
 public:
  HitStream(std::vector<ShardCursor>& cursors, const query::Query* q, size_t chunk)
      : cursors_(cursors), query_(q), chunk_(std::max<size_t>(1, chunk)) {}

  // Fetches the first chunk of every shard (this gives the total); shard failures are collected.
  Status start(std::vector<ShardFailure>* failures, uint64_t* total) {
    *total = 0;
    for (auto& c : cursors_) {
      Status st = fill(c, query_, chunk_);
      if (!st.is_ok()) {
        if (is_request_error(st)) return st;
        failures->push_back({c.service->name(), c.shard, st});
        c.exhausted = true;
        c.buffer.clear();
        continue;
      }
      *total += c.total;
    }
    return Status::ok();
  }

  // Sorted mode: the first `limit` hits by `sort` over all shards.
  Status start_sorted(const std::vector<query::SortSpec>& sort, size_t limit, std::vector<ShardFailure>* failures,
                      uint64_t* total);

  // Up to `n` further hits; fewer only at the end. A shard that fails is reported in `failures`.
  Result<std::vector<HitRef>> next(size_t n, std::vector<ShardFailure>* failures) {
    std::vector<HitRef> out;
    if (sorted_) {
      while (out.size() < n && sorted_pos_ < sorted_hits_.size()) out.push_back(sorted_hits_[sorted_pos_++]);
      return out;
    }
    while (out.size() < n && current_ < cursors_.size()) {
      ShardCursor& c = cursors_[current_];
      if (c.pos < c.buffer.size()) {
        out.push_back({current_, c.buffer[c.pos].first, c.buffer[c.pos].second});
        ++c.pos;
        continue;
      }
      if (c.exhausted) {
        ++current_;
        continue;
      }
      Status st = fill(c, query_, chunk_);
      if (!st.is_ok()) {
        if (is_request_error(st)) return st;
        failures->push_back({c.service->name(), c.shard, st});
        c.exhausted = true;
        c.buffer.clear();
      }
    }
    return out;
  }

 private:
  std::vector<ShardCursor>& cursors_;
  const query::Query* query_;
  size_t chunk_;
  size_t current_ = 0;
  bool sorted_ = false;
  std::vector<HitRef> sorted_hits_;
  size_t sorted_pos_ = 0;
};

Status HitStream::start_sorted(const std::vector<query::SortSpec>& sort, size_t limit,
                               std::vector<ShardFailure>* failures, uint64_t* total) {
  sorted_ = true;
  *total = 0;
  struct Candidate {
    HitRef ref;
    std::vector<query::SortValue> values;
  };
  std::vector<Candidate> all;
  std::vector<query::SortKey> keys;
  for (size_t i = 0; i < cursors_.size(); ++i) {
    ShardCursor& c = cursors_[i];
    SIFT_ASSIGN_OR_RETURN(std::vector<query::SortKey> k, query::resolve_sort(sort, *c.meta->mapping));
    if (keys.empty()) keys = k;
    query::ShardSearchOptions opts;
    opts.top_n = limit;
    opts.filter = c.filter;
    opts.sort = std::move(k);
    opts.track_total_hits = query::SearchRequest::kTrackAll;
    auto r = query::search_shard(*c.snapshot, *c.meta->mapping, query_, opts);
    if (!r.is_ok()) {
      if (is_request_error(r.status())) return std::move(r).take_status();
      failures->push_back({c.service->name(), c.shard, r.status()});
      continue;
    }
    *total += r->total_hits;
    for (auto& h : r->top) all.push_back({{i, h.segment, h.doc}, std::move(h.sort_values)});
  }
  std::stable_sort(all.begin(), all.end(), [&](const Candidate& a, const Candidate& b) {
    int c = query::compare_sort_values(a.values, b.values, keys);
    if (c != 0) return c < 0;
    if (a.ref.cursor != b.ref.cursor) return a.ref.cursor < b.ref.cursor;
    return std::make_pair(a.ref.segment, a.ref.doc) < std::make_pair(b.ref.segment, b.ref.doc);
  });
  if (all.size() > limit) all.resize(limit);
  for (const auto& c : all) sorted_hits_.push_back(c.ref);
  return Status::ok();
}

// Applies batches: a conditional delete or re-index per hit, then one translog sync per shard.
struct BatchOutcome {
  bool stop = false;  // a failure that ends the run
};

class Runner {
 public:
  Runner(const ByQueryRequest& req, std::vector<ShardCursor>& cursors, ByQueryResult* result)
      : req_(req), cursors_(cursors), result_(result) {}

  BatchOutcome apply(const std::vector<HitRef>& batch) {
    std::map<std::pair<IndexService*, int>, DocWriteResponse> last_write;
    BatchOutcome out;
    for (const HitRef& h : batch) {
      ShardCursor& c = cursors_[h.cursor];
      const auto& seg = c.snapshot->segments[h.segment];
      index::StoredDocument stored;
      Status st = seg.reader->stored(h.doc, &stored);
      if (!st.is_ok()) {
        result_->search_failures.push_back({c.service->name(), c.shard, st});
        out.stop = true;
        continue;
      }
      DocWriteRequest w;
      w.id = stored.meta.id;
      w.routing = stored.meta.routing;
      w.if_seq_no = stored.meta.seq_no;
      w.if_primary_term = stored.meta.primary_term;
      if (req_.kind == ByQueryKind::kDelete) {
        w.kind = index::WriteOp::Kind::kDelete;
      } else {
        w.kind = index::WriteOp::Kind::kIndex;
        w.source = std::move(stored.source);
      }
      auto r = c.service->write(w);
      if (r.is_ok()) {
        ++(req_.kind == ByQueryKind::kDelete ? result_->counts.deleted : result_->counts.updated);
        last_write[{c.service.get(), r->shard}] = *r;
        written_.insert(c.service);
        continue;
      }
      Status cause = std::move(r).take_status();
      cause.with_index(c.service->name());
      if (cause.code() == Code::kVersionConflict) {
        ++result_->counts.version_conflicts;
        if (!req_.abort_on_conflict) continue;
      }
      result_->failures.push_back({c.service->name(), w.id, std::move(cause)});
      out.stop = true;
    }
    // Durable before the batch counts as done (and before the next batch is read).
    for (const auto& [key, resp] : last_write) {
      Status st = key.first->sync(resp);
      if (!st.is_ok()) {
        result_->failures.push_back({key.first->name(), resp.id, st});
        out.stop = true;
      }
    }
    return out;
  }

  void refresh_written() {
    for (const auto& svc : written_) {
      Status st = svc->refresh();
      (void)st;  // the writes are durable; a failed refresh only delays their visibility
    }
  }

 private:
  const ByQueryRequest& req_;
  std::vector<ShardCursor>& cursors_;
  ByQueryResult* result_;
  std::set<std::shared_ptr<IndexService>> written_;
};

}  // namespace

int64_t throttle_delay_ms(int64_t docs, double requests_per_second, int64_t elapsed_ms) {
  if (requests_per_second <= 0 || !std::isfinite(requests_per_second) || docs <= 0) return 0;
  double target_ms = static_cast<double>(docs) * 1000.0 / requests_per_second;
  double delay = target_ms - static_cast<double>(elapsed_ms);
  return delay > 0 ? static_cast<int64_t>(std::llround(delay)) : 0;
}

Result<ByQueryResult> run_by_query(Node& node, const ByQueryRequest& req, const Task* task,
                                   ByQueryProgress* progress) {
  int64_t start = monotonic_nanos();
  ByQueryResult result;
  result.counts.requests_per_second = req.requests_per_second;
  std::map<std::string, std::unique_ptr<query::Query>> alias_filters;
  std::vector<ShardCursor> cursors;
  SIFT_RETURN_IF_ERROR(open_cursors(node, req, &alias_filters, &cursors, &result.search_failures));

  HitStream stream(cursors, req.query.get(), req.search_chunk);
  uint64_t total = 0;
  bool sorted = req.max_docs > 0 && !req.sort.empty() && !(req.sort.size() == 1 && req.sort[0].field == "_doc");
  if (result.search_failures.empty()) {
    if (sorted) {
      SIFT_RETURN_IF_ERROR(
          stream.start_sorted(req.sort, static_cast<size_t>(req.max_docs), &result.search_failures, &total));
    } else {
      SIFT_RETURN_IF_ERROR(stream.start(&result.search_failures, &total));
    }
  }
  result.counts.total = static_cast<int64_t>(total);
  if (req.max_docs >= 0) result.counts.total = std::min(result.counts.total, req.max_docs);
  if (progress) progress->set(result.counts);

  Runner runner(req, cursors, &result);
  // Like OpenSearch, a search failure ends the run before anything is written.
  bool stop = !result.search_failures.empty();
  while (!stop) {
    if (task && task->cancelled()) {
      result.counts.canceled = task->cancel_reason();
      break;
    }
    size_t n = static_cast<size_t>(std::max<int64_t>(1, req.batch_size));
    if (req.max_docs >= 0) {
      int64_t remaining = req.max_docs - (result.counts.deleted + result.counts.updated);
      if (remaining <= 0) break;
      n = std::min(n, static_cast<size_t>(remaining));
    }
    int64_t batch_start = monotonic_nanos();
    auto batch = stream.next(n, &result.search_failures);
    if (!batch.is_ok()) return std::move(batch).take_status();
    if (batch->empty() || !result.search_failures.empty()) break;
    ++result.counts.batches;
    stop = runner.apply(*batch).stop;
    if (progress) progress->set(result.counts);
    if (stop) break;
    int64_t delay = throttle_delay_ms(static_cast<int64_t>(batch->size()), req.requests_per_second,
                                      (monotonic_nanos() - batch_start) / 1'000'000);
    if (delay > 0) {
      result.counts.throttled_until_ms = delay;
      if (progress) progress->set(result.counts);
      int64_t slept_from = monotonic_nanos();
      if (task) {
        task->sleep_unless_cancelled(delay);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      }
      result.counts.throttled_ms += (monotonic_nanos() - slept_from) / 1'000'000;
      result.counts.throttled_until_ms = 0;
    }
  }
  if (req.refresh) runner.refresh_written();
  result.took_ms = (monotonic_nanos() - start) / 1'000'000;
  if (progress) progress->set(result.counts);
  return result;
}

}  // namespace sift::cluster
