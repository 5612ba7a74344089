#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <atomic>
#include <chrono>
#include <thread>

#include "analyzers/registry.h"
#include "index/document_parser.h"
#include "index/shard.h"

using namespace sift;
using namespace sift::index;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/sift_shard_test_XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const Mapping& empty_mapping() {
  static Mapping m;
  return m;
}

Result<ParsedDocument> parse(std::string_view id, std::string_view source) {
  auto out = parse_document(source, id, empty_mapping());
  if (!out.is_ok()) return std::move(out).take_status();
  return std::move(out->doc);
}

std::unique_ptr<Shard> open_shard(const std::string& path) {
  auto s = Shard::open(path, 1, parse);
  INFO(s.status().to_string());
  REQUIRE(s.is_ok());
  return std::move(s).value();
}

WriteResult index_doc(Shard& shard, const std::string& id, const std::string& source,
                      WriteOp::Kind kind = WriteOp::Kind::kIndex) {
  auto parsed = parse(id, source);
  REQUIRE(parsed.is_ok());
  WriteOp op;
  op.kind = kind;
  op.id = id;
  op.source = source;
  op.parsed = &*parsed;
  auto r = shard.apply(op);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  REQUIRE(shard.sync(r->location).is_ok());
  return *r;
}

Result<WriteResult> try_apply(Shard& shard, WriteOp op, const std::string& source = "{}") {
  auto parsed = parse(op.id, source);
  REQUIRE(parsed.is_ok());
  op.source = source;
  op.parsed = &*parsed;
  return shard.apply(op);
}

WriteResult delete_doc(Shard& shard, const std::string& id) {
  WriteOp op;
  op.kind = WriteOp::Kind::kDelete;
  op.id = id;
  auto r = shard.apply(op);
  REQUIRE(r.is_ok());
  REQUIRE(shard.sync(r->location).is_ok());
  return *r;
}

std::optional<std::string> get_source(Shard& shard, const std::string& id) {
  auto r = shard.get(id);
  REQUIRE(r.is_ok());
  if (!*r) return std::nullopt;
  return (*r)->source;
}

}  // namespace

TEST_CASE("versions and sequence numbers follow OpenSearch's rules", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  auto a = index_doc(*shard, "1", R"({"v":1})");
  CHECK(a.outcome == WriteResult::Outcome::kCreated);
  CHECK(a.version == 1);
  CHECK(a.seq_no == 0);
  auto b = index_doc(*shard, "1", R"({"v":2})");
  CHECK(b.outcome == WriteResult::Outcome::kUpdated);
  CHECK(b.version == 2);
  CHECK(b.seq_no == 1);
  auto d = delete_doc(*shard, "1");
  CHECK(d.outcome == WriteResult::Outcome::kDeleted);
  CHECK(d.version == 3);
  auto missing = delete_doc(*shard, "nope");
  CHECK(missing.outcome == WriteResult::Outcome::kNotFound);
  CHECK(missing.seq_no == 3);
  // Re-indexing after a delete continues the version (the delete is remembered).
  auto c = index_doc(*shard, "1", R"({"v":3})");
  CHECK(c.outcome == WriteResult::Outcome::kCreated);
  CHECK(c.version == 4);
}

TEST_CASE("optimistic concurrency and op_type create conflict with 409 semantics", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  auto a = index_doc(*shard, "1", "{}");
  WriteOp create;
  create.kind = WriteOp::Kind::kCreate;
  create.id = "1";
  auto r = try_apply(*shard, create);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().type() == "version_conflict_engine_exception");
  CHECK(r.status().reason() == "[1]: version conflict, document already exists (current version [1])");

  WriteOp cas;
  cas.id = "1";
  cas.if_seq_no = a.seq_no + 5;
  cas.if_primary_term = 1;
  r = try_apply(*shard, cas);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kVersionConflict);
  cas.if_seq_no = a.seq_no;
  r = try_apply(*shard, cas);
  REQUIRE(r.is_ok());
  CHECK(r->version == 2);

  WriteOp ext;
  ext.id = "2";
  ext.version_type = VersionType::kExternal;
  ext.version = 10;
  r = try_apply(*shard, ext);
  REQUIRE(r.is_ok());
  CHECK(r->version == 10);
  r = try_apply(*shard, ext);  // same external version again: conflict
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().reason().find("is higher or equal to the one provided [10]") != std::string::npos);
  ext.version_type = VersionType::kExternalGte;
  r = try_apply(*shard, ext);
  CHECK(r.is_ok());
}

