// Segment format v3: randomized round trips (builder and merge) against a naive model, norms,
// corruption and truncation, empty segments, concurrency and a 100k-doc build.
// Randomized tests print their seed; set SIFT_TEST_SEED to replay one.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/crc32c.h"
#include "index/directory.h"
#include "index/numeric_codec.h"
#include "index/segment.h"

using namespace sift;
using namespace sift::index;

namespace {

uint64_t test_seed() {
  const char* env = std::getenv("SIFT_TEST_SEED");
  uint64_t seed = env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::cout << "segment_test seed: " << seed << " (SIFT_TEST_SEED=" << seed << " to replay)" << std::endl;
  return seed;
}

struct ModelDoc {
  ParsedDocument parsed;
  DocMeta meta;
  std::string source;
};

using Rng = std::mt19937_64;

std::vector<std::string> make_vocab() {
  std::vector<std::string> v = {"a", "ab", "abc", "abcd", "abd", "b", "fox", "\xc3\xa9t\xc3\xa9", "\xff", "z", "zz"};
  for (int i = 0; i < 150; ++i) v.push_back("w" + std::to_string(i * 7919 % 1000));
  return v;
}

const std::vector<std::string>& vocab() {
  static const std::vector<std::string> v = make_vocab();
  return v;
}

std::string pick(Rng& rng, const std::vector<std::string>& v) {
  size_t a = rng() % v.size(), b = rng() % v.size();
  return v[std::min(a, b)];  // skewed: low indexes repeat more
}

ParsedDocument::TextField gen_text(Rng& rng, const std::string& name, size_t max_tokens, bool norms) {
  ParsedDocument::TextField tf;
  tf.name = name;
  tf.norms = norms;
  tf.positions = norms;
  size_t n = rng() % (max_tokens + 1);
  uint32_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    analysis::Token t;
    t.term = pick(rng, vocab());
    uint64_t r = rng() % 20;
    if (i > 0) pos += r == 0 ? 0 : (r == 1 ? 100 : 1);
    t.position = pos;
    t.start_offset = static_cast<uint32_t>(i * 3);
    t.end_offset = t.start_offset + 2;
    tf.tokens.push_back(std::move(t));
  }
  if (rng() % 10 == 0) std::shuffle(tf.tokens.begin(), tf.tokens.end(), rng);
  tf.length = static_cast<uint32_t>(tf.tokens.size());
  return tf;
}

ModelDoc gen_doc(Rng& rng, uint32_t k, uint32_t id_space) {
  static const std::vector<std::string> tags = {"", "red", "green", "blue", "x\xc3\xa9", "\x01", "y"};
  ModelDoc d;
  ParsedDocument& p = d.parsed;
  d.meta.id = "id-" + std::to_string(rng() % id_space);
  d.meta.routing = rng() % 3 == 0 ? "r" + std::to_string(rng() % 5) : "";
  d.meta.seq_no = k;
  d.meta.primary_term = 1 + static_cast<int64_t>(rng() % 3);
  d.meta.version = -static_cast<int64_t>(rng() % 3) + 5;
  if (rng() % 5 != 0) p.text.push_back(gen_text(rng, "body", 40, true));
  if (rng() % 2 == 0) p.text.push_back(gen_text(rng, "title", 5, false));
  if (rng() % 10 < 7) {
    ParsedDocument::TermField tf{"tags", {}, true, true};
    for (size_t n = rng() % 6; n > 0; --n) tf.values.push_back(pick(rng, tags));
    p.terms.push_back(std::move(tf));
  }
  if (rng() % 2 == 0) {
    ParsedDocument::TermField tf{"code", {}, false, true};
    for (size_t n = 1 + rng() % 2; n > 0; --n) tf.values.push_back("c" + std::to_string(rng() % 40));
    p.terms.push_back(std::move(tf));
  }
  if (rng() % 10 < 7) {
    ParsedDocument::NumericField nf{"num", NumericKind::kLong, {}, true, true};
    for (size_t n = 1 + rng() % 3; n > 0; --n) {
      uint64_t r = rng() % 6;
      nf.values.push_back(r == 0 ? INT64_MIN : r == 1 ? INT64_MAX : r == 2 ? static_cast<int64_t>(rng())
                                                                            : static_cast<int64_t>(rng() % 50) - 25);
    }
    p.numerics.push_back(std::move(nf));
  }
  if (rng() % 2 == 0) {
    double v = static_cast<double>(static_cast<int64_t>(rng() % 2000) - 1000) / 8.0;
    p.numerics.push_back({"price", NumericKind::kDouble, {double_to_sortable(v)}, true, false});
  }
  for (const auto& t : p.text) if (!t.tokens.empty()) p.field_names.push_back(t.name);
  for (const auto& t : p.terms) if (!t.values.empty()) p.field_names.push_back(t.name);
  for (const auto& n : p.numerics) if (!n.values.empty()) p.field_names.push_back(n.name);
  size_t len = rng() % 50 == 0 ? 20000 : rng() % 200;
  for (size_t i = 0; i < len; ++i) d.source.push_back(static_cast<char>(rng() % 256));
  return d;
}

