// simple_query_string's parser (Lucene's SimpleQueryParser rules, flags, malformed input that
// never fails), its binding to a mapping, match_bool_prefix / multi_match bool_prefix, and
// cross_fields scoring against OpenSearch's blended-statistics formula.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>

#include "analyzers/registry.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/dsl_parser.h"
#include "query/multi_match_bind.h"
#include "query/query_text.h"
#include "query/searcher.h"
#include "query/segment_evaluator.h"
#include "query/simple_query_string.h"

using namespace sift;
using query::Query;

namespace {

// Pieces as plain nodes: terms as TermQuery (nullptr for "the", as a stop word), prefixes as
// PrefixQuery, phrases as MatchPhraseQuery, fuzzy terms as a TermQuery on field "~N".
class StubBuilder final : public query::SqsBuilder {
 public:
  Result<std::unique_ptr<Query>> term(std::string_view text) override {
    if (text == "the") return std::unique_ptr<Query>();
    return leaf("", text);
  }
  Result<std::unique_ptr<Query>> fuzzy(std::string_view text, int32_t edits) override {
    return leaf("~" + std::to_string(edits), text);
  }
  Result<std::unique_ptr<Query>> phrase(std::string_view text, int32_t slop) override {
    auto p = std::make_unique<query::MatchPhraseQuery>();
    p->text = std::string(text);
    p->slop = slop;
    return std::unique_ptr<Query>(std::move(p));
  }
  Result<std::unique_ptr<Query>> prefix(std::string_view text) override {
    auto p = std::make_unique<query::PrefixQuery>();
    p->value = std::string(text);
    return std::unique_ptr<Query>(std::move(p));
  }

 private:
  static Result<std::unique_ptr<Query>> leaf(std::string field, std::string_view text) {
    auto t = std::make_unique<query::TermQuery>();
    t->field = std::move(field);
    t->value.text = std::string(text);
    return std::unique_ptr<Query>(std::move(t));
  }
};

std::string render(const Query& q) {
  switch (q.kind) {
    case Query::Kind::kMatchAll: return "*:*";
    case Query::Kind::kTerm: {
      const auto& t = static_cast<const query::TermQuery&>(q);
      return t.field.empty() ? t.value.text : "fuzzy(" + t.value.text + "," + t.field.substr(1) + ")";
    }
    case Query::Kind::kPrefix: return "prefix(" + static_cast<const query::PrefixQuery&>(q).value + ")";
    case Query::Kind::kMatchPhrase: {
      const auto& p = static_cast<const query::MatchPhraseQuery&>(q);
      return "\"" + p.text + "\"" + (p.slop ? "~" + std::to_string(p.slop) : "");
    }
    case Query::Kind::kBool: {
      const auto& b = static_cast<const query::BoolQuery&>(q);
      std::string s;
      auto add = [&](const auto& list, const char* occur) {
        for (const auto& c : list) s += (s.empty() ? "" : " ") + std::string(occur) + render(*c);
      };
      add(b.must, "+");
      add(b.should, "");
      add(b.must_not, "-");
      return "(" + s + ")";
    }
    default: return "?";
  }
}

std::string parsed(std::string_view text, uint32_t flags = query::kSqsAll, bool and_default = false) {
  StubBuilder b;
  auto q = query::parse_simple_query_string(text, flags, and_default, b);
  if (!q.is_ok()) return "ERROR " + q.status().reason();
  if (!*q) return "<none>";
  return render(**q);
}

}  // namespace

TEST_CASE("simple_query_string reads operators left to right as Lucene's SimpleQueryParser", "[sqs]") {
  CHECK(parsed("foo") == "foo");
  CHECK(parsed("foo bar") == "(foo bar)");
  CHECK(parsed("foo bar", query::kSqsAll, true) == "(+foo +bar)");
  CHECK(parsed("foo + bar") == "(+foo +bar)");
  CHECK(parsed("foo+bar|baz") == "((+foo +bar) baz)");
  // A change of operator makes the tree so far one clause: `a | b + c` is (a | b) + c.
  CHECK(parsed("a | b + c") == "(+(a b) +c)");
  CHECK(parsed("a + b | c + d") == "(+((+a +b) c) +d)");
  // Only the first operator after a clause counts; one before the first clause is ignored.
  CHECK(parsed("a +| b") == "(+a +b)");
  CHECK(parsed("+a") == "a");
  CHECK(parsed("(a | b) + c") == "(+(a b) +c)");
  CHECK(parsed("a + (b | (c d))") == "(+a +(b (c d)))");
}

