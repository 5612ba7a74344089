#include <catch2/catch.hpp>

#include <filesystem>

#include "analyzers/registry.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/dsl_parser.h"
#include "query/search_request.h"
#include "query/searcher.h"

using namespace sift;

TEST_CASE("the DSL parser builds the query tree and rejects malformed queries", "[dsl]") {
  auto q = query::parse_query(R"({"bool":{"must":[{"term":{"user":"kimchy"}}],"filter":{"ids":{"values":["1",2]}},)"
                              R"("must_not":[{"match_none":{}}],"minimum_should_match":"75%","boost":2}})");
  REQUIRE(q.is_ok());
  auto* b = static_cast<query::BoolQuery*>(q->get());
  REQUIRE(b->kind == query::Query::Kind::kBool);
  CHECK(b->boost == 2.0f);
  CHECK(b->must.size() == 1);
  CHECK(b->filter.size() == 1);
  CHECK(static_cast<query::IdsQuery*>(b->filter[0].get())->ids == std::vector<std::string>{"1", "2"});
  CHECK(b->minimum_should_match == "75%");

  auto unknown = query::parse_query(R"({"nope":{}})");
  REQUIRE_FALSE(unknown.is_ok());
  CHECK(unknown.status().reason() == "unknown query [nope]");
  auto two = query::parse_query(R"({"term":{"a":"x","b":"y"}})");
  REQUIRE_FALSE(two.is_ok());
  CHECK(two.status().type() == "parsing_exception");

  std::string deep;
  for (int i = 0; i < 150; ++i) deep += R"({"bool":{"must":)";
  deep += R"({"match_all":{}})";
  for (int i = 0; i < 150; ++i) deep += "}}";
  auto too_deep = query::parse_query(deep);
  REQUIRE_FALSE(too_deep.is_ok());
  CHECK(too_deep.status().reason().find("deeper than the limit") != std::string::npos);

  std::string many = R"({"bool":{"should":[)";
  for (int i = 0; i < 1025; ++i) many += std::string(i ? "," : "") + R"({"term":{"a":"x"}})";
  many += "]}}";
  auto too_many = query::parse_query(many);
  REQUIRE_FALSE(too_many.is_ok());
  CHECK(too_many.status().type() == "too_many_clauses");
}

TEST_CASE("search requests parse from, size, sort, _source and track_total_hits", "[dsl]") {
  auto r = query::parse_search_request(
      R"({"from":5,"size":3,"sort":[{"_doc":"desc"}],"_source":{"includes":["a*"]},"track_total_hits":false})", false);
  REQUIRE(r.is_ok());
  CHECK(r->from == 5);
  CHECK(r->size == 3);
  REQUIRE(r->sort.size() == 1);
  CHECK(r->sort[0].field == "_doc");
  CHECK(r->sort[0].descending);
  CHECK(r->source.includes == std::vector<std::string>{"a*"});
  CHECK(r->track_total_hits == -1);
  auto bad = query::parse_search_request(R"({"query":{"match_all":{}},"frm":1})", false);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().type() == "parsing_exception");
  auto count_only = query::parse_search_request(R"({"size":1})", true);
  CHECK_FALSE(count_only.is_ok());
}

namespace {
index::Mapping keyword_mapping() {
  auto m = index::parse_mapping(R"({"properties":{"tag":{"type":"keyword"},"n":{"type":"long"}}})");
  REQUIRE(m.is_ok());
  return std::move(m).value();
}
}  // namespace

