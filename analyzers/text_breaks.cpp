#include "analyzers/text_breaks.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <memory>

namespace sift::analysis {
namespace {

// One iterator per kind and thread: creating one loads the rules, setText is cheap.
icu::BreakIterator* iterator_for(BreakKind kind) {
  thread_local std::unique_ptr<icu::BreakIterator> sentence, word;
  std::unique_ptr<icu::BreakIterator>& slot = kind == BreakKind::kSentence ? sentence : word;
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    slot.reset(kind == BreakKind::kSentence ? icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status)
                                            : icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) slot.reset();
  }
  return slot.get();
}

}  // namespace

std::vector<uint32_t> text_breaks(std::string_view utf8, BreakKind kind) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::vector<uint32_t> out;
  icu::BreakIterator* it = iterator_for(kind);
  if (it == nullptr || u.length() == 0) {
    out.push_back(0);
    if (u.length() > 0) out.push_back(static_cast<uint32_t>(u.length()));
    return out;
  }
  it->setText(u);
  for (int32_t b = it->first(); b != icu::BreakIterator::DONE; b = it->next()) out.push_back(static_cast<uint32_t>(b));
  return out;
}

}  // namespace sift::analysis
