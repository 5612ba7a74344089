// Range queries on numeric and date fields (answered from the points, index/points.h) through
// search_shard, against a brute-force scan of each live document's doc values with OpenSearch's
// bound rules: long bounds exact (INT64 extremes), decimals rounded inward; doubles ordered as
// Java's Double.compare (-0.0 before 0.0, NaN after +Infinity; gt/lt step to the adjacent value);
// multi-valued docs, docs without a value, updates and deletes, before and after a forced merge.
// Randomized: prints its seed; set SIFT_TEST_SEED to replay one.
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "index/numeric_codec.h"
#include "query/query.h"
#include "query/search_request.h"
#include "small_shard.h"

using namespace sift;

namespace {

using Rng = std::mt19937_64;
constexpr double kInf = std::numeric_limits<double>::infinity();

uint64_t test_seed() {
  const char* env = std::getenv("SIFT_TEST_SEED");
  uint64_t seed = env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::cout << "points_range_test seed: " << seed << " (SIFT_TEST_SEED=" << seed << " to replay)" << std::endl;
  return seed;
}

constexpr const char* kMapping = R"({"properties":{
  "l":{"type":"long"}, "i":{"type":"integer"}, "d":{"type":"double"}, "f":{"type":"float"},
  "t":{"type":"date"}, "nodv":{"type":"long","doc_values":false}}})";

enum class Kind { kLong, kDouble, kFloat, kDate };

struct FieldSpec {
  const char* name;
  Kind kind;
};
const FieldSpec kFields[] = {{"l", Kind::kLong},   {"i", Kind::kLong}, {"d", Kind::kDouble},
                             {"f", Kind::kFloat},  {"t", Kind::kDate}, {"nodv", Kind::kLong}};

int64_t long_value(Rng& rng, bool wide) {
  switch (rng() % (wide ? 8 : 5)) {
    case 0: return static_cast<int64_t>(rng() % 30) - 15;
    case 1: return static_cast<int64_t>(rng() % 5) * 1000;
    case 2: return -7;
    case 3: return static_cast<int64_t>(rng() % 2000000) - 1000000;
    case 4: return 2147483647 - static_cast<int64_t>(rng() % 2);
    case 5: return INT64_MIN + static_cast<int64_t>(rng() % 2);
    case 6: return INT64_MAX - static_cast<int64_t>(rng() % 2);
    default: return static_cast<int64_t>(rng());
  }
}

double double_value(Rng& rng) {
  switch (rng() % 8) {
    case 0: return -0.0;
    case 1: return 0.0;
    case 2: return 5e-324;
    case 3: return -5e-324;
    case 4: return (rng() % 2 ? 1 : -1) * 1.7976931348623157e308;
    default: return static_cast<double>(static_cast<int64_t>(rng() % 400) - 200) / 8;  // exact in float too
  }
}

