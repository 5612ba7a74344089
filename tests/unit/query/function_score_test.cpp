#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <filesystem>
#include <map>

#include "analyzers/analyzer.h"
#include "index/document_parser.h"
#include "index/shard.h"
#include "query/dsl_parser.h"
#include "query/function_score.h"
#include "query/score_function_parser.h"
#include "query/search_request.h"
#include "query/searcher.h"
#include "small_shard.h"

using namespace sift;

namespace {

// A shard with numeric, date, keyword, boolean and multi-valued fields; doc "5" has no `n`; doc
// "6" was replaced (its deleted first version has no `n`).
class Corpus {
 public:
  Corpus() {
    char tmpl[] = "/tmp/sift_function_score_test_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto m = index::parse_mapping(
        R"({"properties":{"n":{"type":"long"},"price":{"type":"double"},"ts":{"type":"date"},)"
        R"("tag":{"type":"keyword"},"flag":{"type":"boolean"},"multi":{"type":"long"},"body":{"type":"text"}}})");
    REQUIRE(m.is_ok());
    mapping_ = std::move(m).value();
    shard_ = test::open_test_shard(dir_, &mapping_);
    add("1", R"({"n":1,"price":1.5,"ts":"2020-01-10","tag":"red","flag":true,"multi":[1,5],"body":"fox"})");
    add("2", R"({"n":4,"price":2.5,"ts":"2020-01-12","tag":"blue","flag":false,"multi":[2],"body":"fox fox"})");
    add("3", R"({"n":9,"price":0.5,"ts":"2020-01-05","tag":"red","multi":[10,20,30],"body":"dog"})");
    add("6", R"({"price":1.0,"tag":"purple"})");
    REQUIRE(shard_->refresh().is_ok());
    add("6", R"({"n":2,"price":1.0,"tag":"purple"})");  // the first "6" (without n) is deleted
    add("4", R"({"n":0,"price":3.0,"ts":"2020-01-20","tag":"green","body":"fox dog"})");
    add("5", R"({"price":4.0,"tag":"blue","body":"cat"})");
    REQUIRE(shard_->refresh().is_ok());
    snap_ = shard_->snapshot();
  }
  ~Corpus() {
    shard_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<query::ShardSearchResult> search(const std::string& json, query::ShardSearchOptions opts = {}) {
    auto q = query::parse_query(json);
    if (!q.is_ok()) return q.status();
    opts.top_n = 100;
    return query::search_shard(*snap_, mapping_, q->get(), opts);
  }
  // id -> score of every hit.
  std::map<std::string, float> scores(const std::string& json, query::ShardSearchOptions opts = {}) {
    auto r = search(json, opts);
    INFO(json);
    REQUIRE(r.is_ok());
    return test::hit_scores(*snap_, *r);
  }
  const index::Mapping& mapping() const { return mapping_; }

 private:
  void add(const std::string& id, const std::string& src) { test::write_doc(*shard_, mapping_, id, src); }

  std::string dir_;
  index::Mapping mapping_;
  std::unique_ptr<index::Shard> shard_;
  std::shared_ptr<const index::ShardSnapshot> snap_;
};

float f(double v) { return static_cast<float>(v); }

}  // namespace

