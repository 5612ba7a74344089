// match / match_phrase over a search analyzer with synonym_graph rules (query/text_query_builder.h):
// hits and scores equal Lucene 8.7's QueryBuilder queries (synonym_query_cases.inc, recorded by
// bench/lucene_oracles/SynonymQueryCheck.java), on every path (top-k, count, explain, multi_match);
// the built query shapes; highlighting of synonym matches.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>

#include "analyzers/registry.h"
#include "query/dsl_parser.h"
#include "query/explain.h"
#include "query/highlight.h"
#include "query/query_text.h"
#include "query/searcher.h"
#include "query/text_query_builder.h"
#include "small_shard.h"

using namespace sift;

namespace {

struct OracleCase {
  const char* type;
  const char* text;
  bool and_operator;
  const char* msm;
  bool auto_phrase;
  int slop;
  const char* lucene_query;  // Lucene's rewritten query (for reading failures)
  const char* explain;       // the top hit's explanation description ("in DOC")
  std::vector<std::pair<const char*, float>> hits;
};

const OracleCase kCases[] = {
#include "synonym_query_cases.inc"
};

const char* kDocs[] = {
    "new york city has the best pizza",
    "nyc pizza is famous",
    "i watched tv all day",
    "the television was loud in new york",
    "a quick brown fox",
    "a fast car and a speedy boat",
    "free wifi in nyc",
    "wi fi hotspots in new york city and nyc",
    "pizza in new york",
    "the city of york is old and new",
    "fast tv fast",
    "quick tv reviews on television",
    "best pizza in new york city new york city pizza",
    "speedy wifi and fast wi fi",
};

bool close(float a, float b) { return std::fabs(a - b) <= 1e-5f * std::max(std::fabs(a), std::fabs(b)) + 1e-7f; }

struct SynonymShard {
  std::string dir;
  index::Mapping mapping;
  std::unique_ptr<index::Shard> shard;

  SynonymShard() {
    char tmpl[] = "/tmp/sift_synonym_shard_XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto registry = analysis::AnalyzerRegistry::from_settings({
        {"index.analysis.filter.syn.type", "synonym_graph"},
        {"index.analysis.filter.syn.synonyms.0", "nyc, new york city"},
        {"index.analysis.filter.syn.synonyms.1", "tv, television"},
        {"index.analysis.filter.syn.synonyms.2", "quick, fast, speedy"},
        {"index.analysis.filter.syn.synonyms.3", "wifi, wi fi"},
        {"index.analysis.analyzer.syn_search.type", "custom"},
        {"index.analysis.analyzer.syn_search.tokenizer", "standard"},
        {"index.analysis.analyzer.syn_search.filter.0", "lowercase"},
        {"index.analysis.analyzer.syn_search.filter.1", "syn"},
    });
    REQUIRE(registry.is_ok());
    auto m = index::parse_mapping(
        R"({"properties":{"body":{"type":"text","search_analyzer":"syn_search"},"title":{"type":"text"}}})");
    REQUIRE(m.is_ok());
    mapping = std::move(m).value();
    REQUIRE(mapping.bind_analysis(*registry).is_ok());
    shard = test::open_test_shard(dir, &mapping);
    for (size_t i = 0; i < std::size(kDocs); ++i) {
      test::write_doc(*shard, mapping, std::to_string(i),
                      std::string(R"({"body":")") + kDocs[i] + R"(","title":"plain"})");
    }
    REQUIRE(shard->refresh().is_ok());
  }
  ~SynonymShard() {
    shard.reset();
    std::filesystem::remove_all(dir);
  }
};

std::string case_json(const OracleCase& c) {
  std::string body = std::string(R"({"query":")") + c.text + "\"";
  if (std::string(c.type) == "match") {
    if (c.and_operator) body += R"(,"operator":"and")";
    if (*c.msm) body += std::string(R"(,"minimum_should_match":")") + c.msm + "\"";
    if (!c.auto_phrase) body += R"(,"auto_generate_synonyms_phrase_query":false)";
  } else if (c.slop != 0) {
    body += R"(,"slop":)" + std::to_string(c.slop);
  }
  return std::string("{\"") + c.type + R"(":{"body":)" + body + "}}}";
}

