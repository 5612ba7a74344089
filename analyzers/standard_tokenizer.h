// The `standard` tokenizer: Unicode word segmentation (UAX#29 word boundaries and UTS#51 emoji
// sequences) with the token selection and types of Lucene 8's StandardTokenizer, which OpenSearch's
// `standard` analyzer uses. The `standard` and `stop` analyzers (analyzer.cpp) lower-case its tokens.
// Input: UTF-16 text. Output: token spans (UTF-16 offsets, the unit of OpenSearch's offsets) and types.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace sift::analysis {

// Lucene's token types, in its order of precedence: when two kinds of token match the same text,
// the earlier kind wins ("_1" is a number, a lone "々" a letter).
enum class StandardTokenType : uint8_t {
  kEmoji,
  kNum,
  kHangul,
  kKatakana,
  kAlphanum,
  kSoutheastAsian,
  kIdeographic,
  kHiragana,
};

// "<ALPHANUM>", "<NUM>", ... (static strings).
const char* standard_token_type_name(StandardTokenType type);

struct StandardSpan {
  int32_t start = 0;  // UTF-16 offsets into the text
  int32_t end = 0;
  StandardTokenType type = StandardTokenType::kAlphanum;
};

// Lucene's default max_token_length.
inline constexpr int32_t kDefaultMaxTokenLength = 255;

// Appends the tokens of `text` to `out`, in order. A token is never longer than `max_token_length`
// UTF-16 units: as in Lucene, a longer token is cut at the longest token that fits and the
// segmentation starts again after the cut. Thread-safe.
// Stretches of ASCII text take a fast path equal to the rules; the rest goes to ICU.
void standard_tokenize(std::u16string_view text, int32_t max_token_length, std::vector<StandardSpan>* out);

// The same segmentation by ICU alone, for tests and benchmarks that compare the two paths.
void standard_tokenize_icu(std::u16string_view text, int32_t max_token_length, std::vector<StandardSpan>* out);

}  // namespace sift::analysis
