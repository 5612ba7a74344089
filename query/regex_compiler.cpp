// Lucene's RegExp syntax -> NFA -> DFA. The parser follows Lucene's grammar production by
// production (union `|`, intersection `&`, concatenation, repeats `? * + {n} {n,} {n,m}`,
// complement `~`, classes `[...]` `[^...]`, `.`, `#`, `@`, `"..."`, `()`, `<name>`, `<n-m>`,
// `\d \D \s \S \w \W`, `\` escapes) and reports its errors with the same messages and UTF-16
// positions. The NFA is Thompson's; complement and intersection determinize their operands
// (bounded) and embed the result. The whole NFA is then determinized with the state bound.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "query/automaton.h"
#include "query/automaton_internal.h"

namespace sift::query {
namespace {

using automaton::Nfa;
using Range = Dfa::Range;

// Nesting deeper than this (groups, complements, stacked repeats) is refused rather than risk the
// stack: each level is about seven recursive frames, and a search thread's stack must hold them
// under AddressSanitizer too (1,000 levels overflowed 8 MB there). Lucene has no such limit; a
// regex nested this deep is refused where OpenSearch would run it (docs/compat.md).
constexpr int kMaxDepth = 200;

struct Node {
  enum class Kind : uint8_t {
    kUnion, kConcat, kIntersection, kOptional, kStar, kRepeatMin, kRepeatMinMax, kComplement,
    kChar, kRanges, kString, kAnyString, kEmpty, kNamed, kInterval,
  };
  Kind kind = Kind::kEmpty;
  std::vector<int> kids;
  uint32_t c = 0;                // kChar
  std::vector<Range> ranges;     // kRanges: sorted, disjoint (to unused)
  std::u32string s;              // kString, kNamed
  int64_t min = 0, max = 0;      // repeats and intervals
  int digits = 0;                // kInterval
  int depth = 1;
};

Status syntax(std::string reason) { return invalid_argument(std::move(reason)); }

std::vector<Range> normalized(std::vector<Range> rs) {
  std::sort(rs.begin(), rs.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  std::vector<Range> out;
  for (const auto& r : rs) {
    if (!out.empty() && r.lo <= out.back().hi + 1) out.back().hi = std::max(out.back().hi, r.hi);
    else out.push_back({r.lo, r.hi, 0});
  }
  return out;
}

std::vector<Range> negated(const std::vector<Range>& rs) {
  std::vector<Range> out;
  uint32_t next = 0;
  for (const auto& r : rs) {
    if (r.lo > next) out.push_back({next, r.lo - 1, 0});
    next = r.hi + 1;
  }
  if (next <= kMaxCodePoint) out.push_back({next, kMaxCodePoint, 0});
  return out;
}

// ASCII_CASE_INSENSITIVE: a letter also matches its other case (code points up to 128 only).
void add_char(uint32_t c, bool case_insensitive, std::vector<Range>* out) {
  out->push_back({c, c, 0});
  if (!case_insensitive || c > 128) return;
  if (c >= 'a' && c <= 'z') out->push_back({c - 32, c - 32, 0});
  if (c >= 'A' && c <= 'Z') out->push_back({c + 32, c + 32, 0});
}

std::vector<Range> predefined_class(uint32_t name) {
  std::vector<Range> digit{{'0', '9', 0}};
  std::vector<Range> space{{'\t', '\n', 0}, {'\r', '\r', 0}, {' ', ' ', 0}};
  std::vector<Range> word{{'0', '9', 0}, {'A', 'Z', 0}, {'_', '_', 0}, {'a', 'z', 0}};
  switch (name) {
    case 'd': return digit;
    case 'D': return negated(digit);
    case 's': return space;
    case 'S': return negated(space);
    case 'w': return word;
    default: return negated(word);  // 'W'
  }
}

class Parser {
 public:
  Parser(std::u32string s, std::vector<uint32_t> pos16, uint32_t flags, bool case_insensitive)
      : s_(std::move(s)), pos16_(std::move(pos16)), flags_(flags), ci_(case_insensitive) {}

  Result<int> parse() {
    if (s_.empty()) return make_string({});
    SIFT_ASSIGN_OR_RETURN(int e, union_exp(0));
    if (more()) return syntax("end-of-string expected at position " + at());
    return e;
  }
  std::vector<Node> nodes;

 private:
  bool more() const { return pos_ < s_.size(); }
  bool peek(std::u32string_view set) const { return more() && set.find(s_[pos_]) != std::u32string_view::npos; }
  bool match(char32_t c) {
    if (!more() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  Result<uint32_t> next() {
    if (!more()) return syntax("unexpected end-of-string");
    return static_cast<uint32_t>(s_[pos_++]);
  }
  bool check(uint32_t flag) const { return (flags_ & flag) != 0; }
  std::string at() const { return std::to_string(pos16_[pos_]); }

  Result<int> add(Node n) {
    for (int k : n.kids) n.depth = std::max(n.depth, nodes[static_cast<size_t>(k)].depth + 1);
    if (n.depth > kMaxDepth) return syntax("regular expression is nested deeper than " + std::to_string(kMaxDepth));
    nodes.push_back(std::move(n));
    return static_cast<int>(nodes.size() - 1);
  }
  Result<int> make(Node::Kind k, std::vector<int> kids) {
    Node n;
    n.kind = k;
    n.kids = std::move(kids);
    return add(std::move(n));
  }
  Result<int> make_string(std::u32string s) {
    Node n;
    n.kind = Node::Kind::kString;
    n.s = std::move(s);
    return add(std::move(n));
  }
  Result<int> make_ranges(std::vector<Range> rs) {
    Node n;
    n.kind = Node::Kind::kRanges;
    n.ranges = normalized(std::move(rs));
    return add(std::move(n));
  }
  // Joins `e` and `r` into one n-ary node of kind `k`.
  Result<int> join(Node::Kind k, int e, int r) {
    if (nodes[static_cast<size_t>(e)].kind == k && nodes[static_cast<size_t>(e)].kids.size() < 4096) {
      nodes[static_cast<size_t>(e)].kids.push_back(r);
      auto& n = nodes[static_cast<size_t>(e)];
      n.depth = std::max(n.depth, nodes[static_cast<size_t>(r)].depth + 1);
      return e;
    }
    return make(k, {e, r});
  }

  Result<int> union_exp(int depth) {
    if (depth > kMaxDepth) return syntax("regular expression is nested deeper than " + std::to_string(kMaxDepth));
    SIFT_ASSIGN_OR_RETURN(int e, inter_exp(depth));
    while (match('|')) {
      SIFT_ASSIGN_OR_RETURN(int r, inter_exp(depth));
      SIFT_ASSIGN_OR_RETURN(e, join(Node::Kind::kUnion, e, r));
    }
    return e;
  }

  Result<int> inter_exp(int depth) {
    SIFT_ASSIGN_OR_RETURN(int e, concat_exp(depth));
    while (check(kRegexIntersection) && match('&')) {
      SIFT_ASSIGN_OR_RETURN(int r, concat_exp(depth));
      SIFT_ASSIGN_OR_RETURN(e, join(Node::Kind::kIntersection, e, r));
    }
    return e;
  }

  Result<int> concat_exp(int depth) {
    SIFT_ASSIGN_OR_RETURN(int e, repeat_exp(depth));
    while (more() && !peek(U")|") && (!check(kRegexIntersection) || !peek(U"&"))) {
      SIFT_ASSIGN_OR_RETURN(int r, repeat_exp(depth));
      SIFT_ASSIGN_OR_RETURN(e, join(Node::Kind::kConcat, e, r));
    }
    return e;
  }

  // Java's Integer.parseInt: an optional sign and digits that fit an int.
  static bool parse_int(std::u32string_view t, int64_t* out) {
    if (t.empty()) return false;
    size_t i = t[0] == '+' || t[0] == '-' ? 1 : 0;
    if (i == t.size()) return false;
    int64_t v = 0;
    for (; i < t.size(); ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
      if (v > 2147483648LL) return false;
    }
    v = t[0] == '-' ? -v : v;
    if (v > 2147483647LL) return false;
    *out = v;
    return true;
  }
  static std::string narrow(std::u32string_view t) {
    std::string out;
    for (char32_t c : t) append_utf8(static_cast<uint32_t>(c), &out);
    return out;
  }

  Result<int> repeat_exp(int depth) {
    SIFT_ASSIGN_OR_RETURN(int e, compl_exp(depth));
    while (peek(U"?*+{")) {
      if (match('?')) {
        SIFT_ASSIGN_OR_RETURN(e, make(Node::Kind::kOptional, {e}));
      } else if (match('*')) {
        SIFT_ASSIGN_OR_RETURN(e, make(Node::Kind::kStar, {e}));
      } else if (match('+')) {
        SIFT_ASSIGN_OR_RETURN(e, make(Node::Kind::kRepeatMin, {e}));
        nodes.back().min = 1;
      } else if (match('{')) {
        size_t start = pos_;
        while (peek(U"0123456789")) ++pos_;
        if (start == pos_) return syntax("integer expected at position " + at());
        int64_t n = 0, m = -1;
        std::u32string_view digits(s_.data() + start, pos_ - start);
        if (!parse_int(digits, &n)) return syntax("For input string: \"" + narrow(digits) + "\"");
        if (match(',')) {
          start = pos_;
          while (peek(U"0123456789")) ++pos_;
          std::u32string_view upper(s_.data() + start, pos_ - start);
          if (start != pos_ && !parse_int(upper, &m)) return syntax("For input string: \"" + narrow(upper) + "\"");
        } else {
          m = n;
        }
        if (!match('}')) return syntax("expected '}' at position " + at());
        SIFT_ASSIGN_OR_RETURN(e, make(m == -1 ? Node::Kind::kRepeatMin : Node::Kind::kRepeatMinMax, {e}));
        nodes.back().min = n;
        nodes.back().max = m;
      }
    }
    return e;
  }

  Result<int> compl_exp(int depth) {
    if (check(kRegexComplement) && match('~')) {
      if (depth + 1 > kMaxDepth) return syntax("regular expression is nested deeper than " + std::to_string(kMaxDepth));
      SIFT_ASSIGN_OR_RETURN(int e, compl_exp(depth + 1));
      return make(Node::Kind::kComplement, {e});
    }
    return charclass_exp(depth);
  }

  Result<int> charclass_exp(int depth) {
    if (!match('[')) return simple_exp(depth);
    bool negate = match('^');
    std::vector<Range> rs;
    SIFT_RETURN_IF_ERROR(char_class(&rs));
    while (more() && !peek(U"]")) SIFT_RETURN_IF_ERROR(char_class(&rs));
    rs = normalized(std::move(rs));
    if (negate) rs = negated(rs);
    if (!match(']')) return syntax("expected ']' at position " + at());
    return make_ranges(std::move(rs));
  }

  Status char_class(std::vector<Range>* out) {
    SIFT_ASSIGN_OR_RETURN(bool predefined, predefined_class_at(out));
    if (predefined) return Status::ok();
    SIFT_ASSIGN_OR_RETURN(uint32_t c, char_exp());
    if (match('-')) {
      SIFT_ASSIGN_OR_RETURN(uint32_t to, char_exp());
      if (c > to) {
        return syntax("invalid range: from (" + std::to_string(c) + ") cannot be > to (" + std::to_string(to) + ")");
      }
      out->push_back({c, to, 0});
    } else {
      add_char(c, ci_, out);
    }
    return Status::ok();
  }

  // `\d \D \s \S \w \W` (appended to `out`), `\\`, or an error for a backslash before any other
  // letter. A backslash before something else is consumed and the caller reads the character.
  Result<bool> predefined_class_at(std::vector<Range>* out) {
    if (!match('\\')) return false;
    if (peek(U"dDwWsS")) {
      for (const auto& r : predefined_class(s_[pos_++])) out->push_back(r);
      return true;
    }
    if (peek(U"\\")) {
      add_char(s_[pos_++], ci_, out);
      return true;
    }
    if (peek(U"abcefghijklmnopqrtuvxyz") || peek(U"ABCEFGHIJKLMNOPQRTUVXYZ")) {
      return syntax("invalid character class \\" + narrow(std::u32string_view(s_.data() + pos_, 1)));
    }
    return false;
  }

  Result<uint32_t> char_exp() {
    match('\\');
    return next();
  }

  Result<int> simple_exp(int depth) {
    if (match('.')) return make_ranges({{0, kMaxCodePoint, 0}});
    if (check(kRegexEmpty) && match('#')) return make(Node::Kind::kEmpty, {});
    if (check(kRegexAnyString) && match('@')) return make(Node::Kind::kAnyString, {});
    if (match('"')) {
      size_t start = pos_;
      while (more() && !peek(U"\"")) ++pos_;
      if (!match('"')) return syntax("expected '\"' at position " + at());
      return make_string(s_.substr(start, pos_ - 1 - start));
    }
    if (match('(')) {
      if (match(')')) return make_string({});
      SIFT_ASSIGN_OR_RETURN(int e, union_exp(depth + 1));
      if (!match(')')) return syntax("expected ')' at position " + at());
      return e;
    }
    if ((check(kRegexAutomaton) || check(kRegexInterval)) && match('<')) return angle_exp();
    std::vector<Range> rs;
    SIFT_ASSIGN_OR_RETURN(bool predefined, predefined_class_at(&rs));
    if (predefined) return make_ranges(std::move(rs));
    SIFT_ASSIGN_OR_RETURN(uint32_t c, char_exp());
    Node n;
    n.kind = Node::Kind::kChar;
    n.c = c;
    return add(std::move(n));
  }

  // `<name>` (a named automaton) or `<n-m>` (a decimal interval), after the `<`.
  Result<int> angle_exp() {
    size_t start = pos_;
    while (more() && !peek(U">")) ++pos_;
    if (!match('>')) return syntax("expected '>' at position " + at());
    std::string before_close = std::to_string(pos16_[pos_] - 1);
    std::u32string body = s_.substr(start, pos_ - 1 - start);
    size_t dash = body.find('-');
    if (dash == std::u32string::npos) {
      if (!check(kRegexAutomaton)) return syntax("interval syntax error at position " + before_close);
      Node n;
      n.kind = Node::Kind::kNamed;
      n.s = body;
      return add(std::move(n));
    }
    if (!check(kRegexInterval)) return syntax("illegal identifier at position " + before_close);
    int64_t lo = 0, hi = 0;
    std::u32string_view smin(body.data(), dash), smax(body.data() + dash + 1, body.size() - dash - 1);
    if (dash == 0 || dash == body.size() - 1 || dash != body.rfind('-') || !parse_int(smin, &lo) ||
        !parse_int(smax, &hi)) {
      return syntax("interval syntax error at position " + before_close);
    }
    Node n;
    n.kind = Node::Kind::kInterval;
    n.digits = smin.size() == smax.size() ? static_cast<int>(smin.size()) : 0;
    n.min = std::min(lo, hi);
    n.max = std::max(lo, hi);
    return add(std::move(n));
  }

  std::u32string s_;
  std::vector<uint32_t> pos16_;  // UTF-16 offset of each code point (Lucene reports those)
  uint32_t flags_;
  bool ci_;
  size_t pos_ = 0;
};

struct Frag {
  uint32_t start, end;
};

class Builder {
 public:
  Builder(const std::vector<Node>& nodes, bool case_insensitive, automaton::Limits limits)
      : nodes_(nodes), ci_(case_insensitive), limits_(std::move(limits)) {}

  Result<Frag> build(int index) {
    const Node& n = nodes_[static_cast<size_t>(index)];
    if (nfa.size() > automaton::kMaxNfaStates) return limits_.too_complex(limits_.max_states);
    switch (n.kind) {
      case Node::Kind::kChar: {
        std::vector<Range> rs;
        add_char(n.c, ci_, &rs);
        return ranges(normalized(std::move(rs)));
      }
      case Node::Kind::kRanges: return ranges(n.ranges);
      case Node::Kind::kString: {
        Frag f{nfa.add(), 0};
        uint32_t cur = f.start;
        for (char32_t c : n.s) {
          std::vector<Range> rs;
          add_char(static_cast<uint32_t>(c), ci_, &rs);
          uint32_t next = nfa.add();
          for (const auto& r : normalized(std::move(rs))) nfa.edges[cur].push_back({r.lo, r.hi, next});
          cur = next;
        }
        f.end = cur;
        return f;
      }
      case Node::Kind::kAnyString: {
        Frag f{nfa.add(), nfa.add()};
        nfa.edges[f.start].push_back({0, kMaxCodePoint, f.start});
        nfa.eps[f.start].push_back(f.end);
        return f;
      }
      case Node::Kind::kEmpty: return Frag{nfa.add(), nfa.add()};
      case Node::Kind::kNamed: {
        std::string name;
        for (char32_t c : n.s) append_utf8(static_cast<uint32_t>(c), &name);
        return invalid_argument("'" + name + "' not found");
      }
      case Node::Kind::kInterval: return interval(n.min, n.max, n.digits);
      case Node::Kind::kUnion: {
        Frag f{nfa.add(), nfa.add()};
        for (int k : n.kids) {
          SIFT_ASSIGN_OR_RETURN(Frag c, build(k));
          nfa.eps[f.start].push_back(c.start);
          nfa.eps[c.end].push_back(f.end);
        }
        return f;
      }
      case Node::Kind::kConcat: {
        SIFT_ASSIGN_OR_RETURN(Frag f, build(n.kids[0]));
        for (size_t i = 1; i < n.kids.size(); ++i) {
          SIFT_ASSIGN_OR_RETURN(Frag c, build(n.kids[i]));
          nfa.eps[f.end].push_back(c.start);
          f.end = c.end;
        }
        return f;
      }
      case Node::Kind::kIntersection: {
        SIFT_ASSIGN_OR_RETURN(Dfa acc, dfa_of(n.kids[0]));
        for (size_t i = 1; i < n.kids.size(); ++i) {
          SIFT_ASSIGN_OR_RETURN(Dfa other, dfa_of(n.kids[i]));
          SIFT_ASSIGN_OR_RETURN(acc, automaton::intersect(acc, other, limits_));
        }
        return embed(acc);
      }
      case Node::Kind::kComplement: {
        SIFT_ASSIGN_OR_RETURN(Dfa inner, dfa_of(n.kids[0]));
        return embed(automaton::complement(inner));
      }
      case Node::Kind::kOptional:
      case Node::Kind::kStar: {
        SIFT_ASSIGN_OR_RETURN(Frag c, build(n.kids[0]));
        Frag f{nfa.add(), nfa.add()};
        nfa.eps[f.start].push_back(c.start);
        nfa.eps[f.start].push_back(f.end);
        nfa.eps[c.end].push_back(f.end);
        if (n.kind == Node::Kind::kStar) nfa.eps[c.end].push_back(c.start);
        return f;
      }
      case Node::Kind::kRepeatMin:
      case Node::Kind::kRepeatMinMax:
        return repeat(n);
    }
    return invalid_argument("unsupported regular expression");
  }

  Nfa nfa;

 private:
  Frag ranges(const std::vector<Range>& rs) {
    Frag f{nfa.add(), nfa.add()};
    for (const auto& r : rs) nfa.edges[f.start].push_back({r.lo, r.hi, f.end});
    return f;
  }

  Result<Dfa> dfa_of(int index) {
    SIFT_ASSIGN_OR_RETURN(Frag f, build(index));
    return automaton::determinize(nfa, f.start, f.end, limits_);
  }

  Frag embed(const Dfa& d) {
    uint32_t base = static_cast<uint32_t>(nfa.size());
    for (size_t s = 0; s < d.num_states(); ++s) nfa.add();
    Frag f{0, nfa.add()};
    for (uint32_t s = 0; s < d.num_states(); ++s) {
      for (const auto& r : d.ranges(s)) nfa.edges[base + s].push_back({r.lo, r.hi, base + r.to});
      if (d.accepting(s)) nfa.eps[base + s].push_back(f.end);
    }
    f.start = d.start() == Dfa::kDead ? nfa.add() : base + d.start();
    return f;
  }

  // A copy of the states [lo, hi) (a fragment and everything built for it), shifted to the end.
  Frag clone(Frag f, uint32_t lo, uint32_t hi) {
    uint32_t delta = static_cast<uint32_t>(nfa.size()) - lo;
    for (uint32_t s = lo; s < hi; ++s) {
      uint32_t c = nfa.add();
      for (const auto& e : nfa.edges[s]) nfa.edges[c].push_back({e.lo, e.hi, e.to + delta});
      for (uint32_t t : nfa.eps[s]) nfa.eps[c].push_back(t + delta);
    }
    return Frag{f.start + delta, f.end + delta};
  }

  // Lucene refuses a repeat whose operand's minimal automaton has s states when (s - 1) times
  // the repeat count passes the limit, and reports that product as the effort.
  Result<Frag> repeat(const Node& n) {
    int64_t count = n.kind == Node::Kind::kRepeatMin ? n.min : n.max;
    SIFT_ASSIGN_OR_RETURN(Dfa operand, dfa_of(n.kids[0]));
    int64_t states = static_cast<int64_t>(automaton::live_states(operand));
    int64_t effort = std::max<int64_t>(states - 1, 0) * count;
    if (limits_.max_states > 0 && effort > limits_.max_states) return limits_.too_complex(effort);
    if (n.kind == Node::Kind::kRepeatMinMax && n.min > n.max) return Frag{nfa.add(), nfa.add()};
    uint32_t lo = static_cast<uint32_t>(nfa.size());
    SIFT_ASSIGN_OR_RETURN(Frag one, build(n.kids[0]));
    uint32_t hi = static_cast<uint32_t>(nfa.size());
    int64_t copies = n.kind == Node::Kind::kRepeatMin ? n.min + 1 : n.max;
    if (static_cast<int64_t>(hi - lo) * copies + static_cast<int64_t>(nfa.size()) >
        static_cast<int64_t>(automaton::kMaxNfaStates)) {
      return limits_.too_complex(std::max<int64_t>(effort, limits_.max_states));
    }
    Frag f{nfa.add(), 0};
    uint32_t cur = f.start;
    for (int64_t i = 0; i < n.min; ++i) {
      Frag c = clone(one, lo, hi);
      nfa.eps[cur].push_back(c.start);
      cur = c.end;
    }
    f.end = nfa.add();
    if (n.kind == Node::Kind::kRepeatMin) {  // then any number more
      Frag c = clone(one, lo, hi);
      nfa.eps[cur].push_back(c.start);
      nfa.eps[cur].push_back(f.end);
      nfa.eps[c.end].push_back(c.start);
      nfa.eps[c.end].push_back(f.end);
      return f;
    }
    for (int64_t i = n.min; i < n.max; ++i) {  // nested optionals: each may stop here
      Frag c = clone(one, lo, hi);
      nfa.eps[cur].push_back(f.end);
      nfa.eps[cur].push_back(c.start);
      cur = c.end;
    }
    nfa.eps[cur].push_back(f.end);
    return f;
  }

  // Decimal numbers in [min, max]: with `digits` > 0 exactly that many digits (zero-padded),
  // otherwise any number of leading zeros before the plain number.
  Frag interval(int64_t min, int64_t max, int digits) {
    Frag f{nfa.add(), nfa.add()};
    std::string x = std::to_string(min), y = std::to_string(max);
    if (digits > 0) {
      x.insert(0, static_cast<size_t>(std::max<int>(0, digits - static_cast<int>(x.size()))), '0');
      y.insert(0, static_cast<size_t>(std::max<int>(0, digits - static_cast<int>(y.size()))), '0');
      fixed_width(f, x, y);
      return f;
    }
    uint32_t zeros = nfa.add();
    nfa.eps[f.start].push_back(zeros);
    nfa.edges[zeros].push_back({'0', '0', zeros});
    for (size_t len = x.size(); len <= y.size(); ++len) {
      std::string lo = len == x.size() ? x : "1" + std::string(len - 1, '0');
      std::string hi = len == y.size() ? y : std::string(len, '9');
      Frag part{nfa.add(), f.end};
      nfa.eps[zeros].push_back(part.start);
      fixed_width(part, lo, hi);
    }
    return f;
  }

  // Strings of lo.size() digits between lo and hi: states by position and whether the digits so
  // far equal lo's (resp. hi's).
  void fixed_width(Frag f, const std::string& lo, const std::string& hi) {
    size_t n = lo.size();
    std::map<std::tuple<size_t, bool, bool>, uint32_t> ids;
    auto state = [&](size_t i, bool tl, bool th) {
      if (i == n) return f.end;
      auto key = std::make_tuple(i, tl, th);
      auto it = ids.find(key);
      if (it != ids.end()) return it->second;
      uint32_t s = i == 0 && tl && th ? f.start : nfa.add();
      ids.emplace(key, s);
      return s;
    };
    std::vector<std::tuple<size_t, bool, bool>> todo{{0, true, true}};
    state(0, true, true);
    std::set<std::tuple<size_t, bool, bool>> done;
    while (!todo.empty()) {
      auto [i, tl, th] = todo.back();
      todo.pop_back();
      if (i == n || !done.insert({i, tl, th}).second) continue;
      uint32_t from = state(i, tl, th);
      char first = tl ? lo[i] : '0', last = th ? hi[i] : '9';
      for (char d = first; d <= last; ++d) {
        bool ntl = tl && d == lo[i], nth = th && d == hi[i];
        uint32_t to = state(i + 1, ntl, nth);
        nfa.edges[from].push_back({static_cast<uint32_t>(d), static_cast<uint32_t>(d), to});
        todo.emplace_back(i + 1, ntl, nth);
      }
    }
  }

  const std::vector<Node>& nodes_;
  bool ci_;
  automaton::Limits limits_;
};

}  // namespace

Result<uint32_t> parse_regex_flags(std::string_view names) {
  if (names.empty()) return kRegexAll;
  uint32_t out = kRegexNone;
  size_t start = 0;
  while (start <= names.size()) {
    size_t bar = names.find('|', start);
    std::string name(names.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    start = bar == std::string_view::npos ? names.size() + 1 : bar + 1;
    if (name.empty()) continue;
    std::string upper = name;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "ALL") return kRegexAll;
    if (upper == "NONE") continue;
    if (upper == "INTERSECTION") out |= kRegexIntersection;
    else if (upper == "COMPLEMENT") out |= kRegexComplement;
    else if (upper == "EMPTY") out |= kRegexEmpty;
    else if (upper == "ANYSTRING") out |= kRegexAnyString;
    else if (upper == "INTERVAL") out |= kRegexInterval;
    else return invalid_argument("Unknown regexp flag [" + name + "]");
  }
  return out;
}

Result<Dfa> compile_regex(std::string_view pattern, const RegexOptions& options) {
  std::u32string cps;
  std::vector<uint32_t> pos16;
  uint32_t units = 0;
  for (size_t i = 0; i < pattern.size();) {
    uint32_t cp;
    size_t len;
    if (!decode_utf8_at(pattern, i, &cp, &len)) {
      cp = 0xFFFD;
      len = 1;
    }
    cps.push_back(cp);
    pos16.push_back(units);
    units += cp >= 0x10000 ? 2 : 1;
    i += len;
  }
  pos16.push_back(units);
  Parser parser(std::move(cps), std::move(pos16), options.flags & kRegexAll, options.case_insensitive);
  SIFT_ASSIGN_OR_RETURN(int root, parser.parse());
  std::string text(pattern);
  automaton::Limits limits;
  limits.max_states = options.max_determinized_states;
  limits.too_complex = [text](int64_t effort) {
    return Status(Code::kInvalidArgument, "too_complex_to_determinize_exception",
                  "Determinizing " + text + " would require more than " + std::to_string(effort) + " effort.");
  };
  Builder builder(parser.nodes, options.case_insensitive, limits);
  SIFT_ASSIGN_OR_RETURN(Frag f, builder.build(root));
  return automaton::determinize(builder.nfa, f.start, f.end, limits);
}

}  // namespace sift::query
