// Evaluation of what match / match_phrase become for stacked tokens and token graphs
// (text_query_builder.h): SynonymQuery (one pseudo-term: the largest document frequency, a
// document's frequencies summed), MultiPhraseQuery (alternatives per slot, the idf summed over all
// its terms) and span queries (Lucene's SpanWeight: the idf summed over the distinct terms, the
// frequency SpanScorer's sum over matches). BM25 through the field's similarity, as everywhere.
#include <algorithm>
#include <map>

#include "query/segment_evaluator.h"
#include "query/similarity_scoring.h"
#include "query/span_matcher.h"
#include "query/text_query_builder.h"

namespace sift::query {

using index::ReaderSegment;

namespace {

using PositionsOf = std::function<const std::vector<uint32_t>*(const std::string&)>;

void term_spans(const SpanQuery& q, const PositionsOf& positions, std::vector<SpanMatch>* out) {
  const std::vector<uint32_t>* p = positions(q.term);
  if (p == nullptr) return;
  for (uint32_t pos : *p) out->push_back({pos, static_cast<int64_t>(pos) + 1, 0});
}

// NearSpansOrdered: each start of the first clause stretched over the later clauses, which only
// move forward; a match when the gaps between consecutive clauses add up to at most the slop.
void near_spans(const SpanQuery& q, const PositionsOf& positions, int64_t max_position, std::vector<SpanMatch>* out) {
  const size_t n = q.clauses.size();
  std::vector<std::vector<SpanMatch>> lists(n);
  for (size_t i = 0; i < n; ++i) {
    if (q.clauses[i]->type != SpanQuery::Type::kGap) lists[i] = span_matches(*q.clauses[i], positions, max_position);
  }
  auto is_gap = [&](size_t i) { return q.clauses[i]->type == SpanQuery::Type::kGap; };
  std::vector<int64_t> cursor(n, -1);
  int64_t gap_position = -1;  // a leading gap clause matches at every position in turn
  bool exhausted = false;
  while (true) {
    SpanMatch first;
    if (is_gap(0)) {
      if (++gap_position > max_position + 1) break;
      first = {gap_position, gap_position + q.clauses[0]->gap, q.clauses[0]->gap};
    } else {
      if (++cursor[0] >= static_cast<int64_t>(lists[0].size())) break;
      first = lists[0][static_cast<size_t>(cursor[0])];
    }
    if (exhausted) break;
    int64_t prev_end = first.end, width = 0;
    bool stretched = true;
    for (size_t i = 1; i < n && stretched; ++i) {
      SpanMatch cur;
      if (is_gap(i)) {
        cur = {prev_end, prev_end + q.clauses[i]->gap, q.clauses[i]->gap};
      } else {
        const auto& list = lists[i];
        while (cursor[i] < 0 || list[static_cast<size_t>(cursor[i])].start < prev_end) {
          if (++cursor[i] >= static_cast<int64_t>(list.size())) {
            exhausted = true;
            stretched = false;
            break;
          }
        }
        if (!stretched) break;
        cur = list[static_cast<size_t>(cursor[i])];
      }
      width += cur.start - prev_end;
      prev_end = cur.end;
    }
    if (stretched && width <= q.slop) out->push_back({first.start, prev_end, width});
  }
}

void collect_terms(const SpanQuery& q, std::vector<std::string>* out) {
  if (q.type == SpanQuery::Type::kTerm) out->push_back(q.term);
  for (const auto& c : q.clauses) collect_terms(*c, out);
}

// Whether `it` is on `doc` (moving it forward when it is before).
bool postings_at(index::PostingsIterator& it, uint32_t doc) {
  uint32_t d = it.doc();
  if (d == index::kNoMoreDocs) return false;
  if (d != static_cast<uint32_t>(-1) && d >= doc) return d == doc;
  return it.advance(doc) == doc;
}

std::vector<uint32_t> postings_docs(const ReaderSegment& seg, const std::string& field, const std::string& term) {
  std::vector<uint32_t> out;
  auto it = seg.reader->postings(field, term);
  for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) out.push_back(d);
  return out;
}

std::vector<uint32_t> union_docs(const std::vector<std::vector<uint32_t>>& lists) {
  std::vector<uint32_t> out;
  for (const auto& l : lists) out.insert(out.end(), l.begin(), l.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<uint32_t> intersect_docs(std::vector<uint32_t> a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Docs that can hold a match of a span tree: terms' postings, unions for or, intersections for near.
std::vector<uint32_t> span_docs(const SpanQuery& q, const ReaderSegment& seg) {
  switch (q.type) {
    case SpanQuery::Type::kTerm:
      return postings_docs(seg, q.field, q.term);
    case SpanQuery::Type::kGap:
      return {};
    case SpanQuery::Type::kOr: {
      std::vector<std::vector<uint32_t>> parts;
      for (const auto& c : q.clauses) parts.push_back(span_docs(*c, seg));
      return union_docs(parts);
    }
    case SpanQuery::Type::kNear: {
      bool first = true;
      std::vector<uint32_t> out;
      for (const auto& c : q.clauses) {
        if (c->type == SpanQuery::Type::kGap) continue;
        std::vector<uint32_t> d = span_docs(*c, seg);
        out = first ? std::move(d) : intersect_docs(std::move(out), d);
        first = false;
      }
      return out;
    }
  }
  return {};
}

// The idf Lucene sums for several terms (into a double, as BM25Similarity.idfExplain), skipping
// terms no document holds.
float summed_idf(const index::ShardSnapshot& snap, const std::string& field, const std::vector<std::string>& terms) {
  FieldStats fs = shard_field_stats(snap, field);
  double sum = 0;
  for (const auto& t : terms) {
    uint64_t df = shard_doc_freq(snap, field, t);
    if (df > 0) sum += bm25_idf(fs.doc_count, df);
  }
  return static_cast<float>(sum);
}

Status no_positions(const std::string& field, const std::string& query, const std::string& text) {
  return Status(Code::kInvalidArgument, "illegal_state_exception",
                "field \"" + field + "\" was indexed without position data; cannot run " + query + " (" + text + ")");
}

}  // namespace

std::vector<SpanMatch> span_matches(const SpanQuery& q, const PositionsOf& positions, int64_t max_position) {
  std::vector<SpanMatch> out;
  switch (q.type) {
    case SpanQuery::Type::kTerm:
      term_spans(q, positions, &out);
      break;
    case SpanQuery::Type::kGap:
      break;
    case SpanQuery::Type::kOr:
      for (const auto& c : q.clauses) {
        auto sub = span_matches(*c, positions, max_position);
        out.insert(out.end(), sub.begin(), sub.end());
      }
      std::stable_sort(out.begin(), out.end(), [](const SpanMatch& a, const SpanMatch& b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
      });
      break;
    case SpanQuery::Type::kNear:
      near_spans(q, positions, max_position, &out);
      break;
  }
  return out;
}

float span_freq(const std::vector<SpanMatch>& matches) {
  float freq = 0;
  for (const auto& m : matches) freq += static_cast<float>(1.0 / (1.0 + static_cast<double>(m.width)));
  return freq;
}

std::vector<std::string> span_terms(const SpanQuery& q) {
  std::vector<std::string> out;
  collect_terms(q, &out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<const Query*> SegmentEvaluator::rewritten_text_query(const Query& q) {
  auto it = bound_.find(&q);
  if (it != bound_.end()) return static_cast<const Query*>(it->second.get());
  SIFT_ASSIGN_OR_RETURN(auto rewritten, rewrite_text_query(q, mapping_));
  const Query* out = rewritten.get();
  bound_.emplace(&q, std::move(rewritten));
  return out;
}

Result<DocScores> SegmentEvaluator::eval_synonym(const SynonymQuery& q, const ReaderSegment& seg) const {
  DocScores out;
  const auto* fi = seg.reader->field(q.field);
  if (fi == nullptr || q.terms.empty()) return out;
  FieldStats fs = field_stats(q.field);
  uint64_t df = 0;
  for (const auto& t : q.terms) df = std::max(df, doc_freq(q.field, t));
  if (df == 0 || fs.doc_count == 0) return out;
  const index::Similarity& sim = mapping_.similarity(q.field);
  float weight = sim_weight(sim, q.boost, idf(fs.doc_count, df));
  float avgdl = bm25_avgdl(fs);
  std::vector<std::pair<uint32_t, uint32_t>> freqs;  // (doc, freq) of every term
  for (const auto& t : q.terms) {
    auto it = seg.reader->postings(q.field, t);
    for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) freqs.emplace_back(d, it.freq());
  }
  std::sort(freqs.begin(), freqs.end());
  const uint8_t* norms = fi->has_norms ? seg.reader->norms(q.field) : nullptr;
  for (size_t i = 0; i < freqs.size();) {
    uint32_t doc = freqs[i].first;
    float freq = 0;
    for (; i < freqs.size() && freqs[i].first == doc; ++i) freq += static_cast<float>(freqs[i].second);
    float dl = norms != nullptr ? static_cast<float>(index::decode_norm(norms[doc])) : 1.0f;
    out.docs.push_back(doc);
    out.scores.push_back(bm25_score(weight, freq, sim_norm_inverse(sim, dl, avgdl)));
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_multi_phrase(const MultiPhraseQuery& q, const ReaderSegment& seg) const {
  DocScores out;
  const auto* fi = seg.reader->field(q.field);
  if (fi == nullptr || q.terms.empty()) return out;
  if (!fi->has_positions) return no_positions(q.field, "MultiPhraseQuery", "phrase=" + multi_phrase_query_text(q));
  std::vector<std::string> all;
  for (const auto& slot : q.terms) all.insert(all.end(), slot.begin(), slot.end());
  float idf_sum = summed_idf(snap_, q.field, all);
  // Docs holding some term of every slot.
  std::vector<uint32_t> candidates;
  for (size_t i = 0; i < q.terms.size(); ++i) {
    std::vector<std::vector<uint32_t>> any;
    for (const auto& t : q.terms[i]) any.push_back(postings_docs(seg, q.field, t));
    candidates = i == 0 ? union_docs(any) : intersect_docs(std::move(candidates), union_docs(any));
  }
  if (candidates.empty()) return out;
  FieldStats fs = field_stats(q.field);
  const index::Similarity& sim = mapping_.similarity(q.field);
  float weight = sim_weight(sim, q.boost, idf_sum);
  float avgdl = fs.doc_count ? bm25_avgdl(fs) : 1.0f;
  std::vector<std::vector<index::PostingsIterator>> iters(q.terms.size());
  for (size_t i = 0; i < q.terms.size(); ++i) {
    for (const auto& t : q.terms[i]) iters[i].push_back(seg.reader->postings(q.field, t));
  }
  std::vector<std::vector<uint32_t>> positions(q.terms.size());
  for (uint32_t doc : candidates) {
    for (size_t i = 0; i < iters.size(); ++i) {  // a slot's positions: the union of its terms'
      positions[i].clear();
      for (auto& it : iters[i]) {
        if (postings_at(it, doc)) positions[i].insert(positions[i].end(), it.positions().begin(), it.positions().end());
      }
      std::sort(positions[i].begin(), positions[i].end());
    }
    float freq = phrase_freq(positions, q.positions, q.slop);
    if (freq <= 0) continue;
    float dl = fi->has_norms ? static_cast<float>(index::decode_norm(seg.reader->norm(q.field, doc))) : 1.0f;
    out.docs.push_back(doc);
    out.scores.push_back(bm25_score(weight, freq, sim_norm_inverse(sim, dl, avgdl)));
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_span(const SpanQuery& q, const ReaderSegment& seg) const {
  DocScores out;
  const auto* fi = seg.reader->field(q.field);
  if (fi == nullptr) return out;
  std::vector<std::string> terms = span_terms(q);
  if (!fi->has_positions) return no_positions(q.field, "SpanTermQuery", "term=" + (terms.empty() ? "" : terms[0]));
  float idf_sum = summed_idf(snap_, q.field, terms);
  std::vector<uint32_t> candidates = span_docs(q, seg);
  if (candidates.empty()) return out;
  FieldStats fs = field_stats(q.field);
  const index::Similarity& sim = mapping_.similarity(q.field);
  float weight = sim_weight(sim, q.boost, idf_sum);
  float avgdl = fs.doc_count ? bm25_avgdl(fs) : 1.0f;
  std::map<std::string, index::PostingsIterator> iters;
  for (const auto& t : terms) iters.emplace(t, seg.reader->postings(q.field, t));
  std::map<std::string, std::vector<uint32_t>> doc_positions;
  for (uint32_t doc : candidates) {
    int64_t max_position = 0;
    for (auto& [term, it] : iters) {
      auto& p = doc_positions[term];
      p.clear();
      if (postings_at(it, doc)) p = it.positions();
      if (!p.empty()) max_position = std::max<int64_t>(max_position, p.back());
    }
    auto lookup = [&](const std::string& t) -> const std::vector<uint32_t>* {
      auto f = doc_positions.find(t);
      return f == doc_positions.end() ? nullptr : &f->second;
    };
    float freq = span_freq(span_matches(q, lookup, max_position));
    if (freq <= 0) continue;
    float dl = fi->has_norms ? static_cast<float>(index::decode_norm(seg.reader->norm(q.field, doc))) : 1.0f;
    out.docs.push_back(doc);
    out.scores.push_back(bm25_score(weight, freq, sim_norm_inverse(sim, dl, avgdl)));
  }
  return out;
}

}  // namespace sift::query
