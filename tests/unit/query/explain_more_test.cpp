// Explanations of function_score, boosting, the multi-term rewrites (fuzzy, regexp, prefix,
// wildcard, match with fuzziness) and nested queries: over two segments with deleted docs, every
// hit explains as a match whose value is its score and every other live document as no match;
// a few have their OpenSearch shape checked part by part.
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

struct Hit {
  uint32_t segment, doc;
  float score;
};

// Checks the invariant for `json` and returns the hits, best first.
std::vector<Hit> check_explanations(const index::ShardSnapshot& snap, const index::Mapping& mapping, const char* json) {
  INFO(json);
  auto q = query::parse_query(json);
  REQUIRE(q.is_ok());
  query::ShardSearchOptions opts;
  opts.top_n = 1000;
  opts.track_total_hits = query::SearchRequest::kTrackAll;
  auto r = query::search_shard(snap, mapping, q->get(), opts);
  REQUIRE(r.is_ok());
  std::set<std::pair<uint32_t, uint32_t>> hits;
  std::vector<Hit> out;
  for (const auto& h : r->top) {
    auto e = query::explain_document(snap, mapping, q->get(), nullptr, h.segment, h.doc);
    REQUIRE(e.is_ok());
    INFO("segment " << h.segment << " doc " << h.doc << ": " << e->description);
    CHECK(e->match);
    CHECK(close(e->value, h.score));
    hits.insert({h.segment, h.doc});
    out.push_back({h.segment, h.doc, h.score});
  }
  size_t non_hits = 0, live = 0;  // live top-level docs (`live` hides nested docs too)
  for (uint32_t s = 0; s < snap.segments.size(); ++s) {
    const auto& seg = snap.segments[s];
    for (uint32_t d = 0; d < seg.reader->max_doc(); ++d) {
      if (seg.live && !seg.live->is_live(d)) continue;
      ++live;
      if (hits.count({s, d})) continue;
      auto e = query::explain_document(snap, mapping, q->get(), nullptr, s, d);
      REQUIRE(e.is_ok());
      INFO("segment " << s << " doc " << d << ": " << e->description);
      CHECK_FALSE(e->match);
      ++non_hits;
    }
  }
  CHECK(hits.size() + non_hits == live);
  return out;
}

query::Explanation explain_hit(const index::ShardSnapshot& snap, const index::Mapping& mapping, const char* json,
                               const Hit& h) {
  auto q = query::parse_query(json);
  REQUIRE(q.is_ok());
  auto e = query::explain_document(snap, mapping, q->get(), nullptr, h.segment, h.doc);
  REQUIRE(e.is_ok());
  return std::move(e).value();
}

}  // namespace

