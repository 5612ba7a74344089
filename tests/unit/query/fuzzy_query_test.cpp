#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "analyzers/analyzer.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/dsl_parser.h"
#include "query/highlight.h"
#include "query/query_text.h"
#include "query/searcher.h"
#include "small_shard.h"
#include "query/segment_evaluator.h"

using namespace sift;

namespace {

// A shard of two segments over a text, a keyword and a long field.
class FuzzyShard {
 public:
  FuzzyShard() {
    char tmpl[] = "/tmp/sift_fuzzy_test_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto m = index::parse_mapping(
        R"({"properties":{"body":{"type":"text"},"tag":{"type":"keyword"},"low":{"type":"keyword","normalizer":"lowercase"},"n":{"type":"long"}}})");
    REQUIRE(m.is_ok());
    mapping_ = std::move(m).value();
    shard_ = test::open_test_shard(dir_, &mapping_);
    add("1", R"({"body":"quick fox","tag":"Red-Car","n":1})");
    add("2", R"({"body":"quick quick dog","tag":"blue","n":2})");
    add("3", R"({"body":"quack duck","tag":"abce","low":"mixed"})");
    REQUIRE(shard_->refresh().is_ok());
    add("4", R"({"body":"slow turtle über","tag":"abcf"})");
    add("5", R"({"body":"quick uber","tag":"abcd"})");
    REQUIRE(shard_->refresh().is_ok());
    snap_ = shard_->snapshot();
  }
  ~FuzzyShard() {
    snap_.reset();
    shard_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<query::ShardSearchResult> search(const std::string& json, int64_t max_regex_length = 1000) {
    auto q = query::parse_query(json);
    if (!q.is_ok()) return q.status();
    query_ = std::move(q).value();
    query::ShardSearchOptions opts;
    opts.top_n = 100;
    opts.max_regex_length = max_regex_length;
    return query::search_shard(*snap_, mapping_, query_.get(), opts);
  }
  // The ids of the hits and their scores.
  std::map<std::string, float> hits(const std::string& json) {
    auto r = search(json);
    INFO(json << ": " << r.status().to_string());
    REQUIRE(r.is_ok());
    return test::hit_scores(*snap_, *r);
  }
  Status error(const std::string& json, int64_t max_regex_length = 1000) {
    auto r = search(json, max_regex_length);
    REQUIRE_FALSE(r.is_ok());
    return r.status();
  }
  const index::Mapping& mapping() const { return mapping_; }
  const index::ShardSnapshot& snap() const { return *snap_; }

 private:
  void add(const std::string& id, const std::string& src) { test::write_doc(*shard_, mapping_, id, src); }

  std::string dir_;
  index::Mapping mapping_;
  std::unique_ptr<index::Shard> shard_;
  std::shared_ptr<const index::ShardSnapshot> snap_;
  std::unique_ptr<query::Query> query_;
};

using Hits = std::map<std::string, float>;

std::vector<std::string> ids(const Hits& h) {
  std::vector<std::string> out;
  for (const auto& [id, score] : h) out.push_back(id);
  return out;
}

// BM25 of one term occurrence in a doc of `dl` terms, with the shard's statistics of `body`.
float bm25(const FuzzyShard& s, float weight_boost, uint64_t df, float tf, float dl) {
  auto fs = query::shard_field_stats(s.snap(), "body");
  float w = weight_boost * query::bm25_idf(fs.doc_count, df);
  return query::bm25_score(w, tf, query::bm25_norm_inverse(dl, query::bm25_avgdl(fs)));
}

}  // namespace

TEST_CASE("fuzzy: terms within the edits, scored with a blended document frequency", "[fuzzy]") {
  FuzzyShard s;
  Hits h = s.hits(R"({"fuzzy":{"body":{"value":"quick","fuzziness":1}}})");
  CHECK(ids(h) == std::vector<std::string>{"1", "2", "3", "5"});
  // quick (0 edits, boost 1) and quack (1 edit of 5: boost 0.8) share df = max(3, 1) = 3.
  CHECK(h["1"] == Approx(bm25(s, 1.0f, 3, 1, 2)).epsilon(1e-6));
  CHECK(h["2"] == Approx(bm25(s, 1.0f, 3, 2, 3)).epsilon(1e-6));
  CHECK(h["3"] == Approx(bm25(s, 0.8f, 3, 1, 2)).epsilon(1e-6));
  // The short form and AUTO (5 code points: 1 edit); boost multiplies.
  CHECK(ids(s.hits(R"({"fuzzy":{"body":"quikc"}})")) == std::vector<std::string>{"1", "2", "5"});  // a swap
  Hits boosted = s.hits(R"({"fuzzy":{"body":{"value":"quick","fuzziness":1,"boost":2}}})");
  CHECK(boosted["3"] == Approx(bm25(s, 1.6f, 3, 1, 2)).epsilon(1e-6));
}

