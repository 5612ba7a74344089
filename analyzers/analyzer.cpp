#include "analyzers/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <array>
#include <unordered_set>

namespace sift::analysis {
namespace {

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

// Unicode text segmentation (UAX#29 word boundaries, as Lucene's StandardTokenizer) followed by
// lower-casing and, for `stop`, English stop-word removal that leaves a position gap.
class StandardAnalyzer final : public Analyzer {
 public:
  StandardAnalyzer(std::string name, bool stop_words) : Analyzer(std::move(name)), stop_(stop_words) {
    UErrorCode status = U_ZERO_ERROR;
    proto_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) proto_.reset();
  }

  void analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
               std::vector<Token>* out) const override {
    thread_local std::unique_ptr<icu::BreakIterator> iter;
    thread_local const StandardAnalyzer* iter_owner = nullptr;
    if (!proto_) return;
    if (iter_owner != this || !iter) {
      iter.reset(proto_->clone());
      iter_owner = this;
    }
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    iter->setText(u);
    uint32_t position = first_position;
    int32_t start = iter->first();
    for (int32_t end = iter->next(); end != icu::BreakIterator::DONE; start = end, end = iter->next()) {
      int32_t status = iter->getRuleStatus();
      if (status < UBRK_WORD_NONE_LIMIT) continue;  // spaces and punctuation
      const char* type = status < UBRK_WORD_NUMBER_LIMIT   ? "<NUM>"
                         : status < UBRK_WORD_LETTER_LIMIT ? "<ALPHANUM>"
                         : status < UBRK_WORD_KANA_LIMIT   ? "<KATAKANA>"
                                                           : "<IDEOGRAPHIC>";
      // Lucene's max_token_length (255): longer words are cut into pieces.
      for (int32_t piece = start; piece < end;) {
        int32_t piece_end = std::min(end, piece + kMaxTokenLength);
        Token t;
        append_lower_utf8(u, piece, piece_end, true, &t.term);
        if (stop_ && is_stop_word(t.term)) {
          ++position;
          piece = piece_end;
          continue;
        }
        t.start_offset = offset_base + static_cast<uint32_t>(piece);
        t.end_offset = offset_base + static_cast<uint32_t>(piece_end);
        t.position = position++;
        t.type = type;
        out->push_back(std::move(t));
        piece = piece_end;
      }
    }
  }

 private:
  static constexpr int32_t kMaxTokenLength = 255;
  static bool is_stop_word(const std::string& w) {
    // Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (the `_english_` list).
    static const std::unordered_set<std::string> kWords = {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with"};
    return kWords.count(w) > 0;
  }
  std::unique_ptr<icu::BreakIterator> proto_;
  bool stop_;
};

// Splits where `is_token_char` is false; optionally lower-cases (simple, whitespace).
class CharClassAnalyzer final : public Analyzer {
 public:
  enum class Kind { kLetter, kNonWhitespace };
  CharClassAnalyzer(std::string name, Kind kind, bool lower)
      : Analyzer(std::move(name)), kind_(kind), lower_(lower) {}

  void analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
               std::vector<Token>* out) const override {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    uint32_t position = first_position;
    int32_t n = u.length(), i = 0;
    while (i < n) {
      while (i < n && !is_token_char(u.char32At(i))) i += U16_LENGTH(u.char32At(i));
      int32_t start = i;
      while (i < n && is_token_char(u.char32At(i))) i += U16_LENGTH(u.char32At(i));
      if (i > start) {
        Token t;
        append_lower_utf8(u, start, i, lower_, &t.term);
        t.start_offset = offset_base + static_cast<uint32_t>(start);
        t.end_offset = offset_base + static_cast<uint32_t>(i);
        t.position = position++;
        out->push_back(std::move(t));
      }
    }
  }

 private:
  bool is_token_char(UChar32 c) const {
    return kind_ == Kind::kLetter ? u_isalpha(c) : !u_isUWhiteSpace(c);
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
