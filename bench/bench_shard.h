// The benchmark index: one Sift shard in a directory, driven in-process (no node, no HTTP), with
// the mappings that mirror LuceneBench's field types. A shard does not keep its mapping (the
// node's cluster state does), so `index` writes it beside the shard files and `search`/`topk`
// read it back.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "index/mapping.h"
#include "index/shard.h"

namespace sift::bench {

// The file beside the shard that holds the mapping (not counted in index_mb).
inline constexpr const char* kMappingFile = "bench-mapping.json";

// The mapping JSON of a corpus type ("text" or "logs"); empty for an unknown type.
std::string corpus_mapping_json(const std::string& type, bool store_source);

struct BenchShard {
  std::shared_ptr<const index::Mapping> mapping;
  std::unique_ptr<index::Shard> shard;
};

// Creates an empty shard at `dir` with `mapping_json`. An existing `dir` is replaced only when it
// holds a previous sift-bench index (its mapping file), so a wrong path cannot wipe other data.
Result<BenchShard> create_bench_shard(const std::string& dir, const std::string& mapping_json);
// Opens the shard that `index` built at `dir`.
Result<BenchShard> open_bench_shard(const std::string& dir);

}  // namespace sift::bench