// The naive model: everything the reader should answer, computed from the docs directly.
struct Posting {
  uint32_t doc;
  uint32_t freq;
  std::vector<uint32_t> positions;
  bool operator==(const Posting& o) const { return doc == o.doc && freq == o.freq && positions == o.positions; }
};

struct Model {
  std::map<std::string, std::map<std::string, std::vector<Posting>>> postings;
  std::map<std::string, std::set<uint32_t>> docs_with_value;
  std::map<std::string, std::map<uint32_t, uint8_t>> norms;
  std::map<std::string, std::map<uint32_t, std::vector<int64_t>>> numeric_dv;
  std::map<std::string, std::map<uint32_t, std::vector<std::string>>> sorted_dv;
  std::map<std::string, bool> has_freqs;
};

void model_add(Model& m, const std::string& field, const std::string& term, uint32_t doc) {
  auto& list = m.postings[field][term];
  if (list.empty() || list.back().doc != doc) list.push_back({doc, 1, {}});
  m.docs_with_value[field].insert(doc);
}

Model build_model(const std::vector<const ModelDoc*>& docs) {
  Model m;
  m.postings["_id"];
  m.postings["_field_names"];
  for (uint32_t d = 0; d < docs.size(); ++d) {
    const ParsedDocument& p = docs[d]->parsed;
    for (const auto& tf : p.text) {
      m.has_freqs[tf.name] = true;
      if (tf.norms) m.norms[tf.name][d] = encode_norm(tf.length);
      std::map<std::string, std::vector<uint32_t>> per_term;
      for (const auto& t : tf.tokens) per_term[t.term].push_back(t.position);
      for (auto& [term, pos] : per_term) {
        std::sort(pos.begin(), pos.end());
        uint32_t freq = static_cast<uint32_t>(pos.size());
        m.postings[tf.name][term].push_back({d, freq, tf.positions ? pos : std::vector<uint32_t>{}});
        m.docs_with_value[tf.name].insert(d);
      }
    }
    for (const auto& tf : p.terms) {
      if (tf.values.empty()) continue;
      if (tf.indexed) {
        std::set<std::string> uniq(tf.values.begin(), tf.values.end());
        for (const auto& v : uniq) model_add(m, tf.name, v, d);
      }
      if (tf.doc_values) {
        std::set<std::string> uniq(tf.values.begin(), tf.values.end());
        m.sorted_dv[tf.name][d] = std::vector<std::string>(uniq.begin(), uniq.end());
        m.docs_with_value[tf.name].insert(d);
      }
    }
    for (const auto& nf : p.numerics) {
      if (nf.values.empty()) continue;
      if (nf.indexed) {
        std::set<int64_t> uniq(nf.values.begin(), nf.values.end());
        for (int64_t v : uniq) model_add(m, nf.name, encode_sortable_term(v), d);
      }
      if (nf.doc_values) {
        auto v = nf.values;
        std::sort(v.begin(), v.end());
        m.numeric_dv[nf.name][d] = v;
        m.docs_with_value[nf.name].insert(d);
      }
    }
    model_add(m, "_id", docs[d]->meta.id, d);
    for (const auto& n : std::set<std::string>(p.field_names.begin(), p.field_names.end())) {
      model_add(m, "_field_names", n, d);
    }
  }
  return m;
}