TEST_CASE("simple_query_string negation, phrases, prefixes, fuzziness and escapes", "[sqs]") {
  CHECK(parsed("-foo") == "(*:* -foo)");
  CHECK(parsed("foo -bar") == "(foo (*:* -bar))");
  CHECK(parsed("foo -bar", query::kSqsAll, true) == "(+foo +(*:* -bar))");
  CHECK(parsed("--foo") == "foo");
  CHECK(parsed("- foo") == "foo");  // whitespace ends the negation
  CHECK(parsed("-(a b)") == "(*:* -(a b))");
  CHECK(parsed("foo-bar") == "foo-bar");

  CHECK(parsed("\"quick fox\"") == "\"quick fox\"");
  CHECK(parsed("\"quick fox\"~3") == "\"quick fox\"~3");
  CHECK(parsed("\"quick fox\"~") == "\"quick fox\"");
  CHECK(parsed("\"quick fox\"~ x") == "(\"quick fox\"~2 x)");  // `~` with nothing after it: 2
  CHECK(parsed("\"quick fox\"~x") == "\"quick fox\"");         // unreadable slop: 0
  CHECK(parsed("a \"b \\\" c\" d") == "(a \"b \" c\" d)");

  CHECK(parsed("qui*") == "prefix(qui)");
  CHECK(parsed("qui\\*") == "qui*");                // an escaped star is text
  CHECK(parsed("q*i") == "q*i");                    // not at the end: text
  CHECK(parsed("*") == "*:*");
  CHECK(parsed("  *\t") == "*:*");
  CHECK(parsed("foo*", query::kSqsAll & ~query::kSqsPrefix) == "foo*");

  CHECK(parsed("foo~") == "fuzzy(foo,2)");
  CHECK(parsed("foo~1") == "fuzzy(foo,1)");
  CHECK(parsed("foo~7") == "fuzzy(foo,2)");  // at most two edits
  CHECK(parsed("foo~0") == "foo");
  CHECK(parsed("foo~x") == "foo");
  CHECK(parsed("foo~-1") == "foo");
  CHECK(parsed("foo~99999999999") == "foo");  // beyond int: unreadable
  CHECK(parsed("foo~1 bar") == "(fuzzy(foo,1) bar)");
  CHECK(parsed("~foo") == "~foo");

  CHECK(parsed("a\\+b") == "a+b");
  CHECK(parsed("a\\ b") == "a b");
  CHECK(parsed("\\-a") == "-a");
}

TEST_CASE("simple_query_string treats malformed input as text and never fails", "[sqs]") {
  CHECK(parsed("") == "<none>");
  CHECK(parsed("   ") == "<none>");
  CHECK(parsed("((foo") == "foo");
  CHECK(parsed("foo)") == "foo");
  CHECK(parsed("\"unterminated phrase") == "(unterminated phrase)");
  CHECK(parsed("()") == "<none>");
  CHECK(parsed("a + () b") == "(a b)");  // `()` drops the pending operator
  CHECK(parsed("\"\"") == "<none>");
  CHECK(parsed("+|-") == "<none>");
  CHECK(parsed("\\") == "<none>");
  CHECK(parsed("-") == "<none>");
  CHECK(parsed("~~~") == "~");  // `~` then a fuzzy `~` with the unreadable edits `~`
  CHECK(parsed("a \"\"\" b") == "(a b)");
  std::string deep(500, '(');
  deep += "x";
  deep += std::string(500, ')');
  CHECK(parsed(deep) == "x");
  // Pieces that build nothing (stop words) leave no clause, and an operator before them no trace.
  CHECK(parsed("the") == "<none>");
  CHECK(parsed("the + fox") == "fox");
  CHECK(parsed("fox + the | dog") == "(+fox +dog)");  // the `+` stays pending

  uint64_t seed = std::getenv("SIFT_TEST_SEED") ? std::strtoull(std::getenv("SIFT_TEST_SEED"), nullptr, 10)
                                                 : std::random_device{}();
  std::cout << "simple_query_string_test seed: " << seed << std::endl;
  std::mt19937_64 rng(seed);
  const std::string alphabet = "ab \t+|-\"()*~\\12é";
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    size_t len = rng() % 40;
    for (size_t k = 0; k < len; ++k) text.push_back(alphabet[rng() % alphabet.size()]);
    uint32_t flags = rng() % 4 == 0 ? static_cast<uint32_t>(rng() % 1024) : query::kSqsAll;
    INFO("text [" << text << "] flags " << flags);
    CHECK(parsed(text, flags, rng() % 2 == 0).rfind("ERROR", 0) != 0);
  }
}

