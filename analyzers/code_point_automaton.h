// Regular languages over Unicode code points for the scanner-style tokenizers (uax_url_email,
// classic, simple_pattern): expressions are built as trees (`Re`), several at once compile into one
// DFA whose states say which of them accept (JFlex's rules, Lucene's automata), run code point by
// code point over UTF-16 text. Complement and intersection (Lucene RegExp's ~ and &) determinize
// their operand. Immutable after construction, thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sift::analysis {

// Sorted, disjoint, inclusive code point ranges.
using CodePointSet = std::vector<std::pair<char32_t, char32_t>>;

CodePointSet normalize_set(CodePointSet s);                          // sort and merge
CodePointSet complement_set(const CodePointSet& s);                  // within 0..0x10FFFF
CodePointSet union_sets(const CodePointSet& a, const CodePointSet& b);

struct Re;
using ReP = std::shared_ptr<const Re>;

struct Re {
  enum class Kind : uint8_t { kSet, kCat, kAlt, kRepeat, kComplement, kIntersect };
  Kind kind = Kind::kSet;
  CodePointSet set;         // kSet: one code point of the set (empty set: no string)
  std::vector<ReP> parts;   // kCat (none: the empty string), kAlt, kIntersect; kRepeat / kComplement: one
  int32_t min = 0, max = 0; // kRepeat: max < 0 is unbounded
};

ReP re_set(CodePointSet s);
ReP re_char(char32_t c);
ReP re_cat(std::vector<ReP> parts);
ReP re_alt(std::vector<ReP> parts);
ReP re_repeat(ReP r, int32_t min, int32_t max);
inline ReP re_star(ReP r) { return re_repeat(std::move(r), 0, -1); }
inline ReP re_plus(ReP r) { return re_repeat(std::move(r), 1, -1); }
inline ReP re_opt(ReP r) { return re_repeat(std::move(r), 0, 1); }
ReP re_empty_string();
ReP re_nothing();
ReP re_any_string();
ReP re_complement(ReP r);
ReP re_intersect(ReP a, ReP b);
// A literal; `ascii_ci`: ASCII letters match either case ([hH][tT]...).
ReP re_str(std::u32string_view s, bool ascii_ci = false);
ReP re_ascii(std::string_view s, bool ascii_ci = false);

class Dfa {
 public:
  static constexpr int32_t kDead = -1;
  // `rules[i]` accepts set bit i of accepts(); at most 32 rules. More than `max_states` states is an
  // error (Lucene's TooComplexToDeterminizeException).
  static Result<Dfa> build(const std::vector<ReP>& rules, size_t max_states);

  int32_t start() const { return start_; }
  int32_t step(int32_t state, char32_t c) const {
    return state < 0 ? kDead : table_[static_cast<size_t>(state) * num_classes_ + class_of(c)];
  }
  uint32_t accepts(int32_t state) const { return state < 0 ? 0 : accepts_[state]; }
  size_t num_states() const { return accepts_.size(); }

 private:
  friend class DfaBuilder;
  uint32_t class_of(char32_t c) const;

  int32_t start_ = kDead;
  uint32_t num_classes_ = 0;
  std::vector<uint32_t> ascii_classes_;            // classes of 0..127
  std::vector<char32_t> bounds_;                   // class_ids_[i] holds from bounds_[i] to bounds_[i+1]-1
  std::vector<uint32_t> class_ids_;
  std::vector<int32_t> table_;                     // state * num_classes_ + class -> state
  std::vector<uint32_t> accepts_;
  std::vector<CodePointSet> class_sets_;           // the code points of each class
};

// The code point at `i` of UTF-16 text (an unpaired surrogate stands for itself); `*next` after it.
char32_t decode_code_point(std::u16string_view text, size_t i, size_t* next);

}  // namespace sift::analysis
