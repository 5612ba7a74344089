// Postings format v2: blocks of 128 with skip entries and impacts. Long posting lists of several
// shapes (dense, sparse, huge gaps, high freqs) round-trip through the builder and a merge; advance
// lands where a lower bound says; block impacts bound every doc of their block and are exactly
// the competitive pairs; shallow_advance agrees with the blocks next() walks.
#include <algorithm>
#include <map>
#include <random>

#include <catch2/catch.hpp>

#include "index/postings_format.h"
#include "index/segment.h"

using namespace sift;
using namespace sift::index;

namespace {

struct Entry {
  uint32_t doc;
  uint32_t freq;
  std::vector<uint32_t> positions;
};

// Docs of one text field "f"; term "t<k>" appears in the docs `shape` k selects.
struct Corpus {
  uint32_t max_doc = 0;
  std::map<std::string, std::vector<Entry>> postings;
  std::vector<uint32_t> lengths;
  std::vector<ParsedDocument> docs;
};

Corpus make_corpus(uint32_t max_doc, uint64_t seed) {
  REQUIRE(max_doc >= 1000);  // the fixed shapes below need the room
  std::mt19937_64 rng(seed);
  Corpus c;
  c.max_doc = max_doc;
  std::vector<std::vector<std::pair<std::string, uint32_t>>> per_doc(max_doc);  // (term, freq)
  auto add = [&](const std::string& term, uint32_t doc, uint32_t freq) { per_doc[doc].emplace_back(term, freq); };
  for (uint32_t d = 0; d < max_doc; ++d) add("dense", d, 1 + static_cast<uint32_t>(rng() % 3));
  for (uint32_t d = 0; d < max_doc; d += 2) add("even", d, 1);
  for (uint32_t d = 5; d < max_doc; d += 97) add("sparse", d, 1 + static_cast<uint32_t>(rng() % 50));
  for (uint32_t d = 0; d < max_doc; ++d) {
    if (rng() % 3 == 0) add("random", d, rng() % 100 == 0 ? 700 : 1 + static_cast<uint32_t>(rng() % 4));
  }
  // Exactly 128 and 129 docs, and one with a huge gap in the middle.
  for (uint32_t i = 0; i < 128; ++i) add("exact128", i * 3, 1);
  for (uint32_t i = 0; i < 129; ++i) add("exact129", i * 5, 2);
  for (uint32_t i = 0; i < 200; ++i) add("gap", i < 100 ? i : max_doc - 200 + i, 1);
  add("single", max_doc - 1, 4);

  for (uint32_t d = 0; d < max_doc; ++d) {
    ParsedDocument p;
    ParsedDocument::TextField tf;
    tf.name = "f";
    tf.norms = true;
    tf.positions = true;
    uint32_t pos = 0;
    for (auto& [term, freq] : per_doc[d]) {
      Entry e{d, freq, {}};
      for (uint32_t k = 0; k < freq; ++k) {
        analysis::Token t;
        t.term = term;
        t.position = pos;
        e.positions.push_back(pos);
        pos += 1 + static_cast<uint32_t>(rng() % 3);
        tf.tokens.push_back(std::move(t));
      }
      c.postings[term].push_back(std::move(e));
    }
    // Lengths spread over the lossy norm range so blocks see many norm values.
    tf.length = static_cast<uint32_t>(tf.tokens.size() + rng() % (d % 7 == 0 ? 5000 : 60));
    c.lengths.push_back(tf.length);
    // Tokens of one doc must be in position order for the builder's fast path; they are.
    p.text.push_back(std::move(tf));
    p.field_names.push_back("f");
    c.docs.push_back(std::move(p));
  }
  return c;
}

std::shared_ptr<SegmentReader> build(const Corpus& c) {
  SegmentBuilder b;
  for (uint32_t d = 0; d < c.max_doc; ++d) {
    DocMeta m;
    m.id = std::to_string(d);
    b.add(c.docs[d], m, "{}");
  }
  auto r = SegmentReader::open_bytes(b.finish("p"));
  REQUIRE(r.is_ok());
  return r.value();
}

// The exact competitive pairs of docs[first, last).
std::vector<std::pair<uint32_t, uint8_t>> frontier(const std::vector<Entry>& list, size_t first, size_t last,
                                                   const SegmentReader& r) {
  std::map<uint8_t, uint32_t> best;
  for (size_t i = first; i < last; ++i) {
    uint8_t n = r.norm("f", list[i].doc);
    best[n] = std::max(best[n], list[i].freq);
  }
  std::vector<std::pair<uint32_t, uint8_t>> out;
  uint32_t top = 0;
  for (auto& [n, f] : best) {
    if (f > top) {
      top = f;
      out.emplace_back(f, n);
    }
  }
  return out;
}

std::vector<std::pair<uint32_t, uint8_t>> pairs(const std::vector<Impact>& v) {
  std::vector<std::pair<uint32_t, uint8_t>> out;
  for (const Impact& i : v) out.emplace_back(i.freq, i.norm);
  return out;
}

void check_reader(const SegmentReader& r, const Corpus& c, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Impact> impacts;
  for (const auto& [term, list] : c.postings) {
    INFO("term " << term << " docs " << list.size());
    // next() with positions on every third doc (the rest are skipped over).
    PostingsIterator it = r.postings("f", term);
    REQUIRE(it.cost() == list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      REQUIRE(it.next() == list[i].doc);
      REQUIRE(it.freq() == list[i].freq);
      if (i % 3 == 0) REQUIRE(it.positions() == list[i].positions);
    }
    REQUIRE(it.next() == kNoMoreDocs);
    REQUIRE(it.next() == kNoMoreDocs);

    // advance() to random targets, small and large jumps.
    for (int round = 0; round < 3; ++round) {
      PostingsIterator a = r.postings("f", term);
      uint32_t target = 0;
      while (true) {
        uint32_t step = rng() % 4 == 0 ? static_cast<uint32_t>(rng() % (c.max_doc / 4 + 1)) : static_cast<uint32_t>(rng() % 9);
        target += step;
        auto lb = std::lower_bound(list.begin(), list.end(), target, [](const Entry& e, uint32_t v) { return e.doc < v; });
        uint32_t got = a.advance(target);
        REQUIRE(got == (lb == list.end() ? kNoMoreDocs : lb->doc));
        if (lb == list.end()) break;
        REQUIRE(a.freq() == lb->freq);
        if (rng() % 2 == 0) REQUIRE(a.positions() == lb->positions);
        target = got + (rng() % 2);
      }
    }

    // Term impacts are the competitive pairs of all docs.
    PostingsIterator t = r.postings("f", term);
    t.term_impacts(&impacts);
    CHECK(pairs(impacts) == frontier(list, 0, list.size(), r));

    // shallow_advance walks the blocks; each block's impacts are exactly its docs' frontier.
    PostingsIterator s = r.postings("f", term);
    size_t first = 0;
    uint32_t target = 0;
    while (first < list.size()) {
      uint32_t last_doc = s.shallow_advance(target);
      size_t last = list.size() < PostingsIterator::kBlock ? list.size() : std::min(list.size(), first + PostingsIterator::kBlock);
      REQUIRE(last_doc == list[last - 1].doc);
      s.block_impacts(&impacts);
      CHECK(pairs(impacts) == frontier(list, first, last, r));
      first = last;
      target = last_doc + 1;
    }
    CHECK(s.shallow_advance(target) == kNoMoreDocs);
  }
}

}  // namespace

