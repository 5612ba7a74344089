// Per-field similarities in scoring: every similarity type gives the scores of its formula (checked
// against textbook BM25 in double precision), the block scorers equal the evaluator bit for bit,
// the index default applies to fields without their own, and explanations show the field's k1, b,
// LegacyBM25's boost * (k1 + 1) and BooleanSimilarity's explanation.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "analyzers/analyzer.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/dsl_parser.h"
#include "query/explain.h"
#include "query/searcher.h"
#include "small_shard.h"

using namespace sift;

namespace {

using Settings = std::map<std::string, std::string>;

// One segment, four docs (doc ids 0..3 in this order), the same text in every text field.
const char* const kTexts[] = {"apple banana", "apple apple cherry", "banana cherry date egg", "apple"};

struct SimShard {
  std::string dir;
  index::Mapping mapping;
  std::unique_ptr<index::Shard> shard;

  explicit SimShard(const Settings& settings) {
    char tmpl[] = "/tmp/sift_similarity_XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto m = index::parse_mapping(R"({"properties":{"plain":{"type":"text"},)"
                                  R"("tuned":{"type":"text","similarity":"tuned"},)"
                                  R"("legacy":{"type":"text","similarity":"legacy"},)"
                                  R"("flat":{"type":"text","similarity":"boolean"},)"
                                  R"("bm25":{"type":"text","similarity":"BM25"},)"
                                  R"("kw":{"type":"keyword","similarity":"boolean"}}})");
    REQUIRE(m.is_ok());
    mapping = std::move(m).value();
    Status bound = index::bind_similarities(settings, &mapping);
    REQUIRE(bound.is_ok());
    shard = test::open_test_shard(dir, &mapping);
    int i = 0;
    for (const char* text : kTexts) {
      std::string t(text);
      std::string src = R"({"plain":")" + t + R"(","tuned":")" + t + R"(","legacy":")" + t + R"(","flat":")" + t +
                        R"(","bm25":")" + t + R"(","kw":"x"})";
      test::write_doc(*shard, mapping, std::to_string(i++), src);
    }
    REQUIRE(shard->refresh().is_ok());
  }
  ~SimShard() {
    shard.reset();
    std::filesystem::remove_all(dir);
  }

  // doc -> score, from the block scorers (when the shape is covered) and from the evaluator; both
  // must agree bit for bit.
  std::map<uint32_t, float> scores(const std::string& json) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto snap = shard->snapshot();
    query::ShardSearchOptions o;
    o.top_n = 10;
    o.track_total_hits = INT64_MAX;
    auto fast = query::search_shard(*snap, mapping, q->get(), o);
    o.exhaustive = true;
    auto slow = query::search_shard(*snap, mapping, q->get(), o);
    REQUIRE(fast.is_ok());
    REQUIRE(slow.is_ok());
    std::map<uint32_t, float> out, oracle;
    for (const auto& h : fast->top) out[h.doc] = h.score;
    for (const auto& h : slow->top) oracle[h.doc] = h.score;
    CHECK(out == oracle);
    return out;
  }

  query::Explanation explain(const std::string& json, uint32_t doc) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto snap = shard->snapshot();
    auto e = query::explain_document(*snap, mapping, q->get(), nullptr, 0, doc);
    REQUIRE(e.is_ok());
    return std::move(e).value();
  }
};

// Textbook BM25 in double: idf * (k1 + 1) * tf / (tf + k1 * (1 - b + b * dl / avgdl)), without
// the (k1 + 1) factor for Lucene's BM25Similarity.
double textbook(double n, double big_n, double freq, double dl, double avgdl, double k1, double b, bool legacy) {
  double idf = std::log(1 + (big_n - n + 0.5) / (n + 0.5));
  double tf = freq / (freq + k1 * (1 - b + b * dl / avgdl));
  return idf * tf * (legacy ? k1 + 1 : 1);
}

bool near(float got, double want) { return std::fabs(got - want) <= 1e-5 * std::fabs(want) + 1e-6; }

