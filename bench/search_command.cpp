// sift-bench search and topk: run the benchmark queries through query::search_shard, the engine's
// per-shard query phase (what a one-shard _search runs, without HTTP, DSL parsing or fetch), on a
// snapshot of the shard `index` built. Output is LuceneBench's, line for line.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include "bench/bench_queries.h"
#include "bench/bench_shard.h"
#include "bench/commands.h"
#include "common/json_writer.h"
#include "query/search_request.h"
#include "query/searcher.h"

namespace sift::bench {
namespace {

// --k1 / --b as Java prints them in the header line (LuceneBench's "BM25(k1=%s,b=%s)").
std::string bm25_params(const Args& a) {
  return "BM25(k1=" + format_float(a.real("k1", 1.2f)) + ",b=" + format_float(a.real("b", 0.75f)) + ")";
}

// LuceneBench sets BM25Similarity(k1, b) on its searcher, for every field; here the same is the
// index's default similarity (index.similarity.default), bound to the mapping the searches use.
// Values Lucene refuses (k1 < 0, b outside [0, 1]) end the run as LuceneBench's exception would.
void apply_bm25(const Args& a, BenchShard* shard) {
  index::Mapping m = *shard->mapping;
  Status st = index::bind_similarities({{"index.similarity.default.type", "BM25"},
                                        {"index.similarity.default.k1", format_float(a.real("k1", 1.2f))},
                                        {"index.similarity.default.b", format_float(a.real("b", 0.75f))}},
                                       &m);
  if (!st.is_ok()) usage_error(st.reason());
  shard->mapping = std::make_shared<const index::Mapping>(std::move(m));
}

// LuceneBench's modes: how many top hits, how far the total must be exact, and which figure counts
// as the query's hits (the top's size, or the total).
struct Mode {
  std::string name;
  size_t top_n = 10;
  int64_t track_total_hits = 10;
  bool hits_are_total = false;
};

Mode mode_named(const std::string& name) {
  constexpr int64_t kAll = query::SearchRequest::kTrackAll;
  if (name == "TOP_10") return {name, 10, 10, false};  // the total may stop at 10: top-k may skip
  if (name == "COUNT") return {name, 0, kAll, true};
  if (name == "TOP_10_COUNT") return {name, 10, kAll, true};
  if (name == "TOP_100") return {name, 100, 100, false};
  usage_error("unknown mode " + name);
}

struct Searcher {
  BenchShard shard;
  std::shared_ptr<const index::ShardSnapshot> snapshot;

  Result<query::ShardSearchResult> run(const query::Query& q, size_t top_n, int64_t track_total_hits) const {
    query::ShardSearchOptions o;
    o.top_n = top_n;
    o.track_total_hits = track_total_hits;
    return query::search_shard(*snapshot, *shard.mapping, &q, o);
  }
  Result<uint64_t> hits(const query::Query& q, const Mode& m) const {
    SIFT_ASSIGN_OR_RETURN(query::ShardSearchResult r, run(q, m.top_n, m.track_total_hits));
    return m.hits_are_total ? r.total_hits : r.top.size();
  }
};

// Opens the index and reads the queries; exits on failure (there is nothing to measure then).
Searcher open_searcher(const Args& a, const std::string& field, std::vector<BenchQuery>* queries) {
  auto opened = open_bench_shard(a.required("index"));
  auto read = read_bench_queries(a.required("queries"), field);
  const Status& s = !opened.is_ok() ? opened.status() : read.status();
  if (!s.is_ok()) {
    std::fprintf(stderr, "sift-bench: %s\n", s.to_string().c_str());
    std::exit(1);
  }
  *queries = std::move(read).value();
  Searcher searcher{std::move(opened).value(), nullptr};
  apply_bm25(a, &searcher.shard);
  searcher.snapshot = searcher.shard.shard->snapshot();
  return searcher;
}

struct Sample {
  double min_us, median_us;
  uint64_t hits;
};

// `iters` passes over the queries (interleaved, as LuceneBench), then per type (and ALL) the mean,
// p50 and p99 of the per-query medians, the mean of the per-query minimums and the mean hits.
Result<std::vector<JsonRow>> measure(const Searcher& s, const std::vector<BenchQuery>& qs, const Mode& mode,
                                     int iters) {
  std::vector<std::vector<int64_t>> ns(qs.size());
  std::vector<uint64_t> hits(qs.size());
  for (int it = 0; it < iters; ++it) {
    for (size_t qi = 0; qi < qs.size(); ++qi) {
      auto t0 = Clock::now();
      SIFT_ASSIGN_OR_RETURN(hits[qi], s.hits(*qs[qi].query, mode));
      ns[qi].push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
    }
  }
  std::map<std::string, std::vector<Sample>> by_type;  // sorted as LuceneBench's TreeMap
  for (size_t qi = 0; qi < qs.size(); ++qi) {
    std::sort(ns[qi].begin(), ns[qi].end());
    Sample x{static_cast<double>(ns[qi].front()) / 1e3, static_cast<double>(ns[qi][ns[qi].size() / 2]) / 1e3,
             hits[qi]};
    by_type[qs[qi].type].push_back(x);
    by_type["ALL"].push_back(x);
  }
  std::vector<JsonRow> rows;
  for (const auto& [type, v] : by_type) {
    std::vector<double> mins, meds;
    double hit_sum = 0;
    for (const auto& x : v) {
      mins.push_back(x.min_us);
      meds.push_back(x.median_us);
      hit_sum += static_cast<double>(x.hits);
    }
    std::sort(mins.begin(), mins.end());
    std::sort(meds.begin(), meds.end());
    JsonRow row;
    row.add("mode", mode.name);
    row.add("type", type);
    row.add("n", static_cast<int64_t>(v.size()));
    row.add("mean_us", round_to(mean(meds), 1));
    row.add("p50_us", round_to(percentile(meds, 0.50), 1));
    row.add("p99_us", round_to(percentile(meds, 0.99), 1));
    row.add("mean_min_us", round_to(mean(mins), 1));
    row.add("avg_hits", round_half_up(hit_sum / static_cast<double>(v.size())));
    rows.push_back(std::move(row));
  }
  return rows;
}

void print_table(const std::vector<JsonRow>& rows, int iters) {
  std::printf("per-query latency = median of %d runs (mean_min_us = mean of per-query minimum, as in "
              "search-benchmark-game)\n", iters);
  std::printf("%-13s %-13s %5s %10s %10s %10s %12s %10s\n", "mode", "type", "n", "mean_us", "p50_us",
              "p99_us", "mean_min_us", "avg_hits");
  for (const auto& r : rows) {
    auto d = [&](const char* k) { return std::get<double>(r.at(k)); };
    auto i = [&](const char* k) { return static_cast<long long>(std::get<int64_t>(r.at(k))); };
    auto s = [&](const char* k) { return std::get<std::string>(r.at(k)).c_str(); };
    std::printf("%-13s %-13s %5lld %10.1f %10.1f %10.1f %12.1f %10lld\n", s("mode"), s("type"), i("n"),
                d("mean_us"), d("p50_us"), d("p99_us"), d("mean_min_us"), i("avg_hits"));
  }
}

std::vector<Mode> parse_modes(const std::string& list) {
  std::vector<Mode> modes;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    modes.push_back(mode_named(list.substr(start, comma - start)));
    start = comma + 1;
  }
  return modes;
}

int engine_failure(const Status& s) {
  std::fprintf(stderr, "sift-bench: %s\n", s.to_string().c_str());
  return 1;
}

}  // namespace

