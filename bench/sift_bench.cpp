// sift-bench: Sift's side-by-side twin of the Lucene anchor
// (../shared/bench/lucene/src/LuceneBench.java).
// Same subcommands, arguments, query file syntax and output, so one corpus and one query file run
// through both and the outputs compare line by line (compare_topk.py for topk). The engine runs
// in-process: a Shard for indexing, query::search_shard for searching; no node, no HTTP.
//   sift-bench index  --input F.jsonl --index DIR --type text|logs [--threads N] [--ram-mb M]
//                     [--force-merge] [--max-docs N] [--no-source]
//   sift-bench search --index DIR --queries Q.txt [--field body] [--modes TOP_10,COUNT,TOP_10_COUNT,TOP_100]
//                     [--warmup-rounds R] [--iters N] [--k1 1.2] [--b 0.75] [--json OUT]
//   sift-bench topk   --index DIR --queries Q.txt [--field body] [--k 10] [--k1 1.2] [--b 0.75] [--explain]
//   sift-bench aggs   --index DIR [--iters N] [--warmup-rounds R] [--json OUT]   (logs index; counts only)
//   sift-bench speed  ANALYZER FILE [ROUNDS]   (analyze.sh's speed mode: analyzer throughput)
#include <cstdio>
#include <string_view>

#include "bench/commands.h"
#include "common/memory.h"

int main(int argc, char** argv) {
  using namespace sift::bench;
  sift::configure_allocator();
  std::string_view cmd = argc > 1 ? argv[1] : "";
  if (cmd == "index") {
    return run_index(Args(argc, argv, 2, {"input", "index", "type", "threads", "ram-mb", "force-merge",
                                          "max-docs", "no-source"}));
  }
  if (cmd == "search") {
    return run_search(Args(argc, argv, 2, {"index", "queries", "field", "modes", "warmup-rounds", "iters",
                                           "k1", "b", "json"}));
  }
  if (cmd == "topk") {
    return run_topk(Args(argc, argv, 2, {"index", "queries", "field", "k", "k1", "b", "explain"}));
  }
  if (cmd == "aggs") return run_aggs(Args(argc, argv, 2, {"index", "iters", "warmup-rounds", "json"}));
  if (cmd == "speed") return run_speed(argc, argv);
  if (cmd.empty() || cmd == "--help") usage_error("a subcommand is needed");
  usage_error("unknown subcommand " + std::string(cmd));
}