TEST_CASE("function_score, boosting and multi-term explanations match the searcher's scores", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  REQUIRE(snap->num_deleted > 0);
  const char* queries[] = {
      // function_score: score modes, boost modes, filters, max_boost, min_score, boosts
      R"({"function_score":{"query":{"match":{"body":"fox dog"}},"functions":[{"filter":{"term":{"tag":"a"}},"weight":3},{"filter":{"term":{"title":"cat"}},"weight":0.5},{"field_value_factor":{"field":"n","modifier":"ln2p","factor":1.5}}],"score_mode":"multiply"}})",
      R"({"function_score":{"query":{"match":{"body":"fox dog"}},"functions":[{"filter":{"term":{"tag":"a"}},"weight":3},{"field_value_factor":{"field":"n","modifier":"sqrt"},"weight":2}],"score_mode":"avg","boost_mode":"sum"}})",
      R"({"function_score":{"query":{"match":{"body":"lazy"}},"functions":[{"filter":{"term":{"tag":"b"}},"weight":4},{"filter":{"match":{"title":"red"}},"weight":2},{"weight":1.5}],"score_mode":"first","boost_mode":"avg"}})",
      R"({"function_score":{"query":{"match":{"body":"lazy"}},"functions":[{"filter":{"term":{"tag":"b"}},"weight":4},{"gauss":{"n":{"origin":5,"scale":3,"offset":1,"decay":0.3}}}],"score_mode":"max","boost_mode":"max","max_boost":2}})",
      R"({"function_score":{"query":{"match":{"body":"lazy"}},"functions":[{"filter":{"term":{"tag":"b"}},"weight":4},{"linear":{"n":{"origin":0,"scale":10}}}],"score_mode":"min","boost_mode":"min"}})",
      R"({"function_score":{"query":{"term":{"body":"cat"}},"exp":{"n":{"origin":16,"scale":4}},"boost_mode":"replace","boost":3}})",
      R"({"function_score":{"query":{"match":{"title":"quick red"}},"random_score":{"seed":42},"boost_mode":"sum"}})",
      R"({"function_score":{"query":{"match":{"title":"quick red"}},"functions":[{"random_score":{"seed":7,"field":"_seq_no"},"weight":2}]}})",
      R"({"function_score":{"query":{"match":{"body":"fox"}},"field_value_factor":{"field":"n","modifier":"log1p","factor":2},"min_score":0.5}})",
      R"({"function_score":{"query":{"match":{"body":"fox"}},"boost":2}})",
      R"({"function_score":{"weight":3}})",
      R"({"function_score":{"query":{"match":{"body":"sleeps"}},"functions":[{"filter":{"term":{"tag":"zzz"}},"weight":3}]}})",
      R"({"bool":{"should":[{"function_score":{"query":{"match":{"body":"fox"}},"weight":2,"boost_mode":"sum","boost":1.5}},{"term":{"title":"dog"}}],"boost":3}})",
      R"({"bool":{"must":[{"function_score":{"query":{"match":{"body":"fox"}},"field_value_factor":{"field":"n","missing":1,"modifier":"log2p"}}}],"boost":0.5}})",
      // boosting
      R"({"boosting":{"positive":{"match":{"body":"dog lazy"}},"negative":{"term":{"title":"cat"}},"negative_boost":0.25,"boost":2}})",
      R"({"bool":{"should":[{"boosting":{"positive":{"term":{"body":"fox"}},"negative":{"range":{"n":{"gte":8}}},"negative_boost":0.5}}],"boost":2}})",
      // multi-term rewrites
      R"({"fuzzy":{"body":"foz"}})",
      R"({"fuzzy":{"body":{"value":"dgo","fuzziness":2,"boost":1.5}}})",
      R"({"fuzzy":{"body":{"value":"lazzy","fuzziness":2,"rewrite":"scoring_boolean"}}})",
      R"({"fuzzy":{"body":{"value":"quack","fuzziness":2,"rewrite":"top_terms_2"}}})",
      R"({"fuzzy":{"body":{"value":"quack","fuzziness":2,"rewrite":"top_terms_boost_3"}}})",
      R"({"fuzzy":{"body":{"value":"slep","fuzziness":2,"rewrite":"constant_score","boost":2}}})",
      R"({"fuzzy":{"body":{"value":"cats","fuzziness":"AUTO","prefix_length":1,"max_expansions":1}}})",
      R"({"fuzzy":{"tag":{"value":"bb","fuzziness":1}}})",
      R"({"regexp":{"body":"f.x|d.g"}})",
      R"({"regexp":{"body":{"value":"(j|o).*","rewrite":"scoring_boolean","boost":2}}})",
      R"({"regexp":{"title":{"value":"[a-c].*","rewrite":"top_terms_boost_2"}}})",
      R"({"prefix":{"title":{"value":"sl","boost":2}}})",
      R"({"wildcard":{"body":"*o?"}})",
      R"({"match":{"body":{"query":"quikc lazzy","fuzziness":"AUTO","operator":"and"}}})",
      R"({"match":{"body":{"query":"foz brwn","fuzziness":1,"boost":2}}})",
      R"({"match":{"body":{"query":"foz","fuzziness":1,"fuzzy_rewrite":"constant_score"}}})",
      R"({"multi_match":{"query":"quikc brwn","fields":["body","title^2"],"fuzziness":1}})",
      R"({"query_string":{"query":"body:quikc~1 title:/ca./"}})",
      R"({"bool":{"must":[{"fuzzy":{"body":"dgo"}}],"should":[{"prefix":{"title":"re"}}],"boost":2}})",
  };
  for (const char* json : queries) check_explanations(*snap, f.mapping, json);
}