TEST_CASE("simple_query_string flags switch operators off", "[sqs]") {
  CHECK(parsed("foo bar", query::kSqsNone) == "foo bar");
  CHECK(parsed("a+b|c -d \"e f\"", query::kSqsNone) == "a+b|c -d \"e f\"");
  auto flags = query::parse_sqs_flags("PHRASE|WHITESPACE");
  REQUIRE(flags.is_ok());
  CHECK(parsed("\"a b\" c+d", *flags) == "(\"a b\" c+d)");
  CHECK(parsed("a b~1 c*", query::kSqsWhitespace) == "(a b~1 c*)");
  CHECK(parsed("\"a b\"~2", query::kSqsPhrase | query::kSqsWhitespace) == "(\"a b\" ~2)");

  CHECK(*query::parse_sqs_flags("AND|OR") == (query::kSqsAnd | query::kSqsOr));
  CHECK(*query::parse_sqs_flags("and|prefix") == (query::kSqsAnd | query::kSqsPrefix));
  CHECK(*query::parse_sqs_flags("AND||NOT") == (query::kSqsAnd | query::kSqsNot));
  CHECK(*query::parse_sqs_flags("SLOP") == query::kSqsNear);
  CHECK(*query::parse_sqs_flags("AND|NONE|OR") == query::kSqsNone);
  CHECK(*query::parse_sqs_flags("ALL") == query::kSqsAll);
  CHECK(*query::parse_sqs_flags("") == query::kSqsAll);
  auto bad = query::parse_sqs_flags("AND|BOGUS");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().type() == "illegal_argument_exception");
  CHECK(bad.status().reason() == "Unknown simple_query_string flag [BOGUS]");
  CHECK_FALSE(query::parse_sqs_flags("AND| OR").is_ok());  // no trimming, as OpenSearch
}

TEST_CASE("simple_query_string refuses more than the clause limit", "[sqs]") {
  std::string many;
  for (int i = 0; i < 1100; ++i) many += "w" + std::to_string(i) + " ";
  CHECK(parsed(many).rfind("ERROR maxClauseCount", 0) == 0);
}