std::vector<Posting> read_postings(const SegmentReader& r, const std::string& field, const std::string& term,
                                   bool positions) {
  std::vector<Posting> out;
  PostingsIterator it = r.postings(field, term);
  for (uint32_t d = it.next(); d != kNoMoreDocs; d = it.next()) {
    out.push_back({d, it.freq(), positions ? it.positions() : std::vector<uint32_t>{}});
  }
  return out;
}

void check_segment(const SegmentReader& r, const std::vector<const ModelDoc*>& docs, Rng& rng) {
  Model m = build_model(docs);
  REQUIRE(r.max_doc() == docs.size());
  REQUIRE(r.field("_id") != nullptr);
  REQUIRE(r.field("_field_names") != nullptr);
  for (const auto& [name, terms] : m.postings) {
    INFO("field " << name);
    REQUIRE(r.field(name) != nullptr);
  }
  for (const FieldInfo& f : r.fields()) {
    INFO("field " << f.name);
    const auto& terms = m.postings[f.name];
    const bool text = f.kind == FieldIndexKind::kText;
    uint64_t sum_df = 0, sum_ttf = 0;
    std::vector<std::string> expected_terms;
    for (const auto& [t, list] : terms) {
      expected_terms.push_back(t);
      sum_df += list.size();
      for (const Posting& p : list) sum_ttf += p.freq;
    }
    CHECK(f.doc_count == m.docs_with_value[f.name].size());
    CHECK(f.sum_doc_freq == sum_df);
    CHECK(f.sum_total_term_freq == sum_ttf);
    CHECK(r.terms_from(f.name, "", SIZE_MAX) == expected_terms);
    for (const auto& [t, list] : terms) {
      INFO("term " << t);
      auto stats = r.term_stats(f.name, t);
      REQUIRE(stats.has_value());
      CHECK(stats->doc_freq == list.size());
      uint64_t ttf = 0;
      for (const Posting& p : list) ttf += p.freq;
      CHECK(stats->total_term_freq == ttf);
      CHECK(read_postings(r, f.name, t, f.has_positions) == list);
      // advance() against the model's lower bound, mixed with next().
      PostingsIterator it = r.postings(f.name, t);
      CHECK(it.cost() == list.size());
      for (uint32_t target = static_cast<uint32_t>(rng() % 4); target <= r.max_doc() + 1;
           target += 1 + static_cast<uint32_t>(rng() % 7)) {
        if (it.doc() != static_cast<uint32_t>(-1) && it.doc() >= target) continue;
        auto lb = std::lower_bound(list.begin(), list.end(), target,
                                   [](const Posting& p, uint32_t v) { return p.doc < v; });
        uint32_t got = it.advance(target);
        REQUIRE(got == (lb == list.end() ? kNoMoreDocs : lb->doc));
        if (lb == list.end()) break;
        if (text) CHECK(it.freq() == lb->freq);
        if (f.has_positions && rng() % 2 == 0) CHECK(it.positions() == lb->positions);
      }
      // Paging from this term.
      auto page = r.terms_from(f.name, t, 3);
      auto pos = std::find(expected_terms.begin(), expected_terms.end(), t);
      CHECK(page == std::vector<std::string>(pos, pos + std::min<ptrdiff_t>(3, expected_terms.end() - pos)));
    }
    CHECK_FALSE(r.term_stats(f.name, "no-such-term").has_value());
    CHECK(r.postings(f.name, "no-such-term").next() == kNoMoreDocs);
    if (!expected_terms.empty()) {
      // A "from" between terms starts at the next term.
      std::string from = expected_terms[0] + std::string(1, '\0');
      auto page = r.terms_from(f.name, from, 2);
      CHECK(page == std::vector<std::string>(expected_terms.begin() + 1,
                                             expected_terms.begin() + std::min<size_t>(3, expected_terms.size())));
    }
  }
  std::vector<int64_t> nums;
  std::vector<std::string> strs;
  StoredDocument sd;
  std::map<std::string, uint32_t> last_doc_of_id;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    INFO("doc " << d);
    for (const char* f : {"body", "title"}) {
      auto it = m.norms[f].find(d);
      CHECK(r.norm(f, d) == (it == m.norms[f].end() ? 0 : it->second));
    }
    for (const char* f : {"num", "price"}) {
      r.numeric_values(f, d, &nums);
      auto it = m.numeric_dv[f].find(d);
      CHECK(nums == (it == m.numeric_dv[f].end() ? std::vector<int64_t>{} : it->second));
    }
    for (const char* f : {"tags", "code"}) {
      r.term_values(f, d, &strs);
      auto it = m.sorted_dv[f].find(d);
      CHECK(strs == (it == m.sorted_dv[f].end() ? std::vector<std::string>{} : it->second));
    }
    REQUIRE(r.stored(d, &sd).is_ok());
    CHECK(sd.meta.id == docs[d]->meta.id);
    CHECK(sd.meta.routing == docs[d]->meta.routing);
    CHECK(sd.meta.seq_no == docs[d]->meta.seq_no);
    CHECK(sd.meta.primary_term == docs[d]->meta.primary_term);
    CHECK(sd.meta.version == docs[d]->meta.version);
    CHECK(sd.source == docs[d]->source);
    last_doc_of_id[docs[d]->meta.id] = d;
  }
  CHECK_FALSE(r.stored(r.max_doc(), &sd).is_ok());
  for (const auto& [id, d] : last_doc_of_id) {
    INFO("id " << id);
    CHECK(r.find_id(id) == std::optional<uint32_t>(d));
  }
  CHECK_FALSE(r.find_id("no-such-id").has_value());
}

