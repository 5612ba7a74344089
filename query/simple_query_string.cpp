// The simple_query_string syntax, read as Lucene's SimpleQueryParser reads it: one pass over the
// text with a little state (the pending operator, the count of `-`, the tree so far). Anything the
// syntax does not recognise is text, so the parse itself cannot fail.
#include "query/simple_query_string.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "query/dsl_parser.h"

namespace sift::query {

Result<uint32_t> parse_sqs_flags(std::string_view text) {
  if (text.empty()) return kSqsAll;
  static constexpr std::pair<std::string_view, uint32_t> kNames[] = {
      {"AND", kSqsAnd},         {"NOT", kSqsNot},       {"OR", kSqsOr},
      {"PREFIX", kSqsPrefix},   {"PHRASE", kSqsPhrase}, {"PRECEDENCE", kSqsPrecedence},
      {"ESCAPE", kSqsEscape},   {"WHITESPACE", kSqsWhitespace}, {"FUZZY", kSqsFuzzy},
      {"NEAR", kSqsNear},       {"SLOP", kSqsNear},
  };
  uint32_t bits = kSqsNone;
  size_t start = 0;
  while (start <= text.size()) {
    size_t bar = text.find('|', start);
    std::string_view part = text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    start = bar == std::string_view::npos ? text.size() + 1 : bar + 1;
    if (part.empty()) continue;
    std::string upper(part);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "NONE") return kSqsNone;
    if (upper == "ALL") return kSqsAll;
    auto it = std::find_if(std::begin(kNames), std::end(kNames), [&](const auto& n) { return n.first == upper; });
    if (it == std::end(kNames)) return invalid_argument("Unknown simple_query_string flag [" + std::string(part) + "]");
    bits |= it->second;
  }
  return bits;
}

namespace {

enum class Occur : uint8_t { kMust, kShould };

// Parenthesised groups nest at most this deep; deeper `(` are ignored as unmatched ones are.
constexpr int kMaxGroupDepth = 100;

class SqsParser {
 public:
  SqsParser(std::string_view text, uint32_t flags, bool and_default, SqsBuilder& b)
      : s_(text), flags_(flags), default_op_(and_default ? Occur::kMust : Occur::kShould), b_(b) {}

  Result<std::unique_ptr<Query>> parse() {
    State st{0, s_.size()};
    SIFT_RETURN_IF_ERROR(parse_sub(st, 0));
    return std::move(st.top);
  }

 private:
  struct State {
    size_t index;
    size_t end;
    std::optional<Occur> current, previous;
    int nots = 0;
    std::unique_ptr<Query> top;
    BoolQuery* top_bool = nullptr;  // `top` once operators made it a boolean
  };

  bool on(uint32_t flag) const { return (flags_ & flag) != 0; }
  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  // A character that ends a term (and is not part of it).
  bool token_finished(char c) const {
    return (c == '"' && on(kSqsPhrase)) || (c == '|' && on(kSqsOr)) || (c == '+' && on(kSqsAnd)) ||
           ((c == '(' || c == ')') && on(kSqsPrecedence)) || (space(c) && on(kSqsWhitespace));
  }

  Status parse_sub(State& st, int depth) {
    while (st.index < st.end) {
      char c = s_[st.index];
      if (c == '(' && on(kSqsPrecedence)) {
        if (depth >= kMaxGroupDepth) ++st.index;
        else SIFT_RETURN_IF_ERROR(consume_sub(st, depth));
      } else if (c == ')' && on(kSqsPrecedence)) {
        ++st.index;  // extraneous
      } else if (c == '"' && on(kSqsPhrase)) {
        SIFT_RETURN_IF_ERROR(consume_phrase(st));
      } else if (c == '+' && on(kSqsAnd)) {
        // Only the first operator after a clause counts, and none before the first clause.
        if (!st.current && st.top) st.current = Occur::kMust;
        ++st.index;
      } else if (c == '|' && on(kSqsOr)) {
        if (!st.current && st.top) st.current = Occur::kShould;
        ++st.index;
      } else if (c == '-' && on(kSqsNot)) {
        ++st.nots;  // two cancel out; kept across this iteration only
        ++st.index;
        continue;
      } else if (space(c) && on(kSqsWhitespace)) {
        ++st.index;
      } else {
        SIFT_RETURN_IF_ERROR(consume_token(st));
      }
      st.nots = 0;
    }
    return Status::ok();
  }

  Status consume_sub(State& st, int depth) {
    size_t start = ++st.index;
    int open = 1;
    bool escaped = false;
    while (st.index < st.end) {
      char c = s_[st.index];
      if (!escaped) {
        if (c == '\\' && on(kSqsEscape)) {
          escaped = true;
          ++st.index;
          continue;
        }
        if (c == '(') {
          ++open;
        } else if (c == ')' && --open == 0) {
          break;
        }
      }
      escaped = false;
      ++st.index;
    }
    if (st.index == st.end) {
      st.index = start;  // never closed: the `(` is ignored
    } else if (st.index == start) {
      st.current.reset();  // `()`: the pending operator had nothing to apply to
      ++st.index;
    } else {
      State sub{start, st.index};
      SIFT_RETURN_IF_ERROR(parse_sub(sub, depth + 1));
      SIFT_RETURN_IF_ERROR(build_tree(st, std::move(sub.top)));
      ++st.index;
    }
    return Status::ok();
  }

