// sift-bench index: builds a shard from a JSONL corpus in-process and prints LuceneBench's INDEX
// line. Timed from the first document to the end of the commit (flush), JSON parsing included.
// What differs from Lucene's IndexWriter is said in the line's "note".
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "analyzers/registry.h"
#include "bench/bench_shard.h"
#include "bench/commands.h"
#include "cluster/index_names.h"
#include "index/document_parser.h"

namespace sift::bench {
namespace {

// Merges while documents go in, as the node's merge thread does (and Lucene's concurrent merge
// scheduler): woken after each refresh, it merges as long as the merge policy finds work.
class BackgroundMerger {
 public:
  explicit BackgroundMerger(index::Shard& shard) : shard_(shard), thread_([this] { loop(); }) {}
  ~BackgroundMerger() { (void)stop(); }
  void wake() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      wanted_ = true;
    }
    cv_.notify_one();
  }
  // Lets a running merge finish, then ends the thread; returns the first merge failure.
  Status stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
      lock.unlock();
      for (bool merged = true; merged && status_.is_ok();) {
        auto r = shard_.maybe_merge(0);
        if (!r.is_ok()) status_ = std::move(r).take_status();
        else merged = *r;
      }
      lock.lock();
      if (!status_.is_ok()) return;
    }
  }

  index::Shard& shard_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  Status status_;
  std::thread thread_;  // last: starts once the members above exist
};

struct IndexOptions {
  bool text = true;
  bool store_source = true;
  uint64_t refresh_bytes = 0;
};

// Applies documents to the shard. The shard has no RAM-buffer setting, so it refreshes after every
// `refresh_bytes` of input; the thread that crosses the mark builds the segment (as a Lucene
// indexing thread flushes the buffer it filled) while the other threads go on adding.
class Ingest {
 public:
  Ingest(BenchShard& b, BackgroundMerger& merger, const IndexOptions& opts)
      : b_(b), merger_(merger), opts_(opts) {}

  Status add(const std::string& line) {
    const auto& analyzers = *analysis::AnalyzerRegistry::builtin();
    SIFT_ASSIGN_OR_RETURN(index::ParseOutput parsed, index::parse_document(line, "", *b_.mapping));
    index::WriteOp op;
    if (opts_.text) {
      op.id = id_of(parsed.doc);
      if (op.id.empty()) return invalid_argument("a text document without an \"id\": " + line.substr(0, 100));
    } else {
      // Log lines have no id: they get one as a _bulk item without _id does (append-only, no lookup).
      op.id = cluster::auto_document_id();
      op.auto_generated_id = true;
      op.kind = index::WriteOp::Kind::kCreate;
    }
    op.source = opts_.store_source ? line : "{}";
    op.parsed = &parsed.doc;
    SIFT_ASSIGN_OR_RETURN(index::WriteResult r, b_.shard->apply(op));
    note_location(r.location);
    uint64_t bytes = line.size() + 1;
    uint64_t before = applied_bytes_.fetch_add(bytes);
    if (before / opts_.refresh_bytes != (before + bytes) / opts_.refresh_bytes) {
      SIFT_RETURN_IF_ERROR(b_.shard->refresh());
      merger_.wake();
    }
    return Status::ok();
  }

  // The translog is synced once, at the end, rather than per document or per batch: Lucene writes
  // no log at all, and the commit that follows makes every document durable anyway.
  Status sync() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_.end_offset == 0 ? Status::ok() : b_.shard->sync(last_);
  }

 private:
  static std::string id_of(const index::ParsedDocument& doc) {
    for (const auto& f : doc.terms) {
      if (f.name == "id" && !f.values.empty()) return f.values.front();
    }
    return "";
  }
  void note_location(const index::TranslogLocation& loc) {
    std::lock_guard<std::mutex> lock(mu_);
    bool later = loc.generation != last_.generation ? loc.generation > last_.generation
                                                    : loc.end_offset > last_.end_offset;
    if (later) last_ = loc;
  }

  BenchShard& b_;
  BackgroundMerger& merger_;
  IndexOptions opts_;
  std::atomic<uint64_t> applied_bytes_{0};
  std::mutex mu_;
  index::TranslogLocation last_;
};

// Batches of lines from the reading thread to the indexing threads (LuceneBench's ArrayBlockingQueue).
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  // False once the queue is closed (an indexing thread failed).
  bool push(std::vector<std::string> batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || q_.size() < capacity_; });
    if (closed_) return false;
    q_.push_back(std::move(batch));
    not_empty_.notify_one();
    return true;
  }
  // False when closed and drained.
  bool pop(std::vector<std::string>* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !q_.empty(); });
    if (q_.empty()) return false;
    *batch = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::vector<std::string>> q_;
  bool closed_ = false;
};

struct ReadStats {
  uint64_t docs = 0;
  uint64_t bytes = 0;
};

bool next_line(std::ifstream& in, std::string* line) {
  while (std::getline(in, *line)) {
    if (!line->empty() && line->back() == '\r') line->pop_back();
    if (!line->empty()) return true;
  }
  return false;
}

Status index_serial(std::ifstream& in, int64_t max_docs, Ingest& ingest, ReadStats* rs) {
  std::string line;
  while (next_line(in, &line)) {
    rs->bytes += line.size() + 1;
    SIFT_RETURN_IF_ERROR(ingest.add(line));
    if (static_cast<int64_t>(++rs->docs) == max_docs) break;
  }
  return Status::ok();
}