std::string build(const std::vector<ModelDoc>& docs, const std::string& id) {
  SegmentBuilder b;
  for (const ModelDoc& d : docs) b.add(d.parsed, d.meta, d.source);
  return b.finish(id);
}

std::vector<const ModelDoc*> ptrs(const std::vector<ModelDoc>& docs) {
  std::vector<const ModelDoc*> out;
  for (const auto& d : docs) out.push_back(&d);
  return out;
}

std::shared_ptr<SegmentReader> open_ok(std::string bytes) {
  auto r = SegmentReader::open_bytes(std::move(bytes));
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  return r.value();
}

}  // namespace

TEST_CASE("norms encode like Lucene's SmallFloat.intToByte4", "[segment]") {
  for (uint32_t i = 0; i <= 40; ++i) CHECK(decode_norm(encode_norm(i)) == i);
  for (uint32_t i = 0; i < 24; ++i) CHECK(encode_norm(i) == i);
  CHECK(encode_norm(100) == 57);
  CHECK(decode_norm(57) == 96);
  CHECK(encode_norm(41) == encode_norm(40));
  CHECK(decode_norm(255) == 2013265944u);
  CHECK(encode_norm(UINT32_MAX) == 255);
  uint8_t prev = 0;
  for (uint32_t x = 0; x < 5000000; x += 1 + x / 64) {
    uint8_t e = encode_norm(x);
    CHECK(e >= prev);
    CHECK(decode_norm(e) <= x);
    prev = e;
  }
  for (int b = 0; b < 256; ++b) {
    CHECK(encode_norm(decode_norm(static_cast<uint8_t>(b))) == b);
    if (b > 0) CHECK(decode_norm(static_cast<uint8_t>(b)) > decode_norm(static_cast<uint8_t>(b - 1)));
  }
}

