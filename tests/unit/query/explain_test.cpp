// Explanations (query/explain.h) against the searcher: for queries of every shape, each hit's
// explanation matches with the hit's score as its value, and documents that are not hits do not
// match; BM25 leaves have Lucene's structure.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <set>

#include "query/dsl_parser.h"
#include "query/explain.h"
#include "query/searcher.h"
#include "small_shard.h"

using namespace sift;

namespace {

bool close(float a, float b) { return std::fabs(a - b) <= 1e-5f * std::max(std::fabs(a), std::fabs(b)) + 1e-7f; }

const query::Explanation* find(const query::Explanation& e, const std::string& prefix) {
  if (e.description.rfind(prefix, 0) == 0) return &e;
  for (const auto& d : e.details) {
    if (const auto* f = find(d, prefix)) return f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("explanations match the searcher's hits and scores for every query shape", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  const char* queries[] = {
      R"({"term":{"body":"fox"}})",
      R"({"term":{"body":{"value":"dog","boost":3}}})",
      R"({"match":{"body":"quick lazy cat"}})",
      R"({"match":{"body":{"query":"quick lazy","operator":"and"}}})",
      R"({"match":{"body":{"query":"quick lazy cat red","minimum_should_match":"75%"}}})",
      R"({"match_phrase":{"body":"brown fox"}})",
      R"({"match_phrase":{"body":{"query":"quick fox","slop":2}}})",
      R"({"bool":{"must":[{"match":{"body":"fox"}}],"should":[{"term":{"title":"cat"}}],"filter":[{"term":{"tag":"a"}}],"must_not":[{"term":{"body":"red"}}],"boost":2}})",
      R"({"bool":{"should":[{"term":{"body":"fox"}},{"term":{"body":"dog"}},{"term":{"title":"red"}}],"minimum_should_match":2}})",
      R"({"bool":{"must_not":[{"term":{"body":"fox"}}]}})",
      R"({"dis_max":{"queries":[{"match":{"body":"lazy dog"}},{"match":{"title":"lazy dog"}}],"tie_breaker":0.3}})",
      R"({"multi_match":{"query":"brown cat","fields":["body","title^2"]}})",
      R"({"multi_match":{"query":"brown cat","fields":["body","title"],"type":"most_fields"}})",
      R"({"multi_match":{"query":"lazy dog","fields":["body^1.5","title"],"type":"phrase"}})",
      R"({"constant_score":{"filter":{"term":{"body":"sleeps"}},"boost":1.5}})",
      R"({"range":{"n":{"gte":3,"lt":9}}})",
      R"({"terms":{"tag":["b"]}})",
      R"({"term":{"n":5}})",
      R"({"query_string":{"query":"body:(quick OR fox) AND title:cat"}})",
      R"({"match_all":{"boost":2}})",
      R"({"bool":{"should":[{"bool":{"must":[{"term":{"body":"fox"}},{"term":{"body":"dog"}}],"boost":0.5}},{"prefix":{"title":"sl"}}]}})",
      R"({"simple_query_string":{"query":"fox +(lazy | \"brown dog\") -cat","fields":["body","title^2"]}})",
      R"({"multi_match":{"query":"lazy do","fields":["body","title"],"type":"bool_prefix"}})",
      R"({"multi_match":{"query":"quick cat","fields":["body","title"],"type":"cross_fields","tie_breaker":0.2}})",
      R"({"function_score":{"query":{"match":{"body":"fox"}},"functions":[{"filter":{"term":{"tag":"a"}},"weight":3},{"field_value_factor":{"field":"n","missing":1}}],"score_mode":"sum","boost_mode":"multiply"}})",
      R"({"boosting":{"positive":{"match":{"body":"dog"}},"negative":{"term":{"title":"cat"}},"negative_boost":0.25}})",
      R"({"fuzzy":{"body":{"value":"foxx","fuzziness":1}}})",
      R"({"match":{"body":{"query":"quikc lazzy","fuzziness":"AUTO"}}})",
  };
  for (const char* json : queries) {
    INFO(json);
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    query::ShardSearchOptions opts;
    opts.top_n = 1000;
    opts.track_total_hits = query::SearchRequest::kTrackAll;
    auto r = query::search_shard(*snap, f.mapping, q->get(), opts);
    REQUIRE(r.is_ok());
    std::set<std::pair<uint32_t, uint32_t>> hits;
    for (const auto& h : r->top) {
      auto e = query::explain_document(*snap, f.mapping, q->get(), nullptr, h.segment, h.doc);
      REQUIRE(e.is_ok());
      INFO("segment " << h.segment << " doc " << h.doc << ": " << e->description);
      CHECK(e->match);
      CHECK(close(e->value, h.score));
      hits.insert({h.segment, h.doc});
    }
    // Every live document that is not a hit does not match.
    size_t non_hits = 0;
    for (uint32_t s = 0; s < snap->segments.size(); ++s) {
      const auto& seg = snap->segments[s];
      for (uint32_t d = 0; d < seg.reader->max_doc(); ++d) {
        if ((seg.live && !seg.live->is_live(d)) || hits.count({s, d})) continue;
        auto e = query::explain_document(*snap, f.mapping, q->get(), nullptr, s, d);
        REQUIRE(e.is_ok());
        INFO("segment " << s << " doc " << d);
        CHECK_FALSE(e->match);
        ++non_hits;
      }
    }
    CHECK(hits.size() + non_hits == snap->num_docs);
  }
}

TEST_CASE("a BM25 term explanation has Lucene's structure", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  auto q = query::parse_query(R"({"term":{"body":{"value":"fox","boost":2}}})");
  REQUIRE(q.is_ok());
  query::ShardSearchOptions opts;
  auto r = query::search_shard(*snap, f.mapping, q->get(), opts);
  REQUIRE(r.is_ok());
  REQUIRE_FALSE(r->top.empty());
  const auto& h = r->top[0];
  auto e = query::explain_document(*snap, f.mapping, q->get(), nullptr, h.segment, h.doc);
  REQUIRE(e.is_ok());
  CHECK(e->description == "weight(body:fox in " + std::to_string(h.doc) + ") [PerFieldSimilarity], result of:");
  REQUIRE(e->details.size() == 1);
  const auto& score = e->details[0];
  CHECK(score.description.rfind("score(freq=", 0) == 0);
  REQUIRE(score.details.size() == 3);
  CHECK(score.details[0].description == "boost");
  CHECK(score.details[0].value == 2.0f);
  const auto* idf = find(*e, "idf, computed as");
  const auto* tf = find(*e, "tf, computed as");
  REQUIRE(idf != nullptr);
  REQUIRE(tf != nullptr);
  // value = boost * idf * tf; N counts every doc with the field, deleted ones too until merged (as Lucene).
  CHECK(close(e->value, 2.0f * idf->value * tf->value));
  REQUIRE(idf->details.size() == 2);
  CHECK(idf->details[1].count == static_cast<int64_t>(snap->num_docs + snap->num_deleted));
  CHECK(idf->details[1].count == 240);
  JsonWriter w;
  query::write_explanation(w, *idf);
  CHECK(w.str().find("\"value\":240,\"description\":\"N, total") != std::string::npos);
}

TEST_CASE("an alias filter is a FILTER clause of the explanation", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  auto q = query::parse_query(R"({"match":{"body":"fox"}})");
  auto a = query::parse_query(R"({"term":{"tag":"b"}})");
  REQUIRE(q.is_ok());
  REQUIRE(a.is_ok());
  query::ShardSearchOptions opts;
  opts.top_n = 1000;
  auto all = query::search_shard(*snap, f.mapping, q->get(), opts);
  opts.filter = a->get();
  auto filtered = query::search_shard(*snap, f.mapping, q->get(), opts);
  REQUIRE(all.is_ok());
  REQUIRE(filtered.is_ok());
  REQUIRE(filtered->top.size() < all->top.size());
  std::set<std::pair<uint32_t, uint32_t>> passing;
  for (const auto& h : filtered->top) passing.insert({h.segment, h.doc});
  for (const auto& h : all->top) {
    auto e = query::explain_document(*snap, f.mapping, q->get(), a->get(), h.segment, h.doc);
    REQUIRE(e.is_ok());
    CHECK(e->match == passing.count({h.segment, h.doc}) > 0);
    if (e->match) {
      CHECK(close(e->value, h.score));
      CHECK(e->details.back().description == "match on required clause, product of:");
    }
  }
}