TEST_CASE("a function_score explanation has OpenSearch's structure", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  const char* json =
      R"({"function_score":{"query":{"term":{"body":"fox"}},"functions":[{"filter":{"term":{"tag":"a"}},"weight":3},{"field_value_factor":{"field":"n","missing":1}}],"score_mode":"sum","max_boost":100}})";
  auto hits = check_explanations(*snap, f.mapping, json);
  REQUIRE_FALSE(hits.empty());
  bool saw_filtered = false;
  for (const auto& h : hits) {
    auto e = explain_hit(*snap, f.mapping, json, h);
    CHECK(e.description == "function score, product of:");
    REQUIRE(e.details.size() == 2);
    CHECK(e.details[0].description.rfind("weight(body:fox in ", 0) == 0);
    const auto& capped = e.details[1];
    CHECK(capped.description == "min of:");
    REQUIRE(capped.details.size() == 2);
    CHECK(capped.details[1].description == "maxBoost");
    CHECK(capped.details[1].value == 100.0f);
    const auto& factor = capped.details[0];
    CHECK(factor.description == "function score, score mode [sum]");
    CHECK(close(e.value, e.details[0].value * capped.value));
    float sum = 0;
    for (const auto& fn : factor.details) sum += fn.value;
    CHECK(close(factor.value, sum));
    const auto* fvf = find(e, "field value function: ");
    REQUIRE(fvf != nullptr);
    CHECK(fvf->description == "field value function: none(doc['n'].value?:1.0 * factor=1.0)");
    if (factor.details.size() == 2) {  // the filter matched
      saw_filtered = true;
      const auto& filtered = factor.details[0];
      CHECK(filtered.description == "function score, product of:");
      REQUIRE(filtered.details.size() == 2);
      CHECK(filtered.details[0].description == "match filter: tag:a");
      CHECK(filtered.details[1].description == "product of:");
      CHECK(filtered.details[1].value == 3.0f);
      REQUIRE(filtered.details[1].details.size() == 2);
      CHECK(filtered.details[1].details[0].description == "constant score 1.0 - no function provided");
      CHECK(filtered.details[1].details[1].description == "weight");
    }
  }
  CHECK(saw_filtered);
}

TEST_CASE("decay and random functions explain with their OpenSearch descriptions", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  const char* gauss = R"({"function_score":{"query":{"term":{"body":"dog"}},"gauss":{"n":{"origin":3,"scale":2}},"boost_mode":"replace"}})";
  auto hits = check_explanations(*snap, f.mapping, gauss);
  REQUIRE_FALSE(hits.empty());
  auto e = explain_hit(*snap, f.mapping, gauss, hits[0]);
  CHECK(e.description == "min of:");  // replace: the capped factor alone
  REQUIRE(e.details.size() == 2);
  const auto& fn = e.details[0];
  CHECK(fn.description == "Function for field n:");
  REQUIRE(fn.details.size() == 1);
  CHECK(fn.details[0].description.rfind("exp(-0.5*pow(MIN[Math.max(Math.abs(", 0) == 0);
  CHECK(fn.details[0].description.find("(=origin))) - 0.0(=offset), 0)],2.0)/") != std::string::npos);
  CHECK(hits[0].score == 1.0f);  // the best is at the origin
  CHECK(fn.details[0].description.find("3.0(=doc value) - 3.0(=origin)") != std::string::npos);

  const char* random = R"({"function_score":{"query":{"term":{"body":"dog"}},"functions":[{"random_score":{"seed":42},"weight":2}]}})";
  hits = check_explanations(*snap, f.mapping, random);
  REQUIRE_FALSE(hits.empty());
  e = explain_hit(*snap, f.mapping, random, hits[0]);
  const auto* product = find(e, "product of:");
  REQUIRE(product != nullptr);
  REQUIRE(product->details.size() == 2);
  CHECK(product->details[0].description == "random score function (seed: 42, field: _id)");
  CHECK(product->details[1].description == "weight");
  CHECK(close(product->value, 2 * product->details[0].value));
}