TEST_CASE("function_score parses functions, modes and OpenSearch's errors", "[function_score]") {
  auto q = query::parse_query(R"({"function_score":{"query":{"term":{"tag":"red"}},"functions":[)"
                              R"({"filter":{"term":{"tag":"blue"}},"weight":2},)"
                              R"({"filter":{"match_all":{}},"field_value_factor":{"field":"n","factor":1.5,"modifier":"Log1p","missing":3}},)"
                              R"({"gauss":{"ts":{"origin":"now","scale":"10d","offset":"1d","decay":0.3},"multi_value_mode":"avg"}}],)"
                              R"("score_mode":"sum","boost_mode":"replace","max_boost":5,"min_score":0.5,"boost":2}})");
  INFO(q.status().reason());
  REQUIRE(q.is_ok());
  const auto& fs = static_cast<const query::FunctionScoreQuery&>(**q);
  REQUIRE(fs.kind == query::Query::Kind::kFunctionScore);
  CHECK(fs.query->kind == query::Query::Kind::kTerm);
  REQUIRE(fs.functions.size() == 3);
  CHECK(fs.functions[0].type == query::ScoreFunction::Type::kWeight);
  CHECK(fs.functions[0].filter != nullptr);
  CHECK(*fs.functions[0].weight == 2.0f);
  CHECK(fs.functions[1].filter == nullptr);  // match_all counts as no filter
  CHECK(fs.functions[1].modifier == query::FieldValueModifier::kLog1p);
  CHECK(fs.functions[1].factor == 1.5f);
  CHECK(*fs.functions[1].missing == 3.0);
  CHECK(fs.functions[2].shape == query::DecayShape::kGauss);
  CHECK(fs.functions[2].field == "ts");
  CHECK(fs.functions[2].scale->text == "10d");
  CHECK(fs.functions[2].decay == 0.3);
  CHECK(fs.functions[2].multi_value_mode == query::MultiValueMode::kAvg);
  CHECK(fs.score_mode == query::FunctionScoreMode::kSum);
  CHECK(fs.boost_mode == query::BoostMode::kReplace);
  CHECK(fs.max_boost == 5.0f);
  CHECK(*fs.min_score == 0.5f);
  CHECK(fs.boost == 2.0f);

  auto single = query::parse_query(R"({"function_score":{"random_score":{"seed":"abc","field":"_seq_no"}}})");
  REQUIRE(single.is_ok());
  const auto& s = static_cast<const query::FunctionScoreQuery&>(**single);
  CHECK(s.query->kind == query::Query::Kind::kMatchAll);
  REQUIRE(s.functions.size() == 1);
  CHECK(*s.functions[0].seed == 96354);  // "abc".hashCode() in Java
  CHECK(query::seed_from_long(1LL << 40) == 256);

  auto error = [](const char* json) {
    auto r = query::parse_query(json);
    REQUIRE_FALSE(r.is_ok());
    return std::make_pair(r.status().type(), r.status().reason());
  };
  CHECK(error(R"({"function_score":{"functions":[{"weight":1}],"gauss":{"n":{"origin":0,"scale":1}}}})").second ==
        "failed to parse [function_score] query. [you can either define [functions] array or a single function, not "
        "both. already found [functions] array, now encountering [gauss].]");
  CHECK(error(R"({"function_score":{"exp":{"n":{"origin":0,"scale":1}},"linear":{"n":{"origin":0,"scale":1}}}})").second ==
        "failed to parse [function_score] query. already found function [exp], now encountering [linear]. use "
        "[functions] array if you want to define several functions.");
  CHECK(error(R"({"function_score":{"nope":{}}})") ==
        std::make_pair(std::string("named_object_not_found_exception"), std::string("unknown field [nope]")));
  CHECK(error(R"({"function_score":{"script_score":{"script":"1"}}})").second == "scripts are not supported");
  CHECK(error(R"({"function_score":{"score_mode":"median"}})").second ==
        "No enum constant org.opensearch.common.lucene.search.function.FunctionScoreQuery.ScoreMode.MEDIAN");
  CHECK(error(R"({"function_score":{"boost_mode":"first"}})").second ==
        "No enum constant org.opensearch.common.lucene.search.function.CombineFunction.FIRST");
  CHECK(error(R"({"function_score":{"functions":[{"weight":-1}]}})").second ==
        "[weight] cannot be negative for a filtering function");
  CHECK(error(R"({"function_score":{"functions":[{"filter":{"match_all":{}}}]}})").second ==
        "failed to parse [function_score] query. an entry in functions list is missing a function.");
  CHECK(error(R"({"function_score":{"field_value_factor":{"factor":2}}})").second ==
        "[field_value_factor] required field 'field' missing");
  CHECK(error(R"({"function_score":{"field_value_factor":{"field":"n","modifier":"cube"}}})").second ==
        "No enum constant org.opensearch.common.lucene.search.function.FieldValueFactorFunction.Modifier.CUBE");
  CHECK(error(R"({"function_score":{"gauss":{"multi_value_mode":"min"}}})").second ==
        "malformed score function score parameters.");
  CHECK(error(R"({"function_score":{"gauss":{"n":{"origin":0,"scale":1},"multi_value_mode":"foo"}}})").second ==
        "Illegal sort mode: foo");
  CHECK(error(R"({"function_score":{"gauss":{"n":{"origin":0,"scale":1,"foo":1}}}})") ==
        std::make_pair(std::string("query_shard_exception"), std::string("failed to create query: parameter [foo] not supported!")));
  CHECK(error(R"({"function_score":{"random_score":{"seed":1.5}}})").second ==
        "random_score seed must be an int, long or string, not 'VALUE_NUMBER'");
  CHECK(error(R"({"function_score":{"foo":1}})").second == "failed to parse [function_score] query. field [foo] is not supported");
}