TEST_CASE("fuzzy: transpositions, prefix_length, AUTO and code points", "[fuzzy]") {
  FuzzyShard s;
  CHECK(s.hits(R"({"fuzzy":{"body":{"value":"quikc","fuzziness":1,"transpositions":false}}})").empty());
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"quikc","fuzziness":2,"transpositions":false}}})")).size() == 3);
  // The first two code points must match exactly: xuick is 1 edit from quick but not allowed.
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"xuick","fuzziness":1}}})")) == std::vector<std::string>{"1", "2", "5"});
  CHECK(s.hits(R"({"fuzzy":{"body":{"value":"xuick","fuzziness":1,"prefix_length":2}}})").empty());
  // AUTO: 0 edits up to 2 code points, 1 up to 5, 2 beyond; AUTO:low,high moves the steps.
  CHECK(s.hits(R"({"fuzzy":{"body":{"value":"fo","fuzziness":"AUTO"}}})").empty());
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"fo","fuzziness":"AUTO:1,3"}}})")) == std::vector<std::string>{"1"});
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"fo","fuzziness":"AUTO:1,2"}}})")) == std::vector<std::string>{"1", "2"});
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"turtel","fuzziness":"AUTO"}}})")) == std::vector<std::string>{"4"});
  // über/uber: one code point apart (two bytes).
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"über","fuzziness":1}}})")) == std::vector<std::string>{"4", "5"});
  // A numeric fuzziness above 2 is cut to 2, as OpenSearch's Fuzziness does.
  CHECK(ids(s.hits(R"({"fuzzy":{"body":{"value":"quikc","fuzziness":3,"transpositions":false}}})")).size() == 3);
}

TEST_CASE("fuzzy: max_expansions keeps the most similar terms, then the first in term order", "[fuzzy]") {
  FuzzyShard s;
  // abcd (0 edits) beats abce and abcf (1 edit each); of those two, abce sorts first.
  CHECK(ids(s.hits(R"({"fuzzy":{"tag":{"value":"abcd","fuzziness":1,"max_expansions":1}}})")) ==
        std::vector<std::string>{"5"});
  CHECK(ids(s.hits(R"({"fuzzy":{"tag":{"value":"abcd","fuzziness":1,"max_expansions":2}}})")) ==
        std::vector<std::string>{"3", "5"});
  CHECK(ids(s.hits(R"({"fuzzy":{"tag":{"value":"abcx","fuzziness":1,"max_expansions":1}}})")) ==
        std::vector<std::string>{"5"});  // abcd < abce < abcf, all 1 edit
  // Keyword fields compare the raw term; a lowercase normalizer applies to the value.
  CHECK(ids(s.hits(R"({"fuzzy":{"tag":"Red-Cat"}})")) == std::vector<std::string>{"1"});
  CHECK(ids(s.hits(R"({"fuzzy":{"low":{"value":"MIXER","fuzziness":1}}})")) == std::vector<std::string>{"3"});
  // Other rewrites: constant_score ignores max_expansions and scores the boost.
  Hits c = s.hits(R"({"fuzzy":{"tag":{"value":"abcd","fuzziness":1,"max_expansions":1,"rewrite":"constant_score","boost":3}}})");
  CHECK(ids(c) == std::vector<std::string>{"3", "4", "5"});
  CHECK(c["3"] == 3.0f);
  Hits b = s.hits(R"({"fuzzy":{"tag":{"value":"abcd","fuzziness":1,"rewrite":"top_terms_boost_5"}}})");
  CHECK(b["5"] == 1.0f);
  CHECK(b["3"] == Approx(0.75f));
}

TEST_CASE("fuzzy: errors as OpenSearch reports them", "[fuzzy]") {
  FuzzyShard s;
  Status numeric = s.error(R"({"fuzzy":{"n":{"value":"1","fuzziness":1}}})");
  CHECK(numeric.type() == "query_shard_exception");
  CHECK(numeric.reason() ==
        "failed to create query: Can only use fuzzy queries on keyword and text fields - not on [n] which is of type [long]");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","fuzziness":-1}}})").reason() ==
        "failed to create query: maxEdits must be between 0 and 2");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","max_expansions":0}}})").reason() ==
        "failed to create query: maxExpansions must be positive.");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","rewrite":"bogus"}}})").reason() ==
        "failed to create query: Failed to parse rewrite_method [bogus]");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","fuzziness":"abc"}}})").reason() == "Invalid fuzziness value: abc");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","fuzziness":"AUTO:3"}}})").type() == "parse_exception");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","fuzziness":true}}})").reason() ==
        "Can't parse fuzziness on token: [VALUE_BOOLEAN]");
  CHECK(s.error(R"({"fuzzy":{"body":{"value":"x","bogus":1}}})").reason() == "[fuzzy] query does not support [bogus]");
  CHECK(s.error(R"({"fuzzy":{"a":"x","b":"y"}})").type() == "parsing_exception");
  CHECK(s.hits(R"({"fuzzy":{"unmapped":"x"}})").empty());
}

