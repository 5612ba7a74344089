// sift-bench aggs: LuceneBench's `aggs` tasks over a logs index (../shared/bench/lucene, "aggs"),
// as far as Sift runs them in-process: the counts and the range-filtered counts, through
// query::search_shard (the per-shard query phase of a one-shard _search). Tasks that need
// aggregations are listed as not run. The day is LuceneBench's: the UTC day holding the midpoint
// of the @timestamp range.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>

#include "bench/bench_shard.h"
#include "bench/commands.h"
#include "query/search_request.h"
#include "query/searcher.h"

namespace sift::bench {
namespace {

constexpr int64_t kDayMs = 86'400'000;

std::unique_ptr<query::Query> range_query(const std::string& field, int64_t gte, int64_t lte) {
  auto q = std::make_unique<query::RangeQuery>();
  q->field = field;
  query::Scalar lo, hi;
  lo.kind = hi.kind = query::Scalar::Kind::kInteger;
  lo.integer = gte;
  lo.number = static_cast<double>(gte);
  lo.text = std::to_string(gte);
  hi.integer = lte;
  hi.number = static_cast<double>(lte);
  hi.text = std::to_string(lte);
  q->gte = lo;
  q->lte = hi;
  return q;
}

std::unique_ptr<query::Query> term_query(const std::string& field, const std::string& text, bool integer) {
  auto q = std::make_unique<query::TermQuery>();
  q->field = field;
  q->value.text = text;
  if (integer) {
    q->value.kind = query::Scalar::Kind::kInteger;
    q->value.integer = std::stoll(text);
    q->value.number = static_cast<double>(q->value.integer);
  }
  return q;
}

// LuceneBench's "200s-in-range": the day's range and an exact status, both as filters.
std::unique_ptr<query::Query> status_in_range(int64_t day_start, const std::string& status) {
  auto b = std::make_unique<query::BoolQuery>();
  b->filter.push_back(range_query("@timestamp", day_start, day_start + kDayMs - 1));
  b->filter.push_back(term_query("status", status, true));
  return b;
}

// Min and max @timestamp over every doc (deleted ones too, as Lucene's points min/max), from the
// doc values; not timed.
std::pair<int64_t, int64_t> timestamp_range(const index::ShardSnapshot& snap) {
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> v;
  for (const auto& seg : snap.segments) {
    for (uint32_t d = 0; d < seg.reader->max_doc(); ++d) {
      seg.reader->numeric_values("@timestamp", d, &v);
      if (v.empty()) continue;
      lo = std::min(lo, v.front());
      hi = std::max(hi, v.back());
    }
  }
  return {lo, hi};
}

struct Task {
  std::string name;
  std::unique_ptr<query::Query> query;
  size_t top_n = 0;
};

}  // namespace

int run_aggs(const Args& a) {
  int warmup = static_cast<int>(a.integer("warmup-rounds", 3));
  int iters = static_cast<int>(a.integer("iters", 10));
  if (iters < 1) usage_error("--iters must be at least 1");
  auto opened = open_bench_shard(a.required("index"));
  if (!opened.is_ok()) {
    std::fprintf(stderr, "sift-bench: %s\n", opened.status().to_string().c_str());
    return 1;
  }
  BenchShard b = std::move(opened).value();
  auto snap = b.shard->snapshot();
  auto [min_ts, max_ts] = timestamp_range(*snap);
  if (min_ts > max_ts) usage_error("the index has no @timestamp values (not a logs index?)");
  int64_t mid = min_ts + (max_ts - min_ts) / 2;
  int64_t day_start = (mid >= 0 ? mid / kDayMs : (mid - kDayMs + 1) / kDayMs) * kDayMs;

  std::vector<Task> tasks;
  tasks.push_back({"count match_all", std::make_unique<query::MatchAllQuery>(), 0});
  tasks.push_back({"term request.raw TOP_10+count", term_query("request.raw", "GET / HTTP/1.0", false), 10});
  tasks.push_back({"range 1 day COUNT", range_query("@timestamp", day_start, day_start + kDayMs - 1), 0});
  tasks.push_back({"200s-in-range COUNT", status_in_range(day_start, "200"), 0});
  tasks.push_back({"400s-in-range COUNT", status_in_range(day_start, "400"), 0});

  auto run = [&](const Task& t) -> Result<uint64_t> {
    query::ShardSearchOptions o;
    o.top_n = t.top_n;
    o.track_total_hits = query::SearchRequest::kTrackAll;
    SIFT_ASSIGN_OR_RETURN(query::ShardSearchResult r, query::search_shard(*snap, *b.mapping, t.query.get(), o));
    return r.total_hits;
  };
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "sift-bench aggs: %s\n", s.to_string().c_str());
    return 1;
  };

  std::printf("index docs=%llu segments=%zu range=[%lld,%lld] one_day=%lld\n",
              static_cast<unsigned long long>(snap->num_docs), snap->segments.size(),
              static_cast<long long>(min_ts), static_cast<long long>(max_ts), static_cast<long long>(day_start));
  for (int r = 0; r < warmup; ++r) {
    for (const Task& t : tasks) {
      if (auto h = run(t); !h.is_ok()) return fail(h.status());
    }
  }
  std::printf("%-40s %10s %10s %12s  %s\n", "task", "median_ms", "min_ms", "Mdocs/s", "result");
  std::vector<JsonRow> rows;
  for (const Task& t : tasks) {
    std::vector<int64_t> ns;
    uint64_t hits = 0;
    for (int i = 0; i < iters; ++i) {
      auto t0 = Clock::now();
      auto h = run(t);
      ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
      if (!h.is_ok()) return fail(h.status());
      hits = *h;
    }
    std::sort(ns.begin(), ns.end());
    double med = static_cast<double>(ns[ns.size() / 2]) / 1e6, min = static_cast<double>(ns.front()) / 1e6;
    double mdocs = static_cast<double>(snap->num_docs) / (med / 1e3) / 1e6;
    std::string result = "hits=" + std::to_string(hits);
    std::printf("%-40s %10.3f %10.3f %12.1f  %s\n", t.name.c_str(), med, min, mdocs, result.c_str());
    JsonRow row;
    row.add("task", t.name);
    row.add("median_ms", round_to(med, 3));
    row.add("min_ms", round_to(min, 3));
    row.add("index_docs_per_sec_M", round_to(mdocs, 1));
    row.add("result", result);
    rows.push_back(std::move(row));
  }
  std::printf("(not run: the terms and date_histogram tasks; Sift has no aggregations yet)\n");
  if (std::string json = a.get("json", ""); !json.empty()) {
    std::ofstream out(json, std::ios::binary | std::ios::trunc);
    for (const auto& r : rows) out << r.to_json() << '\n';
    if (!out) return fail(io_error("cannot write " + json));
  }
  return 0;
}

}  // namespace sift::bench
