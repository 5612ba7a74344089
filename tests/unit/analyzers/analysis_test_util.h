// Small helpers the analysis tests share: an analyzer's tokens for a text, and their terms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"

namespace sift::analysis::testing {

inline std::vector<Token> run(const Analyzer& a, std::string_view text) {
  std::vector<Token> out;
  a.analyze(text, 0, 0, &out);
  return out;
}

inline std::vector<std::string> terms(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(t.term);
  return out;
}

}  // namespace sift::analysis::testing