int run_search(const Args& a) {
  std::string field = a.get("field", "body");
  std::vector<Mode> modes = parse_modes(a.get("modes", "TOP_10,COUNT,TOP_10_COUNT"));
  int warmup = static_cast<int>(a.integer("warmup-rounds", 2));
  int iters = static_cast<int>(a.integer("iters", 5));
  if (iters < 1) usage_error("--iters must be at least 1");
  std::vector<BenchQuery> qs;
  Searcher s = open_searcher(a, field, &qs);
  std::printf("index docs=%llu segments=%zu queries=%zu\n",
              static_cast<unsigned long long>(s.snapshot->num_docs), s.snapshot->segments.size(), qs.size());
  std::fflush(stdout);

  // Warm-up: page cache and branch predictors (no JIT here, but the same passes as LuceneBench).
  for (int r = 0; r < warmup; ++r) {
    for (const auto& mode : modes) {
      for (const auto& q : qs) {
        if (auto h = s.hits(*q.query, mode); !h.is_ok()) return engine_failure(h.status());
      }
    }
  }
  std::vector<JsonRow> rows;
  for (const auto& mode : modes) {
    auto measured = measure(s, qs, mode, iters);
    if (!measured.is_ok()) return engine_failure(measured.status());
    for (auto& r : *measured) rows.push_back(std::move(r));
  }
  print_table(rows, iters);
  if (std::string json = a.get("json", ""); !json.empty()) {
    std::ofstream out(json, std::ios::binary | std::ios::trunc);
    for (const auto& r : rows) out << r.to_json() << '\n';
    if (!out) return engine_failure(io_error("cannot write " + json));
  }
  return 0;
}

int run_topk(const Args& a) {
  std::string field = a.get("field", "body");
  int64_t k = a.integer("k", 10);
  if (k < 1) usage_error("--k must be at least 1");
  bool explain = a.flag("explain");
  std::vector<BenchQuery> qs;
  Searcher s = open_searcher(a, field, &qs);
  std::printf("# sift %s %s field=%s docs=%llu segments=%zu\n", SIFT_VERSION, bm25_params(a).c_str(), field.c_str(),
              static_cast<unsigned long long>(s.snapshot->num_docs), s.snapshot->segments.size());
  std::printf("# qid\tquery\ttotal_hits\trank\tid\tscore\n");
  for (size_t qi = 0; qi < qs.size(); ++qi) {
    const BenchQuery& q = qs[qi];
    auto r = s.run(*q.query, static_cast<size_t>(k), query::SearchRequest::kTrackAll);
    if (!r.is_ok()) return engine_failure(r.status());
    for (size_t rank = 0; rank < r->top.size(); ++rank) {
      const query::ShardHit& hit = r->top[rank];
      index::StoredDocument doc;
      if (Status st = s.snapshot->segments[hit.segment].reader->stored(hit.doc, &doc); !st.is_ok()) {
        return engine_failure(st);
      }
      // `%#.7g` keeps trailing zeros, as Java's %.7g does (C's %g drops them).
      std::printf("%zu\t%s\t%llu\t%zu\t%s\t%#.7g\n", qi, q.raw.c_str(),
                  static_cast<unsigned long long>(r->total_hits), rank + 1, doc.meta.id.c_str(),
                  static_cast<double>(hit.score));
      if (explain && rank == 0) std::printf("#   explain not supported yet\n");
    }
    if (r->top.empty()) std::printf("%zu\t%s\t0\t0\t-\t0\n", qi, q.raw.c_str());
  }
  return 0;
}

}  // namespace sift::bench
