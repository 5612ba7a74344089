// The nested query as a block join (Lucene's ToParentBlockJoinQuery): the inner query runs over
// the nested documents of `path`, and each match joins to its parent, the next doc after it that
// belongs to the enclosing scope (the root docs at the top level, the enclosing nested query's
// path inside one). A segment stores every block as its nested docs followed by the root
// (SegmentBuilder::add), so children precede their parent and a parent's children are contiguous.
#include <algorithm>
#include <utility>

#include <numeric>

#include "index/segment_format.h"
#include "query/query_walk.h"
#include "query/segment_evaluator.h"

namespace sift::query {

using index::FieldType;
using index::ReaderSegment;

namespace {

Status query_shard_error(const std::string& reason) {
  return Status(Code::kInvalidArgument, "query_shard_exception", "failed to create query: " + reason);
}

// The parents of one scope, found in ascending child order.
class ParentFinder {
 public:
  ParentFinder(const ReaderSegment& seg, const std::string& scope)
      : max_doc_(seg.reader->max_doc()), nested_(seg.reader->nested_docs().get()), by_root_(scope.empty()) {
    if (!by_root_) parents_ = seg.reader->postings(index::segfmt::kNestedPathField, scope);
  }
  // The parent of `child`: the first doc after it in the scope, or kNoMoreDocs.
  uint32_t parent_of(uint32_t child) {
    if (by_root_) {
      uint32_t d = child + 1;
      while (d < max_doc_ && nested_ != nullptr && nested_->is_deleted(d)) ++d;
      return d < max_doc_ ? d : index::kNoMoreDocs;
    }
    if (!started_ || (doc_ != index::kNoMoreDocs && doc_ <= child)) {
      doc_ = parents_.advance(child + 1);
      started_ = true;
    }
    return doc_;
  }

 private:
  uint32_t max_doc_;
  const index::LiveDocs* nested_;
  bool by_root_;
  index::PostingsIterator parents_;
  uint32_t doc_ = index::kNoMoreDocs;
  bool started_ = false;
};

// The path must name a nested object of the mapping (or ignore_unmapped be set).
Status check_path(const NestedQuery& q, const index::Mapping& mapping) {
  const index::FieldMapping* obj = mapping.find_object(q.path);
  if (obj == nullptr) {
    if (q.ignore_unmapped) return Status::ok();
    return query_shard_error("[nested] failed to find nested object under path [" + q.path + "]");
  }
  if (obj->type != FieldType::kNested) {
    return query_shard_error("[nested] nested object under path [" + q.path + "] is not of nested type");
  }
  return Status::ok();
}

}  // namespace

Status check_nested_queries(const Query& q, const index::Mapping& mapping) {
  if (q.kind == Query::Kind::kNested) SIFT_RETURN_IF_ERROR(check_path(static_cast<const NestedQuery&>(q), mapping));
  Status st = Status::ok();
  for_each_subquery(q, [&](const Query& c) {
    if (st.is_ok()) st = check_nested_queries(c, mapping);
  });
  return st;
}

DocScores SegmentEvaluator::all_docs(const ReaderSegment& seg, float score) const {
  DocScores out;
  const index::LiveDocs* nested = seg.reader->nested_docs().get();
  if (!nested_scope_.empty()) {  // inside a nested query: its path's docs
    auto it = seg.reader->postings(index::segfmt::kNestedPathField, nested_scope_);
    for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) out.docs.push_back(d);
  } else if (nested != nullptr) {  // the roots
    for (uint32_t d = 0; d < seg.reader->max_doc(); ++d) {
      if (!nested->is_deleted(d)) out.docs.push_back(d);
    }
  } else {
    out.docs.resize(seg.reader->max_doc());
    std::iota(out.docs.begin(), out.docs.end(), 0u);
  }
  out.scores.assign(out.docs.size(), score);
  return out;
}

Result<DocScores> SegmentEvaluator::nested_children(const NestedQuery& q, const ReaderSegment& seg) {
  SIFT_RETURN_IF_ERROR(check_path(q, mapping_));
  return nested_path_docs(q.path, q.query.get(), seg);
}

Result<DocScores> SegmentEvaluator::nested_path_docs(const std::string& path, const Query* query,
                                                     const ReaderSegment& seg) {
  if (mapping_.find_object(path) == nullptr || seg.reader->nested_docs() == nullptr) return DocScores{};
  // Inside the nested docs only deletions hide docs (`live` also hides every nested doc).
  ReaderSegment inner = seg;
  inner.live = seg.deletes;
  static const MatchAllQuery kAll;
  std::string outer = std::exchange(nested_scope_, path);
  Result<DocScores> matched = eval(query != nullptr ? *query : kAll, inner);
  nested_scope_ = std::move(outer);
  SIFT_RETURN_IF_ERROR(matched.status());
  DocScores out;
  auto of_path = seg.reader->postings(index::segfmt::kNestedPathField, path);
  uint32_t path_doc = of_path.next();
  const index::LiveDocs* deleted = seg.deletes.get();
  for (size_t i = 0; i < matched->docs.size(); ++i) {
    const uint32_t child = matched->docs[i];
    if (path_doc < child) path_doc = of_path.advance(child);
    if (path_doc == index::kNoMoreDocs) break;
    if (path_doc != child) continue;  // not a nested doc of this path
    if (deleted != nullptr && deleted->is_deleted(child)) continue;
    out.docs.push_back(child);
    out.scores.push_back(matched->scores[i]);
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_nested(const NestedQuery& q, const ReaderSegment& seg) {
  SIFT_ASSIGN_OR_RETURN(DocScores children, nested_children(q, seg));
  DocScores out;
  ParentFinder parents(seg, nested_scope_);
  uint32_t parent = index::kNoMoreDocs;
  double score = 0;
  uint32_t count = 0;
  auto flush = [&] {
    if (count == 0) return;
    double s = score;
    if (q.score_mode == NestedQuery::ScoreMode::kAvg) s /= count;
    if (q.score_mode == NestedQuery::ScoreMode::kNone) s = 0;
    out.docs.push_back(parent);
    out.scores.push_back(static_cast<float>(s) * q.boost);
    count = 0;
  };
  for (size_t i = 0; i < children.docs.size(); ++i) {
    const uint32_t child = children.docs[i];
    if (count == 0 || child > parent) {
      flush();
      parent = parents.parent_of(child);
      if (parent == index::kNoMoreDocs) break;  // no parent after it (cannot happen in a valid block)
      score = 0;
    }
    const double s = children.scores[i];
    switch (q.score_mode) {
      case NestedQuery::ScoreMode::kMax: score = count == 0 ? s : std::max(score, s); break;
      case NestedQuery::ScoreMode::kMin: score = count == 0 ? s : std::min(score, s); break;
      default: score += s; break;
    }
    ++count;
  }
  flush();
  return out;
}

}  // namespace sift::query