TEST_CASE("segment round trip matches the model", "[segment]") {
  uint64_t seed = test_seed();
  Rng rng(seed);
  for (int round = 0; round < 4; ++round) {
    uint32_t n = round == 0 ? 1 : 50 + static_cast<uint32_t>(rng() % 400);
    INFO("seed " << seed << " round " << round << " docs " << n);
    std::vector<ModelDoc> docs;
    for (uint32_t k = 0; k < n; ++k) docs.push_back(gen_doc(rng, k, n));
    SegmentBuilder b;
    for (const ModelDoc& d : docs) b.add(d.parsed, d.meta, d.source);
    REQUIRE(b.num_docs() == n);
    CHECK(b.ram_bytes() > 0);
    for (uint32_t k = 0; k < n; ++k) {
      CHECK(b.meta(k).id == docs[k].meta.id);
      CHECK(b.source(k) == docs[k].source);
    }
    auto r = open_ok(b.finish("seg_" + std::to_string(round)));
    CHECK(r->segment_id() == "seg_" + std::to_string(round));
    CHECK(r->size_bytes() > 0);
    const FieldInfo* body = r->field("body");
    if (body != nullptr) {
      CHECK(body->kind == FieldIndexKind::kText);
      CHECK(body->has_positions);
      CHECK(body->has_norms);
    }
    if (const FieldInfo* price = r->field("price")) {
      CHECK(price->numeric_kind == NumericKind::kDouble);
      CHECK_FALSE(price->has_doc_values);
    }
    if (const FieldInfo* code = r->field("code")) {
      CHECK_FALSE(code->has_postings);
      CHECK(code->has_doc_values);
    }
    check_segment(*r, ptrs(docs), rng);
  }
}

TEST_CASE("merge of three segments with deletions matches the model", "[segment]") {
  uint64_t seed = test_seed();
  Rng rng(seed);
  for (int round = 0; round < 3; ++round) {
    INFO("seed " << seed << " round " << round);
    std::vector<std::vector<ModelDoc>> parts(3);
    std::vector<std::shared_ptr<SegmentReader>> readers;
    std::vector<LiveDocs> lives(3);
    std::vector<const ModelDoc*> live_model;
    std::vector<std::vector<uint32_t>> expected_maps(3);
    uint32_t next = 0;
    for (size_t i = 0; i < 3; ++i) {
      uint32_t n = static_cast<uint32_t>(rng() % 200) + (i == 1 ? 0 : 1);
      for (uint32_t k = 0; k < n; ++k) parts[i].push_back(gen_doc(rng, k, 150));
      readers.push_back(open_ok(build(parts[i], "in" + std::to_string(i))));
      uint64_t pct = round == 2 && i == 0 ? 100 : rng() % 60;  // one input fully deleted
      for (uint32_t k = 0; k < n; ++k) {
        if (rng() % 100 < pct) {
          lives[i].mark_deleted(k);
          expected_maps[i].push_back(kNoMoreDocs);
        } else {
          expected_maps[i].push_back(next++);
          live_model.push_back(&parts[i][k]);
        }
      }
    }
    std::vector<MergeInput> inputs;
    for (size_t i = 0; i < 3; ++i) inputs.push_back({readers[i].get(), &lives[i]});
    std::vector<std::vector<uint32_t>> maps;
    auto merged = merge_segments(inputs, "merged", &maps);
    REQUIRE(merged.is_ok());
    CHECK(maps == expected_maps);
    auto r = open_ok(std::move(merged).value());
    CHECK(r->segment_id() == "merged");
    check_segment(*r, live_model, rng);

    // Merging the result again without deletions is an identity on content.
    std::vector<std::vector<uint32_t>> maps2;
    auto again = merge_segments({{r.get(), nullptr}}, "again", &maps2);
    REQUIRE(again.is_ok());
    REQUIRE(maps2.size() == 1);
    for (uint32_t d = 0; d < maps2[0].size(); ++d) CHECK(maps2[0][d] == d);
    check_segment(*open_ok(std::move(again).value()), live_model, rng);
  }
}

