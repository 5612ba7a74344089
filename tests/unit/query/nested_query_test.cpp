// Nested documents and the nested query, against a brute-force oracle over the same random data:
// roots with nested `comments`, each with nested `replies`; overwrites and deletes (whole blocks,
// in the buffer and in segments), several segments, a forced merge, a reopen (translog replay).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "query/dsl_parser.h"
#include "query/inner_hits.h"
#include "query/searcher.h"
#include "small_shard.h"

namespace sift {
namespace {

struct Reply {
  std::string w;
};
struct Comment {
  std::string author;
  int stars = 0;
  std::vector<Reply> replies;
};
struct Root {
  std::string tag;
  std::vector<Comment> comments;
};

std::string to_json(const Root& r) {
  std::string s = R"({"tag":")" + r.tag + R"(","comments":[)";
  for (size_t i = 0; i < r.comments.size(); ++i) {
    const Comment& c = r.comments[i];
    s += (i ? "," : "") + std::string(R"({"author":")") + c.author + R"(","stars":)" + std::to_string(c.stars) +
         R"(,"replies":[)";
    for (size_t k = 0; k < c.replies.size(); ++k) s += (k ? "," : "") + std::string(R"({"w":")") + c.replies[k].w + "\"}";
    s += "]}";
  }
  return s + "]}";
}

const char* kMapping = R"({"properties":{"tag":{"type":"keyword"},"comments":{"type":"nested","properties":{
  "author":{"type":"keyword"},"stars":{"type":"integer"},
  "replies":{"type":"nested","properties":{"w":{"type":"keyword"}}}}}}})";

std::map<std::string, float> run(const index::Shard& shard, const index::Mapping& mapping, const std::string& json,
                                 uint64_t* total) {
  auto q = query::parse_query(json);
  REQUIRE(q.is_ok());
  auto snap = const_cast<index::Shard&>(shard).snapshot();
  query::ShardSearchOptions opts;
  opts.top_n = 10000;
  opts.track_total_hits = -1;
  auto r = query::search_shard(*snap, mapping, q->get(), opts);
  REQUIRE(r.is_ok());
  *total = r->total_hits;
  return test::hit_scores(*snap, *r);
}

// The child score of the inner query used below: 2 if the author is `who`, +1 if stars >= 3.
float child_score(const Comment& c, const std::string& who) {
  return (c.author == who ? 2.0f : 0.0f) + (c.stars >= 3 ? 1.0f : 0.0f);
}

}  // namespace

