#include <catch2/catch.hpp>

#include "index/mapping.h"
#include "query/dsl_parser.h"
#include "query/query_text.h"

using namespace sift;

namespace {

std::string text_of(const std::string& query_json) {
  auto mapping = index::parse_mapping(
      R"({"properties":{"title":{"type":"text"},"tag":{"type":"keyword"},"n":{"type":"long"},"ok":{"type":"boolean"}}})");
  REQUIRE(mapping.is_ok());
  auto q = query::parse_query(query_json);
  REQUIRE(q.is_ok());
  auto t = query::query_to_text(**q, *mapping);
  if (!t.is_ok()) return "ERROR " + t.status().type() + ": " + t.status().reason();
  return *t;
}

}  // namespace

TEST_CASE("queries render as Lucene's toString", "[query_text]") {
  CHECK(text_of(R"({"match_all":{}})") == "*:*");
  CHECK(text_of(R"({"term":{"tag":"a"}})") == "tag:a");
  CHECK(text_of(R"({"term":{"n":5}})") == "n:[5 TO 5]");
  CHECK(text_of(R"({"term":{"ok":true}})") == "ok:T");
  CHECK(text_of(R"({"match":{"title":"The Quick Fox"}})") == "title:the title:quick title:fox");
  CHECK(text_of(R"({"match":{"title":{"query":"quick fox","operator":"and"}}})") == "+title:quick +title:fox");
  CHECK(text_of(R"({"match":{"title":{"query":"a b c","minimum_should_match":2}}})") == "(title:a title:b title:c)~2");
  CHECK(text_of(R"({"match":{"title":{"query":"quick","boost":2}}})") == "(title:quick)^2.0");
  CHECK(text_of(R"({"match_phrase":{"title":{"query":"quick fox","slop":1}}})") == "title:\"quick fox\"~1");
  CHECK(text_of(R"({"prefix":{"tag":"ab"}})") == "tag:ab*");
  CHECK(text_of(R"({"range":{"n":{"gt":1,"lte":9}}})") == "n:{1 TO 9]");
  CHECK(text_of(R"({"range":{"n":{"gte":1}}})") == "n:[1 TO *]");
  CHECK(text_of(R"({"exists":{"field":"tag"}})") == "FieldExistsQuery [field=tag]");
  CHECK(text_of(R"({"constant_score":{"filter":{"term":{"tag":"a"}}}})") == "ConstantScore(tag:a)");
  CHECK(text_of(R"({"dis_max":{"queries":[{"term":{"tag":"a"}},{"term":{"tag":"b"}}],"tie_breaker":0.5}})") ==
        "(tag:a | tag:b)~0.5");
}

TEST_CASE("boolean queries use Lucene's occur prefixes and parenthesise nested ones", "[query_text]") {
  CHECK(text_of(R"({"bool":{"must":[{"term":{"tag":"a"}}],"filter":[{"term":{"tag":"b"}}],
                    "should":[{"term":{"tag":"c"}}],"must_not":[{"term":{"tag":"d"}}]}})") ==
        "+tag:a #tag:b tag:c -tag:d");
  CHECK(text_of(R"({"bool":{"must":[{"bool":{"should":[{"term":{"tag":"a"}},{"term":{"tag":"b"}}]}}]}})") ==
        "+(tag:a tag:b)");
  CHECK(text_of(R"({"bool":{"must_not":[{"term":{"tag":"d"}}]}})") == "-tag:d #*:*");
  CHECK(text_of(R"({"bool":{}})") == "*:*");
  CHECK(text_of(R"({"bool":{"should":[{"term":{"tag":"a"}},{"term":{"tag":"b"}}],"minimum_should_match":1}})") ==
        "(tag:a tag:b)~1");
}

TEST_CASE("query_string binds to concrete fields; values the mapping refuses are errors", "[query_text]") {
  CHECK(text_of(R"({"query_string":{"query":"title:Quick AND tag:x"}})") == "+title:quick +tag:x");
  CHECK(text_of(R"({"term":{"n":"abc"}})").rfind("ERROR query_shard_exception", 0) == 0);
  CHECK(text_of(R"({"match":{"n":"abc"}})").rfind("ERROR", 0) == 0);
  CHECK(text_of(R"({"match":{"n":{"query":"abc","lenient":true}}})").rfind("MatchNoDocsQuery", 0) == 0);
}
