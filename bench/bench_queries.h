// The benchmark query file (../shared/bench/README.md, "Query file syntax") turned into Query trees,
// clause for clause as LuceneBench.parseQuery builds its Lucene queries, so that both engines run
// the same logical query: a word is a term query on its analyzed token (a phrase when it analyzes
// to several), "a b" a phrase with slop 0, +w / -w must / must_not clauses, bare words should.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/query.h"

namespace sift::bench {

struct BenchQuery {
  std::string raw;   // the line without its "TYPE<TAB>" prefix (printed in topk output)
  std::string type;  // the given type, or inferred: term, phrase, intersection, union, mixed
  std::unique_ptr<query::Query> query;
};

// Parses one line; a null query when nothing in it analyzes to a token (LuceneBench drops those).
BenchQuery parse_bench_query(const std::string& line, const std::string& field);
// Every non-blank line not starting with '#'.
Result<std::vector<BenchQuery>> read_bench_queries(const std::string& path, const std::string& field);

}  // namespace sift::bench
