// Weight: binding the covered query shapes to a shard (see weight.h), and the top collector.
// The block scorers that run a Weight over a segment are in block_scorers.cpp.
#include "query/weight.h"

#include <algorithm>
#include <map>

#include "index/segment.h"
#include "query/segment_evaluator.h"
#include "query/similarity_scoring.h"
#include "query/text_query_builder.h"

namespace sift::query {

using index::ResolvedField;

void TopCollector::collect(uint32_t segment, uint32_t doc, float score) {
  if (k_ == 0) return;
  // Worse hits first: lower score, then later (segment, doc).
  auto worse = [](const ShardHit& a, const ShardHit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc;
  };
  if (heap_.size() < k_) {
    heap_.push_back(ShardHit{segment, doc, score, {}});
    std::push_heap(heap_.begin(), heap_.end(), worse);
    return;
  }
  if (!(score > heap_.front().score)) return;  // ties keep the earlier doc
  std::pop_heap(heap_.begin(), heap_.end(), worse);
  heap_.back() = ShardHit{segment, doc, score, {}};
  std::push_heap(heap_.begin(), heap_.end(), worse);
}

std::vector<ShardHit> TopCollector::take_sorted() {
  std::sort(heap_.begin(), heap_.end(), [](const ShardHit& a, const ShardHit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc;
  });
  return std::move(heap_);
}

// Builds a Weight from a Query, or gives up (nullopt) on anything outside the covered shapes.
// Scores must equal the evaluator's bit for bit where the summation order is the same, so every
// number is computed by the same helpers (segment_evaluator.h).
class Weight::Binder {
 public:
  Binder(const index::ShardSnapshot& snap, const index::Mapping& mapping, Weight* w)
      : snap_(snap), mapping_(mapping), w_(w) {}

  // Leaves of one clause; false: not covered. A clause that can match nothing yields no leaves
  // and sets `empty`.
  Result<bool> leaves(const Query& q, std::vector<Leaf>* out, bool* empty, bool allow_or) {
    switch (q.kind) {
      case Query::Kind::kTerm: {
        const auto& t = static_cast<const TermQuery&>(q);
        if (t.case_insensitive || t.field == "_id") return false;
        const ResolvedField* rf = mapping_.find(t.field);
        if (rf == nullptr || !rf->indexed) {
          *empty = true;
          return true;
        }
        if (is_point_type(rf->type)) return false;  // constant score: the evaluator
        SIFT_ASSIGN_OR_RETURN(std::string term, term_bytes_for(*rf, t.value));
        return term_leaf(t.field, std::move(term), q.boost, out, empty);
      }
      case Query::Kind::kMatch: {
        const auto& m = static_cast<const MatchQuery&>(q);
        if (!m.minimum_should_match.empty() || m.lenient || !m.fuzzy.fuzziness.empty()) return false;
        const ResolvedField* rf = mapping_.find(m.field);
        if (rf == nullptr || !rf->indexed) {
          *empty = true;
          return true;
        }
        if (is_point_type(rf->type)) return false;  // constant score: the evaluator
        SIFT_ASSIGN_OR_RETURN(auto terms, SegmentEvaluator::query_terms(*rf, m.value, m.analyzer));
        if (terms.empty()) return false;  // zero_terms_query: the evaluator decides
        if (needs_query_builder(terms)) return false;  // synonyms, graphs: bound by the evaluator
        if (terms.size() > 1 && !allow_or && !m.and_operator) return false;
        if (terms.size() > 1 && m.and_operator != (w_->shape_ == Shape::kConjunction)) return false;
        for (auto& t : terms) {
          bool term_empty = false;
          SIFT_ASSIGN_OR_RETURN(bool ok, term_leaf(rf->path, std::move(t.term), q.boost, out, &term_empty));
          if (!ok) return false;
          if (term_empty && m.and_operator) *empty = true;
        }
        if (!m.and_operator && out->empty()) *empty = true;
        return true;
      }
      case Query::Kind::kMatchPhrase: {
        const auto& p = static_cast<const MatchPhraseQuery&>(q);
        if (p.slop != 0 || p.prefix) return false;
        const ResolvedField* rf = mapping_.find(p.field);
        if (rf == nullptr || !rf->indexed) {
          *empty = true;
          return true;
        }
        Scalar value;
        value.text = p.text;
        SIFT_ASSIGN_OR_RETURN(auto terms, SegmentEvaluator::query_terms(*rf, value, p.analyzer));
        if (terms.empty()) return false;
        if (needs_query_builder(terms)) return false;  // synonyms, graphs: bound by the evaluator
        if (terms.size() == 1) return term_leaf(rf->path, std::move(terms[0].term), q.boost, out, empty);
        for (const auto& seg : snap_.segments) {
          const auto* fi = seg.reader->field(rf->path);
          if (fi != nullptr && !fi->has_positions) return false;  // the evaluator reports the error
        }
        FieldStats fs = shard_field_stats(snap_, rf->path);
        Leaf leaf;
        leaf.kind = Leaf::Kind::kPhrase;
        leaf.field = rf->path;
        float idf_sum = 0;
        for (const auto& t : terms) {
          uint64_t df = shard_doc_freq(snap_, rf->path, t.term);
          if (df == 0) {
            *empty = true;
            return true;
          }
          idf_sum += bm25_idf(fs.doc_count, df);
          leaf.terms.push_back(t.term);
          leaf.offsets.push_back(t.position - terms[0].position);
        }
        leaf.weight = sim_weight(mapping_.similarity(rf->path), q.boost, idf_sum);
        leaf.norm_table = norm_table(rf->path, fs);
        out->push_back(std::move(leaf));
        return true;
      }
      default:
        return false;
    }
  }

