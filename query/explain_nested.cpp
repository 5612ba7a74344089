// The nested query explained as Lucene's ToParentBlockJoinQuery explains a parent: "Score based on
// N child docs in range from X to Y, using score mode M" (X..Y: the doc ids, shard-wide, between
// the previous parent and this one) over the explanation of the best matching child (the worst
// for score mode min), which is explained as a nested document in the query's path, the nested
// query's boost pushed into it. The value is the evaluator's score of the parent.
#include <algorithm>

#include "index/segment_format.h"
#include "query/explainer.h"

namespace sift::query {
namespace {

// Lucene's ScoreMode names (OpenSearch's `sum` is Lucene's Total).
const char* score_mode_name(NestedQuery::ScoreMode m) {
  switch (m) {
    case NestedQuery::ScoreMode::kAvg: return "Avg";
    case NestedQuery::ScoreMode::kMax: return "Max";
    case NestedQuery::ScoreMode::kMin: return "Min";
    case NestedQuery::ScoreMode::kSum: return "Total";
    case NestedQuery::ScoreMode::kNone: return "None";
  }
  return "Avg";
}

}  // namespace

int64_t Explainer::previous_parent() const {
  if (scope_.empty()) return static_cast<int64_t>(seg_.reader->block_start(doc_)) - 1;  // blocks are contiguous
  auto it = seg_.reader->postings(index::segfmt::kNestedPathField, scope_);
  int64_t prev = -1;
  for (uint32_t d = it.next(); d != index::kNoMoreDocs && d < doc_; d = it.next()) prev = d;
  return prev;
}

Result<Explanation> Explainer::explain_nested(const NestedQuery& q, float outer) {
  SIFT_ASSIGN_OR_RETURN(std::optional<float> score, score_of(q));
  if (!score) return no_match("Not a match");
  SIFT_ASSIGN_OR_RETURN(DocScores children, evaluator_.nested_children(q, seg_));
  const int64_t prev = previous_parent();
  auto lo = std::lower_bound(children.docs.begin(), children.docs.end(), static_cast<uint32_t>(prev + 1));
  auto hi = std::lower_bound(lo, children.docs.end(), doc_);
  Explanation chosen;
  bool have = false;
  for (auto it = lo; it != hi; ++it) {
    Explainer child(snap_, mapping_, segment_, *it, q.path);
    SIFT_ASSIGN_OR_RETURN(Explanation e, child.explain(*q.query, outer * q.boost));
    if (!e.match) continue;
    // The first best (the first worst for min), as Lucene's strict comparisons keep.
    bool better = !have || (q.score_mode == NestedQuery::ScoreMode::kMin ? e.value < chosen.value : e.value > chosen.value);
    if (better) chosen = std::move(e);
    have = have || better;
  }
  const uint64_t start = seg_.base + static_cast<uint64_t>(prev + 1);
  const uint64_t end = seg_.base + static_cast<uint64_t>(doc_) - 1;
  std::string description = "Score based on " + std::to_string(hi - lo) + " child docs in range from " +
                            std::to_string(start) + " to " + std::to_string(end) + ", using score mode " +
                            score_mode_name(q.score_mode);
  std::vector<Explanation> details;
  if (have) details.push_back(std::move(chosen));
  return match(*score * outer, std::move(description), std::move(details));
}

}  // namespace sift::query