TEST_CASE("boosting explains as Lucene's FunctionScoreQuery.boostByQuery", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  const char* json = R"({"boosting":{"positive":{"term":{"body":"dog"}},"negative":{"term":{"title":"cat"}},"negative_boost":0.25}})";
  auto hits = check_explanations(*snap, f.mapping, json);
  bool demoted = false, kept = false;
  for (const auto& h : hits) {
    auto e = explain_hit(*snap, f.mapping, json, h);
    CHECK(e.description ==
          "weight(FunctionScoreQuery(body:dog, scored by boost(queryboost(score(title:cat))^0.25))), result of:");
    REQUIRE(e.details.size() == 1);
    const auto& inner = e.details[0];
    if (inner.description == "product of:") {
      demoted = true;
      REQUIRE(inner.details.size() == 2);
      CHECK(inner.details[0].description.rfind("weight(body:dog in ", 0) == 0);
      CHECK(inner.details[1].description == "Matched boosting query score(title:cat)");
      CHECK(inner.details[1].value == 0.25f);
      CHECK(close(e.value, inner.details[0].value * 0.25f));
    } else {
      kept = true;
      CHECK(inner.description.rfind("weight(body:dog in ", 0) == 0);
      CHECK(close(e.value, inner.value));
    }
  }
  CHECK(demoted);
  CHECK(kept);
}

TEST_CASE("fuzzy explains as its blended rewrite and regexp, prefix as constant scores", "[explain]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  // "cog" within 2 edits: dog (1 edit), fox and cat (2 edits), none of them the term itself.
  const char* json = R"({"fuzzy":{"body":{"value":"cog","fuzziness":2}}})";
  auto hits = check_explanations(*snap, f.mapping, json);
  REQUIRE_FALSE(hits.empty());
  size_t multi = 0;
  for (const auto& h : hits) {
    auto e = explain_hit(*snap, f.mapping, json, h);
    std::vector<const query::Explanation*> terms;
    if (e.description == "sum of:") {
      ++multi;
      for (const auto& d : e.details) terms.push_back(&d);
    } else {
      terms.push_back(&e);
    }
    int64_t blended = -1;
    for (const auto* t : terms) {
      CHECK(t->description.rfind("weight(body:", 0) == 0);
      const auto* n = find(*t, "n, number of documents containing term");
      REQUIRE(n != nullptr);
      if (blended < 0) blended = n->count;
      CHECK(n->count == blended);  // every term shares the blended document frequency
      const auto* boost = find(*t, "boost");  // the term's similarity: 1 - edits / length
      REQUIRE(boost != nullptr);
      CHECK(boost->value < 1.0f);
    }
  }
  CHECK(multi > 0);

  const char* regexp = R"({"regexp":{"body":{"value":"d.g","boost":2}}})";
  hits = check_explanations(*snap, f.mapping, regexp);
  REQUIRE_FALSE(hits.empty());
  auto e = explain_hit(*snap, f.mapping, regexp, hits[0]);
  CHECK(e.description == "body:/d.g/^2.0");
  CHECK(e.value == 2.0f);
  CHECK(e.details.empty());

  const char* prefix = R"({"prefix":{"title":"sl"}})";
  hits = check_explanations(*snap, f.mapping, prefix);
  REQUIRE_FALSE(hits.empty());
  e = explain_hit(*snap, f.mapping, prefix, hits[0]);
  CHECK(e.description == "title:sl*");
  CHECK(e.value == 1.0f);
}

