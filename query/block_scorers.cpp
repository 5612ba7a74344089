// The block scorers behind Weight::search_segment (weight.h): loops over blocks of doc ids that
// read postings, norms and a 256-entry BM25 table, with no allocation or virtual call per doc.
#include <algorithm>
#include <cstring>

#include "index/segment.h"
#include "query/segment_evaluator.h"
#include "query/weight.h"

namespace sift::query {

namespace {

using index::kNoMoreDocs;
using index::PostingsIterator;

// Upper bounds are summed in a different order than scores; a hair of slack keeps float rounding
// from ever pruning a doc whose true score would compete.
constexpr float kBoundSlack = 1.00001f;

// BM25 of one doc from a leaf's weight and its field's norm table.
inline float leaf_score(float weight, const float* norm_inv, const uint8_t* norms, uint32_t freq, uint32_t doc) {
  return bm25_score(weight, static_cast<float>(freq), norm_inv[norms != nullptr ? norms[doc] : 1]);
}

struct TermIt {
  PostingsIterator it;
  const float* norm_inv = nullptr;
  const uint8_t* norms = nullptr;  // nullptr: the field has no norms (length 1)
  float weight = 0;
  // The disjunction leaves a term it did not need behind: its next doc is at least this, and the
  // iterator is advanced (and a block decoded) only when the term is used again.
  uint32_t pending = 0;

  uint32_t effective_doc() const { return std::max(it.doc(), pending); }

  float score(uint32_t freq, uint32_t doc) const { return leaf_score(weight, norm_inv, norms, freq, doc); }
  float bound(const std::vector<index::Impact>& impacts) const {
    float best = 0;
    for (const index::Impact& i : impacts) best = std::max(best, bm25_score(weight, static_cast<float>(i.freq), norm_inv[i.norm]));
    return best * kBoundSlack;
  }
  // The best score any doc in [from, to) can reach, from the impacts of the blocks spanning it.
  float window_bound(uint32_t from, uint32_t to, std::vector<index::Impact>* scratch) {
    float best = 0;
    uint32_t target = std::max(from, effective_doc());
    while (target < to) {
      uint32_t last = it.shallow_advance(target);
      if (last == kNoMoreDocs) {
        // Nothing at or after the window's first target: the term is done (later targets only
        // mean its last block ended inside the window).
        if (target == std::max(from, effective_doc())) pending = kNoMoreDocs;
        break;
      }
      it.block_impacts(scratch);
      best = std::max(best, bound(*scratch));
      if (last >= to - 1) break;
      target = last + 1;
    }
    return best;
  }
};

// A phrase with slop 0: its terms' iterators (inside a conjunction) and the exact phrase count.
struct PhraseCheck {
  std::vector<size_t> iters;  // into the conjunction's iterator list, in phrase order
  std::vector<uint32_t> offsets;
  float weight = 0;
  const float* norm_inv = nullptr;
  const uint8_t* norms = nullptr;

