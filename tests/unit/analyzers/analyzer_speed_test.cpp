// Analysis speed, hidden from CTest (tag [.]): run by hand to compare tokenizer versions.
//   SIFT_SPEED_FILE=texts.txt [SIFT_SPEED_ANALYZER=standard] [SIFT_SPEED_ROUNDS=5] \
//     build-an/tests/analyzers_tests '[speed]'
// Every line of the file is one text (bench/analyzer_parity.py --dump-texts writes such a file).
// Prints the best round's tokens/s and MB/s; the first round is a warm-up.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "analyzers/registry.h"

using sift::analysis::AnalyzerRegistry;
using sift::analysis::Token;

TEST_CASE("analyzer speed on a file of texts", "[.][speed]") {
  const char* path = std::getenv("SIFT_SPEED_FILE");
  if (path == nullptr) {
    WARN("SIFT_SPEED_FILE is not set: nothing to measure");
    return;
  }
  const char* name = std::getenv("SIFT_SPEED_ANALYZER");
  const char* rounds_env = std::getenv("SIFT_SPEED_ROUNDS");
  const int rounds = rounds_env != nullptr ? std::max(1, std::atoi(rounds_env)) : 5;
  const auto* analyzer = AnalyzerRegistry::builtin()->get(name != nullptr ? name : "standard");
  REQUIRE(analyzer != nullptr);

  std::vector<std::string> texts;
  size_t bytes = 0;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    bytes += line.size();
    texts.push_back(std::move(line));
  }
  REQUIRE(!texts.empty());

  double best = 1e300;
  size_t tokens = 0;
  std::vector<Token> out;
  for (int r = 0; r <= rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    tokens = 0;
    for (const std::string& t : texts) {
      out.clear();
      analyzer->analyze(t, 0, 0, &out);
      tokens += out.size();
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) best = std::min(best, s);
  }
  std::printf("analyzer=%s texts=%zu bytes=%zu tokens=%zu best_s=%.4f tokens_per_s=%.0f MB_per_s=%.1f\n",
              analyzer->name().c_str(), texts.size(), bytes, tokens, best, tokens / best, bytes / 1e6 / best);
}