std::string doc_id(const index::ShardSnapshot& snap, const query::ShardHit& h) {
  index::StoredDocument d;
  REQUIRE(snap.segments[h.segment].reader->stored(h.doc, &d).is_ok());
  return d.meta.id;
}

query::ShardSearchResult run(const index::ShardSnapshot& snap, const index::Mapping& mapping, const query::Query* q,
                             size_t top_n) {
  query::ShardSearchOptions opts;
  opts.top_n = top_n;
  opts.track_total_hits = query::SearchRequest::kTrackAll;
  auto r = query::search_shard(snap, mapping, q, opts);
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("match and match_phrase with synonym_graph equal Lucene's QueryBuilder queries", "[synonym_queries]") {
  SynonymShard f;
  auto snap = f.shard->snapshot();
  for (const auto& c : kCases) {
    std::string json = case_json(c);
    INFO(json << "\nLucene: " << c.lucene_query);
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto text = query::query_to_text(**q, f.mapping);
    REQUIRE(text.is_ok());
    INFO("Sift: " << *text);
    query::ShardSearchResult r = run(*snap, f.mapping, q->get(), 100);
    REQUIRE(r.top.size() == c.hits.size());
    CHECK(r.total_hits == c.hits.size());
    for (size_t i = 0; i < c.hits.size(); ++i) {
      INFO("hit " << i);
      CHECK(doc_id(*snap, r.top[i]) == c.hits[i].first);
      CHECK(close(r.top[i].score, c.hits[i].second));
    }
    // Counting only (size 0) counts the same hits.
    CHECK(run(*snap, f.mapping, q->get(), 0).total_hits == c.hits.size());
    // Every hit explains to its score; the top one in Lucene's shape.
    for (size_t i = 0; i < r.top.size(); ++i) {
      auto e = query::explain_document(*snap, f.mapping, q->get(), nullptr, r.top[i].segment, r.top[i].doc);
      REQUIRE(e.is_ok());
      CHECK(e->match);
      CHECK(close(e->value, r.top[i].score));
      if (i == 0) {
        std::string want = c.explain;
        replace_all(want, "[BM25Similarity]", "[PerFieldSimilarity]");
        replace_all(want, " in DOC)", " in " + std::to_string(r.top[0].doc) + ")");
        CHECK(e->description == want);
      }
    }
  }
}

TEST_CASE("multi_match over a synonym field scores as its per-field match", "[synonym_queries]") {
  SynonymShard f;
  auto snap = f.shard->snapshot();
  for (const char* type : {"best_fields", "most_fields", "phrase"}) {
    INFO(type);
    bool phrase = std::string(type) == "phrase";
    auto mm = query::parse_query(std::string(R"({"multi_match":{"query":"nyc pizza","fields":["body","title"],"type":")") +
                                 type + R"("}})");
    auto single = query::parse_query(phrase ? R"({"match_phrase":{"body":"nyc pizza"}})" : R"({"match":{"body":"nyc pizza"}})");
    REQUIRE(mm.is_ok());
    REQUIRE(single.is_ok());
    auto a = run(*snap, f.mapping, mm->get(), 100), b = run(*snap, f.mapping, single->get(), 100);
    REQUIRE(a.top.size() == b.top.size());
    CHECK(a.top.size() == (phrase ? 2u : 6u));
    for (size_t i = 0; i < a.top.size(); ++i) {
      CHECK(a.top[i].doc == b.top[i].doc);
      CHECK(close(a.top[i].score, b.top[i].score));
    }
  }
}