TEST_CASE("nested queries explain as block joins over their best child", "[explain]") {
  char tmpl[] = "/tmp/sift_explain_nested_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto parsed = index::parse_mapping(R"({"properties":{"tag":{"type":"keyword"},"comments":{"type":"nested",
      "properties":{"author":{"type":"keyword"},"stars":{"type":"integer"},"text":{"type":"text"},
      "replies":{"type":"nested","properties":{"w":{"type":"text"}}}}}}})");
  REQUIRE(parsed.is_ok());
  index::Mapping mapping = std::move(parsed).value();
  {
    auto shard = test::open_test_shard(dir, &mapping);
    const char* authors[] = {"ann", "bob", "cy"};
    const char* words[] = {"good", "bad", "great", "fine", "good good"};
    for (int seg = 0; seg < 2; ++seg) {
      for (int i = 0; i < 40; ++i) {
        int id = seg == 0 ? i : (i % 2 == 0 ? i : 40 + i);  // the second segment overwrites even ids
        std::string src = R"({"tag":")" + std::string(i % 3 ? "x" : "y") + R"(","comments":[)";
        int n = (i + seg) % 4;
        for (int c = 0; c < n; ++c) {
          src += (c ? "," : "") + std::string(R"({"author":")") + authors[(i + c) % 3] + R"(","stars":)" +
                 std::to_string((i * 3 + c) % 6) + R"(,"text":")" + words[(i + 2 * c + seg) % 5] + R"(","replies":[)";
          for (int k = 0; k < (i + c) % 3; ++k) src += (k ? "," : "") + std::string(R"({"w":")") + words[(k + c) % 5] + "\"}";
          src += "]}";
        }
        test::write_doc(*shard, mapping, std::to_string(id), src + "]}");
      }
      REQUIRE(shard->refresh().is_ok());
    }
    index::WriteOp del;
    del.kind = index::WriteOp::Kind::kDelete;
    del.id = "7";
    REQUIRE(shard->apply(del).is_ok());
    REQUIRE(shard->refresh().is_ok());
    auto snap = shard->snapshot();
    REQUIRE(snap->num_deleted > 0);
    const char* queries[] = {
        R"({"nested":{"path":"comments","query":{"match":{"comments.text":"good great"}}}})",
        R"({"nested":{"path":"comments","query":{"match":{"comments.text":"good great"}},"score_mode":"max","boost":2}})",
        R"({"nested":{"path":"comments","query":{"match":{"comments.text":"good fine"}},"score_mode":"min"}})",
        R"({"nested":{"path":"comments","query":{"match":{"comments.text":"good bad"}},"score_mode":"sum"}})",
        R"({"nested":{"path":"comments","query":{"term":{"comments.author":"bob"}},"score_mode":"none"}})",
        R"({"nested":{"path":"comments","query":{"bool":{"must":[{"range":{"comments.stars":{"gte":2}}}],"should":[{"match":{"comments.text":"bad"}}]}}}})",
        R"({"nested":{"path":"comments","query":{"function_score":{"query":{"match":{"comments.text":"good"}},"field_value_factor":{"field":"comments.stars","modifier":"ln2p"}}}}})",
        R"({"nested":{"path":"comments","query":{"nested":{"path":"comments.replies","query":{"match":{"comments.replies.w":"good"}},"score_mode":"max"}}}})",
        R"({"nested":{"path":"comments","query":{"bool":{"must_not":[{"term":{"comments.author":"ann"}}]}}}})",
        R"({"bool":{"must":[{"nested":{"path":"comments","query":{"match":{"comments.text":"great"}}}}],"should":[{"term":{"tag":"y"}}],"boost":1.5}})",
    };
    for (const char* json : queries) check_explanations(*snap, mapping, json);

    const char* json = R"({"nested":{"path":"comments","query":{"match":{"comments.text":"good great"}},"score_mode":"max"}})";
    auto hits = check_explanations(*snap, mapping, json);
    REQUIRE_FALSE(hits.empty());
    for (const auto& h : hits) {
      auto e = explain_hit(*snap, mapping, json, h);
      INFO(e.description);
      CHECK(e.description.rfind("Score based on ", 0) == 0);
      CHECK(e.description.find(" child docs in range from ") != std::string::npos);
      CHECK(e.description.find(", using score mode Max") != std::string::npos);
      REQUIRE(e.details.size() == 1);
      CHECK((e.details[0].description.rfind("weight(comments.text:", 0) == 0 || e.details[0].description == "sum of:"));
      CHECK(close(e.details[0].value, e.value));  // max: the best child's score
      // The range ends right before the parent and starts after the previous block.
      const auto& seg = snap->segments[h.segment];
      uint64_t end = seg.base + h.doc - 1, start = seg.base + seg.reader->block_start(h.doc);
      CHECK(e.description.find("from " + std::to_string(start) + " to " + std::to_string(end) + ",") != std::string::npos);
    }
  }
  std::filesystem::remove_all(dir);
}
