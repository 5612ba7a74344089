#include "analyzers/analyzer.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <array>
#include <unordered_set>

#include "analyzers/standard_tokenizer.h"

namespace sift::analysis {
namespace {

icu::UnicodeString to_utf16(std::string_view text) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

// Appends the lower-cased UTF-8 form of u[begin, end).
void append_lower_utf8(const icu::UnicodeString& u, int32_t begin, int32_t end, bool lower, std::string* out) {
  out->clear();
  int32_t i = begin;
  while (i < end) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (lower) c = u_tolower(c);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (c >> 6)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (c >> 12)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (c >> 18)));
      out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

// The standard tokenizer (standard_tokenizer.h) followed by lower-casing and, for `stop`, English
// stop-word removal that leaves a position gap: Lucene's StandardAnalyzer.
class StandardAnalyzer final : public Analyzer {
 public:
  StandardAnalyzer(std::string name, bool stop_words) : Analyzer(std::move(name)), stop_(stop_words) {}

  void analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
               std::vector<Token>* out) const override {
    thread_local std::vector<StandardSpan> spans;
    icu::UnicodeString u = to_utf16(text);
    spans.clear();
    standard_tokenize(std::u16string_view(u.getBuffer(), static_cast<size_t>(u.length())), kDefaultMaxTokenLength,
                      &spans);
    uint32_t position = first_position;
    for (const StandardSpan& s : spans) {
      Token t;
      append_lower_utf8(u, s.start, s.end, true, &t.term);
      if (stop_ && is_stop_word(t.term)) {
        ++position;
        continue;
      }
      t.start_offset = offset_base + static_cast<uint32_t>(s.start);
      t.end_offset = offset_base + static_cast<uint32_t>(s.end);
      t.position = position++;
      t.type = standard_token_type_name(s.type);
      out->push_back(std::move(t));
    }
  }

 private:
  static bool is_stop_word(const std::string& w) {
    // Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (the `_english_` list).
    static const std::unordered_set<std::string> kWords = {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with"};
    return kWords.count(w) > 0;
  }
  bool stop_;
};

// Lucene's CharTokenizer: splits where `is_token_char` is false, and after a token reaches 255
// UTF-16 units (a surrogate pair may take it to 256); optionally lower-cases (simple, whitespace).
class CharClassAnalyzer final : public Analyzer {
 public:
  enum class Kind { kLetter, kNonWhitespace };
  CharClassAnalyzer(std::string name, Kind kind, bool lower)
      : Analyzer(std::move(name)), kind_(kind), lower_(lower) {}

  void analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
               std::vector<Token>* out) const override {
    icu::UnicodeString u = to_utf16(text);
    uint32_t position = first_position;
    const int32_t n = u.length();
    int32_t start = -1;  // the current token's start, -1 between tokens
    for (int32_t i = 0; i <= n;) {
      UChar32 c = i < n ? u.char32At(i) : U_SENTINEL;
      int32_t next = i < n ? i + U16_LENGTH(c) : n + 1;
      bool in_token = i < n && is_token_char(c);
      if (in_token && start < 0) start = i;
      int32_t end = in_token ? next : i;
      if (start >= 0 && (!in_token || end - start >= kDefaultMaxTokenLength)) {
        Token t;
        append_lower_utf8(u, start, end, lower_, &t.term);
        t.start_offset = offset_base + static_cast<uint32_t>(start);
        t.end_offset = offset_base + static_cast<uint32_t>(end);
        t.position = position++;
        out->push_back(std::move(t));
        start = -1;
      }
      i = next;
    }
  }

 private:
  bool is_token_char(UChar32 c) const {
    // Java's Character.isLetter and Character.isWhitespace (no-break spaces are not whitespace).
    return kind_ == Kind::kLetter ? u_isalpha(c) : !u_isWhitespace(c);
  }
  Kind kind_;
  bool lower_;
};

class KeywordAnalyzer final : public Analyzer {
 public:
  KeywordAnalyzer() : Analyzer("keyword") {}
  void analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
               std::vector<Token>* out) const override {
    Token t;
    t.term.assign(text);
    t.start_offset = offset_base;
    t.end_offset = offset_base + utf16_length(text);
    t.position = first_position;
    out->push_back(std::move(t));
  }
};

}  // namespace

AnalyzerRegistry::AnalyzerRegistry() {
  auto add = [&](std::unique_ptr<Analyzer> a) {
    std::string n = a->name();
    analyzers_[n] = std::move(a);
  };
  add(std::make_unique<StandardAnalyzer>("standard", false));
  add(std::make_unique<StandardAnalyzer>("stop", true));
  add(std::make_unique<CharClassAnalyzer>("simple", CharClassAnalyzer::Kind::kLetter, true));
  add(std::make_unique<CharClassAnalyzer>("whitespace", CharClassAnalyzer::Kind::kNonWhitespace, false));
  add(std::make_unique<KeywordAnalyzer>());
  standard_ = analyzers_["standard"].get();
}

std::shared_ptr<const AnalyzerRegistry> AnalyzerRegistry::builtin() {
  static const std::shared_ptr<const AnalyzerRegistry> registry(new AnalyzerRegistry());
  return registry;
}

const Analyzer* AnalyzerRegistry::get(std::string_view name) const {
  auto it = analyzers_.find(std::string(name));
  return it == analyzers_.end() ? nullptr : it->second.get();
}

uint32_t utf16_length(std::string_view s) {
  uint32_t n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

}  // namespace sift::analysis
