// The components the built-in analyzers are made of: the standard, keyword, whitespace, letter and
// lowercase tokenizers, and the lowercase and stop filters.
#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "analyzers/normalize.h"
#include "analyzers/registry.h"
#include "analyzers/standard_tokenizer.h"
#include "analyzers/stopwords.h"

namespace sift::analysis {
namespace {

Result<int32_t> max_token_length(const ComponentSettings& s, int64_t fallback) {
  SIFT_ASSIGN_OR_RETURN(int64_t n, s.get_int("max_token_length", fallback));
  if (n <= 0 || n > 1024 * 1024) {
    return invalid_argument("maxTokenLength must be greater than 0 and less than 1048576 passed: " + std::to_string(n));
  }
  return static_cast<int32_t>(n);
}

class StandardTokenizer final : public Tokenizer {
 public:
  explicit StandardTokenizer(int32_t max_len) : max_len_(max_len) {}
  void tokenize(std::u16string_view text, TokenStream* out) const override { run(text, false, out); }
  bool tokenize_lowercased(std::u16string_view text, TokenStream* out) const override {
    run(text, true, out);
    return true;
  }

 private:
  void run(std::u16string_view text, bool lower, TokenStream* out) const {
    thread_local std::vector<StandardSpan> spans;
    spans.clear();
    standard_tokenize(text, max_len_, &spans);
    out->tokens.reserve(spans.size());
    uint32_t position = 0;
    for (const StandardSpan& s : spans) {
      Token& t = out->tokens.emplace_back();
      to_utf8(text.substr(static_cast<size_t>(s.start), static_cast<size_t>(s.end - s.start)), &t.term);
      if (lower) lowercase_utf8_in_place(&t.term);
      t.start_offset = static_cast<uint32_t>(s.start);
      t.end_offset = static_cast<uint32_t>(s.end);
      t.position = position++;
      t.type = standard_token_type_name(s.type);
    }
    out->end_position = position;
  }

  int32_t max_len_;
};

class KeywordTokenizer final : public Tokenizer {
 public:
  void tokenize(std::u16string_view text, TokenStream* out) const override {
    Token t;
    to_utf8(text, &t.term);
    t.end_offset = static_cast<uint32_t>(text.size());
    out->tokens.push_back(std::move(t));
    out->end_position = 1;
  }
};

// Lucene's CharTokenizer: tokens are runs of token characters, cut after `max_len` UTF-16 units (a
// surrogate pair may take a token to max_len + 1); the lowercase tokenizer lower-cases.
class CharTokenizer final : public Tokenizer {
 public:
  enum class Kind { kLetter, kNonWhitespace };
  CharTokenizer(Kind kind, bool lower, int32_t max_len) : kind_(kind), lower_(lower), max_len_(max_len) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    const auto n = static_cast<int32_t>(text.size());
    uint32_t position = 0;
    int32_t start = -1;
    std::string term;
    for (int32_t i = 0; i <= n;) {
      UChar32 c = U_SENTINEL;
      int32_t next = n + 1;
      if (i < n) {
        c = text[static_cast<size_t>(i)];
        next = i + 1;
        if (U16_IS_LEAD(c) && next < n && U16_IS_TRAIL(text[static_cast<size_t>(next)])) {
          c = U16_GET_SUPPLEMENTARY(c, text[static_cast<size_t>(next)]);
          ++next;
        }
      }
      const bool in_token = i < n && is_token_char(c);
      if (in_token) {
        if (start < 0) {
          start = i;
          term.clear();
        }
        append_utf8(static_cast<char32_t>(lower_ ? u_tolower(c) : c), &term);
      }
      const int32_t end = in_token ? next : i;
      if (start >= 0 && (!in_token || end - start >= max_len_)) {
        Token t;
        t.term = term;
        t.start_offset = static_cast<uint32_t>(start);
        t.end_offset = static_cast<uint32_t>(end);
        t.position = position++;
        out->tokens.push_back(std::move(t));
        start = -1;
      }
      i = next;
    }
    out->end_position = position;
  }
  void normalize(std::string* term) const override {
    if (lower_) *term = lowercase_utf8(*term);
  }

