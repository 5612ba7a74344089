// The `thai` tokenizer: Lucene 8.7's ThaiTokenizer (a SegmentingTokenizerBase): the text is read in
// blocks of 1024 UTF-16 units, cut after the last line break when a block is full; each block is
// split into sentences (root locale) and each sentence into words by a Thai word break iterator;
// segments that do not start with a letter or digit are dropped. Tokens have type "word".
// Lucene uses the JDK's BreakIterator (its own Thai dictionary); Sift uses ICU 72's dictionary-based
// word break iterator, so Thai word boundaries may differ where the two dictionaries do.
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <memory>
#include <string>

#include "analyzers/code_point_automaton.h"
#include "analyzers/registry.h"
#include "analyzers/scanner_tokenizers.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

constexpr size_t kBlock = 1024;  // SegmentingTokenizerBase's buffer

bool safe_end(char16_t c) { return c == 0x0D || c == 0x0A || c == 0x85 || c == 0x2028 || c == 0x2029; }

class ThaiTokenizer final : public Tokenizer {
 public:
  void tokenize(std::u16string_view text, TokenStream* out) const override {
    thread_local std::unique_ptr<icu::BreakIterator> sentences, words;
    if (!sentences) {
      UErrorCode status = U_ZERO_ERROR;
      sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
      words.reset(icu::BreakIterator::createWordInstance(icu::Locale("th"), status));
      if (U_FAILURE(status)) {
        sentences.reset();
        words.reset();
        return;
      }
    }
    uint32_t position = 0;
    size_t offset = 0;
    while (offset < text.size()) {
      size_t usable = text.size() - offset;
      if (usable >= kBlock) {  // a full block: stop after its last line break, if any
        usable = kBlock;
        for (size_t i = kBlock; i-- > 0;) {
          if (safe_end(text[offset + i])) {
            usable = i + 1;
            break;
          }
        }
      }
      segment_block(text.substr(offset, usable), offset, sentences.get(), words.get(), &position, out);
      offset += usable;
    }
    out->end_position = position;
  }

 private:
  static void segment_block(std::u16string_view block, size_t base, icu::BreakIterator* sentences,
                            icu::BreakIterator* words, uint32_t* position, TokenStream* out) {
    UErrorCode status = U_ZERO_ERROR;
    UText st = UTEXT_INITIALIZER, wt = UTEXT_INITIALIZER;
    utext_openUChars(&st, block.data(), static_cast<int64_t>(block.size()), &status);
    sentences->setText(&st, status);
    int32_t s_start = sentences->first();
    for (int32_t s_end = sentences->next(); s_end != icu::BreakIterator::DONE; s_start = s_end, s_end = sentences->next()) {
      std::u16string_view sentence = block.substr(s_start, s_end - s_start);
      utext_openUChars(&wt, sentence.data(), static_cast<int64_t>(sentence.size()), &status);
      words->setText(&wt, status);
      if (U_FAILURE(status)) break;
      int32_t start = words->first();
      for (int32_t end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
        size_t ignored;
        if (!u_isalnum(static_cast<UChar32>(decode_code_point(sentence, start, &ignored)))) continue;
        Token t;
        to_utf8(sentence.substr(start, end - start), &t.term);
        t.start_offset = static_cast<uint32_t>(base + s_start + start);
        t.end_offset = static_cast<uint32_t>(base + s_start + end);
        t.position = (*position)++;
        out->tokens.push_back(std::move(t));
      }
    }
    utext_close(&st);
    utext_close(&wt);
  }
};

}  // namespace

void register_thai_tokenizer(ComponentTypes* types) {
  types->tokenizers["thai"] = [](const ComponentSettings&) -> Result<std::shared_ptr<const Tokenizer>> {
    return std::shared_ptr<const Tokenizer>(std::make_shared<ThaiTokenizer>());
  };
}

}  // namespace sift::analysis
