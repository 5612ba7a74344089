// date_nanos and unsigned_long in queries and sorts: nanosecond range bounds (date math rounding
// fills the last nanosecond, bounds clamp to 1970 .. 2262), unsigned_long term and range bounds,
// sort values across kinds and numeric_type casts, search_after values read back.
#include <catch2/catch.hpp>

#include <filesystem>

#include "index/numeric_codec.h"
#include "query/date_math.h"
#include "query/sort_numeric.h"
#include "query/unsigned_long_query.h"
#include "small_shard.h"

using namespace sift;
using namespace sift::query;
using index::DateFormatter;
using index::unsigned_to_sortable;

namespace {

const DateFormatter& dflt() { return DateFormatter::default_formatter(); }

int64_t bound(const char* expr, RangeOp op, const DateFormatter& f = dflt()) {
  auto v = resolve_range_bound_nanos(expr, op, /*now*/ 1571616000000, f, nullptr);  // 2019-10-21T00:00Z
  INFO(expr << ": " << v.status().to_string());
  REQUIRE(v.is_ok());
  return *v;
}

constexpr int64_t kDay2019 = 1571616000LL * 1'000'000'000;  // 2019-10-21T00:00:00Z in nanoseconds
constexpr int64_t kNsPerDay = 86400LL * 1'000'000'000;

Scalar text(const char* s) {
  Scalar v;
  v.text = s;
  return v;
}

Scalar integer(int64_t i) {
  Scalar v;
  v.kind = Scalar::Kind::kInteger;
  v.integer = i;
  v.number = static_cast<double>(i);
  v.text = std::to_string(i);
  return v;
}

SortValue ul(uint64_t u) {
  SortValue v;
  v.kind = SortValue::Kind::kUnsignedLong;
  v.l = unsigned_to_sortable(u);
  return v;
}

SortValue lng(int64_t l) {
  SortValue v;
  v.kind = SortValue::Kind::kLong;
  v.l = l;
  return v;
}

SortValue dbl(double d) {
  SortValue v;
  v.kind = SortValue::Kind::kDouble;
  v.d = d;
  return v;
}

}  // namespace