TEST_CASE("the DSL parses simple_query_string, match_bool_prefix and the new multi_match types", "[sqs]") {
  auto q = query::parse_query(R"({"simple_query_string":{"query":"a b","fields":["title^2","body"],
      "default_operator":"AND","flags":"OR|PREFIX","lenient":true,"analyze_wildcard":true,"boost":3,
      "minimum_should_match":"50%","quote_field_suffix":".exact","fuzzy_prefix_length":1,"fuzzy_max_expansions":10,
      "fuzzy_transpositions":false,"auto_generate_synonyms_phrase_query":false,"_name":"n"}})");
  REQUIRE(q.is_ok());
  REQUIRE((*q)->kind == Query::Kind::kSimpleQueryString);
  const auto& s = static_cast<const query::SimpleQueryStringQuery&>(**q);
  CHECK(s.query == "a b");
  REQUIRE(s.fields.size() == 2);
  CHECK(s.fields[0] == std::pair<std::string, float>{"title", 2.0f});
  CHECK(s.and_default);
  CHECK(s.flags == (query::kSqsOr | query::kSqsPrefix));
  CHECK(s.lenient == std::optional<bool>(true));
  CHECK(s.analyze_wildcard);
  CHECK(s.boost == 3.0f);
  CHECK(s.minimum_should_match == "50%");
  CHECK(s.quote_field_suffix == ".exact");
  CHECK(s.fuzzy_max_expansions == 10);
  CHECK_FALSE(s.fuzzy_transpositions);
  CHECK(s.name == "n");

  auto flags_number = query::parse_query(R"({"simple_query_string":{"query":"a","flags":-1}})");
  REQUIRE(flags_number.is_ok());
  CHECK(static_cast<const query::SimpleQueryStringQuery&>(**flags_number).flags == query::kSqsAll);

  auto error = [](const char* json) {
    auto r = query::parse_query(json);
    return r.is_ok() ? std::string("ok") : r.status().type() + ": " + r.status().reason();
  };
  CHECK(error(R"({"simple_query_string":{"fields":["a"]}})") == "parsing_exception: [simple_query_string] query text missing");
  CHECK(error(R"({"simple_query_string":{"query":"a","nope":1}})") ==
        "parsing_exception: [simple_query_string] unsupported field [nope]");
  CHECK(error(R"({"simple_query_string":{"query":"a","fields":"title"}})") ==
        "parsing_exception: [simple_query_string] unsupported field [fields]");
  CHECK(error(R"({"simple_query_string":{"query":"a","flags":"AND|NOPE"}})") ==
        "illegal_argument_exception: Unknown simple_query_string flag [NOPE]");
  CHECK(error(R"({"simple_query_string":{"query":{"a":1}}})") ==
        "parsing_exception: [simple_query_string] unknown token [START_OBJECT] after [query]");

  auto mbp = query::parse_query(R"({"match_bool_prefix":{"title":{"query":"quick br","operator":"and","boost":2}}})");
  REQUIRE(mbp.is_ok());
  REQUIRE((*mbp)->kind == Query::Kind::kMultiMatch);
  const auto& mm = static_cast<const query::MultiMatchQuery&>(**mbp);
  CHECK(mm.type == query::MultiMatchQuery::Type::kBoolPrefix);
  CHECK(mm.fields == std::vector<std::pair<std::string, float>>{{"title", 1.0f}});
  CHECK(mm.and_operator);
  CHECK(mm.boost == 2.0f);
  auto fz = query::parse_query(R"({"match_bool_prefix":{"title":{"query":"quikc br","fuzziness":"AUTO","prefix_length":1}}})");
  REQUIRE(fz.is_ok());
  CHECK(static_cast<const query::MultiMatchQuery&>(**fz).fuzzy.fuzziness == "AUTO");
  CHECK(static_cast<const query::MultiMatchQuery&>(**fz).fuzzy.prefix_length == 1);
  CHECK(error(R"({"match_bool_prefix":{"title":"a","body":"b"}})") ==
        "parsing_exception: [match_bool_prefix] query doesn't support multiple fields, found [title] and [body]");
  CHECK(error(R"({"match_bool_prefix":{"title":{"query":"a","slop":1}}})") ==
        "parsing_exception: [match_bool_prefix] query does not support [slop]");
  CHECK(error(R"({"multi_match":{"query":"a","type":"bool_prefix","slop":1}})") ==
        "parsing_exception: [slop] not allowed for type [bool_prefix]");
  CHECK(error(R"({"multi_match":{"query":"a","type":"cross_fields","fields":["a","b"]}})") == "ok");
}

namespace {

// A mapping and a one-shard index of a few documents.
struct Index {
  std::string dir;
  index::Mapping mapping;
  std::unique_ptr<index::Shard> shard;

