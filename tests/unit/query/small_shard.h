// A small two-segment shard for query tests: 240 docs written, 200 live (the second segment
// rewrites some ids of the first), fields body/title (text), tag (keyword), n (long).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "analyzers/analyzer.h"
#include "index/document_parser.h"
#include "index/shard.h"

namespace sift::test {

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
    auto s = index::Shard::open(dir, 1, [this](std::string_view id, std::string_view src) {
      auto out = index::parse_document(src, id, mapping, *analysis::AnalyzerRegistry::builtin());
      if (!out.is_ok()) return Result<index::ParsedDocument>(std::move(out).take_status());
      return Result<index::ParsedDocument>(std::move(out->doc));
    });
    REQUIRE(s.is_ok());
    shard = std::move(s).value();
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
        auto parsed = index::parse_document(src, std::to_string(id), mapping, *analysis::AnalyzerRegistry::builtin());
        REQUIRE(parsed.is_ok());
        index::WriteOp op;
        op.id = std::to_string(id);
        op.source = src;
        op.parsed = &parsed->doc;
        REQUIRE(shard->apply(op).is_ok());
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