TEST_CASE("regexp: constant score over the matching terms of every segment", "[fuzzy]") {
  FuzzyShard s;
  Hits h = s.hits(R"({"regexp":{"body":{"value":"qu.ck","boost":2}}})");
  CHECK(ids(h) == std::vector<std::string>{"1", "2", "3", "5"});
  CHECK(h["2"] == 2.0f);
  CHECK(ids(s.hits(R"({"regexp":{"body":"d[uo].*"}})")) == std::vector<std::string>{"2", "3"});
  CHECK(s.hits(R"({"regexp":{"body":"uick"}})").empty());  // anchored
  CHECK(ids(s.hits(R"({"regexp":{"tag":{"value":"red-.*","case_insensitive":true}}})")) == std::vector<std::string>{"1"});
  CHECK(s.hits(R"({"regexp":{"tag":"red-.*"}})").empty());
  CHECK(ids(s.hits(R"({"regexp":{"tag":"abc[^d]"}})")) == std::vector<std::string>{"3", "4"});
  CHECK(ids(s.hits(R"({"regexp":{"body":{"value":"~(quick)&qu.ck","flags":"COMPLEMENT|INTERSECTION"}}})")) ==
        std::vector<std::string>{"3"});
  CHECK(ids(s.hits(R"({"regexp":{"body":{"value":"ü.*","flags":"NONE"}}})")) == std::vector<std::string>{"4"});
  // scoring_boolean scores each term with its own statistics.
  Hits scored = s.hits(R"({"regexp":{"body":{"value":"qu.ck","rewrite":"scoring_boolean"}}})");
  CHECK(scored["3"] == Approx(bm25(s, 1.0f, 1, 1, 2)).epsilon(1e-6));
  CHECK(scored["1"] == Approx(bm25(s, 1.0f, 3, 1, 2)).epsilon(1e-6));
}

TEST_CASE("regexp: syntax, complexity, length and field type errors", "[fuzzy]") {
  FuzzyShard s;
  Status bad = s.error(R"({"regexp":{"body":"qu(ick"}})");
  CHECK(bad.type() == "query_shard_exception");
  CHECK(bad.reason() == "failed to create query: expected ')' at position 6");
  CHECK(s.error(R"j({"regexp":{"unmapped":"a)"}})j").reason() == "failed to create query: end-of-string expected at position 1");
  Status complex = s.error(R"({"regexp":{"body":"(a|b)*a(a|b){20}"}})");
  CHECK(complex.reason() == "failed to create query: Determinizing (a|b)*a(a|b){20} would require more than 10000 effort.");
  CHECK(s.error(R"({"regexp":{"body":{"value":"(a|b)*a(a|b){8}","max_determinized_states":100}}})").reason().find(
            "more than 100 effort") != std::string::npos);
  CHECK(s.error(R"({"regexp":{"body":"abcdef"}})", 5).reason() ==
        "failed to create query: The length of regex [6] used in the Regexp Query request has exceeded the allowed "
        "maximum of [5]. This maximum can be set by changing the [index.max_regex_length] index level setting.");
  CHECK(s.error(R"({"regexp":{"n":"1.*"}})").reason() ==
        "Can only use regexp queries on keyword and text fields - not on [n] which is of type [long]");
  CHECK(s.error(R"({"regexp":{"body":{"value":"a","flags":"NOPE"}}})").reason() == "Unknown regexp flag [NOPE]");
  CHECK(s.error(R"({"regexp":{"body":{"value":"a","bogus":1}}})").reason() == "[regexp] query does not support [bogus]");
}