TEST_CASE("segment opens from a memory-mapped file", "[segment]") {
  Rng rng(5);
  std::vector<ModelDoc> docs;
  for (uint32_t k = 0; k < 30; ++k) docs.push_back(gen_doc(rng, k, 30));
  const std::string path = "/tmp/sift_segment_test_" + std::to_string(::getpid());
  auto dir = Directory::open(path, true);
  REQUIRE(dir.is_ok());
  REQUIRE((*dir)->write_file("_0.seg", build(docs, "_0"), false).is_ok());
  auto file = (*dir)->map("_0.seg");
  REQUIRE(file.is_ok());
  auto r = SegmentReader::open(file.value());
  REQUIRE(r.is_ok());
  CHECK(r.value()->segment_id() == "_0");
  check_segment(*r.value(), ptrs(docs), rng);
  CHECK(remove_tree(path).is_ok());
}

TEST_CASE("empty segment opens and answers nothing", "[segment]") {
  SegmentBuilder b;
  CHECK(b.num_docs() == 0);
  auto r = open_ok(b.finish("empty"));
  CHECK(r->max_doc() == 0);
  CHECK(r->segment_id() == "empty");
  REQUIRE(r->field("_id") != nullptr);
  REQUIRE(r->field("_field_names") != nullptr);
  CHECK(r->field("_id")->doc_count == 0);
  CHECK(r->field("nope") == nullptr);
  CHECK(r->terms_from("_id", "", 10).empty());
  CHECK_FALSE(r->find_id("x").has_value());
  CHECK(r->postings("_id", "x").next() == kNoMoreDocs);
  CHECK(r->norm("body", 0) == 0);
  StoredDocument sd;
  CHECK_FALSE(r->stored(0, &sd).is_ok());
  std::vector<std::vector<uint32_t>> maps;
  auto merged = merge_segments({{r.get(), nullptr}, {r.get(), nullptr}}, "m", &maps);
  REQUIRE(merged.is_ok());
  CHECK(open_ok(std::move(merged).value())->max_doc() == 0);
  CHECK(maps == std::vector<std::vector<uint32_t>>{{}, {}});
}

TEST_CASE("corrupted or truncated segments fail to open", "[segment]") {
  Rng rng(7);
  std::vector<ModelDoc> docs;
  for (uint32_t k = 0; k < 4; ++k) docs.push_back(gen_doc(rng, k, 10));
  const std::string good = build(docs, "small");
  REQUIRE(SegmentReader::open_bytes(good).is_ok());
  INFO("segment size " << good.size());
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto r = SegmentReader::open_bytes(std::move(bad));
      INFO("byte " << i << " mask " << int(mask));
      REQUIRE_FALSE(r.is_ok());
      CHECK(r.status().code() == Code::kCorruption);
      CHECK(r.status().type() == "corrupt_index_exception");
    }
  }
  for (size_t n = 0; n < good.size(); ++n) {
    auto r = SegmentReader::open_bytes(good.substr(0, n));
    INFO("truncated to " << n);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kCorruption);
  }
  // Trailing garbage moves the footer: also rejected.
  CHECK_FALSE(SegmentReader::open_bytes(good + "x").is_ok());
}

