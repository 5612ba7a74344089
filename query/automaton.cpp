// Automata for regexp and fuzzy queries: UTF-8 helpers, the DFA and its dictionary walk, subset
// construction with a state bound, complement and intersection, and the bounded Levenshtein
// distance. The regexp parser and its NFA construction are in regex_compiler.cpp.
#include "query/automaton.h"

#include <algorithm>
#include <map>

#include "query/automaton_internal.h"

namespace sift::query {

// ---- UTF-8 -------------------------------------------------------------------------------------

bool decode_utf8_at(std::string_view s, size_t i, uint32_t* cp, size_t* len) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  if (c < 0x80) {
    *cp = c;
    *len = 1;
    return true;
  }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return false;
  uint32_t v = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return false;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
  *cp = v;
  *len = n;
  return true;
}

bool decode_utf8(std::string_view s, std::u32string* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t len;
    if (!decode_utf8_at(s, i, &cp, &len)) return false;
    out->push_back(cp);
    i += len;
  }
  return true;
}

void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string prefix_successor(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

// ---- DFA ---------------------------------------------------------------------------------------

uint32_t Dfa::add_state(bool accepting) {
  accept_.push_back(accepting ? 1 : 0);
  ranges_.emplace_back();
  return static_cast<uint32_t>(accept_.size() - 1);
}

void Dfa::set_ranges(uint32_t state, std::vector<Range> ranges) { ranges_[state] = std::move(ranges); }

void Dfa::finish(uint32_t start) {
  // Live states reach an accepting state; transitions into the others are dropped.
  size_t n = accept_.size();
  std::vector<std::vector<uint32_t>> reverse(n);
  for (uint32_t s = 0; s < n; ++s) {
    for (const auto& r : ranges_[s]) reverse[r.to].push_back(s);
  }
  std::vector<uint8_t> live(n, 0);
  std::vector<uint32_t> stack;
  for (uint32_t s = 0; s < n; ++s) {
    if (accept_[s]) {
      live[s] = 1;
      stack.push_back(s);
    }
  }
  while (!stack.empty()) {
    uint32_t s = stack.back();
    stack.pop_back();
    for (uint32_t p : reverse[s]) {
      if (!live[p]) {
        live[p] = 1;
        stack.push_back(p);
      }
    }
  }
  for (auto& rs : ranges_) {
    rs.erase(std::remove_if(rs.begin(), rs.end(), [&](const Range& r) { return !live[r.to]; }), rs.end());
  }
  start_ = start < n && live[start] ? start : kDead;
}

uint32_t Dfa::step(uint32_t state, uint32_t cp) const {
  if (state == kDead) return kDead;
  const auto& rs = ranges_[state];
  auto it = std::lower_bound(rs.begin(), rs.end(), cp, [](const Range& r, uint32_t c) { return r.hi < c; });
  return it != rs.end() && it->lo <= cp ? it->to : kDead;
}

bool Dfa::matches(std::string_view utf8) const {
  uint32_t s = start_;
  for (size_t i = 0; i < utf8.size() && s != kDead;) {
    uint32_t cp;
    size_t len;
    if (!decode_utf8_at(utf8, i, &cp, &len)) return false;
    s = step(s, cp);
    i += len;
  }
  return accepting(s);
}

Dfa::Walk Dfa::walk(std::string_view term) const {
  Walk w;
  if (start_ == kDead) {
    w.done = true;
    return w;
  }
  // Most terms are read to the end (accepted or not): one pass without recording the path.
  uint32_t fast = start_;
  for (size_t i = 0; i < term.size() && fast != kDead;) {
    uint32_t cp;
    size_t len;
    if (!decode_utf8_at(term, i, &cp, &len)) return w;  // never matches; read on
    fast = step(fast, cp);
    i += len;
  }
  if (fast != kDead) {
    w.accepted = accept_[fast] != 0;
    return w;
  }
  // The state before each code point, where it starts, and the code point itself.
  std::vector<uint32_t> states{start_}, cps;
  std::vector<size_t> offsets{0};
  uint32_t s = start_;
  for (size_t i = 0; i < term.size();) {
    uint32_t cp;
    size_t len;
    if (!decode_utf8_at(term, i, &cp, &len)) return w;  // never matches; read on
    cps.push_back(cp);
    uint32_t t = step(s, cp);
    if (t == kDead) {
      // No term with this prefix matches: the next candidate is the prefix up to the deepest
      // level that has a larger code point to take, followed by that code point.
      for (size_t j = cps.size(); j-- > 0;) {
        const auto& rs = ranges_[states[j]];
        auto it = std::upper_bound(rs.begin(), rs.end(), cps[j], [](uint32_t c, const Range& r) { return c < r.hi; });
        if (it != rs.end()) {
          w.seek.assign(term.substr(0, offsets[j]));
          append_utf8(std::max(it->lo, cps[j] + 1), &w.seek);
          return w;
        }
      }
      w.done = true;
      return w;
    }
    s = t;
    i += len;
    states.push_back(s);
    offsets.push_back(i);
  }
  w.accepted = accept_[s] != 0;
  return w;
}

std::string Dfa::literal_prefix() const {
  std::string out;
  uint32_t s = start_;
  while (s != kDead && !accept_[s] && ranges_[s].size() == 1 && ranges_[s][0].lo == ranges_[s][0].hi &&
         out.size() < 1024) {
    append_utf8(ranges_[s][0].lo, &out);
    s = ranges_[s][0].to;
  }
  return out;
}

// ---- Subset construction, complement, intersection -----------------------------------------------

namespace automaton {

uint32_t Nfa::add() {
  edges.emplace_back();
  eps.emplace_back();
  return static_cast<uint32_t>(edges.size() - 1);
}

Result<Dfa> determinize(const Nfa& nfa, uint32_t start, uint32_t accept, const Limits& limits) {
  std::vector<uint32_t> mark(nfa.size(), 0);
  uint32_t stamp = 0;
  std::vector<uint32_t> stack;
  auto closure = [&](std::vector<uint32_t>& set) {
    ++stamp;
    stack.assign(set.begin(), set.end());
    set.clear();
    while (!stack.empty()) {
      uint32_t s = stack.back();
      stack.pop_back();
      if (mark[s] == stamp) continue;
      mark[s] = stamp;
      set.push_back(s);
      for (uint32_t t : nfa.eps[s]) {
        if (mark[t] != stamp) stack.push_back(t);
      }
    }
    std::sort(set.begin(), set.end());
  };
  Dfa dfa;
  std::map<std::vector<uint32_t>, uint32_t> ids;
  std::vector<const std::vector<uint32_t>*> sets;
  int64_t effort = 0;
  auto intern = [&](std::vector<uint32_t> set) -> Result<uint32_t> {
    closure(set);
    auto it = ids.find(set);
    if (it != ids.end()) return it->second;
    effort += static_cast<int64_t>(set.size());
    if (static_cast<int64_t>(sets.size()) >= std::min(limits.max_states, kMaxDfaStates) ||
        effort > kMaxDeterminizeEffort) {
      return limits.too_complex(limits.max_states);
    }
    bool accepting = std::binary_search(set.begin(), set.end(), accept);
    uint32_t id = dfa.add_state(accepting);
    auto inserted = ids.emplace(std::move(set), id).first;
    sets.push_back(&inserted->first);
    return id;
  };
  SIFT_ASSIGN_OR_RETURN(uint32_t first, intern({start}));
  // Per DFA state: sweep the NFA transitions' range boundaries; each elementary interval goes to
  // the closure of the NFA states whose transitions cover it.
  std::vector<std::pair<uint32_t, int64_t>> events;  // (point, +/- (target + 1))
  std::map<uint32_t, int> active;
  for (size_t i = 0; i < sets.size(); ++i) {
    events.clear();
    for (uint32_t s : *sets[i]) {
      for (const auto& e : nfa.edges[s]) {
        events.emplace_back(e.lo, static_cast<int64_t>(e.to) + 1);
        events.emplace_back(e.hi + 1, -(static_cast<int64_t>(e.to) + 1));
      }
    }
    std::sort(events.begin(), events.end());
    active.clear();
    std::vector<Dfa::Range> out;
    for (size_t k = 0; k < events.size();) {
      uint32_t point = events[k].first;
      for (; k < events.size() && events[k].first == point; ++k) {
        int64_t v = events[k].second;
        uint32_t to = static_cast<uint32_t>((v > 0 ? v : -v) - 1);
        if (v > 0) {
          ++active[to];
        } else if (--active[to] == 0) {
          active.erase(to);
        }
      }
      if (active.empty() || k == events.size()) continue;
      uint32_t end = events[k].first - 1;
      std::vector<uint32_t> targets;
      for (const auto& [to, n] : active) targets.push_back(to);
      SIFT_ASSIGN_OR_RETURN(uint32_t target, intern(std::move(targets)));
      if (!out.empty() && out.back().to == target && out.back().hi + 1 == point) {
        out.back().hi = end;
      } else {
        out.push_back({point, end, target});
      }
    }
    dfa.set_ranges(static_cast<uint32_t>(i), std::move(out));
  }
  dfa.finish(first);
  return dfa;
}

Dfa complement(const Dfa& a) {
  Dfa out;
  uint32_t n = static_cast<uint32_t>(a.num_states());
  for (uint32_t s = 0; s < n; ++s) out.add_state(!a.accepting(s));
  uint32_t sink = out.add_state(true);
  auto fill = [&](const std::vector<Dfa::Range>& rs) {
    std::vector<Dfa::Range> full;
    uint32_t next = 0;
    for (const auto& r : rs) {
      if (r.lo > next) full.push_back({next, r.lo - 1, sink});
      full.push_back(r);
      next = r.hi + 1;
    }
    if (next <= kMaxCodePoint) full.push_back({next, kMaxCodePoint, sink});
    return full;
  };
  for (uint32_t s = 0; s < n; ++s) out.set_ranges(s, fill(a.ranges(s)));
  out.set_ranges(sink, {{0, kMaxCodePoint, sink}});
  out.finish(a.start() == Dfa::kDead ? sink : a.start());
  return out;
}

Result<Dfa> intersect(const Dfa& a, const Dfa& b, const Limits& limits) {
  Dfa out;
  if (a.start() == Dfa::kDead || b.start() == Dfa::kDead) {
    out.finish(Dfa::kDead);
    return out;
  }
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> ids;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  auto intern = [&](uint32_t x, uint32_t y) -> Result<uint32_t> {
    auto it = ids.find({x, y});
    if (it != ids.end()) return it->second;
    if (static_cast<int64_t>(pairs.size()) >= std::min(limits.max_states, kMaxDfaStates)) {
      return limits.too_complex(limits.max_states);
    }
    uint32_t id = out.add_state(a.accepting(x) && b.accepting(y));
    ids.emplace(std::make_pair(x, y), id);
    pairs.emplace_back(x, y);
    return id;
  };
  SIFT_ASSIGN_OR_RETURN(uint32_t first, intern(a.start(), b.start()));
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& ra = a.ranges(pairs[i].first);
    const auto& rb = b.ranges(pairs[i].second);
    std::vector<Dfa::Range> rs;
    for (size_t p = 0, q = 0; p < ra.size() && q < rb.size();) {
      uint32_t lo = std::max(ra[p].lo, rb[q].lo), hi = std::min(ra[p].hi, rb[q].hi);
      if (lo <= hi) {
        SIFT_ASSIGN_OR_RETURN(uint32_t to, intern(ra[p].to, rb[q].to));
        rs.push_back({lo, hi, to});
      }
      if (ra[p].hi < rb[q].hi) ++p;
      else ++q;
    }
    out.set_ranges(static_cast<uint32_t>(i), std::move(rs));
  }
  out.finish(first);
  return out;
}

size_t live_states(const Dfa& d) {
  if (d.start() == Dfa::kDead) return 0;
  std::vector<uint8_t> seen(d.num_states(), 0);
  std::vector<uint32_t> stack{d.start()};
  seen[d.start()] = 1;
  size_t n = 0;
  while (!stack.empty()) {
    uint32_t s = stack.back();
    stack.pop_back();
    ++n;
    for (const auto& r : d.ranges(s)) {
      if (!seen[r.to]) {
        seen[r.to] = 1;
        stack.push_back(r.to);
      }
    }
  }
  return n;
}

}  // namespace automaton

