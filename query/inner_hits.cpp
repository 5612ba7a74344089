#include "query/inner_hits.h"

#include <algorithm>
#include <map>
#include <set>

#include "index/segment_format.h"
#include "query/query_walk.h"
#include "query/segment_evaluator.h"

namespace sift::query {

namespace {

void collect(const Query& q, std::vector<const NestedQuery*>* out) {
  if (q.kind == Query::Kind::kNested) {
    const auto& n = static_cast<const NestedQuery&>(q);
    if (n.inner_hits) out->push_back(&n);
  }
  for_each_subquery(q, [&](const Query& c) { collect(c, out); });
}

}  // namespace

Result<std::vector<const NestedQuery*>> inner_hits_queries(const Query& q) {
  std::vector<const NestedQuery*> out;
  collect(q, &out);
  std::set<std::string> names;
  for (const NestedQuery* n : out) {
    if (!names.insert(n->inner_hits->name).second) {
      return invalid_argument("[inner_hits] already contains an entry for key [" + n->inner_hits->name + "]");
    }
  }
  return out;
}

struct InnerHitsFinder::Impl {
  Impl(const index::ShardSnapshot& s, const index::Mapping& m) : snap(s), mapping(m), eval(s, m) {}
  const index::ShardSnapshot& snap;
  const index::Mapping& mapping;
  SegmentEvaluator eval;
  std::map<std::pair<const NestedQuery*, uint32_t>, DocScores> children;
};

InnerHitsFinder::InnerHitsFinder(const index::ShardSnapshot& snap, const index::Mapping& mapping)
    : impl_(std::make_unique<Impl>(snap, mapping)) {}
InnerHitsFinder::~InnerHitsFinder() = default;

Result<NestedInnerHits> InnerHitsFinder::find(const NestedQuery& q, uint32_t segment, uint32_t root) {
  const index::ReaderSegment& seg = impl_->snap.segments.at(segment);
  auto key = std::make_pair(&q, segment);
  auto it = impl_->children.find(key);
  if (it == impl_->children.end()) {
    SIFT_ASSIGN_OR_RETURN(DocScores d, impl_->eval.nested_children(q, seg));
    it = impl_->children.emplace(key, std::move(d)).first;
  }
  const DocScores& all = it->second;
  NestedInnerHits out;
  const uint32_t start = seg.reader->block_start(root);
  auto lo = std::lower_bound(all.docs.begin(), all.docs.end(), start);
  auto hi = std::lower_bound(all.docs.begin(), all.docs.end(), root);
  std::vector<NestedInnerHit> hits;
  for (auto d = lo; d != hi; ++d) {
    float s = all.scores[static_cast<size_t>(d - all.docs.begin())];
    hits.push_back({*d, s, {}});
    out.max_score = hits.size() == 1 ? s : std::max(out.max_score, s);
  }
  out.total = hits.size();
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  const auto& spec = *q.inner_hits;
  size_t from = std::min(hits.size(), static_cast<size_t>(spec.from));
  size_t end = std::min(hits.size(), from + static_cast<size_t>(spec.size));
  if (from == end) return out;

  // The levels from the root down to q.path, and each block doc's level (-2: another path; no doc
  // has -1, the root's level, so the walk back for the first level runs to the block start).
  std::vector<std::string> chain;
  for (std::string p = q.path; !p.empty();) {
    chain.insert(chain.begin(), p);
    auto parent = impl_->mapping.nested_parents().find(p);
    p = parent == impl_->mapping.nested_parents().end() ? std::string() : parent->second;
  }
  std::vector<int> level(root - start, -2);
  for (size_t k = 0; k < chain.size(); ++k) {
    auto docs = seg.reader->postings(index::segfmt::kNestedPathField, chain[k]);
    for (uint32_t d = docs.advance(start); d < root; d = docs.next()) level[d - start] = static_cast<int>(k);
  }
  for (size_t i = from; i < end; ++i) {
    NestedInnerHit h = hits[i];
    // Children precede their parent: a doc's offset counts the docs of its level back to the
    // previous doc of the level above, and its parent is the next doc of the level above.
    std::vector<NestedLevel> levels(chain.size());
    uint32_t d = h.doc;
    for (int k = static_cast<int>(chain.size()) - 1; k >= 0; --k) {
      uint32_t offset = 0;
      for (uint32_t b = d; b > start; --b) {
        int l = level[b - 1 - start];
        if (l == k - 1) break;
        offset += l == k;
      }
      const std::string& parent = k > 0 ? chain[static_cast<size_t>(k) - 1] : std::string();
      levels[static_cast<size_t>(k)].field = parent.empty() ? chain[static_cast<size_t>(k)]
                                                            : chain[static_cast<size_t>(k)].substr(parent.size() + 1);
      levels[static_cast<size_t>(k)].offset = offset;
      if (k > 0) {
        while (d < root && level[d - start] != k - 1) ++d;
      }
    }
    h.levels = std::move(levels);
    out.hits.push_back(std::move(h));
  }
  return out;
}

}  // namespace sift::query