TEST_CASE("get is real-time; search sees documents only after refresh", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  index_doc(*shard, "a", R"({"x":"one"})");
  CHECK(get_source(*shard, "a") == std::optional<std::string>(R"({"x":"one"})"));
  CHECK(shard->snapshot()->num_docs == 0);
  REQUIRE(shard->refresh().is_ok());
  CHECK(shard->snapshot()->num_docs == 1);
  // An update before the next refresh: get sees the new source, the old snapshot the old doc.
  index_doc(*shard, "a", R"({"x":"two"})");
  CHECK(get_source(*shard, "a") == std::optional<std::string>(R"({"x":"two"})"));
  auto old_snapshot = shard->snapshot();
  REQUIRE(shard->refresh().is_ok());
  CHECK(old_snapshot->num_docs == 1);
  CHECK(shard->snapshot()->num_docs == 1);
  CHECK(shard->snapshot()->num_deleted == 1);
  delete_doc(*shard, "a");
  CHECK_FALSE(get_source(*shard, "a").has_value());
}

TEST_CASE("a reopened shard has every synced operation, flushed or not", "[shard]") {
  TempDir dir;
  {
    auto shard = open_shard(dir.path);
    for (int i = 0; i < 50; ++i) index_doc(*shard, std::to_string(i), R"({"n":)" + std::to_string(i) + "}");
    REQUIRE(shard->flush().is_ok());
    for (int i = 50; i < 80; ++i) index_doc(*shard, std::to_string(i), R"({"n":)" + std::to_string(i) + "}");
    delete_doc(*shard, "3");
    delete_doc(*shard, "60");
    index_doc(*shard, "4", R"({"n":"four"})");
    // No close: the process "dies" here; only synced translog records and the commit survive.
  }
  auto shard = open_shard(dir.path);
  CHECK(shard->recovered_ops() == 33);
  CHECK_FALSE(get_source(*shard, "3").has_value());
  CHECK_FALSE(get_source(*shard, "60").has_value());
  CHECK(get_source(*shard, "4") == std::optional<std::string>(R"({"n":"four"})"));
  CHECK(get_source(*shard, "79") == std::optional<std::string>(R"({"n":79})"));
  CHECK(shard->snapshot()->num_docs == 78);
  // Sequence numbers continue after the recovered ones.
  auto next = index_doc(*shard, "new", "{}");
  CHECK(next.seq_no == 83);
  // A second crash right after recovery replays the same history to the same state.
  shard.reset();
  shard = open_shard(dir.path);
  CHECK(shard->snapshot()->num_docs == 79);
  CHECK(get_source(*shard, "new").has_value());
}

TEST_CASE("merges keep live documents and carry deletes; forced merge leaves one segment", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  std::set<std::string> live;
  for (int seg = 0; seg < 14; ++seg) {
    for (int i = 0; i < 20; ++i) {
      std::string id = std::to_string(seg * 20 + i);
      index_doc(*shard, id, R"({"tag":"t)" + std::to_string(i % 3) + R"("})");
      live.insert(id);
    }
    REQUIRE(shard->refresh().is_ok());
  }
  CHECK(shard->stats().segments == 14);
  auto merged = shard->maybe_merge();
  REQUIRE(merged.is_ok());
  CHECK(*merged);
  CHECK(shard->stats().segments == 5);
  for (int i = 0; i < 280; i += 7) {
    delete_doc(*shard, std::to_string(i));
    live.erase(std::to_string(i));
  }
  REQUIRE(shard->refresh().is_ok());
  REQUIRE(shard->maybe_merge(1).is_ok());
  auto snap = shard->snapshot();
  CHECK(snap->segments.size() == 1);
  CHECK(snap->num_docs == live.size());
  CHECK(snap->num_deleted == 0);
  for (const auto& id : live) CHECK(get_source(*shard, id).has_value());
  REQUIRE(shard->flush().is_ok());
  shard.reset();
  shard = open_shard(dir.path);
  CHECK(shard->snapshot()->num_docs == live.size());
  CHECK_FALSE(get_source(*shard, "7").has_value());
}