  Index(const char* mapping_json, const std::vector<std::string>& sources) {
    char tmpl[] = "/tmp/sift_sqs_test_XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto m = index::parse_mapping(mapping_json);
    REQUIRE(m.is_ok());
    mapping = std::move(m).value();
    auto parse = [this](std::string_view id, std::string_view src) -> Result<index::ParsedDocument> {
      auto out = index::parse_document(src, id, mapping);
      if (!out.is_ok()) return std::move(out).take_status();
      return std::move(out->doc);
    };
    auto s = index::Shard::open(dir, 1, parse);
    REQUIRE(s.is_ok());
    shard = std::move(s).value();
    for (size_t i = 0; i < sources.size(); ++i) {
      std::string id = std::to_string(i + 1);
      auto doc = parse(id, sources[i]);
      REQUIRE(doc.is_ok());
      index::WriteOp op;
      op.id = id;
      op.source = sources[i];
      op.parsed = &*doc;
      REQUIRE(shard->apply(op).is_ok());
    }
    REQUIRE(shard->refresh().is_ok());
  }
  ~Index() {
    shard.reset();
    std::filesystem::remove_all(dir);
  }

  // doc id (1-based, as written) -> score, for every match.
  std::map<int, float> scores(const std::string& json) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto snap = shard->snapshot();
    query::ShardSearchOptions opts;
    opts.top_n = 100;
    auto r = query::search_shard(*snap, mapping, q->get(), opts);
    REQUIRE(r.is_ok());
    std::map<int, float> out;
    for (const auto& h : r->top) out[static_cast<int>(h.doc) + 1] = h.score;
    return out;
  }
  std::string text(const std::string& json) {
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    auto t = query::query_to_text(**q, mapping);
    return t.is_ok() ? *t : "ERROR " + t.status().type() + ": " + t.status().reason();
  }
};

// Lucene 8's BM25 for one term: boost * idf * tf part, norms as one byte.
float bm25(float boost, uint64_t doc_count, uint64_t df, float freq, float dl, float avgdl) {
  float idf = query::bm25_idf(doc_count, df);
  return query::bm25_score(boost * idf, freq, query::bm25_norm_inverse(dl, avgdl));
}

}  // namespace

TEST_CASE("blended document frequencies follow OpenSearch's BlendedTermQuery", "[cross_fields]") {
  // The conformance case: color in 3 docs (10 tokens), shape in 1 (2 tokens), `red` in 3 and 1.
  // maxDoc 3 is capped to the smallest token count 2: color gets 2; shape would get 3 but never
  // more than its own doc count, 1 (a larger df made its idf negative).
  CHECK(query::blend_doc_freqs({{3, 3, 10}, {1, 1, 2}}, 3) == std::vector<uint64_t>{2, 1});
  // Equal frequencies share the df; each step down to a rarer field adds one.
  CHECK(query::blend_doc_freqs({{5, 100, 1000}, {5, 100, 1000}, {2, 100, 1000}, {1, 100, 1000}}, 100) ==
        std::vector<uint64_t>{5, 5, 6, 7});
  // A field without the term keeps 0 and does not cap the others.
  CHECK(query::blend_doc_freqs({{0, 10, 1}, {4, 50, 500}, {2, 50, 500}}, 60) == std::vector<uint64_t>{0, 4, 5});
  CHECK(query::blend_doc_freqs({{7, 9, 90}}, 10) == std::vector<uint64_t>{7});
  CHECK(query::blend_doc_freqs({{0, 9, 90}, {0, 9, 90}}, 10) == std::vector<uint64_t>{0, 0});
}

