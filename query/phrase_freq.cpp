// Phrase frequency of one document, as Lucene 8 counts it: ExactPhraseMatcher for slop 0,
// SloppyPhraseMatcher otherwise, including its handling of phrases that repeat a term.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "query/segment_evaluator.h"

namespace sift::query {

namespace {

// Slop 0: the number of places where every term sits at its offset from the first (a repeated
// term may take part in two overlapping matches: "a a" in "a a a" counts 2, as in Lucene).
float exact_phrase_freq(const std::vector<std::vector<uint32_t>>& positions, const std::vector<uint32_t>& offsets) {
  float freq = 0;
  for (uint32_t anchor : positions[0]) {
    int64_t base = static_cast<int64_t>(anchor) - offsets[0];
    bool all = true;
    for (size_t i = 1; i < positions.size() && all; ++i) {
      int64_t want = base + offsets[i];
      all = want >= 0 && want <= UINT32_MAX &&
            std::binary_search(positions[i].begin(), positions[i].end(), static_cast<uint32_t>(want));
    }
    if (all) freq += 1;
  }
  return freq;
}

// One phrase term's cursor (Lucene's PhrasePositions): its current position minus its offset.
struct Pp {
  int64_t position = 0;
  size_t next = 0;  // index of the next position in the term's list
  uint32_t offset = 0;
  size_t ord = 0;
  // Terms that occur more than once in the phrase form a repeat group: [rpt_begin, rpt_end) in
  // SloppyMatcher::rpt_, ordered by offset; rpt_begin == rpt_end for a term that does not repeat.
  size_t rpt_begin = 0;
  size_t rpt_end = 0;
};

// Lucene 8's SloppyPhraseMatcher over one document. Every term's cursor sits in a queue ordered
// by (position, offset, ord); the least is advanced while it stays below the next one, shrinking
// the match, and a match within the slop adds 1 / (1 + its length). Cursors of a repeated term
// start on successive occurrences (the k-th by offset skips k) and never share a document
// position: when an advanced cursor lands on one another cursor of its term holds, the lesser of
// the two (by position, then offset) moves on, until no two collide. The queue is a linear scan
// over a handful of cursors; keys change in place while Lucene pops and re-adds the moved
// cursors, which yields the same order since (position, offset, ord) is a total order.
class SloppyMatcher {
 public:
  SloppyMatcher(const std::vector<std::vector<uint32_t>>& positions, const std::vector<uint32_t>& offsets,
                int32_t slop)
      : positions_(positions), offsets_(offsets), slop_(slop) {}

  float freq() {
    if (!init()) return 0;
    float freq = 0;
    while (positioned_) {
      int64_t length = 0;
      if (next_match(&length)) freq += 1.0f / (1.0f + static_cast<float>(length));
    }
    return freq;
  }

 private:
  // Places every cursor on its first position (a repeated term's k-th cursor on its k-th);
  // false when a term has too few positions, so the document does not match.
  bool init() {
    const size_t n = positions_.size();
    pps_.assign(n, Pp{});
    rpt_.clear();
    queue_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (positions_[i].empty()) return false;
      pps_[i] = {static_cast<int64_t>(positions_[i][0]) - offsets_[i], 1, offsets_[i], i, 0, 0};
    }
    has_rpts_ = false;
    for (size_t i = 0; i < n; ++i) {
      if (pps_[i].rpt_end != 0) continue;  // already in a group
      size_t begin = rpt_.size();
      rpt_.push_back(i);
      for (size_t j = i + 1; j < n; ++j) {
        // Equal position lists: the same term (two terms never share a position).
        if (pps_[j].rpt_end == 0 && offsets_[j] != offsets_[i] && positions_[j] == positions_[i]) rpt_.push_back(j);
      }
      if (rpt_.size() == begin + 1) {
        rpt_.pop_back();
        continue;
      }
      has_rpts_ = true;
      std::stable_sort(rpt_.begin() + static_cast<std::ptrdiff_t>(begin), rpt_.end(),
                       [&](size_t a, size_t b) { return offsets_[a] < offsets_[b]; });
      for (size_t k = begin; k < rpt_.size(); ++k) {
        Pp& pp = pps_[rpt_[k]];
        pp.rpt_begin = begin;
        pp.rpt_end = rpt_.size();
        size_t skip = k - begin;  // the k-th cursor of the group starts on the term's k-th position
        if (skip >= positions_[rpt_[k]].size()) return false;
        pp.position = static_cast<int64_t>(positions_[rpt_[k]][skip]) - pp.offset;
        pp.next = skip + 1;
      }
    }
    end_ = INT64_MIN;
    for (size_t i = 0; i < n; ++i) {
      end_ = std::max(end_, pps_[i].position);
      queue_.push_back(i);
    }
    positioned_ = true;
    return true;
  }