  // Number of positions where every term sits at its offset. Each list is sorted, so one forward
  // cursor per term serves all anchors.
  uint32_t freq(std::vector<TermIt>& its, std::vector<size_t>* cursors) const {
    const std::vector<uint32_t>& first = its[iters[0]].it.positions();
    cursors->assign(iters.size(), 0);
    uint32_t n = 0;
    for (uint32_t anchor : first) {
      if (anchor < offsets[0]) continue;
      uint32_t base = anchor - offsets[0];
      bool all = true;
      for (size_t i = 1; i < iters.size() && all; ++i) {
        const std::vector<uint32_t>& p = its[iters[i]].it.positions();
        uint64_t want = static_cast<uint64_t>(base) + offsets[i];
        size_t& c = (*cursors)[i];
        while (c < p.size() && p[c] < want) ++c;
        all = c < p.size() && p[c] == want;
      }
      n += all ? 1 : 0;
    }
    return n;
  }
  float score(uint32_t freq, uint32_t doc) const { return leaf_score(weight, norm_inv, norms, freq, doc); }
};

bool is_deleted(const index::LiveDocs* live, uint32_t doc) { return live != nullptr && live->is_deleted(doc); }

// Iterators of a leaf in a segment; false when a term is absent (the leaf matches nothing here).
bool open_leaf(const Weight::Leaf& leaf, const index::SegmentReader& r, const float* norm_inv,
               std::vector<TermIt>* out) {
  const uint8_t* norms = r.norms(leaf.field);
  for (const std::string& t : leaf.terms) {
    TermIt ti;
    ti.it = r.postings(leaf.field, t);
    if (ti.it.cost() == 0) return false;
    ti.norm_inv = norm_inv;
    ti.norms = norms;
    ti.weight = leaf.weight;
    out->push_back(std::move(ti));
  }
  return true;
}

// A must_not leaf, checked per candidate doc.
struct Exclusion {
  std::vector<TermIt> its;
  PhraseCheck phrase;  // used when its.size() > 1
  bool excludes(uint32_t doc, std::vector<size_t>* cursors) {
    for (TermIt& t : its) {
      if (t.it.doc() == static_cast<uint32_t>(-1) || t.it.doc() < doc) t.it.advance(doc);
      if (t.it.doc() != doc) return false;
    }
    if (its.size() == 1) return true;
    return phrase.freq(its, cursors) > 0;
  }
};

constexpr uint32_t kWindow = 4096;

// One term, top-k: skip whole blocks whose impacts cannot beat the k-th score, else score the
// block's docs in a tight loop. A cheap bound (the block's highest freq at its shortest length)
// rules most blocks out before the exact one is computed.
void run_single_term(TermIt& t, const index::LiveDocs* live, uint32_t segment, TopCollector* out) {
  std::vector<index::Impact> impacts;
  uint32_t target = 0;
  while (!out->done()) {
    if (out->pruning()) {
      // Walk the skip entries; a block is decoded only when it may hold a competitive doc.
      const uint32_t last = t.it.shallow_advance(target);
      if (last == kNoMoreDocs) return;
      t.it.block_impacts(&impacts);
      const float threshold = out->min_competitive();
      bool skip = impacts.empty();
      if (!skip) {
        float quick = bm25_score(t.weight, static_cast<float>(impacts.back().freq), t.norm_inv[impacts.front().norm]);
        skip = quick * kBoundSlack <= threshold || t.bound(impacts) <= threshold;
      }
      if (skip) {
        target = last + 1;
        continue;
      }
    }
    if (t.it.advance(target) == kNoMoreDocs) return;
    const uint32_t avail = t.it.block_remaining();
    const uint32_t* docs = t.it.block_docs();
    const uint32_t* freqs = t.it.block_freqs();
    for (uint32_t i = 0; i < avail; ++i) {
      if (is_deleted(live, docs[i])) continue;
      out->count();
      out->collect(segment, docs[i], t.score(freqs[i], docs[i]));
    }
    target = docs[avail - 1] + 1;  // the cursor stays: the next advance moves on only if needed
  }
}

// Block-max MaxScore over windows of doc ids (see weight.h).
void run_disjunction(std::vector<TermIt>& terms, std::vector<Exclusion>& excluded, const index::LiveDocs* live,
                     uint32_t segment, bool need_scores, TopCollector* out) {
  for (TermIt& t : terms) t.it.next();
  const size_t n = terms.size();
  std::vector<float> acc(need_scores ? kWindow : 0, 0.0f);
  uint64_t bits[kWindow / 64] = {};
  std::vector<size_t> order(n);
  std::vector<float> wmax(n), rest(n + 1);
  std::vector<index::Impact> scratch;
  std::vector<size_t> cursors;
  while (!out->done()) {
    uint32_t from = kNoMoreDocs;
    for (const TermIt& t : terms) from = std::min(from, t.effective_doc());
    if (from == kNoMoreDocs) break;
    const uint32_t to = from + kWindow;  // doc ids are below 2^31: no overflow
    for (size_t i = 0; i < n; ++i) order[i] = i;
    size_t first_essential = 0;
    const bool pruning = need_scores && out->pruning();
    if (pruning) {
      const float threshold = out->min_competitive();
      for (size_t i = 0; i < n; ++i) {
        wmax[i] = terms[i].effective_doc() < to ? terms[i].window_bound(from, to, &scratch) : 0;
      }
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return wmax[a] < wmax[b]; });
      float sum = 0;
      while (first_essential < n && sum + wmax[order[first_essential]] <= threshold) {
        sum += wmax[order[first_essential]];
        ++first_essential;
      }
      // rest[j]: the most non-essential terms order[0 .. j-1] can still add.
      rest[0] = 0;
      for (size_t j = 0; j < first_essential; ++j) rest[j + 1] = rest[j] + wmax[order[j]];
    }
    // Essential terms: mark their docs of the window and add up their scores.
    for (size_t j = first_essential; j < n; ++j) {
      TermIt& t = terms[order[j]];
      if (t.it.doc() < t.pending) t.it.advance(t.pending);
      while (t.it.doc() < to) {
        const uint32_t avail = t.it.block_remaining();
        const uint32_t* docs = t.it.block_docs();
        const uint32_t* freqs = t.it.block_freqs();
        uint32_t i = 0;
        if (need_scores) {
          for (; i < avail && docs[i] < to; ++i) {
            const uint32_t off = docs[i] - from;
            bits[off >> 6] |= 1ULL << (off & 63);
            acc[off] += t.score(freqs[i], docs[i]);
          }
        } else {
          for (; i < avail && docs[i] < to; ++i) {
            const uint32_t off = docs[i] - from;
            bits[off >> 6] |= 1ULL << (off & 63);
          }
        }
        t.it.skip_in_block(i);
        if (i < avail) break;
      }
    }
    // Collect the window's docs in order, probing non-essential terms while they can still help.
    for (uint32_t w = 0; w < kWindow / 64; ++w) {
      uint64_t word = bits[w];
      bits[w] = 0;
      while (word != 0) {
        const uint32_t off = w * 64 + static_cast<uint32_t>(__builtin_ctzll(word));
        word &= word - 1;
        const uint32_t doc = from + off;
        float s = 0;
        if (need_scores) {
          s = acc[off];
          acc[off] = 0;
        }
        if (is_deleted(live, doc)) continue;
        bool competitive = true;
        for (size_t j = first_essential; j > 0; --j) {
          if (s + rest[j] <= out->min_competitive()) {
            competitive = false;
            break;
          }
          TermIt& t = terms[order[j - 1]];
          if (t.it.doc() < doc) t.it.advance(doc);
          if (t.it.doc() == doc) s += t.score(t.it.freq(), doc);
        }
        if (!competitive) continue;
        bool skip = false;
        for (Exclusion& e : excluded) {
          if (e.excludes(doc, &cursors)) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        out->count();
        if (need_scores) out->collect(segment, doc, s);
      }
    }
    // Non-essential terms may lag inside the window; the next window starts past it.
    for (size_t j = 0; j < first_essential; ++j) {
      TermIt& t = terms[order[j]];
      t.pending = std::max(t.pending, to);  // kNoMoreDocs stays: the term is done
    }
  }
}

// Leapfrog conjunction: the cheapest iterator leads, the others advance to its doc; phrases are
// checked on the docs every iterator agrees on.
void run_conjunction(std::vector<TermIt>& its, const std::vector<int>& scored_terms,
                     std::vector<PhraseCheck>& phrases, const std::vector<int>& scored_phrases,
                     const std::vector<int>& score_order, std::vector<Exclusion>& excluded,
                     const index::LiveDocs* live, uint32_t segment, bool need_scores, TopCollector* out) {
  size_t lead = 0;
  for (size_t i = 1; i < its.size(); ++i) {
    if (its[i].it.cost() < its[lead].it.cost()) lead = i;
  }
  std::vector<size_t> cursors;
  std::vector<uint32_t> phrase_freqs(phrases.size());
  uint32_t doc = its[lead].it.next();
  while (doc != kNoMoreDocs && !out->done()) {
    uint32_t next = doc;
    for (size_t i = 0; i < its.size() && next == doc; ++i) {
      if (i == lead) continue;
      PostingsIterator& it = its[i].it;
      if (it.doc() == static_cast<uint32_t>(-1) || it.doc() < doc) it.advance(doc);
      next = it.doc();
    }
    if (next != doc) {
      doc = its[lead].it.advance(next);
      continue;
    }
    bool match = !is_deleted(live, doc);
    for (size_t p = 0; p < phrases.size() && match; ++p) {
      phrase_freqs[p] = phrases[p].freq(its, &cursors);
      match = phrase_freqs[p] > 0;
    }
    for (size_t e = 0; e < excluded.size() && match; ++e) match = !excluded[e].excludes(doc, &cursors);
    if (match) {
      out->count();
      if (need_scores) {
        // Sum in clause order, as the evaluator does.
        float s = 0;
        bool first = true;
        for (int k : score_order) {
          float v = k >= 0 ? its[static_cast<size_t>(scored_terms[static_cast<size_t>(k)])].score(
                                 its[static_cast<size_t>(scored_terms[static_cast<size_t>(k)])].it.freq(), doc)
                           : phrases[static_cast<size_t>(scored_phrases[static_cast<size_t>(-k - 1)])].score(
                                 phrase_freqs[static_cast<size_t>(scored_phrases[static_cast<size_t>(-k - 1)])], doc);
          s = first ? v : s + v;
          first = false;
        }
        out->collect(segment, doc, s);
      }
    }
    doc = its[lead].it.next();
  }
}

}  // namespace