TEST_CASE("version outside the supported range is a clear error", "[segment]") {
  std::string bytes = SegmentBuilder().finish("v");
  const size_t version_at = 8 + 1 + std::string("sift-segment").size();
  for (uint32_t v : {2u, 4u}) {  // v2 (no points) is too old since v3
    std::string b = bytes;
    std::memcpy(&b[version_at], &v, 4);
    uint32_t crc = crc32c(b.data(), b.size() - 8);  // a well-formed file of another version
    std::memcpy(&b[b.size() - 8], &crc, 4);
    auto r = SegmentReader::open_bytes(b);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kCorruption);
    CHECK_THAT(r.status().reason(), Catch::Contains(v == 2 ? "format too old" : "format too new"));
  }
  auto bad_magic = SegmentReader::open_bytes(std::string(64, 'x'));
  REQUIRE_FALSE(bad_magic.is_ok());
  CHECK_THAT(bad_magic.status().reason(), Catch::Contains("not a sift segment"));
}

TEST_CASE("readers serve concurrent threads", "[segment]") {
  Rng rng(11);
  std::vector<ModelDoc> docs;
  for (uint32_t k = 0; k < 600; ++k) docs.push_back(gen_doc(rng, k, 100000));
  auto r = open_ok(build(docs, "conc"));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      StoredDocument sd;
      Rng local(static_cast<uint64_t>(t));
      for (int i = 0; i < 2000; ++i) {
        uint32_t d = static_cast<uint32_t>(local() % docs.size());
        if (!r->stored(d, &sd).is_ok() || sd.source != docs[d].source || sd.meta.id != docs[d].meta.id) ++failures;
        auto it = r->postings("_id", docs[d].meta.id);
        if (it.advance(d) != d) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
}

TEST_CASE("100k small docs build, finish and open", "[segment]") {
  Rng rng(3);
  std::vector<ModelDoc> templates;
  for (uint32_t k = 0; k < 1000; ++k) {
    ModelDoc d;
    d.parsed.text.push_back(gen_text(rng, "body", 12, true));
    d.parsed.terms.push_back({"tag", {"t" + std::to_string(rng() % 100)}, true, true});
    d.parsed.numerics.push_back({"n", NumericKind::kLong, {static_cast<int64_t>(rng() % 100000)}, true, true});
    d.parsed.field_names = {"body", "tag", "n"};
    d.source = std::string(100, 'a' + static_cast<char>(k % 26));
    templates.push_back(std::move(d));
  }
  const uint32_t n = 100000;
  auto start = std::chrono::steady_clock::now();
  SegmentBuilder b;
  DocMeta meta;
  for (uint32_t k = 0; k < n; ++k) {
    meta.id = "doc-" + std::to_string(k);
    meta.seq_no = k;
    const ModelDoc& t = templates[k % templates.size()];
    b.add(t.parsed, meta, t.source);
  }
  auto added = std::chrono::steady_clock::now();
  std::string bytes = b.finish("big");
  auto finished = std::chrono::steady_clock::now();
  auto r = open_ok(std::move(bytes));
  auto opened = std::chrono::steady_clock::now();
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::cout << "100k docs: add " << secs(start, added) << "s (" << static_cast<uint64_t>(n / secs(start, added))
            << " docs/s), finish " << secs(added, finished) << "s, open " << secs(finished, opened)
            << "s, size " << r->size_bytes() << " bytes, ram estimate " << b.ram_bytes() << std::endl;
  REQUIRE(r->max_doc() == n);
  CHECK(r->find_id("doc-0") == std::optional<uint32_t>(0));
  CHECK(r->find_id("doc-99999") == std::optional<uint32_t>(99999));
  CHECK(r->field("_id")->doc_count == n);
  CHECK(r->field("tag")->doc_count == n);
  StoredDocument sd;
  REQUIRE(r->stored(54321, &sd).is_ok());
  CHECK(sd.meta.id == "doc-54321");
  CHECK(sd.source == templates[54321 % 1000].source);
  uint64_t tokens = 0;
  for (uint32_t k = 0; k < n; ++k) tokens += templates[k % 1000].parsed.text[0].tokens.size();
  CHECK(r->field("body")->sum_total_term_freq == tokens);
}