  // Lucene's nextMatch(): true with the match's length when a match within the slop was found.
  bool next_match(int64_t* length) {
    size_t pp = pop();
    int64_t match_length = end_ - pps_[pp].position;
    int64_t next = top_position();  // not refreshed by collisions, as in Lucene
    while (advance(pp)) {
      if (has_rpts_ && !advance_repeats(pp)) break;  // a colliding cursor ran out
      if (pps_[pp].position > next) {                // done minimizing this match's length
        queue_.push_back(pp);
        if (match_length <= slop_) {
          *length = match_length;
          return true;
        }
        pp = pop();
        next = top_position();
        match_length = end_ - pps_[pp].position;
      } else {
        match_length = std::min(match_length, end_ - pps_[pp].position);
      }
    }
    positioned_ = false;
    *length = match_length;
    return match_length <= slop_;
  }

  bool advance(size_t i) {
    Pp& pp = pps_[i];
    if (pp.next >= positions_[i].size()) return false;
    pp.position = static_cast<int64_t>(positions_[i][pp.next++]) - pp.offset;
    end_ = std::max(end_, pp.position);
    return true;
  }

  // After cursor `i` moved: while it shares its document position with another cursor of its
  // term, advance the lesser of the two; false when that one runs out of positions.
  bool advance_repeats(size_t i) {
    if (pps_[i].rpt_begin == pps_[i].rpt_end) return true;
    for (;;) {
      const Pp& pp = pps_[i];
      int64_t at = pp.position + pp.offset;
      size_t other = SIZE_MAX;
      for (size_t k = pp.rpt_begin; k < pp.rpt_end && other == SIZE_MAX; ++k) {
        if (rpt_[k] != i && pps_[rpt_[k]].position + pps_[rpt_[k]].offset == at) other = rpt_[k];
      }
      if (other == SIZE_MAX) return true;
      const Pp& o = pps_[other];
      bool pp_lesser = pp.position < o.position || (pp.position == o.position && pp.offset < o.offset);
      if (!pp_lesser) i = other;
      if (!advance(i)) return false;
    }
  }

  bool less(size_t a, size_t b) const {
    const Pp& x = pps_[a];
    const Pp& y = pps_[b];
    if (x.position != y.position) return x.position < y.position;
    if (x.offset != y.offset) return x.offset < y.offset;
    return x.ord < y.ord;
  }
  size_t least() const {
    size_t best = 0;
    for (size_t k = 1; k < queue_.size(); ++k) {
      if (less(queue_[k], queue_[best])) best = k;
    }
    return best;
  }
  size_t pop() {
    size_t k = least();
    size_t pp = queue_[k];
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(k));
    return pp;
  }
  int64_t top_position() const { return pps_[queue_[least()]].position; }

  const std::vector<std::vector<uint32_t>>& positions_;
  const std::vector<uint32_t>& offsets_;
  const int32_t slop_;
  // Per-thread scratch: this runs once per matching document, which must not allocate.
  static thread_local std::vector<Pp> pps_;
  static thread_local std::vector<size_t> rpt_;    // repeat groups, each ordered by offset
  static thread_local std::vector<size_t> queue_;  // indices into pps_
  int64_t end_ = INT64_MIN;                        // the largest cursor position
  bool has_rpts_ = false;
  bool positioned_ = false;
};

thread_local std::vector<Pp> SloppyMatcher::pps_;
thread_local std::vector<size_t> SloppyMatcher::rpt_;
thread_local std::vector<size_t> SloppyMatcher::queue_;

}  // namespace

float phrase_freq(const std::vector<std::vector<uint32_t>>& positions, const std::vector<uint32_t>& offsets,
                  int32_t slop) {
  if (positions.empty()) return 0;
  // A one-term phrase is a term query in Lucene: its frequency is the term's.
  if (slop <= 0 || positions.size() == 1) return exact_phrase_freq(positions, offsets);
  return SloppyMatcher(positions, offsets, slop).freq();
}

}  // namespace sift::query
