// libFuzzer harness for the search-request parser (query/dsl_parser.cpp) and the Lucene query_string
// parser (query/query_string.cpp). Everything a `_search` body reaches before it needs an index runs
// here: the JSON -> SearchRequest / Query tree parse, query_string, simple_query_string and
// bool_prefix/cross_fields multi_match binding against a fixed mapping, and date math on range bounds (formats, time zones, rounding). Errors are expected
// and fine; crashes, sanitizer reports, hangs and leaks are bugs.
//
// The first byte selects the mode, so one corpus can hold both kinds of input:
//   'Q'  the rest is query_string text (the `q=` URI parameter), parsed and bound directly
//   'C'  the rest is a `_count` body (count_only: only `query` and a few keys are accepted)
//   'P'  the rest is one query object, as parse_query takes it ({"term":{...}})
//   'S'  the rest is the `_source`, `_source_includes`, `_source_excludes` URI parameters, one per line
//   else the whole input is a `_search` body; plain JSON seeds need no prefix
// Build and run: tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/time_zone.h"
#include "index/date_format.h"
#include "index/mapping.h"
#include "query/date_math.h"
#include "query/dsl_parser.h"
#include "query/query.h"
#include "query/multi_match_bind.h"
#include "query/query_string.h"
#include "query/search_request.h"
#include "query/simple_query_string.h"

namespace {

using namespace sift;
using query::Query;

// A fixed "now" keeps runs reproducible: date math on `now` must not depend on the wall clock.
constexpr int64_t kNow = 1773582330123;  // 2026-03-15T13:45:30.123Z

// One field of each kind query_string binding treats differently (text, keyword, numeric, date,
// boolean, an object path), so binding reaches its match, wildcard, range and exists branches.
const index::Mapping& fuzz_mapping() {
  static const index::Mapping mapping = [] {
    auto m = index::parse_mapping(R"({"properties":{
        "title":{"type":"text","fields":{"raw":{"type":"keyword"}}},
        "body":{"type":"text"},"tags":{"type":"keyword"},"status":{"type":"integer"},
        "n":{"type":"long"},"price":{"type":"double"},"flag":{"type":"boolean"},
        "ts":{"type":"date"},"day":{"type":"date","format":"yyyy-MM-dd"},
        "user":{"properties":{"name":{"type":"keyword"},"age":{"type":"short"}}}}})");
    if (!m.is_ok()) __builtin_trap();  // the harness itself is broken, not the code under test
    return std::move(m).value();
  }();
  return mapping;
}

// What the searcher does with a range before it touches a segment (term_level_queries.cpp): build
// the formatter, find the zone and resolve every textual bound with date math. Done for every range,
// whatever its field, since the fuzzer cannot know which fields are dates.
void resolve_range(const query::RangeQuery& r) {
  std::string spec = r.format.empty() ? "strict_date_optional_time||epoch_millis" : r.format;
  auto fmt = index::DateFormatter::create(spec);
  if (!fmt.is_ok()) return;
  std::shared_ptr<const TimeZone> tz;
  if (!r.time_zone.empty()) {
    auto found = TimeZone::find(r.time_zone);
    if (!found.is_ok()) return;
    tz = found.value();
  }
  auto bound = [&](const std::optional<query::Scalar>& s, query::RangeOp op) {
    if (!s || s->kind == query::Scalar::Kind::kInteger) return;
    (void)query::resolve_range_bound(s->text, op, kNow, fmt.value(), tz.get());
  };
  bound(r.gt, query::RangeOp::kGt);
  bound(r.gte, query::RangeOp::kGte);
  bound(r.lt, query::RangeOp::kLt);
  bound(r.lte, query::RangeOp::kLte);
}

void exercise(const Query& q, int depth);

void exercise_query_string(const query::QueryStringQuery& qs, int depth) {
  // The parsed tree must be reproducible from the text the request keeps (the coordinator parses
  // once, but URI searches and the DSL both go through parse_query_string).
  auto again = query::parse_query_string(qs.query);
  if (!again.is_ok()) __builtin_trap();  // parsed once, so it must parse again
  for (const char* default_field : {"*", "title", "t*"}) {
    auto bound = query::bind_query_string(qs, fuzz_mapping(), default_field);
    if (bound.is_ok()) exercise(*bound.value(), depth + 1);
  }
}