 private:
  bool is_token_char(UChar32 c) const {
    // Java's Character.isLetter and Character.isWhitespace (no-break spaces are not whitespace).
    return kind_ == Kind::kLetter ? u_isalpha(c) : !u_isWhitespace(c);
  }
  Kind kind_;
  bool lower_;
  int32_t max_len_;
};

// Lucene's LowerCaseFilter: Unicode simple lower-casing per code point.
class LowercaseFilter final : public TokenFilter {
 public:
  void filter(TokenStream* s) const override {
    for (Token& t : s->tokens) lowercase_utf8_in_place(&t.term);
  }
  bool normalizing() const override { return true; }
  bool plain_lowercase() const override { return true; }
};

// Lucene's StopFilter: removes the words, leaving their positions unused. With remove_trailing
// false (SuggestStopFilter) a stop word ending the text is kept.
class StopFilter final : public TokenFilter {
 public:
  StopFilter(std::unordered_set<std::string> words, bool ignore_case, bool remove_trailing)
      : words_(std::move(words)), ignore_case_(ignore_case), remove_trailing_(remove_trailing) {
    size_t short_count = 0;
    for (const std::string& w : words_) {
      lengths_ |= length_bit(w.size());
      short_count += w.size() <= 7 ? 1 : 0;
    }
    // An open-addressing table at most a quarter full; packed words are never 0 (the length byte).
    while ((size_t{1} << bits_) < 4 * short_count) ++bits_;
    short_words_.assign(size_t{1} << bits_, 0);
    for (const std::string& w : words_) {
      if (w.empty() || w.size() > 7) continue;
      size_t i = slot(pack(w));
      while (short_words_[i] != 0) i = (i + 1) & (short_words_.size() - 1);
      short_words_[i] = pack(w);
    }
  }
  void filter(TokenStream* s) const override {
    size_t kept = 0;
    const size_t n = s->tokens.size();
    for (size_t i = 0; i < n; ++i) {
      Token& t = s->tokens[i];
      // Most terms are longer than any stop word: their length rules them out without hashing
      // (lower-casing may change a term's length in bytes, so not with ignore_case).
      const bool stop = ignore_case_ ? words_.count(lowercase_utf8(t.term)) > 0 : contains(t.term);
      if (stop && (remove_trailing_ || i + 1 < n)) continue;
      if (kept != i) s->tokens[kept] = std::move(t);
      ++kept;
    }
    s->tokens.resize(kept);
  }

 private:
  static uint64_t length_bit(size_t bytes) { return uint64_t{1} << std::min<size_t>(bytes, 63); }
  // A word of up to 7 bytes as one number: its bytes, and its length in the top byte.
  static uint64_t pack(std::string_view w) {
    uint64_t v = 0;
    std::memcpy(&v, w.data(), w.size());
    return v | (uint64_t{w.size()} << 56);
  }
  size_t slot(uint64_t packed) const { return static_cast<size_t>((packed * 0x9E3779B97F4A7C15ull) >> (64 - bits_)); }
  bool contains(const std::string& term) const {
    if ((lengths_ & length_bit(term.size())) == 0) return false;
    if (term.empty() || term.size() > 7) return words_.count(term) > 0;
    const uint64_t key = pack(term);
    for (size_t i = slot(key);; i = (i + 1) & (short_words_.size() - 1)) {
      if (short_words_[i] == key) return true;
      if (short_words_[i] == 0) return false;
    }
  }
  std::unordered_set<std::string> words_;
  std::vector<uint64_t> short_words_;  // the words of 1 to 7 bytes, packed, hashed (0: empty)
  int bits_ = 4;                       // log2 of the table's size
  uint64_t lengths_ = 0;               // bit i: a word of i bytes (63: of 63 or more)
  bool ignore_case_;
  bool remove_trailing_;
};

}  // namespace

void register_core_components(ComponentTypes* types) {
  types->tokenizers["standard"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Tokenizer>> {
    SIFT_ASSIGN_OR_RETURN(int32_t n, max_token_length(s, kDefaultMaxTokenLength));
    return std::shared_ptr<const Tokenizer>(std::make_shared<StandardTokenizer>(n));
  };
  types->tokenizers["keyword"] = [](const ComponentSettings&) -> Result<std::shared_ptr<const Tokenizer>> {
    return std::shared_ptr<const Tokenizer>(std::make_shared<KeywordTokenizer>());
  };
  auto char_tokenizer = [](CharTokenizer::Kind kind, bool lower) {
    return [kind, lower](const ComponentSettings& s) -> Result<std::shared_ptr<const Tokenizer>> {
      SIFT_ASSIGN_OR_RETURN(int32_t n, max_token_length(s, 255));
      return std::shared_ptr<const Tokenizer>(std::make_shared<CharTokenizer>(kind, lower, n));
    };
  };
  types->tokenizers["whitespace"] = char_tokenizer(CharTokenizer::Kind::kNonWhitespace, false);
  types->tokenizers["letter"] = char_tokenizer(CharTokenizer::Kind::kLetter, false);
  types->tokenizers["lowercase"] = char_tokenizer(CharTokenizer::Kind::kLetter, true);

  types->filters["lowercase"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const TokenFilter>> {
    if (auto lang = s.get("language")) {  // greek, irish, turkish: token_filters.cpp overrides this
      return invalid_argument("language [" + *lang + "] not support for lower case");
    }
    return std::shared_ptr<const TokenFilter>(std::make_shared<LowercaseFilter>());
  };
  types->filters["stop"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const TokenFilter>> {
    SIFT_ASSIGN_OR_RETURN(bool ignore_case, s.get_bool("ignore_case", false));
    SIFT_ASSIGN_OR_RETURN(bool remove_trailing, s.get_bool("remove_trailing", true));
    SIFT_ASSIGN_OR_RETURN(auto words, stopword_set(s, "_english_", ignore_case));
    return std::shared_ptr<const TokenFilter>(std::make_shared<StopFilter>(std::move(words), ignore_case, remove_trailing));
  };
}

}  // namespace sift::analysis