TEST_CASE("boosting, terms lookups and indices_boost parse as OpenSearch's", "[function_score]") {
  auto b = query::parse_query(R"({"boosting":{"positive":{"match_all":{}},"negative":{"term":{"tag":"x"}},"negative_boost":0.2}})");
  REQUIRE(b.is_ok());
  CHECK(static_cast<const query::BoostingQuery&>(**b).negative_boost == 0.2f);
  auto missing_boost = query::parse_query(R"({"boosting":{"positive":{"match_all":{}},"negative":{"match_all":{}}}})");
  REQUIRE_FALSE(missing_boost.is_ok());
  CHECK(missing_boost.status().reason() == "[boosting] query requires 'negative_boost' to be set to be a positive value'");
  auto no_negative = query::parse_query(R"({"boosting":{"positive":{"match_all":{}},"negative_boost":1}})");
  REQUIRE_FALSE(no_negative.is_ok());
  CHECK(no_negative.status().reason() == "[boosting] query requires 'negative' query to be set'");

  auto lookup = query::parse_query(R"({"terms":{"tag":{"index":"users","id":"2","path":"a.b","routing":"r"},"boost":3}})");
  REQUIRE(lookup.is_ok());
  const auto& t = static_cast<const query::TermsQuery&>(**lookup);
  REQUIRE(t.lookup);
  CHECK(t.lookup->index == "users");
  CHECK(t.lookup->path == "a.b");
  CHECK(t.lookup->routing == "r");
  CHECK(t.boost == 3.0f);
  auto no_id = query::parse_query(R"({"terms":{"tag":{"index":"users","path":"a"}}})");
  REQUIRE_FALSE(no_id.is_ok());
  CHECK(no_id.status().reason() == "[terms] query lookup element requires specifying the id.");
  auto bad_key = query::parse_query(R"({"terms":{"tag":{"index":"users","id":"1","path":"a","x":1}}})");
  REQUIRE_FALSE(bad_key.is_ok());
  CHECK(bad_key.status().reason() == "[terms] query does not support [x] within lookup element");

  auto array = query::parse_search_request(R"({"indices_boost":[{"a*":2},{"b":1.5}]})", false);
  INFO(array.status().reason());
  REQUIRE(array.is_ok());
  REQUIRE(array->indices_boost.size() == 2);
  CHECK(array->indices_boost[0] == std::make_pair(std::string("a*"), 2.0f));
  CHECK_FALSE(array->indices_boost_object);
  auto object = query::parse_search_request(R"({"indices_boost":{"x":3,"y":1}})", false);
  REQUIRE(object.is_ok());
  CHECK(object->indices_boost_object);
  CHECK(object->indices_boost[1] == std::make_pair(std::string("y"), 1.0f));
  auto bad = query::parse_search_request(R"({"indices_boost":[{"a":"x"}]})", false);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason() == "Expected [VALUE_NUMBER] in [indices_boost] but found [VALUE_STRING]");
}

