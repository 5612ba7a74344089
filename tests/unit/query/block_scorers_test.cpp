// The block scorers (weight.h) against the exhaustive evaluator, the oracle: for random queries
// of every covered shape over a multi-segment shard with deletions, the top-k must be a true
// top-k (each hit's score is the oracle's score for that doc, rank by rank the scores agree), and
// the count must be exact while track_total_hits asks for it and a valid lower bound after.
// Every query runs over text fields of each similarity (BM25 with the default and with custom k1/b,
// LegacyBM25, boolean), which the scorers must honour exactly as the evaluator does.
// Randomized; prints its seed (SIFT_TEST_SEED replays).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "analyzers/registry.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/dsl_parser.h"
#include "query/searcher.h"

using namespace sift;

namespace {

uint64_t test_seed() {
  const char* env = std::getenv("SIFT_TEST_SEED");
  uint64_t seed = env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::cout << "block_scorers_test seed: " << seed << std::endl;
  return seed;
}

bool close(float a, float b) { return std::fabs(a - b) <= 1e-5f * std::max(std::fabs(a), std::fabs(b)) + 1e-7f; }

struct Fixture {
  std::string dir;
  index::Mapping mapping;
  std::unique_ptr<index::Shard> shard;
  std::vector<std::vector<std::string>> texts;  // body tokens of every doc written
  std::vector<std::string> vocab;

  explicit Fixture(std::mt19937_64& rng) {
    char tmpl[] = "/tmp/sift_block_scorers_XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto m = index::parse_mapping(R"({"properties":{"body":{"type":"text"},"tag":{"type":"keyword"},)"
                                  R"("body_tuned":{"type":"text","similarity":"tuned"},)"
                                  R"("body_legacy":{"type":"text","similarity":"legacy"},)"
                                  R"("body_bool":{"type":"text","similarity":"boolean"}}})");
    REQUIRE(m.is_ok());
    mapping = std::move(m).value();
    REQUIRE(index::bind_similarities({{"index.similarity.tuned.type", "BM25"},
                                      {"index.similarity.tuned.k1", "0.6"},
                                      {"index.similarity.tuned.b", "0.3"},
                                      {"index.similarity.legacy.type", "LegacyBM25"},
                                      {"index.similarity.legacy.k1", "1.7"}},
                                     &mapping)
                .is_ok());
    for (int i = 0; i < 60; ++i) vocab.push_back("w" + std::to_string(i));
    auto s = index::Shard::open(dir, 1, [this](std::string_view id, std::string_view src) { return parse(id, src); });
    REQUIRE(s.is_ok());
    shard = std::move(s).value();
    // Three segments; later ones overwrite some earlier ids (deletions).
    uint32_t next_id = 0;
    for (int seg = 0; seg < 3; ++seg) {
      const int n = seg == 0 ? 4000 : 1500;
      for (int k = 0; k < n; ++k) {
        std::string id = std::to_string(seg > 0 && rng() % 4 == 0 ? rng() % next_id : next_id++);
        add(rng, id);
      }
      REQUIRE(shard->refresh().is_ok());
    }
  }
  ~Fixture() {
    shard.reset();
    std::filesystem::remove_all(dir);
  }

  Result<index::ParsedDocument> parse(std::string_view id, std::string_view src) {
    auto out = index::parse_document(src, id, mapping);
    if (!out.is_ok()) return std::move(out).take_status();
    return std::move(out->doc);
  }

  void add(std::mt19937_64& rng, const std::string& id) {
    // Zipf-like word choice; lengths from 1 to ~120 so norms vary.
    std::vector<std::string> words;
    size_t len = 1 + rng() % (rng() % 5 == 0 ? 120 : 25);
    for (size_t i = 0; i < len; ++i) {
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      words.push_back(vocab[static_cast<size_t>(std::pow(u, 2.5) * static_cast<double>(vocab.size()))]);
    }
    std::string body;
    for (const auto& w : words) body += (body.empty() ? "" : " ") + w;
    std::string src = R"({"body":")" + body + R"(","body_tuned":")" + body + R"(","body_legacy":")" + body +
                      R"(","body_bool":")" + body + R"(","tag":")" + (rng() % 3 == 0 ? "a" : "b") + R"("})";
    texts.push_back(words);
    auto doc = parse(id, src);
    REQUIRE(doc.is_ok());
    index::WriteOp op;
    op.id = id;
    op.source = src;
    op.parsed = &*doc;
    REQUIRE(shard->apply(op).is_ok());
  }

  std::string word(std::mt19937_64& rng) const { return vocab[rng() % (rng() % 2 ? 8 : vocab.size())]; }
  // A phrase that occurs: two or three consecutive words of a written doc.
  std::string phrase(std::mt19937_64& rng) const {
    const auto& t = texts[rng() % texts.size()];
    size_t n = std::min<size_t>(t.size(), 2 + rng() % 2);
    size_t at = rng() % (t.size() - n + 1);
    std::string out;
    for (size_t i = 0; i < n; ++i) out += (i ? " " : "") + t[at + i];
    return out;
  }
};