void Weight::search_segment(const index::ReaderSegment& seg, uint32_t segment, bool need_scores,
                            TopCollector* out) const {
  if (matches_nothing_ || out->done()) return;
  const index::SegmentReader& r = *seg.reader;
  const index::LiveDocs* live = seg.live != nullptr && !seg.live->empty() ? seg.live.get() : nullptr;

  std::vector<Exclusion> excluded;
  for (const Leaf& leaf : excluded_) {
    Exclusion e;
    if (!open_leaf(leaf, r, norm_tables_[leaf.norm_table].data(), &e.its)) continue;  // excludes nothing here
    if (leaf.kind == Leaf::Kind::kPhrase) {
      for (size_t i = 0; i < e.its.size(); ++i) e.phrase.iters.push_back(i);
      e.phrase.offsets = leaf.offsets;
    }
    excluded.push_back(std::move(e));
  }

  if (shape_ == Shape::kDisjunction) {
    std::vector<TermIt> terms;
    for (const Leaf& leaf : scored_) {
      std::vector<TermIt> got;
      if (open_leaf(leaf, r, norm_tables_[leaf.norm_table].data(), &got)) terms.push_back(std::move(got[0]));
    }
    if (terms.empty()) return;
    // Counting a lone term needs no iteration when nothing is deleted or excluded.
    if (!need_scores && terms.size() == 1 && live == nullptr && excluded.empty()) {
      out->count(terms[0].it.cost());
      return;
    }
    if (terms.size() == 1 && excluded.empty() && need_scores) {
      run_single_term(terms[0], live, segment, out);
      return;
    }
    run_disjunction(terms, excluded, live, segment, need_scores, out);
    return;
  }

  // Conjunction: every term iterator of every required leaf; phrases checked on agreement.
  std::vector<TermIt> its;
  std::vector<PhraseCheck> phrases;
  std::vector<int> scored_terms, scored_phrases, score_order;
  auto add = [&](const Leaf& leaf, bool scored) -> bool {
    const float* table = norm_tables_[leaf.norm_table].data();
    size_t first = its.size();
    if (!open_leaf(leaf, r, table, &its)) return false;
    if (leaf.kind == Leaf::Kind::kTerm) {
      if (scored) {
        score_order.push_back(static_cast<int>(scored_terms.size()));
        scored_terms.push_back(static_cast<int>(first));
      }
      return true;
    }
    PhraseCheck p;
    for (size_t i = first; i < its.size(); ++i) p.iters.push_back(i);
    p.offsets = leaf.offsets;
    p.weight = leaf.weight;
    p.norm_inv = table;
    p.norms = r.norms(leaf.field);
    if (scored) {
      score_order.push_back(-static_cast<int>(scored_phrases.size()) - 1);
      scored_phrases.push_back(static_cast<int>(phrases.size()));
    }
    phrases.push_back(std::move(p));
    return true;
  };
  for (const Leaf& leaf : scored_) {
    if (!add(leaf, true)) return;
  }
  for (const Leaf& leaf : filters_) {
    if (!add(leaf, false)) return;
  }
  if (its.empty()) return;
  run_conjunction(its, scored_terms, phrases, scored_phrases, score_order, excluded, live, segment, need_scores, out);
}

}  // namespace sift::query
