// Shards for query tests: opening one over a mapping, writing a document, the scores of a search's
// hits by _id; and a small two-segment shard: 240 docs written, 200 live (the second segment
// rewrites some ids of the first), fields body/title (text), tag (keyword), n (long).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <map>
#include <string>

#include "analyzers/registry.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/searcher.h"

namespace sift::test {

// A shard whose documents are parsed against `*mapping` (which must outlive it).
inline std::unique_ptr<index::Shard> open_test_shard(const std::string& dir, const index::Mapping* mapping) {
  auto s = index::Shard::open(dir, 1, [mapping](std::string_view id, std::string_view src) {
    auto out = index::parse_document(src, id, *mapping);
    if (!out.is_ok()) return Result<index::ParsedDocument>(std::move(out).take_status());
    return Result<index::ParsedDocument>(std::move(out->doc));
  });
  REQUIRE(s.is_ok());
  return std::move(s).value();
}

// Parses `src` against `mapping` and writes it to `shard` under `id`.
inline void write_doc(index::Shard& shard, const index::Mapping& mapping, const std::string& id, const std::string& src) {
  auto parsed = index::parse_document(src, id, mapping);
  REQUIRE(parsed.is_ok());
  index::WriteOp op;
  op.id = id;
  op.source = src;
  op.parsed = &parsed->doc;
  REQUIRE(shard.apply(op).is_ok());
}

// The _id -> score of every hit of a shard search.
inline std::map<std::string, float> hit_scores(const index::ShardSnapshot& snap, const query::ShardSearchResult& r) {
  std::map<std::string, float> out;
  for (const auto& h : r.top) {
    index::StoredDocument d;
    REQUIRE(snap.segments[h.segment].reader->stored(h.doc, &d).is_ok());
    out[d.meta.id] = h.score;
  }
  return out;
}

struct SmallShard {
  std::string dir;
  index::Mapping mapping;
  std::unique_ptr<index::Shard> shard;

  SmallShard() {
    char tmpl[] = "/tmp/sift_small_shard_XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto m = index::parse_mapping(
        R"({"properties":{"body":{"type":"text"},"title":{"type":"text"},"tag":{"type":"keyword"},"n":{"type":"long"}}})");
    REQUIRE(m.is_ok());
    mapping = std::move(m).value();
    shard = open_test_shard(dir, &mapping);
    const char* words[] = {"quick", "brown", "fox", "jumps", "over", "lazy", "dog", "red", "cat", "sleeps"};
    // Two segments; the second rewrites some ids of the first (deleted docs stay in segment 0).
    for (int seg = 0; seg < 2; ++seg) {
      for (int i = 0; i < 120; ++i) {
        int id = seg == 0 ? i : (i % 3 == 0 ? i : 120 + i);
        std::string body, title;
        for (int k = 0; k < 2 + (i * 7 + seg) % 9; ++k) body += std::string(body.empty() ? "" : " ") + words[(i * 3 + k * k + seg) % 10];
        for (int k = 0; k < 1 + i % 3; ++k) title += std::string(title.empty() ? "" : " ") + words[(i + k * 5) % 10];
        std::string src = R"({"body":")" + body + R"(","title":")" + title + R"(","tag":")" + (i % 4 ? "a" : "b") +
                          R"(","n":)" + std::to_string(i % 17) + "}";
        write_doc(*shard, mapping, std::to_string(id), src);
      }
      REQUIRE(shard->refresh().is_ok());
    }
  }
  ~SmallShard() {
    shard.reset();
    std::filesystem::remove_all(dir);
  }
};

}  // namespace sift::test
