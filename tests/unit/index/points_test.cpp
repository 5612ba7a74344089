// Points (index/points.h): random fields of several shapes built into segments, merged with
// deletions, and read back leaf by leaf and through many random ranges, against a scan of the
// values the model indexed; leaf encodings at their edges; tampered leaf indexes and segments
// (checksum recomputed) refused at open or answered safely.
// Randomized tests print their seed; set SIFT_TEST_SEED to replay one.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "common/crc32c.h"
#include "index/numeric_codec.h"
#include "index/segment.h"

using namespace sift;
using namespace sift::index;

namespace {

using Rng = std::mt19937_64;

uint64_t test_seed() {
  const char* env = std::getenv("SIFT_TEST_SEED");
  uint64_t seed = env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::cout << "points_test seed: " << seed << " (SIFT_TEST_SEED=" << seed << " to replay)" << std::endl;
  return seed;
}

// Field shapes: time-ordered values (docs ascend in every leaf), a handful of distinct values,
// anything in int64 with several values per doc, indexed without doc values (the builder keeps
// pairs itself), doc values only (no points), and a field whose first docs have doc values and
// later ones not (the builder switches from reading the column to keeping pairs).
const char* const kFields[] = {"ts", "low", "wide", "nodv", "noidx", "switch"};

struct Doc {
  ParsedDocument parsed;
  DocMeta meta;
};

int64_t wide_value(Rng& rng) {
  switch (rng() % 7) {
    case 0: return INT64_MIN;
    case 1: return INT64_MAX;
    case 2: return INT64_MIN + static_cast<int64_t>(rng() % 3);
    case 3: return static_cast<int64_t>(rng());
    case 4: return double_to_sortable(-0.0);
    default: return static_cast<int64_t>(rng() % 40) - 20;
  }
}

Doc gen_doc(Rng& rng, uint32_t k, uint32_t n) {
  Doc d;
  d.meta.id = "d" + std::to_string(k);
  auto add = [&](const char* name, NumericKind kind, std::vector<int64_t> values, bool indexed, bool dv) {
    if (!values.empty()) d.parsed.numerics.push_back({name, kind, std::move(values), indexed, dv});
  };
  if (rng() % 10 != 0) {  // ~1.5 docs per millisecond, ascending
    add("ts", NumericKind::kDate, {896'659'206'000 + static_cast<int64_t>(k * 2 / 3)}, true, true);
  }
  if (rng() % 5 != 0) add("low", NumericKind::kLong, {static_cast<int64_t>(rng() % 4) * 100}, true, true);
  if (rng() % 3 != 0) {
    std::vector<int64_t> v;
    for (size_t m = 1 + rng() % 3; m > 0; --m) v.push_back(wide_value(rng));
    if (rng() % 8 == 0) v.push_back(v.front());  // the same value twice in one doc
    add("wide", NumericKind::kLong, v, true, true);
  }
  if (rng() % 2 == 0) {
    std::vector<int64_t> v;
    for (size_t m = 1 + rng() % 2; m > 0; --m) {
      v.push_back(double_to_sortable(static_cast<double>(static_cast<int64_t>(rng() % 200) - 100) / 4));
    }
    add("nodv", NumericKind::kDouble, v, true, false);
  }
  if (rng() % 2 == 0) add("noidx", NumericKind::kLong, {static_cast<int64_t>(rng() % 50)}, false, true);
  if (rng() % 2 == 0) add("switch", NumericKind::kLong, {static_cast<int64_t>(rng() % 1000)}, true, k < n / 2);
  return d;
}

std::vector<Doc> gen_docs(Rng& rng, uint32_t n) {
  std::vector<Doc> docs;
  for (uint32_t k = 0; k < n; ++k) docs.push_back(gen_doc(rng, k, n));
  return docs;
}

std::string build(const std::vector<const Doc*>& docs, const std::string& id) {
  SegmentBuilder b;
  for (const Doc* d : docs) b.add(d->parsed, d->meta, "{}");
  return b.finish(id);
}

std::shared_ptr<SegmentReader> open_ok(std::string bytes) {
  auto r = SegmentReader::open_bytes(std::move(bytes));
  REQUIRE(r.is_ok());
  return r.value();
}

using Pairs = std::vector<std::pair<int64_t, uint32_t>>;

// What the points of `field` must hold: every indexed (value, doc) once, sorted.
Pairs expected_pairs(const std::vector<const Doc*>& docs, const std::string& field) {
  std::set<std::pair<int64_t, uint32_t>> s;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    for (const auto& nf : docs[d]->parsed.numerics) {
      if (nf.name != field || !nf.indexed) continue;
      for (int64_t v : nf.values) s.emplace(v, d);
    }
  }
  return Pairs(s.begin(), s.end());
}

Pairs read_all(const PointValues& pv) {
  Pairs out;
  PointValues::Leaf leaf;
  for (uint32_t i = 0; i < pv.num_leaves(); ++i) {
    REQUIRE(pv.read_leaf(i, true, &leaf).is_ok());
    for (uint32_t k = 0; k < leaf.count; ++k) out.emplace_back(leaf.values[k], leaf.docs[k]);
  }
  return out;
}

std::vector<uint32_t> scan(const Pairs& pairs, int64_t lo, int64_t hi) {
  std::set<uint32_t> docs;
  for (const auto& [v, d] : pairs) {
    if (v >= lo && v <= hi) docs.insert(d);
  }
  return std::vector<uint32_t>(docs.begin(), docs.end());
}

// A bound near the data: a value present (or next to one), the extremes, or anything.
int64_t random_bound(Rng& rng, const Pairs& pairs) {
  uint64_t r = rng() % 10;
  if (!pairs.empty() && r < 6) {
    int64_t v = pairs[rng() % pairs.size()].first;
    if (r == 4 && v != INT64_MAX) return v + 1;
    if (r == 5 && v != INT64_MIN) return v - 1;
    return v;
  }
  if (r == 6) return INT64_MIN;
  if (r == 7) return INT64_MAX;
  return static_cast<int64_t>(rng());
}

// The points of every field against the model: exact content, then `ranges` random ranges
// (ordered, inverted, open-ended, extremes) against a scan.
void check_points(const SegmentReader& r, const std::vector<const Doc*>& docs, Rng& rng, int ranges) {
  for (const char* field : kFields) {
    INFO("field " << field);
    Pairs want = expected_pairs(docs, field);
    PointValues pv = r.points(field);
    const FieldInfo* info = r.field(field);
    CHECK(pv.size() == want.size());
    CHECK((info != nullptr && info->has_points) == !want.empty());
    if (want.empty()) {
      std::vector<uint32_t> got;
      CHECK(pv.intersect(INT64_MIN, INT64_MAX, &got).is_ok());
      CHECK(got.empty());
      continue;
    }
    CHECK(pv.num_leaves() == (want.size() + kPointsPerLeaf - 1) / kPointsPerLeaf);
    CHECK(pv.min_value() == want.front().first);
    CHECK(pv.max_value() == want.back().first);
    CHECK(read_all(pv) == want);
    std::vector<uint32_t> got;
    for (int i = 0; i < ranges; ++i) {
      int64_t lo = random_bound(rng, want), hi = random_bound(rng, want);
      if (rng() % 4 != 0 && lo > hi) std::swap(lo, hi);  // a quarter stay inverted when they were
      if (rng() % 10 == 0) lo = INT64_MIN;
      if (rng() % 10 == 0) hi = INT64_MAX;
      INFO("range [" << lo << ", " << hi << "]");
      REQUIRE(pv.intersect(lo, hi, &got).is_ok());
      REQUIRE(got == scan(want, lo, hi));
    }
    REQUIRE(pv.intersect(INT64_MIN, INT64_MAX, &got).is_ok());
    CHECK(got == scan(want, INT64_MIN, INT64_MAX));
    REQUIRE(pv.intersect(want.back().first, want.front().first, &got).is_ok());
    CHECK(got.empty() == (want.back().first != want.front().first));
  }
}

std::vector<const Doc*> ptrs(const std::vector<Doc>& docs) {
  std::vector<const Doc*> out;
  for (const Doc& d : docs) out.push_back(&d);
  return out;
}

// Encodes sorted pairs with a PointsWriter and opens them as PointValues; the strings own the bytes.
struct Encoded {
  std::string index, data;
  PointValues points;
};

Encoded encode(const Pairs& sorted, uint32_t max_doc) {
  PointsWriter w;
  for (const auto& [v, d] : sorted) w.add(v, d);
  w.finish();
  Encoded e{w.index(), w.data(), {}};
  auto pv = PointValues::open(e.index, e.data, w.num_points(), max_doc);
  REQUIRE(pv.is_ok());
  e.points = *pv;
  return e;
}

}  // namespace

TEST_CASE("points of built segments answer ranges as a scan of the values", "[points]") {
  uint64_t seed = test_seed();
  Rng rng(seed);
  for (uint32_t n : {1u, 7u, 600u, 3000u}) {
    INFO("seed " << seed << " docs " << n);
    std::vector<Doc> docs = gen_docs(rng, n);
    auto r = open_ok(build(ptrs(docs), "s"));
    check_points(*r, ptrs(docs), rng, 300);
    CHECK(r->points("nope").empty());
    CHECK(r->points("_id").empty());
  }
}

TEST_CASE("merged points drop deleted docs and renumber the rest", "[points]") {
  uint64_t seed = test_seed();
  Rng rng(seed);
  for (int round = 0; round < 3; ++round) {
    INFO("seed " << seed << " round " << round);
    std::vector<std::vector<Doc>> parts(3);
    std::vector<std::shared_ptr<SegmentReader>> readers;
    std::vector<LiveDocs> lives(3);
    std::vector<const Doc*> live_model;
    for (size_t i = 0; i < 3; ++i) {
      parts[i] = gen_docs(rng, static_cast<uint32_t>(rng() % 1500) + 1);
      if (i == 1 && round == 1) {  // an input without any numeric field
        for (Doc& d : parts[i]) d.parsed.numerics.clear();
      }
      readers.push_back(open_ok(build(ptrs(parts[i]), "in" + std::to_string(i))));
      uint64_t pct = round == 2 && i == 0 ? 100 : rng() % 60;  // one input fully deleted
      for (uint32_t k = 0; k < parts[i].size(); ++k) {
        if (rng() % 100 < pct) {
          lives[i].mark_deleted(k);
        } else {
          live_model.push_back(&parts[i][k]);
        }
      }
    }
    std::vector<MergeInput> inputs;
    for (size_t i = 0; i < 3; ++i) inputs.push_back({readers[i].get(), &lives[i]});
    std::vector<std::vector<uint32_t>> maps;
    auto merged = merge_segments(inputs, "merged", &maps);
    REQUIRE(merged.is_ok());
    auto r = open_ok(std::move(merged).value());
    REQUIRE(r->max_doc() == live_model.size());
    check_points(*r, live_model, rng, 200);

    std::vector<std::vector<uint32_t>> maps2;
    auto again = merge_segments({{r.get(), nullptr}}, "again", &maps2);
    REQUIRE(again.is_ok());
    check_points(*open_ok(std::move(again).value()), live_model, rng, 50);
  }
}

TEST_CASE("points leaves at their edges", "[points]") {
  SECTION("one point") {
    Encoded e = encode({{-5, 3}}, 4);
    std::vector<uint32_t> got;
    REQUIRE(e.points.intersect(-5, -5, &got).is_ok());
    CHECK(got == std::vector<uint32_t>{3});
    REQUIRE(e.points.intersect(-4, 100, &got).is_ok());
    CHECK(got.empty());
    REQUIRE(e.points.intersect(INT64_MIN, -6, &got).is_ok());
    CHECK(got.empty());
  }
  SECTION("full int64 span in one leaf, 64-bit deltas") {
    Pairs p = {{INT64_MIN, 2}, {INT64_MIN + 1, 0}, {-1, 1}, {0, 1}, {INT64_MAX - 1, 0}, {INT64_MAX, 2}};
    Encoded e = encode(p, 3);
    CHECK(e.points.num_leaves() == 1);
    CHECK(read_all(e.points) == p);
    std::vector<uint32_t> got;
    REQUIRE(e.points.intersect(INT64_MIN, INT64_MIN, &got).is_ok());
    CHECK(got == std::vector<uint32_t>{2});
    REQUIRE(e.points.intersect(INT64_MAX, INT64_MAX, &got).is_ok());
    CHECK(got == std::vector<uint32_t>{2});
    REQUIRE(e.points.intersect(INT64_MIN + 1, INT64_MAX - 1, &got).is_ok());
    CHECK(got == std::vector<uint32_t>{0, 1});
  }
  SECTION("512, 513 and 1025 points; equal values; descending docs") {
    for (uint32_t n : {511u, 512u, 513u, 1024u, 1025u}) {
      Pairs same, desc;
      for (uint32_t i = 0; i < n; ++i) {
        same.emplace_back(7, i * 3);             // one value: 0-bit values, ascending docs
        desc.emplace_back(i / 2, n - 1 - i);     // docs fall as values rise: offset form
      }
      std::sort(desc.begin(), desc.end());
      Encoded a = encode(same, n * 3), b = encode(desc, n);
      CHECK(a.points.size() == n);
      CHECK(a.points.num_leaves() == (n + 511) / 512);
      CHECK(read_all(a.points) == same);
      CHECK(read_all(b.points) == desc);
      std::vector<uint32_t> got;
      REQUIRE(a.points.intersect(7, 7, &got).is_ok());
      CHECK(got.size() == n);
      REQUIRE(b.points.intersect(10, 20, &got).is_ok());
      CHECK(got == scan(desc, 10, 20));
      REQUIRE(b.points.intersect(0, INT64_MAX, &got).is_ok());
      CHECK(got.size() == n);
      CHECK(std::is_sorted(got.begin(), got.end()));
    }
  }
  SECTION("a pair given twice is kept once") {
    PointsWriter w;
    w.add(1, 0);
    w.add(1, 0);
    w.add(1, 2);
    w.finish();
    CHECK(w.num_points() == 2);
  }
}

TEST_CASE("a tampered points index is refused at open or answered safely", "[points]") {
  Rng rng(17);
  Pairs p;
  for (uint32_t i = 0; i < 1300; ++i) p.emplace_back(static_cast<int64_t>(rng() % 5000) - 2500, static_cast<uint32_t>(rng() % 900));
  std::sort(p.begin(), p.end());
  p.erase(std::unique(p.begin(), p.end()), p.end());
  Encoded good = encode(p, 900);
  const uint64_t n = good.points.size();
  size_t refused = 0, answered = 0;
  auto try_open = [&](const std::string& index, const std::string& data, uint64_t num_points) {
    auto pv = PointValues::open(index, data, num_points, 900);
    if (!pv.is_ok()) {
      CHECK(pv.status().code() == Code::kCorruption);
      ++refused;
      return;
    }
    ++answered;
    std::vector<uint32_t> got;
    for (auto [lo, hi] : {std::pair<int64_t, int64_t>{INT64_MIN, INT64_MAX}, {-100, 100}, {0, 0}, {-2000, 2400}}) {
      Status st = pv->intersect(lo, hi, &got);
      if (!st.is_ok()) {
        CHECK(st.code() == Code::kCorruption);
        continue;
      }
      CHECK(std::is_sorted(got.begin(), got.end()));
      CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
      for (uint32_t d : got) CHECK(d < 900);
    }
  };
  for (size_t i = 0; i < good.index.size(); ++i) {
    for (uint8_t mask : {0x01, 0x10, 0x80}) {
      std::string bad = good.index;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      try_open(bad, good.data, n);
    }
  }
  for (size_t i = 0; i < good.data.size(); i += 3) {
    std::string bad = good.data;
    bad[i] = static_cast<char>(bad[i] ^ 0x44);
    try_open(good.index, bad, n);
  }
  try_open(good.index, good.data.substr(0, good.data.size() - 1), n);
  try_open(good.index, good.data + "x", n);
  try_open(good.index.substr(0, good.index.size() - 32), good.data, n);
  try_open(good.index, good.data, n + 1);
  try_open(good.index, good.data, 0);
  CHECK(refused > good.index.size());  // most index flips break an invariant
  CHECK(answered > 0);                  // data flips mostly pass the open checks
  auto ok = PointValues::open(good.index, good.data, n, 900);
  REQUIRE(ok.is_ok());
  CHECK_FALSE(PointValues::open(good.index, good.data, n, 10).is_ok());  // a doc base past max_doc
}

TEST_CASE("a leaf whose equal values lose their doc order is corruption", "[points]") {
  // One leaf, two pairs of value 7 with docs 5 then 3 (offset form from base 3, 2 bits each):
  // every index check passes, only decoding the values can tell.
  ByteWriter index;
  index.put_i64(7);
  index.put_i64(7);
  index.put_u64(0);
  index.put_u32(3);
  index.put_u8(0);
  index.put_u8(2);
  index.put_u8(0);
  index.put_u8(0);
  const std::string data(1, '\x02');
  auto pv = PointValues::open(index.data(), data, 2, 10);
  REQUIRE(pv.is_ok());
  PointValues::Leaf leaf;
  REQUIRE(pv->read_leaf(0, false, &leaf).is_ok());
  CHECK(leaf.docs[0] == 5);
  CHECK(leaf.docs[1] == 3);
  Status st = pv->read_leaf(0, true, &leaf);
  CHECK(st.code() == Code::kCorruption);
  std::vector<uint32_t> got;
  REQUIRE(pv->intersect(7, 7, &got).is_ok());  // the whole leaf is inside: docs only, sorted
  CHECK(got == std::vector<uint32_t>{3, 5});
}

TEST_CASE("segments with tampered points fail to open or answer safely", "[points]") {
  Rng rng(23);
  std::vector<Doc> docs = gen_docs(rng, 700);
  const std::string good = build(ptrs(docs), "p");
  REQUIRE(SegmentReader::open_bytes(good).is_ok());
  size_t points_refusals = 0;
  for (size_t i = 0; i + 16 < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x21);
    uint32_t crc = crc32c(bad.data(), bad.size() - 8);  // a well-formed file with wrong content
    std::memcpy(&bad[bad.size() - 8], &crc, 4);
    auto r = SegmentReader::open_bytes(std::move(bad));
    if (!r.is_ok()) {
      CHECK(r.status().type() == "corrupt_index_exception");
      points_refusals += r.status().reason().find("points") != std::string::npos;
      continue;
    }
    std::vector<uint32_t> got;
    for (const char* field : kFields) {
      Status st = (*r)->points(field).intersect(-50, 500, &got);
      if (!st.is_ok()) CHECK(st.code() == Code::kCorruption);
      for (uint32_t d : got) CHECK(d < (*r)->max_doc());
    }
  }
  CHECK(points_refusals > 50);
  // Unchanged bytes without the checksum fix-up: every flip is refused by the checksum.
  std::string flipped = good;
  flipped[good.size() / 2] ^= 1;
  CHECK_FALSE(SegmentReader::open_bytes(flipped).is_ok());
}