TEST_CASE("score function arithmetic follows OpenSearch's formulas", "[function_score]") {
  using M = query::FieldValueModifier;
  CHECK(query::apply_modifier(M::kLog, 100) == Approx(2));
  CHECK(query::apply_modifier(M::kLog1p, 9) == Approx(1));
  CHECK(query::apply_modifier(M::kLog2p, 8) == Approx(1));
  CHECK(query::apply_modifier(M::kLn, std::exp(2.0)) == Approx(2));
  CHECK(query::apply_modifier(M::kLn1p, std::exp(1.0) - 1) == Approx(1));
  CHECK(query::apply_modifier(M::kLn2p, std::exp(1.0) - 2) == Approx(1));
  CHECK(query::apply_modifier(M::kSquare, 3) == 9);
  CHECK(query::apply_modifier(M::kSqrt, 16) == 4);
  CHECK(query::apply_modifier(M::kReciprocal, 4) == 0.25);
  CHECK(query::apply_modifier(M::kNone, -2) == -2);
  // Every decay shape scores `decay` at distance `scale` and 1 at the origin.
  for (auto shape : {query::DecayShape::kGauss, query::DecayShape::kLinear, query::DecayShape::kExp}) {
    double s = query::process_decay_scale(shape, 10, 0.3);
    CHECK(query::evaluate_decay(shape, 10, s) == Approx(0.3));
    CHECK(query::evaluate_decay(shape, 0, s) == Approx(1));
  }
  CHECK(query::evaluate_decay(query::DecayShape::kGauss, 5, query::process_decay_scale(query::DecayShape::kGauss, 10, 0.5)) ==
        Approx(std::exp(-25.0 / (2 * 100 / (2 * std::log(2.0))))));
  CHECK(query::evaluate_decay(query::DecayShape::kLinear, 30, query::process_decay_scale(query::DecayShape::kLinear, 10, 0.5)) == 0);

  query::BoundFunctionScore b;
  b.functions.resize(3);
  b.functions[0].weight = 2;
  b.functions[1].weight = 1;
  b.functions[2].weight = 4;
  double values[] = {3, 5, 8};
  bool all[] = {true, true, true}, some[] = {false, true, true}, none[] = {false, false, false};
  auto combine = [&](query::FunctionScoreMode m, const bool* applies) {
    b.mode = m;
    return query::combine_functions(b, values, applies);
  };
  CHECK(combine(query::FunctionScoreMode::kMultiply, all) == 120);
  CHECK(combine(query::FunctionScoreMode::kSum, some) == 13);
  CHECK(combine(query::FunctionScoreMode::kAvg, all) == Approx(16.0 / 7));  // weighted by the weights
  CHECK(combine(query::FunctionScoreMode::kFirst, some) == 5);
  CHECK(combine(query::FunctionScoreMode::kMax, all) == 8);
  CHECK(combine(query::FunctionScoreMode::kMin, some) == 5);
  for (auto m : {query::FunctionScoreMode::kMultiply, query::FunctionScoreMode::kSum, query::FunctionScoreMode::kAvg,
                 query::FunctionScoreMode::kFirst, query::FunctionScoreMode::kMax, query::FunctionScoreMode::kMin}) {
    CHECK(combine(m, none) == 1);  // nothing applies: factor 1
  }
  using B = query::BoostMode;
  CHECK(query::combine_with_query(B::kMultiply, 2, 3, FLT_MAX) == 6);
  CHECK(query::combine_with_query(B::kMultiply, 2, 3, 1.5f) == 3);  // max_boost caps the function
  CHECK(query::combine_with_query(B::kReplace, 2, 3, FLT_MAX) == 3);
  CHECK(query::combine_with_query(B::kSum, 2, 3, FLT_MAX) == 5);
  CHECK(query::combine_with_query(B::kAvg, 2, 3, FLT_MAX) == 2.5f);
  CHECK(query::combine_with_query(B::kMax, 2, 3, FLT_MAX) == 3);
  CHECK(query::combine_with_query(B::kMin, 2, 3, FLT_MAX) == 2);
  CHECK(std::isnan(query::combine_with_query(B::kMax, 2, NAN, FLT_MAX)));  // Java's Math.max keeps NaN

  CHECK(query::java_double_text(0) == "0.0");
  CHECK(query::java_double_text(-INFINITY) == "-Infinity");
  CHECK(query::java_double_text(2.5) == "2.5");
  CHECK(query::java_double_text(1e10) == "1.0E10");
  CHECK(query::java_double_text(1.5e-5) == "1.5E-5");
  double r = query::random_score_of("abc", 42);
  CHECK(r >= 0);
  CHECK(r < 1);
  CHECK(r == query::random_score_of("abc", 42));
  CHECK(r != query::random_score_of("abc", 43));
}