std::string json_double(double d) {
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

// A JSON value for the field: absent (""), one value, or an array of values.
std::string gen_value(Rng& rng, const FieldSpec& f) {
  uint64_t r = rng() % 10;
  if (r < 2) return "";
  size_t n = r < 8 ? 1 : 2 + rng() % 2;
  std::string out;
  for (size_t k = 0; k < n; ++k) {
    if (!out.empty()) out += ",";
    switch (f.kind) {
      case Kind::kLong: {
        bool wide = std::string(f.name) != "i";
        int64_t v = long_value(rng, wide);
        if (!wide) v = std::max<int64_t>(INT32_MIN, std::min<int64_t>(INT32_MAX, v));
        out += std::to_string(v);
        break;
      }
      case Kind::kDouble: out += json_double(double_value(rng)); break;
      case Kind::kFloat: {  // within float's range (a float field refuses what would overflow)
        double v = double_value(rng);
        out += json_double(std::fabs(v) > 1e30 ? std::copysign(1e30, v) : v);
        break;
      }
      case Kind::kDate: out += std::to_string(static_cast<int64_t>(rng() % 4000) * 1000 - 2'000'000); break;
    }
  }
  return n == 1 ? out : "[" + out + "]";
}

query::Scalar int_scalar(int64_t v) {
  query::Scalar s;
  s.kind = query::Scalar::Kind::kInteger;
  s.integer = v;
  s.number = static_cast<double>(v);
  s.text = std::to_string(v);
  return s;
}
query::Scalar double_scalar(double v) {
  query::Scalar s;
  s.kind = query::Scalar::Kind::kDouble;
  s.number = v;
  s.text = json_double(v);
  return s;
}
query::Scalar string_scalar(std::string text) {
  query::Scalar s;
  s.text = std::move(text);
  return s;
}

// Java's Double.compare: -0.0 < 0.0, NaN above everything.
int java_compare(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? (std::isnan(b) ? 0 : 1) : -1;
  if (a < b) return -1;
  if (a > b) return 1;
  return std::signbit(b) - std::signbit(a);
}

// One operand: which operator and its value, exact long or double.
struct Operand {
  enum Op { kGte, kGt, kLte, kLt } op;
  bool is_long = true;
  int64_t l = 0;
  double d = 0;
  query::Scalar scalar;
};

Operand random_operand(Rng& rng, Kind kind, Operand::Op op, const std::vector<int64_t>& seen_longs) {
  Operand o;
  o.op = op;
  if (kind == Kind::kDouble || kind == Kind::kFloat) {
    o.is_long = false;
    switch (rng() % 9) {
      case 0: o.d = std::nan(""); o.scalar = string_scalar("NaN"); return o;
      case 1: o.d = kInf; o.scalar = string_scalar("Infinity"); return o;
      case 2: o.d = -kInf; o.scalar = string_scalar("-Infinity"); return o;
      case 3: o.d = -0.0; break;
      case 4: o.d = 0.0; break;
      case 5: o.d = static_cast<double>(static_cast<int64_t>(rng() % 400) - 200) / 8 + (rng() % 2 ? 0.01 : 0); break;
      default: o.d = double_value(rng); break;
    }
    o.scalar = double_scalar(o.d);
    return o;
  }
  uint64_t r = rng() % 10;
  if (kind == Kind::kLong && r == 0) {  // a decimal bound (magnitudes a double holds exactly)
    o.is_long = false;
    o.d = static_cast<double>(static_cast<int64_t>(rng() % 4000) - 2000) / 4;
    o.scalar = double_scalar(o.d);
    return o;
  }
  if (r == 1) o.l = INT64_MIN;
  else if (r == 2) o.l = INT64_MAX;
  else if (r < 7 && !seen_longs.empty()) {  // a stored value or a neighbour, without overflowing
    int64_t v = seen_longs[rng() % seen_longs.size()];
    int64_t step = static_cast<int64_t>(rng() % 3) - 1;
    o.l = (step > 0 && v == INT64_MAX) || (step < 0 && v == INT64_MIN) ? v : v + step;
  }
  else o.l = long_value(rng, true);
  // Longs also as strings ("123"); dates as epoch millis numbers only.
  o.scalar = kind == Kind::kLong && rng() % 4 == 0 ? string_scalar(std::to_string(o.l)) : int_scalar(o.l);
  return o;
}

// Does a doc value satisfy the operand? `v` is the doc value as stored (sortable bits for doubles).
bool satisfies(int64_t v, Kind kind, const Operand& o) {
  if (kind == Kind::kDouble || kind == Kind::kFloat) {
    double x = index::sortable_to_double(v);
    double b = kind == Kind::kFloat && !std::isnan(o.d) ? static_cast<double>(static_cast<float>(o.d)) : o.d;
    int c = java_compare(x, b);
    switch (o.op) {
      case Operand::kGte: return c >= 0;
      case Operand::kGt: return c > 0;
      case Operand::kLte: return c <= 0;
      case Operand::kLt: return c < 0;
    }
  }
  if (!o.is_long) {  // exact: a long against a decimal with |d| < 2^53
    switch (o.op) {
      case Operand::kGte: return v >= static_cast<int64_t>(std::ceil(o.d));
      case Operand::kGt: return v >= static_cast<int64_t>(std::floor(o.d)) + 1;
      case Operand::kLte: return v <= static_cast<int64_t>(std::floor(o.d));
      case Operand::kLt: return v <= static_cast<int64_t>(std::ceil(o.d)) - 1;
    }
  }
  switch (o.op) {
    case Operand::kGte: return v >= o.l;
    case Operand::kGt: return v > o.l;
    case Operand::kLte: return v <= o.l;
    case Operand::kLt: return v < o.l;
  }
  return false;
}

// Every live doc (segment, doc) whose values of `field` satisfy all operands; the oracle reads the
// doc values (the model for the field without them).
std::set<std::pair<uint32_t, uint32_t>> brute_force(const index::ShardSnapshot& snap, const FieldSpec& f,
                                                    const std::vector<Operand>& ops,
                                                    const std::map<std::string, std::vector<int64_t>>& nodv) {
  std::set<std::pair<uint32_t, uint32_t>> out;
  std::vector<int64_t> values;
  for (uint32_t s = 0; s < snap.segments.size(); ++s) {
    const auto& seg = snap.segments[s];
    for (uint32_t d = 0; d < seg.reader->max_doc(); ++d) {
      if (seg.live && seg.live->is_deleted(d)) continue;
      if (std::string(f.name) == "nodv") {
        index::StoredDocument sd;
        REQUIRE(seg.reader->stored(d, &sd).is_ok());
        auto it = nodv.find(sd.meta.id);
        values = it == nodv.end() ? std::vector<int64_t>{} : it->second;
      } else {
        seg.reader->numeric_values(f.name, d, &values);
      }
      for (int64_t v : values) {
        bool all = true;
        for (const Operand& o : ops) all = all && satisfies(v, f.kind, o);
        if (all) {
          out.emplace(s, d);
          break;
        }
      }
    }
  }
  return out;
}

void check_ranges(const index::ShardSnapshot& snap, const index::Mapping& mapping, Rng& rng, int n,
                  const std::map<std::string, std::vector<int64_t>>& nodv) {
  std::map<std::string, std::vector<int64_t>> seen;  // per field: values present, for bounds near the data
  std::vector<int64_t> values;
  for (const auto& seg : snap.segments) {
    for (uint32_t d = 0; d < seg.reader->max_doc(); d += 7) {
      for (const FieldSpec& f : kFields) {
        seg.reader->numeric_values(f.name, d, &values);
        seen[f.name].insert(seen[f.name].end(), values.begin(), values.end());
      }
    }
  }
  for (int k = 0; k < n; ++k) {
    const FieldSpec& f = kFields[rng() % std::size(kFields)];
    query::RangeQuery q;
    q.field = f.name;
    q.boost = rng() % 3 == 0 ? 2.5f : 1.0f;
    std::vector<Operand> ops;
    uint64_t which = rng() % 16;  // any subset of gte, gt, lte, lt (none: the whole field)
    const Operand::Op all_ops[] = {Operand::kGte, Operand::kGt, Operand::kLte, Operand::kLt};
    for (int b = 0; b < 4; ++b) {
      if (!(which & (1u << b))) continue;
      ops.push_back(random_operand(rng, f.kind, all_ops[b], seen[f.name]));
      std::optional<query::Scalar>& slot = b == 0 ? q.gte : b == 1 ? q.gt : b == 2 ? q.lte : q.lt;
      slot = ops.back().scalar;
    }
    std::string desc = std::string(f.name);
    for (const Operand& o : ops) desc += " op" + std::to_string(o.op) + "=" + o.scalar.text;
    INFO("query " << k << ": " << desc);
    query::ShardSearchOptions opts;
    opts.top_n = 100000;
    opts.by_doc = true;
    opts.track_total_hits = query::SearchRequest::kTrackAll;
    auto r = query::search_shard(snap, mapping, &q, opts);
    REQUIRE(r.is_ok());
    std::set<std::pair<uint32_t, uint32_t>> got;
    for (const auto& h : r->top) {
      got.emplace(h.segment, h.doc);
      REQUIRE(h.score == q.boost);
    }
    auto want = brute_force(snap, f, ops, nodv);
    REQUIRE(got.size() == r->top.size());
    REQUIRE(r->total_hits == want.size());
    REQUIRE(got == want);
  }
}

}  // namespace

