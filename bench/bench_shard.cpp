#include "bench/bench_shard.h"

#include <filesystem>

#include "analyzers/registry.h"
#include "index/directory.h"
#include "index/document_parser.h"

namespace sift::bench {
namespace {

// Field by field as LuceneBench's builders. `dynamic: false` ignores fields Lucene would not index.
// text: `id` is a StringField there (indexed, stored, no doc values), `title`/`body` TextFields
// with StandardAnalyzer without stop words, which is what Sift's `standard` is.
constexpr const char* kTextProperties = R"("properties":{
  "id":{"type":"keyword","doc_values":false},
  "title":{"type":"text"},
  "body":{"type":"text"}})";
// logs: `request` is match_only_text in LuceneBench (docs only, no norms); index_options docs and
// norms false are the nearest text settings. `request.raw` is a keyword up to 256 chars.
constexpr const char* kLogsProperties = R"("properties":{
  "@timestamp":{"type":"date"},
  "clientip":{"type":"ip"},
  "request":{"type":"text","index_options":"docs","norms":false,
             "fields":{"raw":{"type":"keyword","ignore_above":256}}},
  "status":{"type":"integer"},
  "size":{"type":"integer"}})";

index::SourceParser parser_for(std::shared_ptr<const index::Mapping> mapping) {
  return [mapping](std::string_view id, std::string_view source) -> Result<index::ParsedDocument> {
    const auto& analyzers = *analysis::AnalyzerRegistry::builtin();
    SIFT_ASSIGN_OR_RETURN(index::ParseOutput out, index::parse_document(source, id, *mapping));
    return std::move(out.doc);
  };
}

Result<BenchShard> open_with(const std::string& dir, const std::string& mapping_json) {
  SIFT_ASSIGN_OR_RETURN(index::Mapping mapping, index::parse_mapping(mapping_json));
  BenchShard b;
  b.mapping = std::make_shared<const index::Mapping>(std::move(mapping));
  SIFT_ASSIGN_OR_RETURN(b.shard, index::Shard::open(dir, 1, parser_for(b.mapping)));
  return b;
}

}  // namespace

std::string corpus_mapping_json(const std::string& type, bool store_source) {
  const char* props = type == "text" ? kTextProperties : type == "logs" ? kLogsProperties : nullptr;
  if (props == nullptr) return "";
  // Sift accepts `_source.enabled: false` but still stores what it is given (the bench then gives
  // it "{}"); the setting is kept so that the mapping says what was meant.
  std::string source = store_source ? "" : R"("_source":{"enabled":false},)";
  return "{\"dynamic\":false," + source + props + "}";
}

Result<BenchShard> create_bench_shard(const std::string& dir, const std::string& mapping_json) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    if (!fs::exists(fs::path(dir) / kMappingFile, ec)) {
      return invalid_argument(dir + " is not empty and holds no sift-bench index (" + kMappingFile +
                              "); not deleting it");
    }
    SIFT_RETURN_IF_ERROR(index::remove_tree(dir));
  }
  SIFT_ASSIGN_OR_RETURN(auto directory, index::Directory::open(dir, true));
  SIFT_RETURN_IF_ERROR(directory->write_file(kMappingFile, mapping_json, true));
  return open_with(dir, mapping_json);
}

Result<BenchShard> open_bench_shard(const std::string& dir) {
  SIFT_ASSIGN_OR_RETURN(auto directory, index::Directory::open(dir, false));
  if (!directory->exists(kMappingFile)) {
    return invalid_argument(dir + " holds no sift-bench index (no " + kMappingFile + ")");
  }
  SIFT_ASSIGN_OR_RETURN(std::string mapping_json, directory->read_all(kMappingFile));
  return open_with(dir, mapping_json);
}

}  // namespace sift::bench