TEST_CASE("function_score scores documents from doc values", "[function_score]") {
  Corpus c;
  // field_value_factor: modifier(value * factor), times the query's score (1 for match_all).
  auto fvf = c.scores(R"({"function_score":{"field_value_factor":{"field":"n","factor":2,"modifier":"sqrt","missing":8}}})");
  REQUIRE(fvf.size() == 6);
  CHECK(fvf["1"] == f(std::sqrt(2.0)));
  CHECK(fvf["3"] == f(std::sqrt(18.0)));
  CHECK(fvf["5"] == 4.0f);  // missing: 8 * 2
  auto price = c.scores(R"({"function_score":{"field_value_factor":{"field":"price","modifier":"ln1p"}}})");
  CHECK(price["2"] == f(std::log1p(2.5)));
  auto flag = c.scores(R"({"function_score":{"query":{"exists":{"field":"flag"}},"field_value_factor":{"field":"flag"},"boost_mode":"sum"}})");
  CHECK(flag["1"] == 2.0f);
  CHECK(flag["2"] == 1.0f);

  auto missing = c.search(R"({"function_score":{"field_value_factor":{"field":"n"}}})");
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.status().type() == "exception");
  CHECK(missing.status().reason() == "Missing value for field [n]");
  auto log_zero = c.search(R"({"function_score":{"query":{"ids":{"values":["4"]}},"field_value_factor":{"field":"n","modifier":"log"}}})");
  REQUIRE_FALSE(log_zero.is_ok());
  CHECK(log_zero.status().type() == "illegal_argument_exception");
  CHECK(log_zero.status().reason() ==
        "field value function must not produce negative scores, but got: [-Infinity] for field value: [0.0]; consider "
        "using log1p or log2p instead of log to avoid negative scores");
  auto unmapped = c.search(R"({"function_score":{"field_value_factor":{"field":"nope"}}})");
  REQUIRE_FALSE(unmapped.is_ok());
  CHECK(unmapped.status().reason() ==
        "failed to create query: Unable to find a field mapper for field [nope]. No 'missing' value defined.");
  auto nan = c.search(R"({"function_score":{"query":{"ids":{"values":["1"]}},"field_value_factor":{"field":"n","factor":-1,"modifier":"sqrt"}}})");
  REQUIRE_FALSE(nan.is_ok());
  CHECK(nan.status().reason().rfind("function score query returned an invalid score: NaN for doc: ", 0) == 0);
  // A deleted document is never scored, so its missing value raises nothing.
  auto deleted = c.scores(R"({"function_score":{"query":{"ids":{"values":["6"]}},"field_value_factor":{"field":"n"}}})");
  CHECK(deleted["6"] == 2.0f);
}