TEST_CASE("range queries over points equal a scan of the doc values", "[points]") {
  uint64_t seed = test_seed();
  Rng rng(seed);
  char tmpl[] = "/tmp/sift_points_range_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto m = index::parse_mapping(kMapping);
  REQUIRE(m.is_ok());
  index::Mapping mapping = std::move(m).value();
  {
    auto shard = test::open_test_shard(dir, &mapping);
    std::map<std::string, std::vector<int64_t>> nodv;
    // Three refreshes; later ones rewrite and delete ids of earlier ones.
    for (int seg = 0; seg < 3; ++seg) {
      for (int k = 0; k < 700; ++k) {
        std::string id = std::to_string(seg == 0 ? k : static_cast<int>(rng() % 1400));
        if (seg > 0 && rng() % 8 == 0) {
          index::WriteOp del;
          del.kind = index::WriteOp::Kind::kDelete;
          del.id = id;
          REQUIRE(shard->apply(del).is_ok());
          nodv.erase(id);
          continue;
        }
        std::string src = "{";
        nodv.erase(id);
        for (const FieldSpec& f : kFields) {
          std::string v = gen_value(rng, f);
          if (v.empty()) continue;
          if (src.size() > 1) src += ",";
          src += "\"" + std::string(f.name) + "\":" + v;
          if (std::string(f.name) == "nodv") {
            std::string body = v.front() == '[' ? v.substr(1, v.size() - 2) : v;
            for (size_t at = 0; at <= body.size();) {
              size_t comma = std::min(body.find(',', at), body.size());
              nodv[id].push_back(std::stoll(body.substr(at, comma - at)));
              at = comma + 1;
            }
          }
        }
        test::write_doc(*shard, mapping, id, src + "}");
      }
      REQUIRE(shard->refresh().is_ok());
    }
    auto snap = shard->snapshot();
    REQUIRE(snap->segments.size() == 3);
    REQUIRE(snap->num_deleted > 0);
    // A -0.0 and a 0.0 are in the data (the sign rules are exercised).
    check_ranges(*snap, mapping, rng, 400, nodv);

    REQUIRE(shard->maybe_merge(1).is_ok());
    auto merged = shard->snapshot();
    REQUIRE(merged->segments.size() == 1);
    REQUIRE(merged->segments[0].reader->field("l")->has_points);
    check_ranges(*merged, mapping, rng, 400, nodv);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("double range bounds follow OpenSearch's -0.0 and NaN rules", "[points]") {
  char tmpl[] = "/tmp/sift_points_zero_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto m = index::parse_mapping(R"({"properties":{"d":{"type":"double"},"l":{"type":"long"}}})");
  REQUIRE(m.is_ok());
  index::Mapping mapping = std::move(m).value();
  {
    auto shard = test::open_test_shard(dir, &mapping);
    test::write_doc(*shard, mapping, "neg", R"({"d":-0.0})");
    test::write_doc(*shard, mapping, "pos", R"({"d":0.0})");
    test::write_doc(*shard, mapping, "one", R"({"d":1.0})");
    test::write_doc(*shard, mapping, "max", R"({"l":9223372036854775807})");
    test::write_doc(*shard, mapping, "max-1", R"({"l":9223372036854775806})");
    test::write_doc(*shard, mapping, "min", R"({"l":-9223372036854775808})");
    REQUIRE(shard->refresh().is_ok());
    auto snap = shard->snapshot();
    auto ids = [&](const char* field, std::optional<query::Scalar> gte, std::optional<query::Scalar> gt,
                   std::optional<query::Scalar> lte, std::optional<query::Scalar> lt) {
      query::RangeQuery q;
      q.field = field;
      q.gte = std::move(gte);
      q.gt = std::move(gt);
      q.lte = std::move(lte);
      q.lt = std::move(lt);
      query::ShardSearchOptions opts;
      opts.top_n = 100;
      auto r = query::search_shard(*snap, mapping, &q, opts);
      REQUIRE(r.is_ok());
      std::set<std::string> out;
      for (const auto& [id, score] : test::hit_scores(*snap, *r)) out.insert(id);
      return out;
    };
    using S = std::set<std::string>;
    auto z = double_scalar(0.0), nz = double_scalar(-0.0);
    CHECK(ids("d", z, {}, {}, {}) == S{"pos", "one"});            // gte 0.0 leaves -0.0 out
    CHECK(ids("d", nz, {}, {}, {}) == S{"neg", "pos", "one"});
    CHECK(ids("d", {}, nz, {}, {}) == S{"pos", "one"});           // gt -0.0 starts at +0.0
    CHECK(ids("d", {}, {}, {}, z) == S{"neg"});                   // lt 0.0 ends at -0.0
    CHECK(ids("d", {}, {}, nz, {}) == S{"neg"});
    CHECK(ids("d", {}, {}, z, {}) == S{"neg", "pos"});
    CHECK(ids("d", z, {}, z, {}) == S{"pos"});
    CHECK(ids("d", string_scalar("NaN"), {}, {}, {}).empty());   // NaN sorts above everything
    CHECK(ids("d", {}, {}, string_scalar("NaN"), {}) == S{"neg", "pos", "one"});
    CHECK(ids("d", {}, {}, {}, string_scalar("NaN")) == S{"neg", "pos", "one"});
    CHECK(ids("d", {}, string_scalar("-Infinity"), {}, string_scalar("Infinity")) == S{"neg", "pos", "one"});
    CHECK(ids("l", int_scalar(INT64_MAX - 1), {}, {}, {}) == S{"max", "max-1"});  // exact, not via double
    CHECK(ids("l", {}, int_scalar(INT64_MAX - 1), {}, {}) == S{"max"});
    CHECK(ids("l", {}, int_scalar(INT64_MAX), {}, {}).empty());
    CHECK(ids("l", {}, {}, {}, int_scalar(INT64_MIN)).empty());
    CHECK(ids("l", {}, {}, int_scalar(INT64_MIN), {}) == S{"min"});
    CHECK(ids("l", {}, {}, string_scalar("9223372036854775806"), {}) == S{"min", "max-1"});
    CHECK(ids("l", double_scalar(9.3e18), {}, {}, {}).empty());    // above every long
    CHECK(ids("l", {}, {}, double_scalar(-9.3e18), {}).empty());
    CHECK(ids("l", {}, double_scalar(9.2e18), {}, {}) == S{"max", "max-1"});
  }
  std::filesystem::remove_all(dir);
}