void exercise(const Query& q, int depth) {
  // Binding can only nest as deep as the parsers allow; this guard just keeps the harness itself
  // from recursing without bound should that ever change.
  if (depth > 4 * query::kMaxQueryDepth) return;
  switch (q.kind) {
    case Query::Kind::kBool: {
      const auto& b = static_cast<const query::BoolQuery&>(q);
      for (const auto* list : {&b.must, &b.filter, &b.should, &b.must_not}) {
        for (const auto& c : *list) exercise(*c, depth + 1);
      }
      break;
    }
    case Query::Kind::kConstantScore: {
      const auto& c = static_cast<const query::ConstantScoreQuery&>(q);
      if (c.filter) exercise(*c.filter, depth + 1);
      break;
    }
    case Query::Kind::kDisMax:
      for (const auto& c : static_cast<const query::DisMaxQuery&>(q).queries) exercise(*c, depth + 1);
      break;
    case Query::Kind::kRange:
      resolve_range(static_cast<const query::RangeQuery&>(q));
      break;
    case Query::Kind::kQueryString:
      exercise_query_string(static_cast<const query::QueryStringQuery&>(q), depth);
      break;
    case Query::Kind::kMultiMatch: {
      const auto& m = static_cast<const query::MultiMatchQuery&>(q);
      if (m.type == query::MultiMatchQuery::Type::kBoolPrefix || m.type == query::MultiMatchQuery::Type::kCrossFields) {
        auto bound = query::bind_multi_match(m, fuzz_mapping());
        if (bound.is_ok()) exercise(*bound.value(), depth + 1);
      }
      break;
    }
    case Query::Kind::kSimpleQueryString:
      // The simple syntax is read when binding; it must never fail on the text itself.
      for (const char* default_field : {"*", "title"}) {
        auto bound = query::bind_simple_query_string(static_cast<const query::SimpleQueryStringQuery&>(q),
                                                     fuzz_mapping(), default_field);
        if (bound.is_ok()) exercise(*bound.value(), depth + 1);
      }
      break;
    default:
      break;
  }
}

void fuzz_search_body(std::string_view body, bool count_only) {
  auto req = query::parse_search_request(body, count_only);
  if (!req.is_ok()) return;
  if (req.value().query) exercise(*req.value().query, 0);
}

void fuzz_query_object(std::string_view json) {
  auto q = query::parse_query(json);
  if (q.is_ok()) exercise(*q.value(), 0);
}

void fuzz_source_params(std::string_view text) {
  std::string params[3];
  for (int i = 0; i < 3 && !text.empty(); ++i) {
    size_t nl = text.find('\n');
    params[i] = std::string(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  query::SourceFilter filter;
  query::apply_source_params(params[0], params[1], params[2], &filter);
}

// The `q=` path of http/handlers_search.cpp: parse, then bind as the searcher would.
void fuzz_query_string(std::string_view text) {
  query::QueryStringQuery qs;
  qs.query = std::string(text);
  auto root = query::parse_query_string(qs.query);
  if (!root.is_ok()) return;
  qs.root = std::move(root).value();
  exercise_query_string(qs, 0);
  qs.and_default = true;
  qs.minimum_should_match = "2";
  auto bound = query::bind_query_string(qs, fuzz_mapping(), "*");
  if (bound.is_ok()) exercise(*bound.value(), 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input[0] == 'Q') {
    fuzz_query_string(input.substr(1));
  } else if (!input.empty() && input[0] == 'C') {
    fuzz_search_body(input.substr(1), true);
  } else if (!input.empty() && input[0] == 'P') {
    fuzz_query_object(input.substr(1));
  } else if (!input.empty() && input[0] == 'S') {
    fuzz_source_params(input.substr(1));
  } else {
    fuzz_search_body(input, false);
  }
  return 0;
}