TEST_CASE("date_nanos range bounds round to the nanosecond", "[date_nanos][date_math]") {
  CHECK(bound("2019-10-21", RangeOp::kGte) == kDay2019);
  CHECK(bound("2019-10-21", RangeOp::kLte) == kDay2019 + kNsPerDay - 1);
  CHECK(bound("2019-10-21", RangeOp::kGt) == kDay2019 + kNsPerDay);
  CHECK(bound("2019-10-21", RangeOp::kLt) == kDay2019 - 1);
  CHECK(bound("2019-10-21T08:30:04.828733Z", RangeOp::kLte) == 1571646604828733000);
  CHECK(bound("2019-10-21T08:30:04.828733Z", RangeOp::kGt) == 1571646604828733001);
  CHECK(bound("2019-10-21T08:30:04.828733123Z||/s", RangeOp::kLte) == 1571646604999999999);
  CHECK(bound("2019-10-21T08:30:04.828733123Z||+1d", RangeOp::kGte) == 1571646604828733123 + kNsPerDay);
  CHECK(bound("now/d", RangeOp::kLte) == kDay2019 + kNsPerDay - 1);
  CHECK(bound("now-1d", RangeOp::kGte) == kDay2019 - kNsPerDay);
  // epoch_millis: a whole millisecond rounds up to its last nanosecond, a fraction is kept.
  CHECK(bound("1571646604828", RangeOp::kLte) == 1571646604828999999);
  CHECK(bound("1571646604828", RangeOp::kGte) == 1571646604828000000);
  CHECK(bound("1571646604828.733", RangeOp::kLte) == 1571646604828733000);
  CHECK(nanos_range_bound(1571646604828, 999'999, RangeOp::kGt) == 1571646604829000000);
  // Clamped to date_nanos' range before gt/lt move by one.
  CHECK(bound("1960-01-01", RangeOp::kGte) == 0);
  CHECK(bound("1960-01-01", RangeOp::kLt) == -1);
  CHECK(bound("2300-01-01", RangeOp::kLte) == INT64_MAX);
  CHECK(bound("2300-01-01", RangeOp::kGt) == INT64_MAX);
  // Milliseconds for date fields are unchanged.
  CHECK(resolve_range_bound("2019-10-21", RangeOp::kLte, 0, dflt(), nullptr).value() == 1571702399999);
  auto pattern = DateFormatter::create("yyyy-MM-dd HH:mm:ss.SSSSSS");
  REQUIRE(pattern.is_ok());
  CHECK(bound("2019-10-21 08:30:04.828733", RangeOp::kLte, *pattern) == 1571646604828733000);
}

TEST_CASE("unsigned_long term values and range bounds", "[unsigned_long][query]") {
  CHECK(unsigned_long_term_bytes(text("18446744073709551615")).value() ==
        index::encode_sortable_term(unsigned_to_sortable(UINT64_MAX)));
  CHECK(unsigned_long_term_bytes(integer(5)).value() == index::encode_sortable_term(unsigned_to_sortable(5)));
  CHECK(unsigned_long_term_bytes(text("5.5")).value().empty());  // a decimal part matches nothing
  auto neg = unsigned_long_term_bytes(integer(-1));
  REQUIRE_FALSE(neg.is_ok());
  CHECK(neg.status().type() == "query_shard_exception");
  CHECK(neg.status().reason() == "failed to create query: Value [-1] is out of range for an unsigned long");

  auto range = [](std::optional<Scalar> gte, std::optional<Scalar> gt, std::optional<Scalar> lte,
                  std::optional<Scalar> lt) {
    RangeQuery q;
    q.gte = gte;
    q.gt = gt;
    q.lte = lte;
    q.lt = lt;
    int64_t lo = 0, hi = 0;
    auto any = unsigned_long_range(q, &lo, &hi);
    REQUIRE(any.is_ok());
    return std::make_tuple(*any, index::sortable_to_unsigned(lo), index::sortable_to_unsigned(hi));
  };
  CHECK(range(text("1.5"), {}, text("9.5"), {}) == std::make_tuple(true, uint64_t{2}, uint64_t{9}));
  CHECK(range({}, text("9223372036854775807"), {}, {}) ==
        std::make_tuple(true, uint64_t{9223372036854775808ULL}, UINT64_MAX));
  CHECK(range({}, {}, {}, text("18446744073709551615")) == std::make_tuple(true, uint64_t{0}, UINT64_MAX - 1));
  CHECK(std::get<0>(range({}, text("18446744073709551615"), {}, {})) == false);
  CHECK(std::get<0>(range({}, {}, {}, integer(0))) == false);
  CHECK(std::get<0>(range(integer(10), {}, integer(9), {})) == false);
  RangeQuery bad;
  bad.gte = integer(-5);
  int64_t lo, hi;
  CHECK_FALSE(unsigned_long_range(bad, &lo, &hi).is_ok());
}

TEST_CASE("numeric sort values compare across kinds and cast by numeric_type", "[sort][unsigned_long][date_nanos]") {
  CHECK(compare_numeric_sort_values(ul(9223372036854775808ULL), ul(9223372036854775807ULL)) > 0);
  CHECK(compare_numeric_sort_values(ul(0), lng(-1)) > 0);
  CHECK(compare_numeric_sort_values(lng(5), ul(5)) == 0);
  CHECK(compare_numeric_sort_values(lng(INT64_MAX), ul(9223372036854775808ULL)) < 0);
  CHECK(compare_numeric_sort_values(ul(UINT64_MAX), dbl(1e18)) > 0);
  CHECK(compare_numeric_sort_values(lng(3), dbl(2.5)) > 0);

  SortKey nanos_to_ms;
  nanos_to_ms.type = SortKey::Type::kLong;
  nanos_to_ms.nanos = true;
  nanos_to_ms.cast = SortKey::Cast::kNanosToMillis;
  SortValue v = lng(1712879236854775807);
  cast_sort_value(nanos_to_ms, &v);
  CHECK(v.l == 1712879236854);
  CHECK_FALSE(sorts_in_nanos(nanos_to_ms));

  SortKey ms_to_nanos;
  ms_to_nanos.type = SortKey::Type::kLong;
  ms_to_nanos.cast = SortKey::Cast::kMillisToNanos;
  v = lng(1712879237000);
  cast_sort_value(ms_to_nanos, &v);
  CHECK(v.l == 1712879237000000000);
  v = lng(-1);  // before 1970: saturates
  cast_sort_value(ms_to_nanos, &v);
  CHECK(v.l == 0);
  CHECK(sorts_in_nanos(ms_to_nanos));

  SortKey to_double;
  to_double.type = SortKey::Type::kUnsignedLong;
  to_double.cast = SortKey::Cast::kUnsignedToDouble;
  v = ul(UINT64_MAX);
  cast_sort_value(to_double, &v);
  CHECK(v.kind == SortValue::Kind::kDouble);
  CHECK(v.d == 18446744073709551615.0);
}

TEST_CASE("numeric_type binds to numeric fields only", "[sort][date_nanos]") {
  auto m = index::parse_mapping(R"({"properties":{"ns":{"type":"date_nanos"},"ms":{"type":"date"},
      "u":{"type":"unsigned_long"},"k":{"type":"keyword"},"d":{"type":"double"}}})");
  REQUIRE(m.is_ok());
  auto keys = [&](const char* field, const char* numeric_type) {
    SortSpec s;
    s.field = field;
    s.numeric_type = numeric_type;
    return resolve_sort({s}, *m);
  };
  CHECK(keys("ns", "")->front().nanos);
  CHECK(keys("ns", "date")->front().cast == SortKey::Cast::kNanosToMillis);
  CHECK(keys("ms", "date_nanos")->front().cast == SortKey::Cast::kMillisToNanos);
  CHECK(keys("ms", "date")->front().cast == SortKey::Cast::kNone);
  CHECK(keys("u", "")->front().type == SortKey::Type::kUnsignedLong);
  CHECK(keys("d", "long")->front().cast == SortKey::Cast::kDoubleToLong);
  auto bad = keys("k", "long");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().reason() == "[numeric_type] option cannot be set on a non-numeric field, got keyword");
  SortSpec missing;
  missing.field = "u";
  missing.missing = "18446744073709551615";
  auto with_missing = resolve_sort({missing}, *m);
  REQUIRE(with_missing.is_ok());
  REQUIRE(with_missing->front().missing_value);
  CHECK(with_missing->front().missing_value->l == INT64_MAX);
}