std::string random_query(std::mt19937_64& rng, const Fixture& f) {
  auto term = [&] { return R"({"term":{"body":")" + f.word(rng) + R"("}})"; };
  auto words = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += (i ? " " : "") + f.word(rng);
    return s;
  };
  auto clause = [&]() -> std::string {
    switch (rng() % 3) {
      case 0: return term();
      case 1: return R"({"match_phrase":{"body":")" + f.phrase(rng) + R"("}})";
      default: return R"({"match":{"body":")" + f.word(rng) + R"("}})";
    }
  };
  switch (rng() % 7) {
    case 0: return term();
    case 1: return R"({"match":{"body":")" + words(2 + rng() % 4) + R"("}})";
    case 2: return R"({"match":{"body":{"query":")" + words(2 + rng() % 2) + R"(","operator":"and"}}})";
    case 3: return R"({"match_phrase":{"body":")" + f.phrase(rng) + R"("}})";
    case 4: {
      std::string s = R"({"bool":{"should":[)";
      size_t n = 2 + rng() % 5;
      for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + term();
      s += "]";
      if (rng() % 2) s += R"(,"must_not":[)" + term() + "]";
      return s + "}}";
    }
    case 5: {
      std::string s = R"({"bool":{"must":[)";
      size_t n = 1 + rng() % 3;
      for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + clause();
      s += "]";
      if (rng() % 2) s += R"(,"filter":[{"term":{"tag":")" + std::string(rng() % 2 ? "a" : "b") + R"("}}])";
      if (rng() % 2) s += R"(,"must_not":[)" + clause() + "]";
      return s + "}}";
    }
    default: return R"({"match":{"body":")" + words(6 + rng() % 6) + R"("}})";
  }
}

const char* const kBodyFields[] = {"body", "body_tuned", "body_legacy", "body_bool"};

// The query with each clause's field drawn from the body fields (mixed similarities in one query).
std::string on_random_fields(std::mt19937_64& rng, std::string json) {
  const std::string key = R"({"body":)";
  for (size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
    json.replace(at, key.size(), std::string(R"({")") + kBodyFields[rng() % 4] + R"(":)");
  }
  return json;
}

std::string on_field(std::string json, const std::string& field) {
  const std::string key = R"({"body":)";
  for (size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
    json.replace(at, key.size(), R"({")" + field + R"(":)");
  }
  return json;
}

}  // namespace

