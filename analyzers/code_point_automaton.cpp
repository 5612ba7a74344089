#include "analyzers/code_point_automaton.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace sift::analysis {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

CodePointSet normalize_set(CodePointSet s) {
  std::sort(s.begin(), s.end());
  CodePointSet out;
  for (const auto& r : s) {
    if (r.first > r.second) continue;
    if (!out.empty() && r.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

CodePointSet complement_set(const CodePointSet& s) {
  CodePointSet out;
  char32_t next = 0;
  for (const auto& r : normalize_set(s)) {
    if (r.first > next) out.push_back({next, r.first - 1});
    next = r.second + 1;
  }
  if (next <= kMaxCodePoint) out.push_back({next, kMaxCodePoint});
  return out;
}

CodePointSet union_sets(const CodePointSet& a, const CodePointSet& b) {
  CodePointSet all = a;
  all.insert(all.end(), b.begin(), b.end());
  return normalize_set(std::move(all));
}

ReP re_set(CodePointSet s) {
  auto r = std::make_shared<Re>();
  r->kind = Re::Kind::kSet;
  r->set = normalize_set(std::move(s));
  return r;
}
ReP re_char(char32_t c) { return re_set({{c, c}}); }
ReP re_cat(std::vector<ReP> parts) {
  if (parts.size() == 1) return parts[0];
  auto r = std::make_shared<Re>();
  r->kind = Re::Kind::kCat;
  r->parts = std::move(parts);
  return r;
}
ReP re_alt(std::vector<ReP> parts) {
  if (parts.size() == 1) return parts[0];
  auto r = std::make_shared<Re>();
  r->kind = Re::Kind::kAlt;
  r->parts = std::move(parts);
  return r;
}
ReP re_repeat(ReP x, int32_t min, int32_t max) {
  auto r = std::make_shared<Re>();
  r->kind = Re::Kind::kRepeat;
  r->parts = {std::move(x)};
  r->min = min;
  r->max = max;
  return r;
}
ReP re_empty_string() { return re_cat({}); }
ReP re_nothing() { return re_set({}); }
ReP re_any_string() { return re_star(re_set({{0, kMaxCodePoint}})); }
ReP re_complement(ReP x) {
  auto r = std::make_shared<Re>();
  r->kind = Re::Kind::kComplement;
  r->parts = {std::move(x)};
  return r;
}
ReP re_intersect(ReP a, ReP b) {
  auto r = std::make_shared<Re>();
  r->kind = Re::Kind::kIntersect;
  r->parts = {std::move(a), std::move(b)};
  return r;
}
ReP re_str(std::u32string_view s, bool ascii_ci) {
  std::vector<ReP> parts;
  for (char32_t c : s) {
    if (ascii_ci && c < 128 && std::isalpha(static_cast<int>(c))) {
      char32_t lower = static_cast<char32_t>(std::tolower(static_cast<int>(c)));
      char32_t upper = static_cast<char32_t>(std::toupper(static_cast<int>(c)));
      parts.push_back(re_set({{lower, lower}, {upper, upper}}));
    } else {
      parts.push_back(re_char(c));
    }
  }
  return re_cat(std::move(parts));
}
ReP re_ascii(std::string_view s, bool ascii_ci) {
  std::u32string u(s.begin(), s.end());
  return re_str(u, ascii_ci);
}

char32_t decode_code_point(std::u16string_view text, size_t i, size_t* next) {
  char32_t c = text[i];
  *next = i + 1;
  if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) {
    c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
    *next = i + 2;
  }
  return c;
}

uint32_t Dfa::class_of(char32_t c) const {
  if (c < 128) return ascii_classes_[c];
  auto it = std::upper_bound(bounds_.begin(), bounds_.end(), c);
  return class_ids_[static_cast<size_t>(it - bounds_.begin()) - 1];
}

// Thompson construction with epsilon edges, then subset construction over the classes of code
// points that no edge set tells apart.
class DfaBuilder {
 public:
  explicit DfaBuilder(size_t max_states) : max_states_(max_states) {}

  Result<Dfa> build(const std::vector<ReP>& rules) {
    int32_t start = add_state();
    for (size_t i = 0; i < rules.size(); ++i) {
      int32_t end = emit(*rules[i], start);
      SIFT_RETURN_IF_ERROR(status_);
      accept_[end] |= 1u << i;
    }
    return determinize(start);
  }

 private:
  struct Edge {
    int32_t set;  // -1: epsilon
    int32_t to;
  };

  int32_t add_state() {
    // Lucene minimizes every repeat as it builds it, so nested repeats ("((a{999}){999}){999}") stop
    // at the state limit; this construction expands them first, so it bounds the expansion instead:
    // far more states than the DFA may have ends the build with Lucene's error.
    if (out_.size() >= kNfaStatesPerDfaState * max_states_ && status_.is_ok()) {
      status_ = invalid_argument("Determinizing automaton would result in more than " + std::to_string(max_states_) +
                                 " states.");
    }
    if (!status_.is_ok() && !out_.empty()) return 0;
    out_.emplace_back();
    accept_.push_back(0);
    return static_cast<int32_t>(out_.size() - 1);
  }
  int32_t set_id(const CodePointSet& s) {
    auto [it, added] = set_ids_.try_emplace(s, static_cast<int32_t>(sets_.size()));
    if (added) sets_.push_back(s);
    return it->second;
  }
  void eps(int32_t from, int32_t to) { out_[from].push_back({-1, to}); }

  // Adds the states of `r` reached from `from`; returns its end state.
  int32_t emit(const Re& r, int32_t from) {
    if (!status_.is_ok()) return from;
    switch (r.kind) {
      case Re::Kind::kSet: {
        int32_t to = add_state();
        if (!r.set.empty()) out_[from].push_back({set_id(r.set), to});
        return to;
      }
      case Re::Kind::kCat: {
        int32_t cur = from;
        for (const ReP& p : r.parts) {
          if (!status_.is_ok()) break;
          cur = emit(*p, cur);
        }
        if (r.parts.empty()) {
          cur = add_state();
          eps(from, cur);
        }
        return cur;
      }
      case Re::Kind::kAlt: {
        int32_t end = add_state();
        for (const ReP& p : r.parts) {
          int32_t branch = add_state();
          eps(from, branch);
          eps(emit(*p, branch), end);
        }
        return end;
      }
      case Re::Kind::kRepeat: {
        int32_t cur = add_state();
        eps(from, cur);
        if (r.max < 0) {
          // x{n,}: n - 1 copies, then one copy that loops back to its own fresh start (x* when n
          // is 0: the start is also the end). One copy per loop keeps nested loops ("9++++")
          // linear in the pattern.
          for (int32_t i = 0; i + 1 < r.min && status_.is_ok(); ++i) cur = emit(*r.parts[0], cur);
          int32_t loop = add_state();
          eps(cur, loop);
          const int32_t end = emit(*r.parts[0], loop);
          eps(end, loop);
          return r.min == 0 ? loop : end;
        }
        for (int32_t i = 0; i < r.min && status_.is_ok(); ++i) cur = emit(*r.parts[0], cur);
        int32_t end = add_state();
        eps(cur, end);
        for (int32_t i = r.min; i < r.max && status_.is_ok(); ++i) {
          cur = emit(*r.parts[0], cur);
          eps(cur, end);
        }
        return end;
      }
      case Re::Kind::kComplement:
      case Re::Kind::kIntersect: return embed(r, from);
    }
    return from;
  }

  // ~x and x&y: determinize the operands, then copy that DFA in with the accepting states flipped
  // (complement, a sink state for the strings the DFA rejects) or where both accept.
  int32_t embed(const Re& r, int32_t from) {
    int32_t end = add_state();
    if (!status_.is_ok()) return end;
    DfaBuilder sub(max_states_);
    auto dfa = sub.build(r.parts);
    if (!dfa.is_ok()) {
      status_ = dfa.status();
      return end;
    }
    const bool complement = r.kind == Re::Kind::kComplement;
    const uint32_t all = r.kind == Re::Kind::kIntersect ? 3u : 1u;
    std::vector<int32_t> ids(dfa->num_states());
    for (auto& id : ids) id = add_state();
    int32_t sink = -1;
    if (complement) {
      sink = add_state();
      out_[sink].push_back({set_id({{0, kMaxCodePoint}}), sink});
      eps(sink, end);
    }
    for (size_t s = 0; s < ids.size(); ++s) {
      for (uint32_t k = 0; k < dfa->num_classes_; ++k) {
        int32_t t = dfa->table_[s * dfa->num_classes_ + k];
        int32_t to = t >= 0 ? ids[t] : sink;
        if (to >= 0) out_[ids[s]].push_back({set_id(dfa->class_sets_[k]), to});
      }
      bool accepted = (dfa->accepts_[s] & all) == all;
      if (accepted != complement) eps(ids[s], end);
    }
    eps(from, ids[dfa->start_]);
    return end;
  }

  void closure(std::vector<int32_t>* states, std::vector<uint8_t>* mark) const {
    std::vector<int32_t> stack(states->begin(), states->end());
    for (int32_t s : *states) (*mark)[s] = 1;
    while (!stack.empty()) {
      int32_t s = stack.back();
      stack.pop_back();
      for (const Edge& e : out_[s]) {
        if (e.set < 0 && !(*mark)[e.to]) {
          (*mark)[e.to] = 1;
          states->push_back(e.to);
          stack.push_back(e.to);
        }
      }
    }
    for (int32_t s : *states) (*mark)[s] = 0;
    std::sort(states->begin(), states->end());
  }

  // Classes: code points with the same membership in every edge set.
  void make_classes(Dfa* dfa, std::vector<std::vector<uint32_t>>* classes_of_set) const {
    std::vector<char32_t> bounds = {0, kMaxCodePoint + 1};
    for (const auto& s : sets_) {
      for (const auto& r : s) {
        bounds.push_back(r.first);
        bounds.push_back(r.second + 1);
      }
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    const size_t pieces = bounds.size() - 1;
    std::vector<std::vector<int32_t>> signature(pieces);
    for (size_t id = 0; id < sets_.size(); ++id) {
      for (const auto& r : sets_[id]) {
        size_t i = static_cast<size_t>(std::lower_bound(bounds.begin(), bounds.end(), r.first) - bounds.begin());
        for (; i < pieces && bounds[i] <= r.second; ++i) signature[i].push_back(static_cast<int32_t>(id));
      }
    }
    std::map<std::vector<int32_t>, uint32_t> class_of_signature;
    classes_of_set->assign(sets_.size(), {});
    for (size_t i = 0; i < pieces; ++i) {
      auto [it, added] = class_of_signature.try_emplace(signature[i], static_cast<uint32_t>(dfa->class_sets_.size()));
      if (added) {
        dfa->class_sets_.emplace_back();
        for (int32_t id : signature[i]) (*classes_of_set)[id].push_back(it->second);
      }
      dfa->class_sets_[it->second].push_back({bounds[i], bounds[i + 1] - 1});
      if (bounds[i] >= 128) {
        dfa->bounds_.push_back(bounds[i]);
        dfa->class_ids_.push_back(it->second);
      } else {
        for (char32_t c = bounds[i]; c < std::min<char32_t>(bounds[i + 1], 128); ++c) dfa->ascii_classes_[c] = it->second;
        if (bounds[i + 1] > 128) {
          dfa->bounds_.push_back(128);
          dfa->class_ids_.push_back(it->second);
        }
      }
    }
    dfa->num_classes_ = static_cast<uint32_t>(dfa->class_sets_.size());
  }

  Result<Dfa> determinize(int32_t start) {
    Dfa dfa;
    dfa.ascii_classes_.assign(128, 0);
    std::vector<std::vector<uint32_t>> classes_of_set;
    make_classes(&dfa, &classes_of_set);
    std::vector<uint8_t> mark(out_.size(), 0);
    std::map<std::vector<int32_t>, int32_t> ids;
    std::vector<std::vector<int32_t>> subsets;
    auto intern = [&](std::vector<int32_t> subset) -> int32_t {
      auto [it, added] = ids.try_emplace(subset, static_cast<int32_t>(subsets.size()));
      if (added) {
        uint32_t acc = 0;
        for (int32_t s : subset) acc |= accept_[s];
        dfa.accepts_.push_back(acc);
        subsets.push_back(std::move(subset));
      }
      return it->second;
    };
    std::vector<int32_t> first = {start};
    closure(&first, &mark);
    dfa.start_ = intern(std::move(first));
    std::vector<std::vector<int32_t>> moves(dfa.num_classes_);
    for (size_t d = 0; d < subsets.size(); ++d) {
      if (subsets.size() > max_states_) {
        return invalid_argument("Determinizing automaton would result in more than " + std::to_string(max_states_) +
                                " states.");
      }
      for (auto& m : moves) m.clear();
      for (int32_t s : subsets[d]) {
        for (const Edge& e : out_[s]) {
          if (e.set < 0) continue;
          for (uint32_t k : classes_of_set[e.set]) moves[k].push_back(e.to);
        }
      }
      dfa.table_.resize((d + 1) * dfa.num_classes_, Dfa::kDead);
      for (uint32_t k = 0; k < dfa.num_classes_; ++k) {
        if (moves[k].empty()) continue;
        std::vector<int32_t> next = moves[k];
        std::sort(next.begin(), next.end());
        next.erase(std::unique(next.begin(), next.end()), next.end());
        closure(&next, &mark);
        int32_t id = intern(std::move(next));
        dfa.table_[d * dfa.num_classes_ + k] = id;
      }
    }
    trim(&dfa);
    return dfa;
  }

  // Steps into states from which nothing is accepted become dead steps (as in Lucene's minimized
  // automata, a scan stops as soon as no match can follow).
  static void trim(Dfa* dfa) {
    const size_t n = dfa->accepts_.size(), k = dfa->num_classes_;
    std::vector<std::vector<int32_t>> reverse(n);
    for (size_t s = 0; s < n; ++s) {
      for (size_t c = 0; c < k; ++c) {
        int32_t t = dfa->table_[s * k + c];
        if (t >= 0) reverse[t].push_back(static_cast<int32_t>(s));
      }
    }
    std::vector<uint8_t> live(n, 0);
    std::vector<int32_t> stack;
    for (size_t s = 0; s < n; ++s) {
      if (dfa->accepts_[s] != 0) {
        live[s] = 1;
        stack.push_back(static_cast<int32_t>(s));
      }
    }
    while (!stack.empty()) {
      int32_t s = stack.back();
      stack.pop_back();
      for (int32_t from : reverse[s]) {
        if (!live[from]) {
          live[from] = 1;
          stack.push_back(from);
        }
      }
    }
    for (int32_t& t : dfa->table_) {
      if (t >= 0 && !live[t]) t = Dfa::kDead;
    }
  }

  static constexpr size_t kNfaStatesPerDfaState = 100;
  size_t max_states_;
  Status status_ = Status::ok();
  std::vector<std::vector<Edge>> out_;
  std::vector<uint32_t> accept_;
  std::vector<CodePointSet> sets_;
  std::map<CodePointSet, int32_t> set_ids_;
};

Result<Dfa> Dfa::build(const std::vector<ReP>& rules, size_t max_states) {
  DfaBuilder b(max_states);
  return b.build(rules);
}

}  // namespace sift::analysis