TEST_CASE("the builder's query shapes for stacked tokens and graphs", "[synonym_queries]") {
  using Tokens = query::QueryTokens;
  query::TextQueryOptions o;
  o.field = "f";
  // Stacked tokens at one position: a SynonymQuery with the terms sorted.
  Tokens stacked = {{"tv", 0, 1}, {"television", 0, 1}};
  auto q = query::build_text_query(stacked, o);
  REQUIRE(q.is_ok());
  REQUIRE((*q)->kind == query::Query::Kind::kSynonym);
  CHECK(query::synonym_query_text(static_cast<const query::SynonymQuery&>(**q)) == "Synonym(f:television f:tv)");
  // A stop word's gap inside a multi-phrase: the slots keep their relative positions.
  Tokens gapped = {{"quick", 0, 1}, {"fast", 0, 1}, {"tv", 2, 1}};
  o.phrase = true;
  q = query::build_text_query(gapped, o);
  REQUIRE(q.is_ok());
  REQUIRE((*q)->kind == query::Query::Kind::kMultiPhrase);
  const auto& mp = static_cast<const query::MultiPhraseQuery&>(**q);
  CHECK(mp.positions == std::vector<uint32_t>{0, 2});
  CHECK(query::multi_phrase_query_text(mp) == "f:\"(quick fast) ? tv\"");
  // A graph with two segments: an ordered span near of an or and a term.
  Tokens graph = {{"new", 0, 1}, {"nyc", 0, 3}, {"york", 1, 1}, {"city", 2, 1}, {"pizza", 3, 1}};
  q = query::build_text_query(graph, o);
  REQUIRE(q.is_ok());
  REQUIRE((*q)->kind == query::Query::Kind::kSpan);
  CHECK(query::span_query_text(static_cast<const query::SpanQuery&>(**q)) ==
        "spanNear([spanOr([spanNear([f:new, f:york, f:city], 0, true), f:nyc]), f:pizza], 0, true)");
  // The same as a match with operator and: each segment required, side paths as phrases.
  o.phrase = false;
  o.and_operator = true;
  q = query::build_text_query(graph, o);
  REQUIRE(q.is_ok());
  REQUIRE((*q)->kind == query::Query::Kind::kBool);
  const auto& b = static_cast<const query::BoolQuery&>(**q);
  REQUIRE(b.must.size() == 2);
  CHECK(b.must[0]->kind == query::Query::Kind::kBool);
  CHECK(b.must[1]->kind == query::Query::Kind::kTerm);
  // Tokens that follow one another need no builder.
  CHECK_FALSE(query::needs_query_builder({{"a", 0, 1}, {"b", 1, 1}, {"c", 3, 1}}));
  CHECK(query::needs_query_builder(stacked));
  CHECK(query::needs_query_builder(graph));
}

TEST_CASE("highlighting marks synonym matches and whole multi-word synonym phrases", "[synonym_queries]") {
  SynonymShard f;
  auto hl = [&](const std::string& query_json, const std::string& value) {
    auto q = query::parse_query(query_json);
    REQUIRE(q.is_ok());
    query::ResolvedHighlight o;
    auto frags = query::highlight_field(q->get(), f.mapping, "body", {value}, o);
    return frags.empty() ? std::string() : frags[0];
  };
  const std::string nyc = R"({"match":{"body":"nyc"}})";
  CHECK(hl(nyc, "new york city has the best pizza") == "<em>new</em> <em>york</em> <em>city</em> has the best pizza");
  CHECK(hl(nyc, "nyc pizza is famous") == "<em>nyc</em> pizza is famous");
  // The words of the synonym's phrase apart are no match.
  CHECK(hl(nyc, "the city of york is old and new").empty());
  CHECK(hl(R"({"match":{"body":"tv"}})", "the television was loud") == "the <em>television</em> was loud");
  CHECK(hl(R"({"match_phrase":{"body":"quick tv"}})", "fast tv fast and quick dog") ==
        "<em>fast</em> <em>tv</em> fast and quick dog");
  CHECK(hl(R"({"match_phrase":{"body":"in nyc"}})", "pizza in new york city, not york in new") ==
        "pizza <em>in</em> <em>new</em> <em>york</em> <em>city</em>, not york in new");
  CHECK(hl(R"({"multi_match":{"query":"nyc","fields":["body"]}})", "wi fi in new york city") ==
        "wi fi in <em>new</em> <em>york</em> <em>city</em>");
}