TEST_CASE("flush trims the translog and deletes unreferenced segment files", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  for (int i = 0; i < 100; ++i) index_doc(*shard, std::to_string(i), R"({"msg":"hello world"})");
  uint64_t before = shard->translog_bytes();
  REQUIRE(shard->flush().is_ok());
  CHECK(shard->translog_bytes() < before);
  for (int r = 0; r < 12; ++r) {
    index_doc(*shard, "x" + std::to_string(r), "{}");
    REQUIRE(shard->refresh().is_ok());
  }
  REQUIRE(shard->maybe_merge(1).is_ok());
  REQUIRE(shard->flush().is_ok());
  size_t segment_files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
    if (e.path().extension() == ".sseg") ++segment_files;
  }
  CHECK(segment_files == 1);
}

TEST_CASE("concurrent writers share fsyncs and lose nothing", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto parsed = parse(id, "{}");
        WriteOp op;
        op.id = id;
        op.source = "{}";
        op.parsed = &*parsed;
        auto r = shard->apply(op);
        if (r.is_ok()) (void)shard->sync(r->location);
      }
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(shard->refresh().is_ok());
  CHECK(shard->snapshot()->num_docs == 400);
  CHECK(shard->stats().max_seq_no == 399);
}

TEST_CASE("refreshes running beside writers and real-time gets lose and hide nothing", "[shard]") {
  TempDir dir;
  auto shard = open_shard(dir.path);
  std::atomic<bool> stop{false};
  std::atomic<int> bad_gets{0};
  std::thread refresher([&] {
    while (!stop) {
      REQUIRE(shard->refresh().is_ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 400; ++i) {
        std::string id = std::to_string(i % 50) + "-" + std::to_string(t);  // repeated ids: updates
        std::string source = R"({"i":)" + std::to_string(i) + "}";
        auto parsed = parse(id, source);
        WriteOp op;
        op.id = id;
        op.source = source;
        op.parsed = &*parsed;
        auto r = shard->apply(op);
        if (!r.is_ok()) {
          ++bad_gets;
          continue;
        }
        // Real-time: the write just applied is visible to get at once, whatever the refresher does.
        auto got = shard->get(id);
        if (!got.is_ok() || !*got || (*got)->source != source) ++bad_gets;
        if (i % 7 == 0) {
          WriteOp del;
          del.kind = WriteOp::Kind::kDelete;
          del.id = id;
          (void)shard->apply(del);
          auto gone = shard->get(id);
          if (!gone.is_ok() || gone->has_value()) ++bad_gets;
        }
      }
    });
  }
  for (auto& w : writers) w.join();
  stop = true;
  refresher.join();
  CHECK(bad_gets == 0);
  REQUIRE(shard->refresh().is_ok());
  // Each writer's last op per id decides: i in 350..399 -> ids i%50; those with i%7==0 were deleted.
  uint64_t expected = 0;
  for (int i = 350; i < 400; ++i) expected += (i % 7 != 0) ? 1 : 0;
  CHECK(shard->snapshot()->num_docs == expected * 3);
  REQUIRE(shard->flush().is_ok());
  shard.reset();
  shard = open_shard(dir.path);
  CHECK(shard->snapshot()->num_docs == expected * 3);
}