TEST_CASE("the shard searcher matches, scores with BM25 and skips deleted documents", "[searcher]") {
  char tmpl[] = "/tmp/sift_query_test_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  index::Mapping mapping = keyword_mapping();
  auto parse = [&](std::string_view id, std::string_view source) -> Result<index::ParsedDocument> {
    auto out = index::parse_document(source, id, mapping);
    if (!out.is_ok()) return std::move(out).take_status();
    return std::move(out->doc);
  };
  auto shard = index::Shard::open(dir, 1, parse);
  REQUIRE(shard.is_ok());
  auto add = [&](const std::string& id, const std::string& src) {
    auto doc = parse(id, src);
    REQUIRE(doc.is_ok());
    index::WriteOp op;
    op.id = id;
    op.source = src;
    op.parsed = &*doc;
    REQUIRE((*shard)->apply(op).is_ok());
  };
  add("1", R"({"tag":"red","n":1})");
  add("2", R"({"tag":"blue","n":2})");
  add("3", R"({"tag":"red","n":3})");
  REQUIRE((*shard)->refresh().is_ok());
  add("4", R"({"tag":"red","n":4})");
  add("3", R"({"tag":"green","n":3})");  // replaces doc 3: the old one is deleted
  REQUIRE((*shard)->refresh().is_ok());
  auto snap = (*shard)->snapshot();

  auto run = [&](const char* json, query::ShardSearchOptions opts = {}) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto r = query::search_shard(*snap, mapping, q->get(), opts);
    REQUIRE(r.is_ok());
    return std::move(r).value();
  };
  auto red = run(R"({"term":{"tag":"red"}})");
  CHECK(red.total_hits == 2);
  // BM25 for a keyword term, as Lucene 8: idf = ln(1 + (N - n + 0.5) / (n + 0.5)) with the shard's
  // doc count N=5 (deleted docs still count) and doc freq n=3, tf part 1 / (1 + k1) for length 1.
  float idf = static_cast<float>(std::log(1 + (5 - 3 + 0.5) / (3 + 0.5)));
  CHECK(red.max_score == Approx(idf - idf / (1 + 1 / 1.2f)).epsilon(1e-6));
  auto by_number = run(R"({"term":{"n":2}})");
  REQUIRE(by_number.top.size() == 1);
  CHECK(run(R"({"bool":{"must_not":{"term":{"tag":"red"}}}})").total_hits == 2);
  CHECK(run(R"({"bool":{"should":[{"term":{"tag":"red"}},{"term":{"tag":"green"}}],"minimum_should_match":1}})").total_hits == 3);
  CHECK(run(R"({"ids":{"values":["1","3","9"]}})").total_hits == 2);
  CHECK(run(R"({"term":{"missing_field":"x"}})").total_hits == 0);
  query::ShardSearchOptions first_two;
  first_two.top_n = 2;
  first_two.by_doc = true;
  auto all = run(R"({"match_all":{}})", first_two);
  CHECK(all.total_hits == 4);
  REQUIRE(all.top.size() == 2);
  CHECK(all.top[0].segment == 0);
  auto bad = query::parse_query(R"({"term":{"n":"abc"}})");
  REQUIRE(bad.is_ok());
  CHECK_FALSE(query::search_shard(*snap, mapping, bad->get(), {}).is_ok());
  shard->reset();
  std::filesystem::remove_all(dir);
}

#include "query/query_string.h"

namespace {
std::string occurs(const query::QsNode& g) {
  std::string out;
  for (const auto& c : g.children) {
    out += c->occur == query::QsNode::Occur::kMust      ? '+'
           : c->occur == query::QsNode::Occur::kMustNot ? '-'
           : c->occur == query::QsNode::Occur::kShould  ? '?'
                                                        : 'd';
  }
  return out;
}
}  // namespace

TEST_CASE("query_string parses Lucene's syntax with its occur rules", "[query_string]") {
  auto q = query::parse_query_string("a AND b OR c -d +e f NOT g");
  REQUIRE(q.is_ok());
  // AND makes both sides required; OR leaves both optional; bare terms take the default operator.
  CHECK(occurs(**q) == "++?-+d-");
  auto fields = query::parse_query_string(R"(title:"quick fox"~2 status:[400 TO 499} n:>=5 host:web* (x y)^2)");
  REQUIRE(fields.is_ok());
  const auto& c = (*fields)->children;
  REQUIRE(c.size() == 5);
  CHECK(c[0]->kind == query::QsNode::Kind::kPhrase);
  CHECK(c[0]->slop == 2);
  CHECK(c[1]->kind == query::QsNode::Kind::kRange);
  CHECK(c[1]->include_lower);
  CHECK_FALSE(c[1]->include_upper);
  CHECK(c[2]->lower == "5");
  CHECK(c[2]->upper == "*");
  CHECK(c[3]->has_wildcard);
  CHECK(c[4]->kind == query::QsNode::Kind::kGroup);
  CHECK(c[4]->boost == 2.0f);
  CHECK(query::parse_query_string(R"(a\:b)").value()->children[0]->text == "a:b");
  CHECK_FALSE(query::parse_query_string("(a b").is_ok());
  CHECK_FALSE(query::parse_query_string("\"open").is_ok());
  CHECK(query::parse_query_string("a~").value()->children[0]->fuzzy);  // a fuzzy term (fuzzy_query_test.cpp)
  std::string deep(200, '(');
  CHECK_FALSE(query::parse_query_string(deep + "a" + std::string(200, ')')).is_ok());
}
