#include <catch2/catch.hpp>

#include <filesystem>

#include "cluster/by_query.h"
#include "cluster/node.h"
#include "query/dsl_parser.h"
#include "test_node.h"

using namespace sift;
using namespace sift::cluster;
using sift::test::open_node;
using sift::test::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  std::unique_ptr<Node> node;

  Fixture() { node = test::open_node(dir.path); }
  ~Fixture() { node->stop(); }

  std::shared_ptr<IndexService> create(const std::string& name, int shards) {
    CreateIndexRequest req;
    req.name = name;
    req.settings_json = R"({"number_of_shards":)" + std::to_string(shards) + R"(,"refresh_interval":-1})";
    req.mappings_json = R"({"properties":{"n":{"type":"long"},"tag":{"type":"keyword"}}})";
    REQUIRE(node->create_index(req).is_ok());
    return node->index(name);
  }

  void put(IndexService& svc, int id, const std::string& tag) {
    DocWriteRequest w;
    w.id = std::to_string(id);
    w.source = R"({"n":)" + std::to_string(id) + R"(,"tag":")" + tag + R"("})";
    auto r = svc.write(w);
    REQUIRE(r.is_ok());
    REQUIRE(svc.sync(*r).is_ok());
  }

  // Live docs as a search sees them after a refresh.
  uint64_t count(IndexService& svc) {
    REQUIRE(svc.refresh().is_ok());
    uint64_t n = 0;
    for (int s = 0; s < svc.num_shards(); ++s) n += svc.shard(s).snapshot()->num_docs;
    return n;
  }

  ByQueryRequest request(ByQueryKind kind, const std::string& index, const std::string& query_json = "") {
    ByQueryRequest r;
    r.kind = kind;
    r.targets = {{index, {}}};
    if (!query_json.empty()) {
      auto q = query::parse_query(query_json);
      REQUIRE(q.is_ok());
      r.query = std::move(q).value();
    }
    return r;
  }
};

}  // namespace

TEST_CASE("delete by query deletes the matches of one point in time, in batches", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 1);
  for (int i = 1; i <= 10; ++i) f.put(*svc, i, i % 2 ? "odd" : "even");
  REQUIRE(svc->refresh().is_ok());

  auto req = f.request(ByQueryKind::kDelete, "t", R"({"term":{"tag":"odd"}})");
  req.batch_size = 2;
  auto r = run_by_query(*f.node, req, nullptr, nullptr);
  REQUIRE(r.is_ok());
  CHECK(r->counts.total == 5);
  CHECK(r->counts.deleted == 5);
  CHECK(r->counts.batches == 3);
  CHECK(r->counts.version_conflicts == 0);
  CHECK(r->failures.empty());
  CHECK(f.count(*svc) == 5);

  // Nothing left to match: no batch at all.
  auto again = run_by_query(*f.node, req, nullptr, nullptr);
  REQUIRE(again.is_ok());
  CHECK(again->counts.total == 0);
  CHECK(again->counts.batches == 0);
}

TEST_CASE("a document changed after the search is a version conflict: abort stops, proceed counts", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 1);
  f.put(*svc, 1, "a");
  f.put(*svc, 2, "a");
  REQUIRE(svc->refresh().is_ok());
  f.put(*svc, 1, "b");  // not refreshed: the search still sees the first version

  SECTION("abort") {
    auto req = f.request(ByQueryKind::kDelete, "t");
    req.batch_size = 1;
    auto r = run_by_query(*f.node, req, nullptr, nullptr);
    REQUIRE(r.is_ok());
    CHECK(r->counts.version_conflicts == 1);
    CHECK(r->counts.deleted == 0);
    CHECK(r->counts.batches == 1);  // the run ended with the batch that conflicted
    REQUIRE(r->failures.size() == 1);
    CHECK(r->failures[0].id == "1");
    CHECK(r->failures[0].index == "t");
    CHECK(r->failures[0].cause.type() == "version_conflict_engine_exception");
    CHECK(f.count(*svc) == 2);
  }
  SECTION("proceed") {
    auto req = f.request(ByQueryKind::kDelete, "t");
    req.batch_size = 1;
    req.abort_on_conflict = false;
    auto r = run_by_query(*f.node, req, nullptr, nullptr);
    REQUIRE(r.is_ok());
    CHECK(r->counts.version_conflicts == 1);
    CHECK(r->counts.deleted == 1);
    CHECK(r->counts.batches == 2);
    CHECK(r->failures.empty());
    CHECK(f.count(*svc) == 1);
  }
}

TEST_CASE("update by query re-indexes the current source and bumps the version", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 2);
  for (int i = 1; i <= 6; ++i) f.put(*svc, i, "x");
  REQUIRE(svc->refresh().is_ok());
  auto req = f.request(ByQueryKind::kUpdate, "t", R"({"range":{"n":{"gte":4}}})");
  auto r = run_by_query(*f.node, req, nullptr, nullptr);
  REQUIRE(r.is_ok());
  CHECK(r->counts.updated == 3);
  CHECK(r->counts.deleted == 0);
  for (int i = 1; i <= 6; ++i) {
    auto doc = svc->get(std::to_string(i), "");
    REQUIRE(doc.is_ok());
    REQUIRE(doc->has_value());
    CHECK((*doc)->meta.version == (i >= 4 ? 2 : 1));
    CHECK((*doc)->source == R"({"n":)" + std::to_string(i) + R"(,"tag":"x"})");
  }
}