// ---- Bounded Levenshtein -------------------------------------------------------------------------

BoundedLevenshtein::BoundedLevenshtein(std::u32string query, int max_edits, bool transpositions)
    : query_(std::move(query)), max_edits_(std::clamp(max_edits, 0, 250)), transpositions_(transpositions) {
  uint8_t cap = static_cast<uint8_t>(max_edits_ + 1);
  rows_.emplace_back(2 * static_cast<size_t>(max_edits_) + 1, cap);
  for (size_t i = 0; i <= query_.size() && i <= static_cast<size_t>(max_edits_); ++i) {
    rows_[0][i + static_cast<size_t>(max_edits_)] = static_cast<uint8_t>(i);
  }
  row_min_.push_back(0);
}

// Row d holds the cells of columns d - max_edits .. d + max_edits (the only ones that can be
// <= max_edits); reads outside that band give max_edits + 1. A row is rewritten whole for each
// term that reaches its depth, so memory stays (term length) x (2 max_edits + 1).
uint8_t BoundedLevenshtein::cell(size_t d, size_t i) const {
  int64_t off = static_cast<int64_t>(i) - static_cast<int64_t>(d) + max_edits_;
  if (off < 0 || off > 2 * max_edits_) return static_cast<uint8_t>(max_edits_ + 1);
  return rows_[d][static_cast<size_t>(off)];
}

