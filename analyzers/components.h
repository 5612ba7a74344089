// The parts of an analysis chain, as OpenSearch composes them: char filters rewrite the text,
// a tokenizer splits it into tokens, token filters rewrite, remove and add tokens.
//
// Chains run on a whole value at a time (no per-token virtual calls): a tokenizer fills a
// TokenStream, each filter rewrites it in place. Text inside the chain is UTF-16 (ICU's unit and
// the unit of OpenSearch's offsets); terms are UTF-8 (the index's unit).
//
// Every component is immutable after construction and thread-safe. Factories build them from
// their settings (component_settings.h); the registries are in registry.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/token.h"
#include "common/status.h"

namespace sift::analysis {

// The tokens of one text value. Positions are absolute from 0; `end_position` is the position after
// the last one the value used, trailing removed tokens included (what the next value of a
// multi-valued field continues from, as Lucene's final position increment).
struct TokenStream {
  std::vector<Token> tokens;
  uint32_t end_position = 0;
  // The final offset (Lucene's offset after end()): the text's length, corrected by char filters.
  // Set by the chain after the tokenizer (filters such as fingerprint use it).
  uint32_t end_offset = 0;
  void clear() {
    tokens.clear();
    end_position = 0;
    end_offset = 0;
  }
};

// Appends the token `text[start, end)` (UTF-16 offsets) at `position`, its term in UTF-8: how
// tokenizers emit what they cut.
void append_token(std::u16string_view text, size_t start, size_t end, uint32_t position, const char* type,
                  TokenStream* out);

// Maps offsets in a char filter's output back to its input, as Lucene's BaseCharFilter: from each
// recorded output offset on, the input offset is the output offset plus a cumulative difference.
class OffsetMap {
 public:
  // From output offset `at` on, add `cumulative_diff` (the total so far, not an increment).
  void add(uint32_t at, int32_t cumulative_diff);
  uint32_t correct(uint32_t offset) const;
  bool empty() const { return points_.empty(); }
  void clear() { points_.clear(); }

 private:
  std::vector<std::pair<uint32_t, int32_t>> points_;  // ascending `at`
};

class CharFilter {
 public:
  virtual ~CharFilter() = default;
  // Rewrites `in` into `out` and records in `map` how `out`'s offsets map back to `in`'s.
  virtual void filter(std::u16string_view in, std::u16string* out, OffsetMap* map) const = 0;
  // Whether normalizers (and multi-term query normalization) apply it: a character-level rewrite
  // such as `mapping` or `pattern_replace`, not `html_strip` (Lucene's MultiTermAware components).
  virtual bool normalizing() const { return false; }
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Appends the tokens of `text` to `out->tokens`: offsets in UTF-16 units into `text`, positions
  // from 0; sets `out->end_position`. `out` is empty on entry.
  virtual void tokenize(std::u16string_view text, TokenStream* out) const = 0;
  // What the tokenizer does to a term's characters, for normalization (the lowercase tokenizer
  // lower-cases; Lucene's multi-term-aware tokenizers). Default: nothing.
  virtual void normalize(std::string* term) const { (void)term; }
  // tokenize() with every term lower-cased as the `lowercase` filter does, in the same pass: a
  // chain whose first filter is `lowercase` runs this instead of both. False when the tokenizer
  // has no such pass (the chain then runs the filter).
  virtual bool tokenize_lowercased(std::u16string_view text, TokenStream* out) const {
    (void)text;
    (void)out;
    return false;
  }
};

struct ChainPrefix;

class TokenFilter {
 public:
  virtual ~TokenFilter() = default;
  // Rewrites the stream in place: tokens stay ordered by position (then as the filter emits them).
  // A filter that removes tokens leaves their positions unused unless Lucene's filter closes the gap.
  virtual void filter(TokenStream* stream) const = 0;
  // Whether normalizers may use it: it rewrites each token alone, never splits, adds or removes
  // one (lowercase, asciifolding, ...; Lucene's NormalizingTokenFilterFactory).
  virtual bool normalizing() const { return false; }
  // The plain `lowercase` filter (Unicode lower-casing of each term, nothing else), which a chain
  // may fold into its tokenizer (Tokenizer::tokenize_lowercased).
  virtual bool plain_lowercase() const { return false; }
  // Filters whose rules are analyzed by the chain before them (synonym, synonym_graph) return a
  // copy bound to that prefix when a chain is built; the others nullptr (used as they are).
  virtual Result<std::shared_ptr<const TokenFilter>> bind(const ChainPrefix& prefix) const {
    (void)prefix;
    return std::shared_ptr<const TokenFilter>();
  }
};

// A component with the name a chain refers to it by (what `_analyze` explain prints).
template <typename T>
struct Named {
  std::string name;
  std::shared_ptr<const T> component;
};

// What precedes a filter in its chain.
struct ChainPrefix {
  std::vector<Named<CharFilter>> char_filters;
  Named<Tokenizer> tokenizer;
  std::vector<Named<TokenFilter>> filters;
};

}  // namespace sift::analysis
