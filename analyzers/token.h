// A token as analyzers emit it: the term text (UTF-8), its character offsets in the original input
// (UTF-16 code units, as OpenSearch reports them), its position (absolute: a removed token leaves
// its position unused, as Lucene's position increments do), how many positions it spans (synonym
// and word-delimiter graphs), its type, and whether a keyword marker protects it from stemming.
#pragma once

#include <cstdint>
#include <string>

namespace sift::analysis {

struct Token {
  std::string term;
  uint32_t start_offset = 0;
  uint32_t end_offset = 0;
  uint32_t position = 0;
  uint32_t position_length = 1;
  const char* type = "word";  // "<ALPHANUM>", "<NUM>", "word", "SYNONYM", ... (static strings)
  bool keyword = false;       // keyword_marker / keyword_repeat: stemmers leave it alone
};

}  // namespace sift::analysis