  Result<bool> bind(const Query& q) {
    if (q.kind == Query::Kind::kBool) {
      const auto& b = static_cast<const BoolQuery&>(q);
      if (q.boost != 1.0f) return false;
      if (!b.should.empty()) {
        // should-only with the default minimum: a disjunction of terms.
        if (!b.must.empty() || !b.filter.empty()) return false;
        if (!b.minimum_should_match.empty() && b.minimum_should_match != "1") return false;
        w_->shape_ = Shape::kDisjunction;
        for (const auto& c : b.should) {
          bool empty = false;
          std::vector<Leaf> got;
          SIFT_ASSIGN_OR_RETURN(bool ok, leaves(*c, &got, &empty, true));
          if (!ok) return false;
          for (auto& l : got) {
            if (l.kind != Leaf::Kind::kTerm) return false;
            w_->scored_.push_back(std::move(l));
          }
        }
        if (w_->scored_.empty()) w_->matches_nothing_ = true;
      } else {
        if (b.must.empty() && b.filter.empty()) return false;  // pure negation: the evaluator
        w_->shape_ = Shape::kConjunction;
        for (const auto& c : b.must) {
          bool empty = false;
          SIFT_ASSIGN_OR_RETURN(bool ok, leaves(*c, &w_->scored_, &empty, false));
          if (!ok) return false;
          if (empty) w_->matches_nothing_ = true;
        }
        // A multi-term AND match inside a bool sums differently from flattened leaves.
        if (w_->scored_.size() != b.must.size() && !w_->matches_nothing_) return false;
        for (const auto& c : b.filter) {
          bool empty = false;
          SIFT_ASSIGN_OR_RETURN(bool ok, leaves(*c, &w_->filters_, &empty, false));
          if (!ok) return false;
          if (empty) w_->matches_nothing_ = true;
        }
      }
      for (const auto& c : b.must_not) {
        bool empty = false;
        std::vector<Leaf> got;
        SIFT_ASSIGN_OR_RETURN(bool ok, leaves(*c, &got, &empty, false));
        if (!ok) return false;
        if (empty) continue;  // excludes nothing
        if (got.size() != 1) return false;  // an AND of terms excludes their intersection only
        w_->excluded_.push_back(std::move(got[0]));
      }
      return true;
    }
    // A single leaf query. An AND match is a conjunction, anything else a (one-leaf) disjunction.
    bool conj = q.kind == Query::Kind::kMatchPhrase ||
                (q.kind == Query::Kind::kMatch && static_cast<const MatchQuery&>(q).and_operator);
    w_->shape_ = conj ? Shape::kConjunction : Shape::kDisjunction;
    bool empty = false;
    SIFT_ASSIGN_OR_RETURN(bool ok, leaves(q, &w_->scored_, &empty, true));
    if (!ok) return false;
    if (empty || w_->scored_.empty()) w_->matches_nothing_ = true;
    if (w_->shape_ == Shape::kDisjunction) {
      for (const Leaf& l : w_->scored_) {
        if (l.kind != Leaf::Kind::kTerm) return false;
      }
    }
    return true;
  }

 private:
  Result<bool> term_leaf(const std::string& field, std::string term, float boost, std::vector<Leaf>* out,
                         bool* empty) {
    FieldStats fs = shard_field_stats(snap_, field);
    uint64_t df = shard_doc_freq(snap_, field, term);
    if (df == 0 || fs.doc_count == 0) {
      *empty = true;
      return true;
    }
    Leaf leaf;
    leaf.field = field;
    leaf.terms.push_back(std::move(term));
    leaf.weight = sim_weight(mapping_.similarity(field), boost, bm25_idf(fs.doc_count, df));
    leaf.norm_table = norm_table(field, fs);
    out->push_back(std::move(leaf));
    return true;
  }

  size_t norm_table(const std::string& field, const FieldStats& fs) {
    auto it = tables_.find(field);
    if (it != tables_.end()) return it->second;
    float avgdl = fs.doc_count ? bm25_avgdl(fs) : 1.0f;
    const index::Similarity& sim = mapping_.similarity(field);
    std::array<float, 256> t;
    // Norm byte 0 never occurs for a doc holding a term; fields without norms read byte 1 (length 1).
    for (uint32_t b = 0; b < 256; ++b) {
      t[b] = sim_norm_inverse(sim, static_cast<float>(index::decode_norm(static_cast<uint8_t>(b))), avgdl);
    }
    w_->norm_tables_.push_back(t);
    size_t id = w_->norm_tables_.size() - 1;
    tables_.emplace(field, id);
    return id;
  }

  const index::ShardSnapshot& snap_;
  const index::Mapping& mapping_;
  Weight* w_;
  std::map<std::string, size_t> tables_;
};

Result<std::optional<Weight>> Weight::bind(const Query& q, const index::ShardSnapshot& snap,
                                           const index::Mapping& mapping) {
  Weight w;
  Binder b(snap, mapping, &w);
  auto ok = b.bind(q);
  if (!ok.is_ok()) return std::optional<Weight>();  // the evaluator reports the error its own way
  if (!ok.value()) return std::optional<Weight>();
  if (w.shape_ == Shape::kConjunction && w.scored_.empty() && w.filters_.empty() && !w.matches_nothing_) {
    return std::optional<Weight>();
  }
  return std::optional<Weight>(std::move(w));
}

}  // namespace sift::query