TEST_CASE("block scorers return the oracle's top-k and counts", "[block_scorers]") {
  uint64_t seed = test_seed();
  std::mt19937_64 rng(seed);
  Fixture f(rng);
  auto snap = f.shard->snapshot();
  REQUIRE(snap->segments.size() >= 3);
  REQUIRE(snap->num_deleted > 0);

  for (int round = 0; round < 150; ++round) {
    std::string json = random_query(rng, f);
    json = rng() % 2 ? on_random_fields(rng, json) : on_field(json, kBodyFields[rng() % 4]);
    INFO("seed " << seed << " query " << json);
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());

    query::ShardSearchOptions all;
    all.exhaustive = true;
    all.top_n = 100000;
    all.track_total_hits = INT64_MAX;
    auto oracle = query::search_shard(*snap, f.mapping, q->get(), all);
    REQUIRE(oracle.is_ok());
    std::map<std::pair<uint32_t, uint32_t>, float> score_of;
    for (const auto& h : oracle->top) score_of[{h.segment, h.doc}] = h.score;
    const uint64_t true_total = oracle->total_hits;

    struct Mode {
      size_t k;
      int64_t track;
    };
    for (Mode m : {Mode{10, INT64_MAX}, Mode{10, 10}, Mode{1, 0}, Mode{100, 1000}, Mode{0, INT64_MAX}, Mode{0, 50}}) {
      INFO("k " << m.k << " track " << m.track);
      query::ShardSearchOptions o;
      o.top_n = m.k;
      o.track_total_hits = m.track;
      auto got = query::search_shard(*snap, f.mapping, q->get(), o);
      REQUIRE(got.is_ok());
      if (static_cast<uint64_t>(m.track) >= true_total) {
        CHECK(got->total_hits == true_total);
      } else {
        CHECK(got->total_hits > static_cast<uint64_t>(m.track));
        CHECK(got->total_hits <= true_total);
      }
      REQUIRE(got->top.size() == std::min<size_t>(m.k, true_total));
      for (size_t i = 0; i < got->top.size(); ++i) {
        const auto& h = got->top[i];
        auto it = score_of.find({h.segment, h.doc});
        REQUIRE(it != score_of.end());                  // a real match
        CHECK(close(h.score, it->second));              // with its real score
        CHECK(close(h.score, oracle->top[i].score));    // and a true top-k score at its rank
      }
      if (m.k > 0 && !got->top.empty()) CHECK(close(got->max_score, oracle->max_score));
    }
  }
}

TEST_CASE("conjunction and single-term scores equal the evaluator's bit for bit", "[block_scorers]") {
  std::mt19937_64 rng(12345);
  Fixture f(rng);
  auto snap = f.shard->snapshot();
  const char* const queries[] = {R"({"term":{"body":"w3"}})", R"({"match_phrase":{"body":"w0 w1"}})",
                                 R"({"bool":{"must":[{"term":{"body":"w0"}},{"match_phrase":{"body":"w1 w0"}}],)"
                                 R"("filter":[{"term":{"tag":"a"}}],"must_not":[{"term":{"body":"w2"}}]}})",
                                 R"({"match":{"body":{"query":"w0 w4","operator":"and"}}})"};
  std::map<std::string, float> best_of_field;  // the similarities must actually differ
  for (const char* field : kBodyFields) {
    for (const char* body_json : queries) {
      std::string json = on_field(body_json, field);
      INFO(json);
      auto q = query::parse_query(json);
      REQUIRE(q.is_ok());
      query::ShardSearchOptions o;
      o.top_n = 50;
      o.track_total_hits = INT64_MAX;
      auto fast = query::search_shard(*snap, f.mapping, q->get(), o);
      o.exhaustive = true;
      auto slow = query::search_shard(*snap, f.mapping, q->get(), o);
      REQUIRE(fast.is_ok());
      REQUIRE(slow.is_ok());
      CHECK(fast->total_hits == slow->total_hits);
      CHECK(fast->total_hits > 0);
      REQUIRE(fast->top.size() == slow->top.size());
      for (size_t i = 0; i < fast->top.size(); ++i) {
        CHECK(fast->top[i].doc == slow->top[i].doc);
        CHECK(fast->top[i].segment == slow->top[i].segment);
        CHECK(fast->top[i].score == slow->top[i].score);
      }
      if (body_json == queries[0] && !fast->top.empty()) best_of_field[field] = fast->top[0].score;
    }
  }
  REQUIRE(best_of_field.size() == 4);
  CHECK(best_of_field["body_bool"] == 1.0f);
  CHECK(best_of_field["body"] != best_of_field["body_tuned"]);
  CHECK(best_of_field["body_legacy"] > best_of_field["body"]);
}