  Status consume_phrase(State& st) {
    size_t start = ++st.index;
    std::string text;
    bool escaped = false, has_slop = false;
    while (st.index < st.end) {
      char c = s_[st.index];
      if (!escaped) {
        if (c == '\\' && on(kSqsEscape)) {
          escaped = true;
          ++st.index;
          continue;
        }
        if (c == '"') {
          if (st.index + 1 < st.end && s_[st.index + 1] == '~' && on(kSqsNear)) {
            ++st.index;
            has_slop = st.index + 1 < st.end;
          }
          break;
        }
      }
      escaped = false;
      text.push_back(s_[st.index++]);
    }
    if (st.index == st.end) {
      st.index = start;  // never closed: the `"` is ignored
    } else if (st.index == start) {
      st.current.reset();  // `""`
      ++st.index;
    } else {
      int32_t slop = has_slop ? parse_fuzziness(st) : 0;
      SIFT_ASSIGN_OR_RETURN(auto branch, b_.phrase(text, slop));
      SIFT_RETURN_IF_ERROR(build_tree(st, std::move(branch)));
      ++st.index;  // past the closing quote, or past what ended the slop (Lucene's quirk)
    }
    return Status::ok();
  }

  Status consume_token(State& st) {
    std::string text;
    bool escaped = false, prefix = false, fuzzy = false;
    while (st.index < st.end) {
      char c = s_[st.index];
      if (!escaped) {
        if (c == '\\' && on(kSqsEscape)) {
          escaped = true;
          prefix = false;
          ++st.index;
          continue;
        }
        if (token_finished(c)) break;
        if (!text.empty() && c == '~' && on(kSqsFuzzy)) {
          fuzzy = true;
          break;
        }
        // An unescaped `*` that is the last character (after at least one other) makes a prefix.
        prefix = !text.empty() && c == '*' && on(kSqsPrefix);
      }
      escaped = false;
      text.push_back(s_[st.index++]);
    }
    if (text.empty()) return Status::ok();
    std::unique_ptr<Query> branch;
    if (fuzzy) {
      int32_t edits = std::min(parse_fuzziness(st), 2);  // Levenshtein automata stop at 2
      if (edits == 0) {
        SIFT_ASSIGN_OR_RETURN(branch, b_.term(text));
      } else {
        SIFT_ASSIGN_OR_RETURN(branch, b_.fuzzy(text, edits));
      }
    } else if (prefix) {
      text.pop_back();
      SIFT_ASSIGN_OR_RETURN(branch, b_.prefix(text));
    } else {
      SIFT_ASSIGN_OR_RETURN(branch, b_.term(text));
    }
    return build_tree(st, std::move(branch));
  }

  // At a `~`: the number up to the end of the term; none means 2, anything unreadable 0.
  int32_t parse_fuzziness(State& st) {
    if (st.index >= st.end || s_[st.index] != '~') return 0;
    std::string digits;
    while (st.index < st.end) {
      ++st.index;
      if (st.index < st.end) {
        if (token_finished(s_[st.index])) break;
        digits.push_back(s_[st.index]);
      }
    }
    if (digits.empty()) return 2;
    // Java's Integer.parseInt: an optional sign, then decimal digits, within int's range.
    std::string_view v = digits;
    if (v.front() == '+') v.remove_prefix(1);
    if (v.empty() || v.front() == '+') return 0;
    int32_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size()) return 0;
    return std::max(n, 0);
  }

  Status build_tree(State& st, std::unique_ptr<Query> branch) {
    if (!branch) return Status::ok();
    // Lucene 9 counts every clause of the whole tree against the limit; so do we, per piece.
    if (++pieces_ > kMaxClauseCount) {
      return Status(Code::kInvalidArgument, "too_many_clauses",
                    "maxClauseCount is set to " + std::to_string(kMaxClauseCount));
    }
    if (st.nots % 2 == 1) {
      auto negated = std::make_unique<BoolQuery>();
      negated->must_not.push_back(std::move(branch));
      negated->should.push_back(std::make_unique<MatchAllQuery>());
      branch = std::move(negated);
    }
    if (!st.top) {
      st.top = std::move(branch);
    } else {
      Occur op = st.current.value_or(default_op_);
      if (st.previous != op) {
        // A new operator: everything so far becomes the first clause of a new boolean.
        auto wrapped = std::make_unique<BoolQuery>();
        add_clause(wrapped.get(), std::move(st.top), op);
        st.top_bool = wrapped.get();
        st.top = std::move(wrapped);
      }
      add_clause(st.top_bool, std::move(branch), op);
      st.previous = op;
    }
    st.current.reset();
    return Status::ok();
  }

  static void add_clause(BoolQuery* b, std::unique_ptr<Query> q, Occur op) {
    (op == Occur::kMust ? b->must : b->should).push_back(std::move(q));
  }

  std::string_view s_;
  uint32_t flags_;
  Occur default_op_;
  SqsBuilder& b_;
  size_t pieces_ = 0;
};

// Java's String.trim(): drops leading and trailing characters up to U+0020.
std::string_view java_trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::unique_ptr<Query>> parse_simple_query_string(std::string_view text, uint32_t flags, bool and_default,
                                                         SqsBuilder& builder) {
  if (java_trim(text) == "*") return std::unique_ptr<Query>(std::make_unique<MatchAllQuery>());
  SqsParser p(text, flags, and_default, builder);
  return p.parse();
}

}  // namespace sift::query