TEST_CASE("cross_fields scores each field with the blended df, combined as a dis_max", "[cross_fields]") {
  Index ix(R"({"properties":{"color":{"type":"text"},"shape":{"type":"text"},"tag":{"type":"keyword"}}})",
           {R"({"color":"orange red yellow"})", R"({"color":"orange red purple","shape":"red square"})",
            R"({"color":"orange red yellow purple"})"});
  auto got = ix.scores(R"({"multi_match":{"query":"red","type":"cross_fields","fields":["color","shape^100"],
                           "tie_breaker":0.1}})");
  REQUIRE(got.size() == 3);
  float avg_color = 10.0f / 3, avg_shape = 2.0f;
  float c3 = bm25(1, 3, 2, 1, 3, avg_color), c4 = bm25(1, 3, 2, 1, 4, avg_color);
  float s2 = bm25(100, 1, 1, 1, 2, avg_shape);
  CHECK(got[1] == Approx(c3).epsilon(1e-6));
  CHECK(got[3] == Approx(c4).epsilon(1e-6));
  CHECK(got[2] == Approx(s2 + 0.1f * c3).epsilon(1e-6));  // max + tie_breaker * the others
  for (const auto& [doc, score] : got) CHECK(score > 0);

  // Two terms: a boolean of per-term blended clauses; operator and needs every term somewhere.
  auto both = ix.scores(R"({"multi_match":{"query":"red square","type":"cross_fields","fields":["color","shape"],
                            "operator":"and"}})");
  CHECK(both.size() == 1);
  CHECK(both.count(2) == 1);
  auto any = ix.scores(R"({"multi_match":{"query":"red square","type":"cross_fields","fields":["color","shape"]}})");
  CHECK(any.size() == 3);
  auto msm = ix.scores(R"({"multi_match":{"query":"red square yellow","type":"cross_fields","fields":["color","shape"],
                           "minimum_should_match":2}})");
  CHECK(msm.size() == 3);  // 1: red yellow; 2: red square; 3: red yellow
  // A keyword field analyzes differently: its own group, the groups combined as a dis_max.
  CHECK(ix.text(R"({"multi_match":{"query":"Red","type":"cross_fields","fields":["color","shape^2","tag"]}})") ==
        "(blended(terms:[color:red, shape:red^2.0]) | blended(terms:[tag:Red]))");
}

TEST_CASE("match_bool_prefix: BM25 terms and a constant-score prefix for the last one", "[bool_prefix]") {
  Index ix(R"({"properties":{"title":{"type":"text"},"tag":{"type":"keyword"}}})",
           {R"({"title":"quick brown fox"})", R"({"title":"quick brown bear"})", R"({"title":"slow green frog"})",
            R"({"title":"quick fix"})"});
  CHECK(ix.text(R"({"match_bool_prefix":{"title":"Quick brown f"}})") == "title:quick title:brown title:f*");
  CHECK(ix.text(R"({"match_bool_prefix":{"title":{"query":"quick f","operator":"and"}}})") == "+title:quick +title:f*");
  CHECK(ix.text(R"({"match_bool_prefix":{"tag":"Ab C"}})") == "tag:Ab C*");
  auto got = ix.scores(R"({"match_bool_prefix":{"title":{"query":"quick f","boost":2}}})");
  REQUIRE(got.size() == 4);
  float avgdl = 11.0f / 4;
  // doc 3 ("slow green frog") matches only the prefix: its constant score times the boost.
  CHECK(got[3] == Approx(2.0f));
  CHECK(got[1] == Approx(bm25(2, 4, 3, 1, 3, avgdl) + 2.0f).epsilon(1e-6));
  CHECK(got[4] == Approx(bm25(2, 4, 3, 1, 2, avgdl) + 2.0f).epsilon(1e-6));
  auto multi = ix.scores(R"({"multi_match":{"query":"quick b","type":"bool_prefix","fields":["title","tag"]}})");
  CHECK(multi.size() == 3);
  // fuzziness makes the terms fuzzy, never the prefix.
  CHECK(ix.scores(R"({"match_bool_prefix":{"title":"quikc f"}})").size() == 3);
  CHECK(ix.scores(R"({"match_bool_prefix":{"title":{"query":"quikc f","fuzziness":1}}})").size() == 4);
  CHECK(ix.scores(R"({"match_bool_prefix":{"title":{"query":"quick fxo","fuzziness":1}}})").size() == 3);
}

