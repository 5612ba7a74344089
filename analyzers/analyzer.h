// Analyzer: text -> tokens. Built once (from a name or index settings), immutable and thread-safe.
// ChainAnalyzer composes char filters, a tokenizer and token filters (components.h); the built-in
// analyzers and the custom ones of index settings are chains or fixed implementations of the same
// interface. The registries that resolve names are in registry.h.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/components.h"
#include "analyzers/token.h"
#include "analyzers/utf.h"

namespace sift::analysis {

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // The tokens of `text` into `out` (cleared first): positions from 0, offsets in UTF-16 units.
  virtual void analyze_stream(std::string_view text, TokenStream* out) const = 0;
  // One term as multi-term queries (prefix, wildcard, fuzzy) and normalizers see it: only the
  // character-level steps (Lucene's Analyzer.normalize). Default: unchanged.
  virtual std::string normalize(std::string_view text) const { return std::string(text); }
  // The position gap between the values of a multi-valued field, when the analyzer sets one
  // (a custom analyzer's position_increment_gap); -1: the field's (100 for text fields).
  virtual int32_t position_increment_gap() const { return -1; }

  // Appends the tokens of `text` to `out`: positions from `first_position` (so the values of a
  // multi-valued field continue one after the other), offsets from `offset_base`. Returns the
  // position after the last one the value used (trailing removed tokens included).
  uint32_t analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
                   std::vector<Token>* out) const;

  const std::string& name() const { return name_; }

 protected:
  explicit Analyzer(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

// Char filters, then a tokenizer, then token filters.
class ChainAnalyzer final : public Analyzer {
 public:
  ChainAnalyzer(std::string name, std::vector<Named<CharFilter>> char_filters, Named<Tokenizer> tokenizer,
                std::vector<Named<TokenFilter>> filters, int32_t position_increment_gap = -1);

  void analyze_stream(std::string_view text, TokenStream* out) const override;
  // The normalizing char filters and token filters over the whole text as one token.
  std::string normalize(std::string_view text) const override;
  int32_t position_increment_gap() const override { return gap_; }

  const std::vector<Named<CharFilter>>& char_filters() const { return char_filters_; }
  const Named<Tokenizer>& tokenizer() const { return tokenizer_; }
  const std::vector<Named<TokenFilter>>& filters() const { return filters_; }

  // Every stage's output, for `_analyze` with explain: the text after each char filter, the
  // tokenizer's tokens, then the tokens after each filter (offsets corrected to the input).
  struct Trace {
    std::vector<std::string> char_filtered;
    std::vector<TokenStream> stages;  // [0] the tokenizer, [i] after filter i - 1
  };
  void trace(std::string_view text, Trace* out) const;

 private:
  // Runs the char filters over `text`; the maps correct offsets back, last filter first.
  void run_char_filters(std::string_view text, std::u16string* filtered, std::u16string* next,
                        std::vector<OffsetMap>* maps, std::vector<std::string>* trace) const;
  static void correct_offsets(const std::vector<OffsetMap>& maps, TokenStream* s);

  std::vector<Named<CharFilter>> char_filters_;
  Named<Tokenizer> tokenizer_;
  std::vector<Named<TokenFilter>> filters_;
  int32_t gap_;
  bool lowercase_first_;  // filters_[0] is the plain lowercase filter
};

}  // namespace sift::analysis