TEST_CASE("decay functions score numbers and dates by distance", "[function_score]") {
  Corpus c;
  auto gauss = c.scores(R"({"function_score":{"gauss":{"n":{"origin":0,"scale":4,"offset":1,"decay":0.5}}}})");
  double s = 0.5 * 16 / std::log(0.5);
  CHECK(gauss["1"] == 1.0f);                                    // within the offset
  CHECK(gauss["2"] == f(std::exp(0.5 * 9 / s)));                // distance 4 - 1
  CHECK(gauss["3"] == f(std::exp(0.5 * 64 / s)));
  CHECK(gauss["5"] == 1.0f);                                    // no value: at the origin
  auto lin = c.scores(R"({"function_score":{"linear":{"price":{"origin":2,"scale":2}}}})");
  CHECK(lin["1"] == f((4 - 0.5) / 4));
  CHECK(lin["5"] == f((4 - 2.0) / 4));
  // Dates: origin with date math, scale and offset as time values in milliseconds.
  auto dates = c.scores(R"({"function_score":{"exp":{"ts":{"origin":"2020-01-01||+9d","scale":"2d","decay":0.25}}}})");
  double day = 86400000.0, e = std::log(0.25) / (2 * day);
  CHECK(dates["1"] == 1.0f);
  CHECK(dates["2"] == f(std::exp(e * 2 * day)));
  CHECK(dates["3"] == f(std::exp(e * 5 * day)));
  // Several values: the distance of the min, max, average or sum.
  auto mode = [&](const char* m) {
    return c.scores(std::string(R"({"function_score":{"query":{"ids":{"values":["3"]}},"linear":{"multi":{"origin":0,"scale":100},"multi_value_mode":")") +
                    m + "\"}}}")["3"];
  };
  auto linear = [](double d) { return f((200 - d) / 200); };  // s' = 100 / (1 - 0.5)
  CHECK(mode("min") == linear(10));
  CHECK(mode("max") == linear(30));
  CHECK(mode("avg") == linear(20));
  CHECK(mode("sum") == linear(60));
  CHECK(mode("median") == linear(20));

  auto unknown = c.search(R"({"function_score":{"gauss":{"nope":{"origin":0,"scale":1}}}})");
  REQUIRE_FALSE(unknown.is_ok());
  CHECK(unknown.status().type() == "parsing_exception");
  CHECK(unknown.status().reason() == "unknown field [nope]");
  auto keyword = c.search(R"({"function_score":{"gauss":{"tag":{"origin":0,"scale":1}}}})");
  REQUIRE_FALSE(keyword.is_ok());
  CHECK(keyword.status().reason() == "field [tag] is of type [keyword], but only numeric types are supported.");
  auto bad_scale = c.search(R"({"function_score":{"gauss":{"n":{"origin":0,"scale":0}}}})");
  REQUIRE_FALSE(bad_scale.is_ok());
  CHECK(bad_scale.status().reason() == "failed to create query: function_score : scale must be > 0.0.");
  auto bad_unit = c.search(R"({"function_score":{"gauss":{"ts":{"scale":"10x"}}}})");
  REQUIRE_FALSE(bad_unit.is_ok());
  CHECK(bad_unit.status().reason() ==
        "failed to create query: failed to parse setting [DecayFunctionParser.scale] with value [10x] as a time value: "
        "unit is missing or unrecognized");
  auto no_origin = c.search(R"({"function_score":{"gauss":{"n":{"scale":1}}}})");
  REQUIRE_FALSE(no_origin.is_ok());
  CHECK(no_origin.status().reason() == "failed to create query: both [scale] and [origin] must be set for numeric fields.");
}

TEST_CASE("score_mode, boost_mode, filters, max_boost, min_score and boost combine as OpenSearch", "[function_score]") {
  Corpus c;
  // Query score: a constant 3 (constant_score with boost) so every product is exact.
  std::string base = R"({"function_score":{"query":{"constant_score":{"filter":{"match_all":{}},"boost":3}},"functions":[)"
                     R"({"filter":{"term":{"tag":"red"}},"weight":2},)"
                     R"({"filter":{"term":{"tag":"blue"}},"weight":5},)"
                     R"({"filter":{"range":{"n":{"gte":4}}},"field_value_factor":{"field":"n"},"weight":0.5}],)";
  auto run = [&](const std::string& rest) { return c.scores(base + rest + "}}"); };
  // Doc 1: red (2). Doc 2: blue (5), n=4 (2). Doc 3: red (2), n=9 (4.5). Doc 4: n=0 -> none. Doc 5: blue (5).
  auto multiply = run(R"("score_mode":"multiply")");
  CHECK(multiply["1"] == 6.0f);
  CHECK(multiply["2"] == 30.0f);
  CHECK(multiply["3"] == 27.0f);
  CHECK(multiply["4"] == 3.0f);  // no function applies: factor 1
  auto sum = run(R"("score_mode":"sum")");
  CHECK(sum["2"] == 21.0f);
  auto avg = run(R"("score_mode":"avg")");
  CHECK(avg["2"] == f(3 * (5 + 2) / 5.5));  // the weights 5 and 0.5 divide
  CHECK(avg["3"] == f(3 * (2 + 4.5) / 2.5));
  auto first = run(R"("score_mode":"first")");
  CHECK(first["3"] == 6.0f);
  auto max = run(R"("score_mode":"max")");
  CHECK(max["3"] == f(3 * 4.5));
  auto min = run(R"("score_mode":"min")");
  CHECK(min["2"] == 6.0f);
  auto replace = run(R"("score_mode":"max","boost_mode":"replace")");
  CHECK(replace["3"] == 4.5f);
  CHECK(replace["4"] == 1.0f);
  auto bsum = run(R"("score_mode":"max","boost_mode":"sum","max_boost":4)");
  CHECK(bsum["3"] == 7.0f);  // 3 + min(4.5, 4)
  auto bavg = run(R"("boost_mode":"avg")");
  CHECK(bavg["1"] == 2.5f);
  auto bmax = run(R"("boost_mode":"max")");
  CHECK(bmax["1"] == 3.0f);
  auto bmin = run(R"("boost_mode":"min")");
  CHECK(bmin["1"] == 2.0f);
  auto filtered = run(R"("min_score":10)");
  CHECK(filtered.size() == 3);  // 30, 27 and 15 pass; 6 and 3 do not
  CHECK(filtered.count("5") == 1);
  // `boost` multiplies the query's score before the functions (lost with replace).
  auto boosted = c.scores(R"({"function_score":{"query":{"ids":{"values":["1"]}},"weight":3,"boost":2}})");
  CHECK(boosted["1"] == 6.0f);
  auto boosted_replace = c.scores(R"({"function_score":{"query":{"ids":{"values":["1"]}},"weight":3,"boost":2,"boost_mode":"replace"}})");
  CHECK(boosted_replace["1"] == 3.0f);
  // A lone unfiltered function is scored as `first`: avg does not divide by its weight.
  auto lone = c.scores(R"({"function_score":{"query":{"ids":{"values":["3"]}},"functions":[{"field_value_factor":{"field":"n"},"weight":2}],"score_mode":"avg"}})");
  CHECK(lone["3"] == 18.0f);
  // No functions: the query's score, min_score still applies.
  CHECK(c.scores(R"({"function_score":{"query":{"term":{"tag":"red"}},"min_score":0.0001}})").size() == 2);
  CHECK(c.scores(R"({"function_score":{"query":{"term":{"tag":"red"}},"min_score":100}})").empty());
}