TEST_CASE("search_after values bind to the key's kind and resolution", "[sort][date_nanos][unsigned_long]") {
  auto m = index::parse_mapping(R"({"properties":{"ns":{"type":"date_nanos","format":"yyyy-MM-dd HH:mm:ss.SSSSSS"},
      "ms":{"type":"date"},"u":{"type":"unsigned_long"}}})");
  REQUIRE(m.is_ok());
  auto key_of = [&](const char* field, const char* numeric_type = "") {
    SortSpec s;
    s.field = field;
    s.numeric_type = numeric_type;
    return resolve_sort({s}, *m).value().front();
  };
  SortKey ns = key_of("ns");
  CHECK(bind_search_after_value(text("2019-10-21 08:30:04.828733"), ns, m->find("ns"))->l == 1571646604828733000);
  CHECK(bind_search_after_value(integer(1571646604828733000), ns, m->find("ns"))->l == 1571646604828733000);
  SortKey ms_as_nanos = key_of("ms", "date_nanos");
  CHECK(bind_search_after_value(text("2019-10-21T08:30:04.828Z"), ms_as_nanos, m->find("ms"))->l == 1571646604828000000);
  SortKey ms = key_of("ms");
  CHECK(bind_search_after_value(text("2019-10-21T08:30:04.828Z"), ms, m->find("ms"))->l == 1571646604828);
  CHECK_FALSE(bind_search_after_value(text("yesterday"), ms, m->find("ms")).is_ok());
  SortKey u = key_of("u");
  Scalar big = text("15223372036854775801");
  big.kind = Scalar::Kind::kDouble;
  auto bound_u = bind_search_after_value(big, u, m->find("u"));
  REQUIRE(bound_u.is_ok());
  CHECK(bound_u->kind == SortValue::Kind::kUnsignedLong);
  CHECK(index::sortable_to_unsigned(bound_u->l) == 15223372036854775801ULL);
  CHECK_FALSE(bind_search_after_value(integer(-1), u, m->find("u")).is_ok());
  Scalar null_value = text("\x01null");
  CHECK(bind_search_after_value(null_value, u, m->find("u"))->kind == SortValue::Kind::kMissing);
}

TEST_CASE("a shard sorts and filters unsigned_long and date_nanos values", "[sort][unsigned_long][date_nanos]") {
  char tmpl[] = "/tmp/sift_numeric_sort_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto m = index::parse_mapping(R"({"properties":{"u":{"type":"unsigned_long"},"ts":{"type":"date_nanos"}}})");
  REQUIRE(m.is_ok());
  {
    auto shard = test::open_test_shard(dir, &*m);
    test::write_doc(*shard, *m, "a", R"({"u":18446744073709551615,"ts":"2019-10-21T08:30:04.000000003Z"})");
    test::write_doc(*shard, *m, "b", R"({"u":9223372036854775808,"ts":"2019-10-21T08:30:04.000000001Z"})");
    REQUIRE(shard->refresh().is_ok());
    test::write_doc(*shard, *m, "c", R"({"u":1,"ts":"2019-10-21T08:30:04.000000002Z"})");
    test::write_doc(*shard, *m, "d", R"({})");
    REQUIRE(shard->refresh().is_ok());
    auto snap = shard->snapshot();
    auto ids = [&](const char* field, bool desc, const Query* q = nullptr) {
      SortSpec s;
      s.field = field;
      s.descending = desc;
      ShardSearchOptions o;
      o.sort = resolve_sort({s}, *m).value();
      auto r = search_shard(*snap, *m, q, o);
      REQUIRE(r.is_ok());
      std::string out;
      for (const auto& h : r->top) {
        index::StoredDocument d;
        REQUIRE(snap->segments[h.segment].reader->stored(h.doc, &d).is_ok());
        out += d.meta.id;
      }
      return out;
    };
    CHECK(ids("u", false) == "cbad");
    CHECK(ids("u", true) == "abcd");
    CHECK(ids("ts", false) == "bcad");
    RangeQuery q;
    q.field = "u";
    q.gt = text("9223372036854775807");
    CHECK(ids("u", false, &q) == "ba");
    RangeQuery t;
    t.field = "ts";
    t.gt = text("2019-10-21T08:30:04.000000001Z");
    t.lte = text("2019-10-21T08:30:04.000000002Z");
    CHECK(ids("ts", false, &t) == "c");
  }
  std::filesystem::remove_all(dir);
}