TEST_CASE("bit packing round-trips every width", "[postings]") {
  std::mt19937_64 rng(3);
  for (uint32_t bits = 0; bits <= 32; ++bits) {
    uint32_t in[128], out[128];
    for (uint32_t& v : in) v = bits == 0 ? 0 : static_cast<uint32_t>(rng()) >> (32 - bits);
    in[7] = bits == 0 ? 0 : (bits == 32 ? 0xffffffffu : (1u << bits) - 1);  // the widest value
    ByteWriter w;
    postfmt::pack128(in, bits, w);
    REQUIRE(w.size() == postfmt::packed_bytes(bits));
    std::string padded = w.data() + std::string(postfmt::kUnpackSlack, '\0');
    postfmt::unpack128(reinterpret_cast<const uint8_t*>(padded.data()), bits, out);
    CHECK(std::equal(in, in + 128, out));
  }
}

TEST_CASE("long postings round-trip with skips, positions and impacts", "[postings]") {
  Corpus c = make_corpus(20000, 42);
  auto r = build(c);
  check_reader(*r, c, 7);
}

TEST_CASE("merged long postings keep blocks, skips and impacts right", "[postings]") {
  Corpus a = make_corpus(3000, 1);
  Corpus b = make_corpus(4500, 2);
  auto ra = build(a);
  auto rb = build(b);
  // Delete every 10th doc of the first input.
  LiveDocs live;
  for (uint32_t d = 0; d < 3000; d += 10) live.mark_deleted(d);
  std::vector<std::vector<uint32_t>> maps;
  auto merged = merge_segments({{ra.get(), &live}, {rb.get(), nullptr}}, "m", &maps);
  REQUIRE(merged.is_ok());
  auto rm = SegmentReader::open_bytes(std::move(merged).value());
  REQUIRE(rm.is_ok());
  // The expected corpus: a's live docs renumbered, then b's.
  Corpus m;
  for (const auto& [src, map] : {std::pair{&a, &maps[0]}, std::pair{&b, &maps[1]}}) {
    for (const auto& [term, list] : src->postings) {
      for (const Entry& e : list) {
        if ((*map)[e.doc] == kNoMoreDocs) continue;
        m.postings[term].push_back(Entry{(*map)[e.doc], e.freq, e.positions});
      }
    }
  }
  m.max_doc = rm.value()->max_doc();
  REQUIRE(m.max_doc == 2700 + 4500);
  check_reader(*rm.value(), m, 9);
}

TEST_CASE("absent terms and exhausted iterators stay at the end", "[postings]") {
  Corpus c = make_corpus(2000, 5);
  auto r = build(c);
  PostingsIterator none = r->postings("f", "missing");
  std::vector<Impact> impacts;
  none.term_impacts(&impacts);
  CHECK(impacts.empty());
  CHECK(none.shallow_advance(0) == kNoMoreDocs);
  CHECK(none.advance(3) == kNoMoreDocs);
  PostingsIterator dense = r->postings("f", "dense");
  CHECK(dense.advance(1999) == 1999);
  CHECK(dense.advance(2000) == kNoMoreDocs);
  CHECK(dense.advance(10) == kNoMoreDocs);
}