TEST_CASE("nested queries join nested documents to their roots as a brute-force oracle does", "[nested]") {
  char tmpl[] = "/tmp/sift_nested_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto parsed = index::parse_mapping(kMapping);
  REQUIRE(parsed.is_ok());
  index::Mapping mapping = std::move(parsed).value();
  REQUIRE(mapping.has_nested());
  CHECK(mapping.nested_parents().at("comments.replies") == "comments");
  CHECK(mapping.find("comments.replies.w")->nested_path == "comments.replies");
  auto shard = test::open_test_shard(dir, &mapping);

  std::mt19937 rng(42);
  const char* authors[] = {"ann", "bob", "cid", "dee"};
  const char* words[] = {"x", "y", "z"};
  std::map<std::string, Root> live;
  auto random_root = [&] {
    Root r;
    r.tag = rng() % 2 ? "a" : "b";
    size_t n = rng() % 4;
    for (size_t i = 0; i < n; ++i) {
      Comment c;
      c.author = authors[rng() % 4];
      c.stars = static_cast<int>(rng() % 6);
      size_t m = rng() % 3;
      for (size_t k = 0; k < m; ++k) c.replies.push_back({words[rng() % 3]});
      r.comments.push_back(c);
    }
    return r;
  };
  for (int step = 0; step < 600; ++step) {
    std::string id = std::to_string(rng() % 150);
    if (rng() % 10 == 0) {
      index::WriteOp del;
      del.kind = index::WriteOp::Kind::kDelete;
      del.id = id;
      REQUIRE(shard->apply(del).is_ok());
      live.erase(id);
    } else {
      Root r = random_root();
      test::write_doc(*shard, mapping, id, to_json(r));
      live[id] = r;
    }
    if (step % 97 == 96) REQUIRE(shard->refresh().is_ok());
  }

  auto check_all = [&](const char* stage) {
    INFO(stage);
    REQUIRE(shard->refresh().is_ok());
    uint64_t total = 0;
    // Every live root once; no nested doc is ever a top-level hit.
    auto all = run(*shard, mapping, R"({"match_all":{}})", &total);
    CHECK(total == live.size());
    CHECK(all.size() == live.size());
    // Top-level queries on nested fields see nothing (no include_in_root).
    run(*shard, mapping, R"({"term":{"comments.author":"ann"}})", &total);
    CHECK(total == 0);

    const char* modes[] = {"avg", "max", "min", "sum", "none"};
    for (const char* who : authors) {
      for (const char* mode : modes) {
        std::string q = std::string(R"({"nested":{"path":"comments","score_mode":")") + mode +
                        R"(","boost":2,"query":{"bool":{"should":[)"
                        R"({"constant_score":{"filter":{"term":{"comments.author":")" +
                        who + R"("}},"boost":2}},{"constant_score":{"filter":{"range":{"comments.stars":{"gte":3}}}}}]}}}})";
        std::map<std::string, float> want;
        for (const auto& [id, r] : live) {
          double sum = 0, best = 0, worst = 0;
          int n = 0;
          for (const Comment& c : r.comments) {
            float s = child_score(c, who);
            if (s == 0) continue;
            best = n == 0 ? s : std::max<double>(best, s);
            worst = n == 0 ? s : std::min<double>(worst, s);
            sum += s;
            ++n;
          }
          if (n == 0) continue;
          double v = std::string(mode) == "avg" ? sum / n
                     : std::string(mode) == "max" ? best
                     : std::string(mode) == "min" ? worst
                     : std::string(mode) == "sum" ? sum
                                                  : 0;
          want[id] = static_cast<float>(v) * 2.0f;
        }
        auto got = run(*shard, mapping, q, &total);
        INFO(q);
        CHECK(total == want.size());
        CHECK(got == want);
      }
      // Two levels: a comment by `who` with a reply "x", inside the comments scope.
      std::string q2 = std::string(R"({"nested":{"path":"comments","score_mode":"none","query":{"bool":{"must":[)"
                                   R"({"term":{"comments.author":")") +
                       who + R"("}},{"nested":{"path":"comments.replies","query":{"term":{"comments.replies.w":"x"}}}}]}}}})";
      std::map<std::string, float> want2;
      for (const auto& [id, r] : live) {
        for (const Comment& c : r.comments) {
          bool x = std::any_of(c.replies.begin(), c.replies.end(), [](const Reply& rep) { return rep.w == "x"; });
          if (c.author == who && x) want2[id] = 0.0f;
        }
      }
      auto got2 = run(*shard, mapping, q2, &total);
      INFO(q2);
      CHECK(got2 == want2);
    }
    // replies straight from the top: their parent is the root.
    std::map<std::string, float> want3;
    for (const auto& [id, r] : live) {
      int n = 0;
      for (const Comment& c : r.comments) {
        for (const Reply& rep : c.replies) n += rep.w == "y";
      }
      if (n > 0) want3[id] = static_cast<float>(n);
    }
    auto got3 = run(*shard, mapping,
                    R"({"nested":{"path":"comments.replies","score_mode":"sum","query":{"constant_score":{"filter":{"term":{"comments.replies.w":"y"}}}}}})",
                    &total);
    CHECK(got3 == want3);
    // inner_hits: every matching object of each hit, at its offsets in the source.
    for (const char* q : {R"({"nested":{"path":"comments","query":{"term":{"comments.author":"bob"}},"inner_hits":{"size":100}}})",
                          R"({"nested":{"path":"comments.replies","query":{"term":{"comments.replies.w":"x"}},"inner_hits":{"size":100}}})"}) {
      INFO(q);
      const bool replies = std::string(q).find("replies") != std::string::npos;
      auto parsed_q = query::parse_query(q);
      REQUIRE(parsed_q.is_ok());
      auto snap = shard->snapshot();
      query::ShardSearchOptions opts;
      opts.top_n = 10000;
      auto r = query::search_shard(*snap, mapping, parsed_q->get(), opts);
      REQUIRE(r.is_ok());
      query::InnerHitsFinder finder(*snap, mapping);
      const auto& nq = static_cast<const query::NestedQuery&>(**parsed_q);
      size_t checked = 0;
      for (const auto& h : r->top) {
        index::StoredDocument d;
        REQUIRE(snap->segments[h.segment].reader->stored(h.doc, &d).is_ok());
        const Root& root = live.at(d.meta.id);
        std::vector<std::vector<uint32_t>> want, got;
        for (uint32_t ci = 0; ci < root.comments.size(); ++ci) {
          const Comment& c = root.comments[ci];
          if (!replies && c.author == "bob") want.push_back({ci});
          for (uint32_t ri = 0; replies && ri < c.replies.size(); ++ri) {
            if (c.replies[ri].w == "x") want.push_back({ci, ri});
          }
        }
        auto found = finder.find(nq, h.segment, h.doc);
        REQUIRE(found.is_ok());
        CHECK(found->total == want.size());
        for (const auto& ih : found->hits) {
          std::vector<uint32_t> offsets;
          for (const auto& l : ih.levels) offsets.push_back(l.offset);
          got.push_back(offsets);
          CHECK(ih.levels[0].field == "comments");
          if (replies) CHECK(ih.levels.at(1).field == "replies");
        }
        CHECK(got == want);
        ++checked;
      }
      CHECK(checked > 0);
    }
    // must_not a nested query: the roots without any comment.
    size_t without = 0;
    for (const auto& [id, r] : live) without += r.comments.empty();
    run(*shard, mapping, R"({"bool":{"must_not":[{"nested":{"path":"comments","query":{"match_all":{}}}}]}})", &total);
    CHECK(total == without);
  };

  check_all("several segments with deletions");
  REQUIRE(shard->maybe_merge(1).is_ok());
  check_all("after a forced merge");
  // Overwrite in the buffer twice before a refresh: the first block must be deleted whole.
  Root r = random_root();
  r.comments.push_back({"ann", 5, {{"x"}}});
  test::write_doc(*shard, mapping, "7", to_json(r));
  test::write_doc(*shard, mapping, "7", to_json(r));
  live["7"] = r;
  check_all("overwritten in the buffer");
  shard.reset();
  shard = test::open_test_shard(dir, &mapping);
  check_all("after reopening");
  shard.reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("nested documents are parsed in block order with include_in_parent and include_in_root", "[nested]") {
  auto m = index::parse_mapping(R"({"properties":{"a":{"type":"nested","include_in_root":true,"properties":{
    "k":{"type":"keyword"},"b":{"type":"nested","include_in_parent":true,"properties":{"v":{"type":"long"}}}}}}})");
  REQUIRE(m.is_ok());
  auto out = index::parse_document(R"({"a":[{"k":"one","b":[{"v":1},{"v":2}]},{"k":"two","b":{"v":3}}]})", "1", *m);
  REQUIRE(out.is_ok());
  const index::ParsedDocument& root = out->doc;
  // b1, b2, a1, b3, a2: children before their parent, siblings in order.
  REQUIRE(root.nested.size() == 5);
  std::vector<std::string> paths;
  for (const auto& n : root.nested) paths.push_back(n.nested_path);
  CHECK(paths == std::vector<std::string>{"a.b", "a.b", "a", "a.b", "a"});
  auto values = [](const index::ParsedDocument& d, const std::string& field) {
    std::vector<int64_t> out;
    for (const auto& nf : d.numerics) {
      if (nf.name == field) out = nf.values;
    }
    return out;
  };
  CHECK(values(root.nested[0], "a.b.v") == std::vector<int64_t>{1});
  // include_in_parent: a1 also holds its b values.
  CHECK(values(root.nested[2], "a.b.v") == std::vector<int64_t>{1, 2});
  CHECK(values(root.nested[4], "a.b.v") == std::vector<int64_t>{3});
  // include_in_root on a: the root holds a's fields, and through a's copy of b, b's values.
  CHECK(values(root, "a.b.v") == std::vector<int64_t>{1, 2, 3});
  bool root_has_k = std::any_of(root.terms.begin(), root.terms.end(), [](const auto& t) {
    return t.name == "a.k" && t.values == std::vector<std::string>{"one", "two"};
  });
  CHECK(root_has_k);
  CHECK(std::find(root.nested[2].field_names.begin(), root.nested[2].field_names.end(), "a.k") !=
        root.nested[2].field_names.end());
  CHECK(root.nested[0].nested.empty());
}

}  // namespace sift