void BoundedLevenshtein::compute_row(size_t d, std::u32string_view term) {
  size_t n = query_.size();
  size_t k = static_cast<size_t>(max_edits_);
  uint8_t cap = static_cast<uint8_t>(k + 1);
  if (rows_.size() <= d) {
    rows_.emplace_back(2 * k + 1, cap);
    row_min_.push_back(cap);
  }
  uint32_t t = term[d - 1];
  size_t lo = d > k ? d - k : 0;
  size_t hi = std::min(n, d + k);
  uint8_t best = cap;
  for (size_t i = lo; i <= hi; ++i) {
    int v;
    if (i == 0) {
      v = static_cast<int>(d);
    } else {
      v = cell(d - 1, i - 1) + (query_[i - 1] == t ? 0 : 1);
      v = std::min(v, cell(d - 1, i) + 1);
      v = std::min(v, cell(d, i - 1) + 1);
      if (transpositions_ && d >= 2 && i >= 2 && query_[i - 1] == term[d - 2] && query_[i - 2] == t) {
        v = std::min(v, cell(d - 2, i - 2) + 1);
      }
    }
    uint8_t c = static_cast<uint8_t>(std::min<int>(v, cap));
    rows_[d][i + k - d] = c;
    best = std::min(best, c);
  }
  row_min_[d] = best;
}

int BoundedLevenshtein::distance(std::u32string_view term, int limit, size_t* dead_at) {
  *dead_at = 0;
  limit = std::min(limit, max_edits_);
  // Rows 1..common are those of the previous term's shared prefix.
  size_t common = 0;
  while (common < cached_.size() && common < term.size() && cached_[common] == term[common]) ++common;
  for (size_t d = 1; d <= common; ++d) {
    if (row_min_[d] > limit) {
      *dead_at = d;
      return -1;
    }
  }
  cached_.assign(term.substr(0, common));
  for (size_t d = common + 1; d <= term.size(); ++d) {
    compute_row(d, term);
    cached_.push_back(term[d - 1]);
    if (row_min_[d] > limit) {
      *dead_at = d;
      return -1;
    }
  }
  int v = cell(term.size(), query_.size());
  return v <= limit ? v : -1;
}

}  // namespace sift::query
