// The subcommands of sift-bench, each LuceneBench's namesake (../shared/bench/lucene). Each returns
// the process exit status: 0 done, 1 the engine failed, 2 a usage error.
#pragma once

#include "bench/bench_util.h"

namespace sift::bench {

int run_index(const Args& args);
int run_search(const Args& args);
int run_topk(const Args& args);
int run_aggs(const Args& args);
// Positional, as analyze.sh: speed ANALYZER FILE [ROUNDS].
int run_speed(int argc, char** argv);

}  // namespace sift::bench