// The calling thread reads; `threads` threads parse and apply. Shard::apply takes the shard's lock,
// so only parsing and analysis run in parallel.
Status index_parallel(std::ifstream& in, int64_t max_docs, int threads, Ingest& ingest, ReadStats* rs) {
  BatchQueue queue(static_cast<size_t>(threads) * 4);
  std::mutex failure_mu;
  Status failure;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      std::vector<std::string> batch;
      while (queue.pop(&batch)) {
        for (const auto& line : batch) {
          Status s = ingest.add(line);
          if (s.is_ok()) continue;
          std::lock_guard<std::mutex> lock(failure_mu);
          if (failure.is_ok()) failure = s;
          queue.close();
          return;
        }
      }
    });
  }
  std::vector<std::string> batch;
  std::string line;
  bool open = true;
  while (open && next_line(in, &line)) {
    rs->bytes += line.size() + 1;
    batch.push_back(line);
    bool last = static_cast<int64_t>(++rs->docs) == max_docs;
    if (batch.size() == 256 || last) {
      open = queue.push(std::move(batch));
      batch.clear();
    }
    if (last) break;
  }
  if (open && !batch.empty()) queue.push(std::move(batch));
  queue.close();
  for (auto& w : workers) w.join();
  return failure;
}

std::string note_for(int threads, int64_t ram_mb, bool store_source) {
  std::string note;
  if (threads > 1) {
    note += "writes serialized by Shard::apply (" + std::to_string(threads) + " threads parse); ";
  }
  note += "refresh every " + std::to_string(ram_mb) + " MiB of input (no RAM-buffer setting); "
          "translog written, fsynced once before the final flush; background merges finish before it";
  if (!store_source) note += "; _source stored as {}";
  return note;
}

}  // namespace

int run_index(const Args& a) {
  std::string input = a.required("input");
  std::string dir = a.required("index");
  std::string type = a.get("type", "text");
  int threads = static_cast<int>(a.integer("threads", 1));
  int64_t ram_mb = a.integer("ram-mb", 256);
  int64_t max_docs = a.integer("max-docs", 0);
  bool store_source = !a.flag("no-source");
  std::string mapping_json = corpus_mapping_json(type, store_source);
  if (mapping_json.empty()) usage_error("--type must be text or logs");
  if (ram_mb <= 0) usage_error("--ram-mb must be positive");
  std::ifstream in(input, std::ios::binary);
  if (!in) usage_error("cannot read " + input);

  auto fail = [](const Status& s) {
    std::fprintf(stderr, "sift-bench index: %s\n", s.to_string().c_str());
    return 1;
  };
  auto created = create_bench_shard(dir, mapping_json);
  if (!created.is_ok()) return fail(created.status());
  BenchShard& b = *created;
  IndexOptions opts{type == "text", store_source, static_cast<uint64_t>(ram_mb) << 20};

  auto t0 = Clock::now();
  ReadStats rs;
  BackgroundMerger merger(*b.shard);
  Ingest ingest(b, merger, opts);
  Status st = threads <= 1 ? index_serial(in, max_docs, ingest, &rs)
                           : index_parallel(in, max_docs, threads, ingest, &rs);
  if (!st.is_ok()) return fail(st);
  auto t_added = Clock::now();
  if (max_docs <= 0) rs.bytes = std::filesystem::file_size(input);
  if (st = ingest.sync(); !st.is_ok()) return fail(st);
  if (st = merger.stop(); !st.is_ok()) return fail(st);
  if (st = b.shard->flush(); !st.is_ok()) return fail(st);
  auto t_commit = Clock::now();

  index::ShardStats stats = b.shard->stats();
  if (stats.docs != rs.docs) {
    std::fprintf(stderr, "sift-bench index: warning: %llu documents read, %llu live in the shard "
                         "(repeated ids?)\n",
                 static_cast<unsigned long long>(rs.docs), static_cast<unsigned long long>(stats.docs));
  }
  double secs = seconds_between(t0, t_commit);
  JsonRow row;
  row.add("type", type);
  row.add("threads", int64_t{threads});
  row.add("ram_mb", ram_mb);
  row.add("docs", static_cast<int64_t>(rs.docs));
  row.add("input_mb", round_to(static_cast<double>(rs.bytes) / 1e6, 1));
  row.add("add_secs", round_to(seconds_between(t0, t_added), 2));
  row.add("total_secs", round_to(secs, 2));
  row.add("docs_per_sec", round_half_up(static_cast<double>(rs.docs) / secs));
  row.add("input_mb_per_sec", round_to(static_cast<double>(rs.bytes) / 1e6 / secs, 2));
  row.add("index_mb", round_to(static_cast<double>(directory_bytes(dir, kMappingFile)) / 1e6, 1));
  row.add("segments", static_cast<int64_t>(stats.segments));
  if (a.flag("force-merge")) {
    auto m0 = Clock::now();
    if (auto r = b.shard->maybe_merge(1); !r.is_ok()) return fail(r.status());
    if (st = b.shard->flush(); !st.is_ok()) return fail(st);
    row.add("force_merge_secs", round_to(seconds_between(m0, Clock::now()), 2));
    row.add("index_mb_merged", round_to(static_cast<double>(directory_bytes(dir, kMappingFile)) / 1e6, 1));
  }
  row.add("note", note_for(threads, ram_mb, store_source));
  std::printf("INDEX %s\n", row.to_json().c_str());
  std::fflush(stdout);
  if (st = b.shard->close(); !st.is_ok()) return fail(st);
  return 0;
}

}  // namespace sift::bench
