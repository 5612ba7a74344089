// A token as analyzers emit it: the term text, its character offsets in the original input (UTF-16
// code units, as OpenSearch reports them), its position (after increments) and its type.
#pragma once

#include <cstdint>
#include <string>

namespace sift::analysis {

struct Token {
  std::string term;
  uint32_t start_offset = 0;
  uint32_t end_offset = 0;
  uint32_t position = 0;
  const char* type = "word";  // "<ALPHANUM>", "<NUM>", "word", ... (static strings)
};

}  // namespace sift::analysis