TEST_CASE("max_docs counts successful writes; with a sort it picks the first docs of that order", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 3);
  for (int i = 1; i <= 20; ++i) f.put(*svc, i, "x");
  REQUIRE(svc->refresh().is_ok());

  SECTION("doc order") {
    auto req = f.request(ByQueryKind::kDelete, "t");
    req.max_docs = 7;
    req.batch_size = 3;
    auto r = run_by_query(*f.node, req, nullptr, nullptr);
    REQUIRE(r.is_ok());
    CHECK(r->counts.total == 7);
    CHECK(r->counts.deleted == 7);
    CHECK(r->counts.batches == 3);
    CHECK(f.count(*svc) == 13);
  }
  SECTION("sorted") {
    auto req = f.request(ByQueryKind::kDelete, "t");
    req.max_docs = 3;
    query::SortSpec by_n;
    by_n.field = "n";
    by_n.descending = true;
    req.sort = {by_n};
    auto r = run_by_query(*f.node, req, nullptr, nullptr);
    REQUIRE(r.is_ok());
    CHECK(r->counts.deleted == 3);
    for (int i = 18; i <= 20; ++i) {
      auto doc = svc->get(std::to_string(i), "");
      REQUIRE(doc.is_ok());
      CHECK_FALSE(doc->has_value());
    }
    CHECK(f.count(*svc) == 17);
  }
}

TEST_CASE("paging through a shard in chunks visits every match exactly once", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 2);
  for (int i = 1; i <= 41; ++i) f.put(*svc, i, i % 3 ? "keep" : "drop");
  REQUIRE(svc->refresh().is_ok());
  f.put(*svc, 100, "drop");  // after the point in time: not seen
  auto req = f.request(ByQueryKind::kUpdate, "t", R"({"term":{"tag":"drop"}})");
  req.search_chunk = 4;
  req.batch_size = 5;
  auto r = run_by_query(*f.node, req, nullptr, nullptr);
  REQUIRE(r.is_ok());
  CHECK(r->counts.total == 13);
  CHECK(r->counts.updated == 13);
  CHECK(r->counts.batches == 3);
  CHECK(r->counts.version_conflicts == 0);
}

TEST_CASE("alias filters and routing narrow what is touched", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 4);
  for (int i = 1; i <= 12; ++i) f.put(*svc, i, i <= 4 ? "a" : "b");
  REQUIRE(svc->refresh().is_ok());

  SECTION("alias filter") {
    auto req = f.request(ByQueryKind::kDelete, "t");
    req.targets = {{"t", {R"({"term":{"tag":"a"}})"}}};
    auto r = run_by_query(*f.node, req, nullptr, nullptr);
    REQUIRE(r.is_ok());
    CHECK(r->counts.deleted == 4);
    CHECK(f.count(*svc) == 8);
  }
  SECTION("routing") {
    auto req = f.request(ByQueryKind::kDelete, "t");
    req.routing = {"1"};
    int shard = svc->shard_for("", "1");
    uint64_t in_shard = svc->shard(shard).snapshot()->num_docs;
    auto r = run_by_query(*f.node, req, nullptr, nullptr);
    REQUIRE(r.is_ok());
    CHECK(static_cast<uint64_t>(r->counts.deleted) == in_shard);
    CHECK(f.count(*svc) == 12 - in_shard);
  }
}

TEST_CASE("a cancelled task stops before its next batch", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 1);
  for (int i = 1; i <= 3; ++i) f.put(*svc, i, "x");
  REQUIRE(svc->refresh().is_ok());
  Task task(1, "indices:data/write/delete/byquery", "delete-by-query [t]");
  task.cancel("");
  ByQueryProgress progress;
  auto r = run_by_query(*f.node, f.request(ByQueryKind::kDelete, "t"), &task, &progress);
  REQUIRE(r.is_ok());
  CHECK(r->counts.canceled == "by user request");
  CHECK(r->counts.deleted == 0);
  CHECK(progress.get().total == 3);
}

TEST_CASE("a missing index or a query the mapping refuses is the request's error", "[by_query]") {
  Fixture f;
  auto svc = f.create("t", 1);
  f.put(*svc, 1, "x");
  REQUIRE(svc->refresh().is_ok());
  auto bad = f.request(ByQueryKind::kDelete, "t", R"({"term":{"n":"not a number"}})");
  auto r = run_by_query(*f.node, bad, nullptr, nullptr);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(f.count(*svc) == 1);
}

TEST_CASE("the throttle spreads a batch over docs / requests_per_second", "[by_query]") {
  CHECK(throttle_delay_ms(10, -1, 0) == 0);
  CHECK(throttle_delay_ms(10, 10, 0) == 1000);
  CHECK(throttle_delay_ms(10, 10, 400) == 600);
  CHECK(throttle_delay_ms(10, 10, 1500) == 0);
  CHECK(throttle_delay_ms(1, 0.5, 0) == 2000);
  CHECK(throttle_delay_ms(0, 10, 0) == 0);
}