TEST_CASE("random_score is deterministic for a seed and boosting demotes negatives", "[function_score]") {
  Corpus c;
  auto a = c.scores(R"({"function_score":{"random_score":{"seed":7,"field":"_seq_no"}}})");
  auto again = c.scores(R"({"function_score":{"random_score":{"seed":7,"field":"_seq_no"}}})");
  auto other = c.scores(R"({"function_score":{"random_score":{"seed":8,"field":"_seq_no"}}})");
  REQUIRE(a.size() == 6);
  CHECK(a == again);
  CHECK(a != other);
  for (const auto& [id, s] : a) {
    CHECK(s >= 0);
    CHECK(s < 1);
  }
  auto by_tag = c.scores(R"({"function_score":{"random_score":{"seed":7,"field":"tag"}}})");
  CHECK(by_tag["1"] == f(query::random_score_of("red", 7)));
  CHECK(by_tag["2"] == by_tag["5"]);  // the same value, the same score
  auto by_id = c.scores(R"({"function_score":{"random_score":{"seed":7}}})");  // _id by default
  CHECK(by_id["4"] == f(query::random_score_of("4", 7)));
  auto unmapped = c.search(R"({"function_score":{"random_score":{"seed":7,"field":"nope"}}})");
  REQUIRE_FALSE(unmapped.is_ok());
  CHECK(unmapped.status().type() == "illegal_argument_exception");

  auto boosting = c.scores(R"({"boosting":{"positive":{"constant_score":{"filter":{"exists":{"field":"body"}},"boost":2}},)"
                           R"("negative":{"term":{"tag":"red"}},"negative_boost":0.25,"boost":3}})");
  CHECK(boosting["1"] == 1.5f);  // 2 * 0.25 * 3
  CHECK(boosting["2"] == 6.0f);
  CHECK(boosting.size() == 5);

  // indices_boost at the shard: every score multiplied, in the block scorers and the evaluator.
  query::ShardSearchOptions opts;
  opts.score_boost = 2.5f;
  auto plain = c.scores(R"({"match":{"body":"fox"}})");
  auto scaled = c.scores(R"({"match":{"body":"fox"}})", opts);
  REQUIRE(plain.size() == 3);
  for (const auto& [id, s] : plain) CHECK(scaled[id] == f(static_cast<double>(s) * 2.5));
  opts.exhaustive = true;
  auto exhaustive = c.scores(R"({"match":{"body":"fox"}})", opts);
  CHECK(exhaustive == scaled);
}
