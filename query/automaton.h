// Finite automata for the term-level queries that walk a terms dictionary (regexp, fuzzy). A
// regular expression in Lucene's RegExp syntax is parsed, built as an NFA and determinized into a
// DFA over Unicode code points, with the number of DFA states bounded; a bounded Levenshtein
// (optionally Damerau) distance stops as soon as a prefix cannot come within the distance. Terms
// are UTF-8, whose byte order is code point order, so both tell the walk which term to seek to
// after a prefix that no term can extend into a match (query/fuzzy_queries.cpp does the walks).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift::query {

// Lucene's RegExp syntax flags (the optional operators) and OpenSearch's names for them.
inline constexpr uint32_t kRegexIntersection = 0x01;  // a&b
inline constexpr uint32_t kRegexComplement = 0x02;    // ~a
inline constexpr uint32_t kRegexEmpty = 0x04;         // #
inline constexpr uint32_t kRegexAnyString = 0x08;     // @
inline constexpr uint32_t kRegexAutomaton = 0x10;     // <name>
inline constexpr uint32_t kRegexInterval = 0x20;      // <1-100>
inline constexpr uint32_t kRegexAll = 0xff;
inline constexpr uint32_t kRegexNone = 0;

// `flags` of a regexp query: names joined by `|` (ALL, NONE, INTERSECTION, COMPLEMENT, EMPTY,
// ANYSTRING, INTERVAL; any case); empty means ALL. illegal_argument_exception otherwise.
Result<uint32_t> parse_regex_flags(std::string_view names);

struct RegexOptions {
  uint32_t flags = kRegexAll;
  bool case_insensitive = false;          // ASCII letters only, as Lucene's ASCII_CASE_INSENSITIVE
  int64_t max_determinized_states = 10000;
};

// A deterministic automaton over code points. Each state holds sorted, disjoint code point ranges
// to target states; steps into states from which nothing is accepted are removed, so a dead step
// means that no string with the prefix read so far matches.
class Dfa {
 public:
  static constexpr uint32_t kDead = UINT32_MAX;
  struct Range {
    uint32_t lo, hi, to;
  };

  uint32_t start() const { return start_; }  // kDead when the language is empty
  uint32_t step(uint32_t state, uint32_t code_point) const;
  bool accepting(uint32_t state) const { return state != kDead && accept_[state] != 0; }
  size_t num_states() const { return accept_.size(); }
  // Whether the whole UTF-8 string is accepted (invalid UTF-8 never is).
  bool matches(std::string_view utf8) const;

  // One step of a dictionary walk: whether `term` is accepted, whether no later term can match
  // (`done`), and otherwise the smallest string worth seeking to (`seek`, empty: the next term).
  struct Walk {
    bool accepted = false;
    bool done = false;
    std::string seek;
  };
  Walk walk(std::string_view term) const;
  // The literal start every match has (where to seek first).
  std::string literal_prefix() const;

  // Construction (automaton.cpp): states in order, then `finish` removes dead transitions.
  uint32_t add_state(bool accepting);
  void set_ranges(uint32_t state, std::vector<Range> ranges);
  void finish(uint32_t start);
  const std::vector<Range>& ranges(uint32_t state) const { return ranges_[state]; }

 private:
  uint32_t start_ = kDead;
  std::vector<uint8_t> accept_;
  std::vector<std::vector<Range>> ranges_;
};

// Compiles a regular expression in Lucene's RegExp syntax (anchored: it must match the whole
// term). Errors: illegal_argument_exception with Lucene's message for syntax errors;
// too_complex_to_determinize_exception ("Determinizing <re> would require more than N effort.")
// when the DFA needs more than max_determinized_states states.
Result<Dfa> compile_regex(std::string_view pattern, const RegexOptions& options);

// Edit distance between terms and one query string, in code points, up to `max_edits`:
// insertions, deletions, substitutions and, with `transpositions`, swaps of adjacent code points
// (the optimal-string-alignment distance of Lucene's LevenshteinAutomata). Rows of the dynamic
// program are kept per term length, so consecutive sorted terms share the work of their common
// prefix, and only the band of cells within `max_edits` of the diagonal is computed.
class BoundedLevenshtein {
 public:
  BoundedLevenshtein(std::u32string query, int max_edits, bool transpositions);
  // The distance of `term` when at most `limit` (<= max_edits), else -1. When -1 because a prefix
  // already needs more than `limit` edits whatever follows, `*dead_at` is the length of the
  // shortest such prefix (no term starting with it can match); otherwise 0.
  int distance(std::u32string_view term, int limit, size_t* dead_at);

 private:
  void compute_row(size_t d, std::u32string_view term);
  uint8_t cell(size_t d, size_t i) const;
  std::u32string query_;
  int max_edits_;
  bool transpositions_;
  std::vector<std::vector<uint8_t>> rows_;  // rows_[d]: the band of the row after d code points
  std::vector<uint8_t> row_min_;
  std::u32string cached_;                   // the term rows_[1..cached_.size()] were computed for
};

// UTF-8 helpers for the walks. `decode_utf8` returns false on invalid UTF-8.
bool decode_utf8(std::string_view s, std::u32string* out);
void append_utf8(uint32_t code_point, std::string* out);
// The smallest byte string greater than every string starting with `prefix` (empty: none).
std::string prefix_successor(std::string prefix);

}  // namespace sift::query