TEST_CASE("simple_query_string binds its pieces to the mapping's fields", "[sqs]") {
  Index ix(R"({"properties":{"title":{"type":"text","fields":{"exact":{"type":"keyword"}}},"body":{"type":"text"},
               "n":{"type":"long"}}})",
           {R"({"title":"quick brown fox","body":"lazy dog","n":1})", R"({"title":"lazy fox","body":"quick","n":2})",
            R"({"title":"slow","body":"brown dog","n":3})"});
  CHECK(ix.text(R"({"simple_query_string":{"query":"Quick","fields":["title","body^2"]}})") ==
        "(title:quick | (body:quick)^2.0)~1.0");
  CHECK(ix.text(R"({"simple_query_string":{"query":"\"Lazy Dog\"","fields":["title","body"]}})") ==
        "(title:\"lazy dog\" | body:\"lazy dog\")");
  CHECK(ix.text(R"({"simple_query_string":{"query":"Bro*","fields":["title"]}})") == "title:bro*");
  CHECK(ix.text(R"({"simple_query_string":{"query":"\"quick fox\"","fields":["title"],"quote_field_suffix":".exact"}})") ==
        "title.exact:quick fox");
  CHECK(ix.text(R"({"simple_query_string":{"query":"fox -lazy","fields":["title"],"default_operator":"and"}})") ==
        "+title:fox +(*:* -title:lazy)");
  CHECK(ix.text(R"({"simple_query_string":{"query":"","fields":["title"]}})") == "MatchNoDocsQuery(\"\")");
  CHECK(ix.text(R"({"simple_query_string":{"query":"a b c","fields":["title"],"minimum_should_match":"2"}})") ==
        "(title:a title:b title:c)~2");
  // Values a numeric field refuses are errors unless lenient (the default for `*`).
  CHECK(ix.text(R"({"simple_query_string":{"query":"fox","fields":["n"]}})").rfind("ERROR query_shard_exception", 0) == 0);
  CHECK(ix.text(R"({"simple_query_string":{"query":"fox","fields":["n"],"lenient":true}})").rfind("MatchNoDocs", 0) == 0);
  CHECK(ix.text(R"({"simple_query_string":{"query":"fo*","fields":["n"]}})") ==
        "ERROR query_shard_exception: Can only use prefix queries on keyword, text and wildcard fields - not on [n] "
        "which is of type [long]");
  CHECK(ix.text(R"({"simple_query_string":{"query":"a","analyzer":"nope"}})") ==
        "ERROR query_shard_exception: [simple_query_string] analyzer [nope] not found");

  CHECK(ix.scores(R"({"simple_query_string":{"query":"fox"}})").size() == 2);  // default field `*`
  CHECK(ix.scores(R"({"simple_query_string":{"query":"2"}})").size() == 1);    // n:2 through `*`
  CHECK(ix.scores(R"({"simple_query_string":{"query":"fox + -lazy","fields":["title"]}})").size() == 1);
  CHECK(ix.scores(R"({"simple_query_string":{"query":"quikc","fields":["title"]}})").empty());
  CHECK(ix.scores(R"({"simple_query_string":{"query":"QUIKC~1","fields":["title"]}})").size() == 1);
  CHECK(ix.scores(R"({"simple_query_string":{"query":"quikc~1","fields":["title"],"flags":"WHITESPACE"}})").empty());
  CHECK(ix.scores(R"({"simple_query_string":{"query":"laxy~ | slwo~1","fields":["title"]}})").size() == 2);
  auto negated = ix.scores(R"({"simple_query_string":{"query":"-fox","fields":["title"]}})");
  REQUIRE(negated.size() == 1);
  CHECK(negated[3] == Approx(1.0f));  // the match_all clause of a negation scores 1
  // Term pieces sum over fields (most_fields); phrases take the best field.
  auto sum = ix.scores(R"({"simple_query_string":{"query":"quick","fields":["title","body"]}})");
  auto t = ix.scores(R"({"match":{"title":"quick"}})"), b = ix.scores(R"({"match":{"body":"quick"}})");
  CHECK(sum[1] == Approx(t[1]).epsilon(1e-6));
  CHECK(sum[2] == Approx(b[2]).epsilon(1e-6));
  auto with_prefix = ix.scores(R"({"simple_query_string":{"query":"qu* brown","fields":["title","body"]}})");
  CHECK(with_prefix.size() == 3);
  CHECK(with_prefix[2] == Approx(1.0f));  // the prefix is constant-score, summed over one matching field
}
