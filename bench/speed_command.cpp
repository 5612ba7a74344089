// `sift-bench speed ANALYZER FILE [ROUNDS]`: the twin of `analyze.sh speed` (LuceneAnalyze.java in
// ../shared/bench/lucene): every line of FILE is one text; each round analyzes them all with the
// built-in analyzer ANALYZER, the first round warms up, and the best of the others counts. Same
// output line, so the two compare directly (bench/analysis_speed.sh runs both).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "analyzers/registry.h"
#include "bench/commands.h"

namespace sift::bench {

int run_speed(int argc, char** argv) {
  if (argc < 4) usage_error("speed needs ANALYZER FILE [ROUNDS]");
  const std::string name = argv[2];
  const int rounds = argc > 4 ? std::max(1, std::atoi(argv[4])) : 5;
  const analysis::Analyzer* analyzer = analysis::AnalyzerRegistry::builtin()->get(name);
  if (analyzer == nullptr) usage_error("unknown analyzer " + name);
  std::ifstream in(argv[3]);
  if (!in) usage_error(std::string("cannot read ") + argv[3]);
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    bytes += line.size();
    texts.push_back(std::move(line));
  }
  double best = 1e300;
  size_t tokens = 0;
  std::vector<analysis::Token> out;
  for (int r = 0; r <= rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    tokens = 0;
    for (const std::string& t : texts) {
      out.clear();
      analyzer->analyze(t, 0, 0, &out);
      tokens += out.size();
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) best = std::min(best, s);  // the first round is a warm-up
  }
  std::printf("analyzer=%s bytes=%zu tokens=%zu best_s=%.4f MB_per_s=%.1f\n", name.c_str(), bytes, tokens, best,
              static_cast<double>(bytes) / 1e6 / best);
  return 0;
}

}  // namespace sift::bench
