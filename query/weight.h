// Query -> Weight -> block scorers for the shapes that carry most search traffic: term, match (OR
// and AND), match_phrase with slop 0, and bool queries of those (must / filter / must_not, or
// should only). `Weight::bind` resolves a Query against one shard once: analyzed terms, shard-wide
// idf and average lengths, a BM25 norm table per field. `Weight::search_segment` then runs it over
// one segment's postings in blocks of doc ids:
//   - disjunctions: block-max MaxScore over windows of 4096 docs. Each window bounds every term by
//     the impacts of the blocks it spans; terms whose bounds together cannot beat the current k-th
//     score become non-essential and are only probed for docs the others found;
//   - conjunctions: leapfrog from the cheapest iterator, skipping through the skip entries;
//   - phrases: the conjunction of their terms, positions checked only on docs all terms share.
// Shapes it does not cover make `bind` return nullopt; the exhaustive SegmentEvaluator runs them,
// and stays the oracle the tests compare every algorithm against.
// Internal to query/.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time_util.h"
#include "index/mapping.h"
#include "index/shard.h"
#include "query/query.h"
#include "query/searcher.h"

namespace sift::query {

// Top hits and the hit count of one shard, fed a segment at a time. Docs arrive in (segment, doc)
// order, so a later doc never beats an equal score: a hit is competitive when the heap is not full
// or its score is above the k-th. Counting is exact up to `count_threshold`; past it the scorers may
// skip docs that cannot compete and the count becomes a lower bound.
class TopCollector {
 public:
  TopCollector(size_t k, uint64_t count_threshold) : k_(k), threshold_(count_threshold) {}

  // Skipping is allowed: the count passed its threshold and the heap holds k hits.
  bool pruning() const { return total_ > threshold_ && (k_ == 0 || heap_.size() >= k_); }
  // Nothing more to do: no hits wanted and the count is past its threshold, or the deadline passed.
  bool done() const { return (k_ == 0 && total_ > threshold_) || past_deadline(); }
  // Stop at this monotonic_nanos() time (0: never); timed_out() then tells.
  void set_deadline(int64_t nanos) { deadline_ = nanos; }
  bool timed_out() const { return timed_out_; }
  // Scores at or below this cannot enter (meaningful once the heap is full).
  float min_competitive() const {
    return heap_.size() >= k_ && k_ > 0 ? heap_.front().score : -std::numeric_limits<float>::infinity();
  }
  void count() { ++total_; }
  void count(uint64_t n) { total_ += n; }
  void collect(uint32_t segment, uint32_t doc, float score);

  uint64_t total() const { return total_; }
  // The hits, best first.
  std::vector<ShardHit> take_sorted();

 private:
  size_t k_;
  uint64_t threshold_;
  uint64_t total_ = 0;
  std::vector<ShardHit> heap_;  // min-heap: the worst hit at the front
  // The clock is read once every kDeadlineStride calls of done() (scorers call it per doc or block).
  static constexpr uint32_t kDeadlineStride = 256;
  bool past_deadline() const {
    if (deadline_ == 0) return false;
    if (timed_out_) return true;
    if (--countdown_ > 0) return false;
    countdown_ = kDeadlineStride;
    timed_out_ = monotonic_nanos() >= deadline_;
    return timed_out_;
  }
  int64_t deadline_ = 0;
  mutable uint32_t countdown_ = 1;
  mutable bool timed_out_ = false;
};

class Weight {
 public:
  struct Leaf {
    enum class Kind : uint8_t { kTerm, kPhrase };
    Kind kind = Kind::kTerm;
    std::string field;
    std::vector<std::string> terms;  // one for kTerm
    std::vector<uint32_t> offsets;   // kPhrase: each term's position relative to the first
    float weight = 0;                // boost * idf (a phrase sums its terms' idfs)
    size_t norm_table = 0;           // index into norm_tables_
  };

  // nullopt when the query's shape is not covered (the caller falls back to the evaluator).
  static Result<std::optional<Weight>> bind(const Query& q, const index::ShardSnapshot& snap,
                                            const index::Mapping& mapping);

  // Runs over one segment; `need_scores` false counts only.
  void search_segment(const index::ReaderSegment& seg, uint32_t segment, bool need_scores,
                      TopCollector* out) const;

  bool matches_nothing() const { return matches_nothing_; }

 private:
  enum class Shape : uint8_t { kDisjunction, kConjunction };
  class Binder;

  Shape shape_ = Shape::kDisjunction;
  bool matches_nothing_ = false;
  std::vector<Leaf> scored_;    // disjunction: term leaves; conjunction: the must leaves, in order
  std::vector<Leaf> filters_;   // conjunction: required, no score
  std::vector<Leaf> excluded_;  // must_not
  std::deque<std::array<float, 256>> norm_tables_;  // per field: BM25 norm inverse per norm byte
};

}  // namespace sift::query