TEST_CASE("match and multi_match: fuzziness makes each analyzed term a fuzzy query", "[fuzzy]") {
  FuzzyShard s;
  CHECK(ids(s.hits(R"({"match":{"body":{"query":"quikc dgo","fuzziness":"AUTO"}}})")) ==
        std::vector<std::string>{"1", "2", "5"});
  CHECK(ids(s.hits(R"({"match":{"body":{"query":"quikc dgo","fuzziness":"AUTO","operator":"and"}}})")) ==
        std::vector<std::string>{"2"});
  CHECK(s.hits(R"({"match":{"body":{"query":"quikc dgo"}}})").empty());
  Hits one = s.hits(R"({"match":{"body":{"query":"quack","fuzziness":1}}})");
  Hits same = s.hits(R"({"fuzzy":{"body":{"value":"quack","fuzziness":1}}})");
  CHECK(one == same);
  CHECK(ids(s.hits(R"({"multi_match":{"query":"quikc","fields":["body","tag"],"fuzziness":1}})")) ==
        std::vector<std::string>{"1", "2", "5"});
  CHECK(s.error(R"({"multi_match":{"query":"x","type":"phrase","fuzziness":1}})").reason() ==
        "Fuzziness not allowed for type [phrase]");
  CHECK(s.error(R"({"match":{"n":{"query":"1","fuzziness":1}}})").reason().find("Can only use fuzzy queries") !=
        std::string::npos);
  CHECK(s.hits(R"({"match":{"n":{"query":"1","fuzziness":1,"lenient":true}}})").empty());
}

TEST_CASE("query_string: term~, term~N and /regex/", "[fuzzy]") {
  FuzzyShard s;
  CHECK(ids(s.hits(R"({"query_string":{"query":"body:Quikc~"}})")) == std::vector<std::string>{"1", "2", "5"});
  CHECK(s.hits(R"({"query_string":{"query":"body:quikc~0"}})").empty());
  CHECK(ids(s.hits(R"({"query_string":{"query":"body:qack~1^2"}})")) == std::vector<std::string>{"3"});
  CHECK(s.hits(R"({"query_string":{"query":"body:quikc~","fuzzy_transpositions":false}})").empty());
  CHECK(ids(s.hits(R"({"query_string":{"query":"body:/QU[AI]CK/"}})")) == std::vector<std::string>{"1", "2", "3", "5"});
  CHECK(ids(s.hits(R"({"query_string":{"query":"/qu.ck/ AND fox"}})")) == std::vector<std::string>{"1"});
  CHECK(ids(s.hits(R"({"query_string":{"query":"tag:/abc./ -tag:abcd"}})")) == std::vector<std::string>{"3", "4"});
  // Numeric fields are skipped on the default `*` fields (lenient), refused when named.
  CHECK(ids(s.hits(R"({"query_string":{"query":"turtel~"}})")) == std::vector<std::string>{"4"});
  CHECK(s.error(R"({"query_string":{"query":"n:1~"}})").reason().find("Can only use fuzzy queries") != std::string::npos);
  CHECK(s.error(R"({"query_string":{"query":"body:/abcdef/"}})", 3).reason().find("used in the [query_string]") !=
        std::string::npos);
  CHECK(s.error(R"({"query_string":{"query":"body:/a(b/"}})").reason() == "failed to create query: expected ')' at position 3");
  CHECK(s.hits(R"({"query_string":{"query":"/a(/"}})").empty());  // lenient on `*`: the field is dropped
  CHECK(s.error(R"({"query_string":{"query":"body:/abc"}})").type() == "query_shard_exception");
}

TEST_CASE("fuzzy and regexp render as Lucene text and highlight every accepted token", "[fuzzy]") {
  FuzzyShard s;
  auto text = [&](const std::string& json) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto t = query::query_to_text(**q, s.mapping());
    return t.is_ok() ? *t : "ERROR " + t.status().reason();
  };
  CHECK(text(R"({"fuzzy":{"body":"quick"}})") == "body:quick~1");
  CHECK(text(R"({"fuzzy":{"body":{"value":"quick","fuzziness":2,"boost":2}}})") == "(body:quick~2)^2.0");
  CHECK(text(R"({"regexp":{"body":"qu.ck"}})") == "body:/qu.ck/");
  CHECK(text(R"({"match":{"body":{"query":"Quikc fox","fuzziness":"AUTO"}}})") == "body:quikc~1 body:fox~1");
  CHECK(text(R"({"regexp":{"body":"a("}})").rfind("ERROR failed to create query", 0) == 0);
  CHECK(text(R"({"query_string":{"query":"body:quikc~2"}})") == "body:quikc~2");

  auto hl = [&](const std::string& json, const std::string& value) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    query::ResolvedHighlight o;
    auto out = query::highlight_field(q->get(), s.mapping(), "body", {value}, o);
    return out.empty() ? std::string() : out[0];
  };
  CHECK(hl(R"({"fuzzy":{"body":{"value":"quick","fuzziness":1}}})", "A quick quack and a quiet duck.") ==
        "A <em>quick</em> <em>quack</em> and a quiet duck.");
  CHECK(hl(R"({"regexp":{"body":"d.ck"}})", "A quick quack and a quiet duck.") == "A quick quack and a quiet <em>duck</em>.");
  CHECK(hl(R"({"match":{"body":{"query":"qiuck","fuzziness":1}}})", "A quick fox.") == "A <em>quick</em> fox.");
}