const Settings kSettings = {{"index.similarity.tuned.type", "BM25"},
                            {"index.similarity.tuned.k1", "2.0"},
                            {"index.similarity.tuned.b", "0.2"},
                            {"index.similarity.legacy.type", "LegacyBM25"}};

// Searches the first explanation node (depth first) whose description starts with `prefix`.
const query::Explanation* find_node(const query::Explanation& e, const std::string& prefix) {
  if (e.description.rfind(prefix, 0) == 0) return &e;
  for (const auto& d : e.details) {
    if (const auto* f = find_node(d, prefix)) return f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("each similarity scores a term by its formula", "[similarity]") {
  SimShard s(kSettings);
  // "apple": in docs 0 (freq 1, length 2), 1 (freq 2, length 3), 3 (freq 1, length 1); avgdl 2.5.
  struct Doc {
    uint32_t id;
    double freq, dl;
  };
  const Doc docs[] = {{0, 1, 2}, {1, 2, 3}, {3, 1, 1}};
  auto plain = s.scores(R"({"term":{"plain":"apple"}})");
  auto bm25 = s.scores(R"({"term":{"bm25":"apple"}})");
  auto tuned = s.scores(R"({"term":{"tuned":"apple"}})");
  auto legacy = s.scores(R"({"term":{"legacy":"apple"}})");
  auto flat = s.scores(R"({"term":{"flat":{"value":"apple","boost":3}}})");
  REQUIRE(plain.size() == 3);
  REQUIRE(tuned.size() == 3);
  REQUIRE(legacy.size() == 3);
  REQUIRE(flat.size() == 3);
  for (const Doc& d : docs) {
    INFO("doc " << d.id);
    CHECK(near(plain[d.id], textbook(3, 4, d.freq, d.dl, 2.5, 1.2, 0.75, false)));
    CHECK(bm25[d.id] == plain[d.id]);
    CHECK(near(tuned[d.id], textbook(3, 4, d.freq, d.dl, 2.5, 2.0, 0.2, false)));
    CHECK(near(legacy[d.id], textbook(3, 4, d.freq, d.dl, 2.5, 1.2, 0.75, true)));
    CHECK(legacy[d.id] == Approx(plain[d.id] * 2.2f).epsilon(1e-6));
    CHECK(flat[d.id] == 3.0f);  // the boost, whatever the freq and length
  }
  // A keyword field with the boolean similarity.
  auto kw = s.scores(R"({"term":{"kw":{"value":"x","boost":2.5}}})");
  REQUIRE(kw.size() == 4);
  for (const auto& [doc, score] : kw) CHECK(score == 2.5f);
}

TEST_CASE("boolean similarity sums one boost per matching term; phrases score their boost", "[similarity]") {
  SimShard s(kSettings);
  auto m = s.scores(R"({"match":{"flat":"apple banana cherry"}})");
  CHECK(m[0] == 2.0f);  // apple, banana
  CHECK(m[1] == 2.0f);  // apple (twice: still one), cherry
  CHECK(m[2] == 2.0f);  // banana, cherry
  CHECK(m[3] == 1.0f);
  auto p = s.scores(R"({"match_phrase":{"flat":{"query":"apple banana","boost":4}}})");
  REQUIRE(p.size() == 1);
  CHECK(p[0] == 4.0f);
  auto conj = s.scores(R"({"bool":{"must":[{"term":{"flat":"apple"}},{"term":{"tuned":"apple"}}]}})");
  REQUIRE(conj.size() == 3);
  auto tuned = s.scores(R"({"term":{"tuned":"apple"}})");
  for (const auto& [doc, score] : conj) CHECK(score == 1.0f + tuned[doc]);
}

TEST_CASE("LegacyBM25 phrases weigh the summed idf by (k1 + 1)", "[similarity]") {
  SimShard s(kSettings);
  auto legacy = s.scores(R"({"match_phrase":{"legacy":"apple banana"}})");
  auto plain = s.scores(R"({"match_phrase":{"plain":"apple banana"}})");
  REQUIRE(legacy.size() == 1);
  REQUIRE(plain.size() == 1);
  // apple n=3, banana n=2 of N=4; doc 0 has the phrase once in 2 tokens.
  double idf = std::log(1 + 1.5 / 3.5) + std::log(1 + 2.5 / 2.5);
  double tf = 1 / (1 + 1.2 * (0.25 + 0.75 * 2 / 2.5));
  CHECK(near(plain[0], idf * tf));
  CHECK(near(legacy[0], idf * tf * 2.2));
}

TEST_CASE("index.similarity.default redefines the index default", "[similarity]") {
  Settings settings = kSettings;
  settings["index.similarity.default.type"] = "boolean";
  SimShard s(settings);
  for (const auto& [doc, score] : s.scores(R"({"term":{"plain":"apple"}})")) CHECK(score == 1.0f);
  // An explicit BM25 keeps BM25; a named similarity keeps its own.
  auto bm25 = s.scores(R"({"term":{"bm25":"apple"}})");
  CHECK(near(bm25[0], textbook(3, 4, 1, 2, 2.5, 1.2, 0.75, false)));
  auto tuned = s.scores(R"({"term":{"tuned":"apple"}})");
  CHECK(near(tuned[0], textbook(3, 4, 1, 2, 2.5, 2.0, 0.2, false)));
  CHECK(s.mapping.similarity("_id").kind == index::SimilarityKind::kBoolean);
  CHECK(s.mapping.similarity("unmapped").kind == index::SimilarityKind::kBoolean);
}

TEST_CASE("explanations show the field's similarity", "[similarity]") {
  SimShard s(kSettings);
  SECTION("BM25 with custom k1 and b") {
    auto e = s.explain(R"({"term":{"tuned":"apple"}})", 1);
    REQUIRE(e.match);
    CHECK(e.value == s.scores(R"({"term":{"tuned":"apple"}})")[1]);
    const auto* k1 = find_node(e, "k1, term saturation parameter");
    const auto* b = find_node(e, "b, length normalization parameter");
    REQUIRE(k1 != nullptr);
    REQUIRE(b != nullptr);
    CHECK(k1->value == 2.0f);
    CHECK(b->value == 0.2f);
    CHECK(find_node(e, "boost") == nullptr);  // boost 1 is not shown
  }
  SECTION("LegacyBM25 shows boost * (k1 + 1)") {
    auto e = s.explain(R"({"term":{"legacy":"apple"}})", 0);
    REQUIRE(e.match);
    CHECK(e.value == s.scores(R"({"term":{"legacy":"apple"}})")[0]);
    const auto* boost = find_node(e, "boost");
    REQUIRE(boost != nullptr);
    CHECK(boost->value == 2.2f);
    auto boosted = s.explain(R"({"match":{"legacy":{"query":"apple","boost":2}}})", 0);
    REQUIRE(find_node(boosted, "boost") != nullptr);
    CHECK(find_node(boosted, "boost")->value == 4.4f);
  }
  SECTION("boolean as Lucene's BooleanSimilarity") {
    auto e = s.explain(R"({"term":{"flat":{"value":"cherry","boost":1.5}}})", 2);
    REQUIRE(e.match);
    CHECK(e.value == 1.5f);
    CHECK(e.description == "weight(flat:cherry in 2) [PerFieldSimilarity], result of:");
    REQUIRE(e.details.size() == 1);
    CHECK(e.details[0].description == "score(BooleanWeight), computed from:");
    CHECK(e.details[0].value == 1.5f);
    REQUIRE(e.details[0].details.size() == 1);
    CHECK(e.details[0].details[0].description == "boost, query boost");
    auto phrase = s.explain(R"({"match_phrase":{"flat":"apple banana"}})", 0);
    REQUIRE(phrase.match);
    CHECK(phrase.value == 1.0f);
    CHECK(find_node(phrase, "score(BooleanWeight)") != nullptr);
  }
}
