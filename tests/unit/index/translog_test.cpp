#include "index/translog.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"

using sift::Code;
using sift::Status;
using sift::index::decode_translog_op;
using sift::index::encode_translog_op;
using sift::index::Translog;
using sift::index::TranslogLocation;
using sift::index::TranslogOp;

namespace {

constexpr size_t kRecordHeader = 12;

// The expected torn-tail warnings would bury real output; errors still show.
class QuietLog {
 public:
  QuietLog() { sift::log::set_level(sift::log::Level::kError); }
  ~QuietLog() { sift::log::set_level(sift::log::Level::kInfo); }
};

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sift_translog_test_XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string file(uint64_t gen) const { return path_ + "/translog-" + std::to_string(gen) + ".tlog"; }

 private:
  std::string path_;
};

TranslogOp make_op(int i) {
  TranslogOp op;
  op.type = i % 7 == 3 ? TranslogOp::Type::kDelete : TranslogOp::Type::kIndex;
  op.seq_no = i;
  op.primary_term = 1 + i / 500;
  op.version = 1 + i % 3;
  op.id = "doc-" + std::to_string(i);
  op.routing = i % 5 == 0 ? "r" + std::to_string(i % 11) : "";
  if (op.type == TranslogOp::Type::kIndex) op.source = R"({"n":)" + std::to_string(i) + R"(,"t":"hello"})";
  return op;
}

bool same_op(const TranslogOp& a, const TranslogOp& b) {
  return a.type == b.type && a.seq_no == b.seq_no && a.primary_term == b.primary_term && a.version == b.version &&
         a.id == b.id && a.routing == b.routing && a.source == b.source;
}

std::unique_ptr<Translog> open_translog(const std::string& dir) {
  auto r = Translog::open(dir);
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

Status replay_into(Translog& t, uint64_t from, std::vector<TranslogOp>* out) {
  out->clear();
  return t.replay(from, [out](const TranslogOp& op) {
    out->push_back(op);
    return Status::ok();
  });
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  REQUIRE(out.good());
}

uint64_t file_size(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<uint64_t>(st.st_size);
}

// Writes ops 0..n-1 into generation 1 of `dir`, closes the translog, and returns the offset at
// which each record starts (plus the file end as the last element).
std::vector<uint64_t> write_generation_one(const std::string& dir, int n) {
  auto t = open_translog(dir);
  REQUIRE(t->current_generation() == 1);
  std::vector<uint64_t> starts;
  for (int i = 0; i < n; ++i) {
    auto loc = t->append(make_op(i));
    REQUIRE(loc.is_ok());
    starts.push_back(loc->end_offset - kRecordHeader - encode_translog_op(make_op(i)).size());
    if (i == n - 1) starts.push_back(loc->end_offset);
  }
  REQUIRE(t->sync_all().is_ok());
  return starts;
}

}  // namespace

TEST_CASE("translog op encoding round-trips", "[translog]") {
  std::vector<TranslogOp> ops;
  ops.push_back(make_op(1));
  TranslogOp empty;
  empty.id = "";
  empty.source = "";
  ops.push_back(empty);
  TranslogOp binary;
  binary.type = TranslogOp::Type::kNoop;
  binary.seq_no = -2;  // unassigned
  binary.primary_term = INT64_MAX;
  binary.version = INT64_MIN;
  binary.id = std::string("a\0b\xff\x80", 5);
  binary.routing = std::string(300, '\x01');
  binary.source = std::string("\0\0\0", 3) + std::string(100000, 'x');
  ops.push_back(binary);
  TranslogOp del;
  del.type = TranslogOp::Type::kDelete;
  del.id = "gone";
  ops.push_back(del);

  for (const auto& op : ops) {
    auto back = decode_translog_op(encode_translog_op(op));
    REQUIRE(back.is_ok());
    CHECK(same_op(*back, op));
  }
}

TEST_CASE("translog op decoding rejects garbage", "[translog]") {
  CHECK(decode_translog_op("").status().code() == Code::kCorruption);
  CHECK(decode_translog_op(std::string(1, '\x09')).status().code() == Code::kCorruption);  // bad type
  std::string good = encode_translog_op(make_op(4));
  for (size_t n = 0; n < good.size(); ++n) {
    INFO("prefix " << n);
    CHECK(decode_translog_op(good.substr(0, n)).status().code() == Code::kCorruption);
  }
  CHECK(decode_translog_op(good + "z").status().code() == Code::kCorruption);
  // A length prefix far beyond the payload must fail cleanly, not read out of bounds.
  std::string huge = std::string(1, '\x01') + "\x02\x02\x02" + "\xff\xff\xff\xff\x0f" + "abc";
  CHECK(decode_translog_op(huge).status().code() == Code::kCorruption);
}

TEST_CASE("translog round trip across roll and reopen", "[translog]") {
  TempDir dir;
  {
    auto t = open_translog(dir.path());
    CHECK(t->current_generation() == 1);
    for (int i = 0; i < 1500; ++i) REQUIRE(t->append(make_op(i)).is_ok());
    auto rolled = t->roll_generation();
    REQUIRE(rolled.is_ok());
    CHECK(*rolled == 2);
    CHECK(t->current_generation() == 2);
    for (int i = 1500; i < 3000; ++i) REQUIRE(t->append(make_op(i)).is_ok());

    // Replay in the same process sees buffered appends of the current generation too.
    std::vector<TranslogOp> seen;
    REQUIRE(replay_into(*t, 1, &seen).is_ok());
    CHECK(seen.size() == 3000);
    REQUIRE(t->sync_all().is_ok());
    CHECK(t->size_bytes() == file_size(dir.file(1)) + file_size(dir.file(2)));
  }
  auto t = open_translog(dir.path());
  CHECK(t->current_generation() == 3);
  std::vector<TranslogOp> seen;
  REQUIRE(replay_into(*t, 1, &seen).is_ok());
  REQUIRE(seen.size() == 3000);
  for (int i = 0; i < 3000; ++i) REQUIRE(same_op(seen[i], make_op(i)));

  SECTION("replay from a later generation skips older ones") {
    REQUIRE(replay_into(*t, 2, &seen).is_ok());
    REQUIRE(seen.size() == 1500);
    CHECK(same_op(seen.front(), make_op(1500)));
    REQUIRE(replay_into(*t, 4, &seen).is_ok());
    CHECK(seen.empty());
  }
  SECTION("trim deletes older generations, never the current one") {
    uint64_t before = t->size_bytes();
    REQUIRE(t->trim_below(2).is_ok());
    CHECK_FALSE(std::filesystem::exists(dir.file(1)));
    CHECK(std::filesystem::exists(dir.file(2)));
    CHECK(t->size_bytes() < before);
    REQUIRE(replay_into(*t, 1, &seen).is_ok());
    CHECK(seen.size() == 1500);
    REQUIRE(t->trim_below(100).is_ok());
    CHECK_FALSE(std::filesystem::exists(dir.file(2)));
    CHECK(std::filesystem::exists(dir.file(3)));
    REQUIRE(t->append(make_op(7)).is_ok());
    REQUIRE(replay_into(*t, 1, &seen).is_ok());
    REQUIRE(seen.size() == 1);
    CHECK(same_op(seen[0], make_op(7)));
  }
  SECTION("replay stops at the first error from the callback") {
    int calls = 0;
    Status s = t->replay(1, [&](const TranslogOp&) {
      return ++calls == 3 ? Status(Code::kInternal, "exception", "stop") : Status::ok();
    });
    CHECK(s.code() == Code::kInternal);
    CHECK(calls == 3);
  }
}

TEST_CASE("translog sync checks its location", "[translog]") {
  TempDir dir;
  auto t = open_translog(dir.path());
  auto loc = t->append(make_op(1));
  REQUIRE(loc.is_ok());
  CHECK(t->sync(TranslogLocation{1, loc->end_offset + 1}).code() == Code::kInvalidArgument);
  CHECK(t->sync(TranslogLocation{2, 0}).code() == Code::kInvalidArgument);
  CHECK(t->sync(TranslogLocation{}).code() == Code::kInvalidArgument);
  uint64_t fsyncs = t->fsync_count();
  REQUIRE(t->sync(*loc).is_ok());
  CHECK(t->fsync_count() == fsyncs + 1);
  REQUIRE(t->sync(*loc).is_ok());  // already covered: no second fsync
  CHECK(t->fsync_count() == fsyncs + 1);
  auto next = t->append(make_op(2));
  REQUIRE(next.is_ok());
  REQUIRE(t->roll_generation().is_ok());
  fsyncs = t->fsync_count();
  CHECK(t->sync(*next).is_ok());  // the roll made the old generation durable
  CHECK(t->fsync_count() == fsyncs);
}

TEST_CASE("translog torn tail at every byte of the last record is cut off", "[translog]") {
  QuietLog quiet;
  TempDir src;
  constexpr int kOps = 20;
  std::vector<uint64_t> starts = write_generation_one(src.path(), kOps);
  std::string pristine = read_file(src.file(1));
  REQUIRE(pristine.size() == starts.back());
  uint64_t last_start = starts[kOps - 1];
  for (uint64_t cut = last_start; cut < pristine.size(); ++cut) {
    INFO("cut at " << cut);
    TempDir dir;
    write_file(dir.file(1), pristine.substr(0, cut));
    auto t = open_translog(dir.path());
    std::vector<TranslogOp> seen;
    Status s = replay_into(*t, 1, &seen);
    REQUIRE(s.is_ok());
    REQUIRE(seen.size() == kOps - 1);
    CHECK(same_op(seen.back(), make_op(kOps - 2)));
    CHECK(file_size(dir.file(1)) == last_start);
    // Replaying again after the cut is clean and yields the same ops.
    REQUIRE(replay_into(*t, 1, &seen).is_ok());
    CHECK(seen.size() == kOps - 1);
  }
}

TEST_CASE("translog flipped byte: middle record is corruption, last record is a torn tail", "[translog]") {
  QuietLog quiet;
  TempDir src;
  constexpr int kOps = 10;
  std::vector<uint64_t> starts = write_generation_one(src.path(), kOps);
  std::string pristine = read_file(src.file(1));

  SECTION("every byte of a middle record") {
    constexpr int kBad = 5;
    for (uint64_t at = starts[kBad]; at < starts[kBad + 1]; ++at) {
      INFO("flipped byte " << at);
      TempDir dir;
      std::string bad = pristine;
      bad[at] = static_cast<char>(bad[at] ^ 0x20);
      write_file(dir.file(1), bad);
      auto t = open_translog(dir.path());
      std::vector<TranslogOp> seen;
      Status s = replay_into(*t, 1, &seen);
      REQUIRE(s.code() == Code::kCorruption);
      CHECK(s.type() == "translog_corrupted_exception");
      CHECK(s.reason().find("translog-1.tlog") != std::string::npos);
      CHECK(s.reason().find("offset " + std::to_string(starts[kBad])) != std::string::npos);
      CHECK(seen.size() == kBad);  // nothing after the bad record was applied
      CHECK(file_size(dir.file(1)) == pristine.size());  // corruption is never cut away
    }
  }
  SECTION("a byte of the last record") {
    TempDir dir;
    std::string bad = pristine;
    bad[starts[kOps - 1] + kRecordHeader + 2] ^= 0x01;
    write_file(dir.file(1), bad);
    auto t = open_translog(dir.path());
    std::vector<TranslogOp> seen;
    REQUIRE(replay_into(*t, 1, &seen).is_ok());
    CHECK(seen.size() == kOps - 1);
    CHECK(file_size(dir.file(1)) == starts[kOps - 1]);
  }
  SECTION("a byte of the file header") {
    TempDir dir;
    std::string bad = pristine;
    bad[14] ^= 0x01;  // inside the version field
    write_file(dir.file(1), bad);
    auto t = open_translog(dir.path());
    std::vector<TranslogOp> seen;
    CHECK(replay_into(*t, 1, &seen).code() == Code::kCorruption);
    CHECK(seen.empty());
  }
}

TEST_CASE("translog torn tail in an older generation does not hide later ones", "[translog]") {
  TempDir dir;
  std::vector<uint64_t> starts = write_generation_one(dir.path(), 5);
  {
    auto t = open_translog(dir.path());  // generation 2
    REQUIRE(t->append(make_op(5)).is_ok());
    REQUIRE(t->sync_all().is_ok());
  }
  REQUIRE(::truncate(dir.file(1).c_str(), static_cast<off_t>(starts[4] + 3)) == 0);
  auto t = open_translog(dir.path());  // generation 3
  std::vector<TranslogOp> seen;
  REQUIRE(replay_into(*t, 1, &seen).is_ok());
  REQUIRE(seen.size() == 5);
  CHECK(same_op(seen[3], make_op(3)));
  CHECK(same_op(seen[4], make_op(5)));
}

TEST_CASE("translog group commit shares fsyncs between threads", "[translog]") {
  TempDir dir;
  auto t = open_translog(dir.path());
  constexpr int kThreads = 8, kPerThread = 200;
  uint64_t before = t->fsync_count();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kPerThread; ++i) {
        auto loc = t->append(make_op(th * kPerThread + i));
        if (!loc.is_ok() || !t->sync(*loc).is_ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  uint64_t fsyncs = t->fsync_count() - before;
  INFO("fsyncs for " << kThreads * kPerThread << " synced appends: " << fsyncs);
  CHECK(failures == 0);
  CHECK(fsyncs > 0);
  CHECK(fsyncs < kThreads * kPerThread / 2);
  std::vector<TranslogOp> seen;
  REQUIRE(replay_into(*t, 1, &seen).is_ok());
  CHECK(seen.size() == kThreads * kPerThread);
}

TEST_CASE("translog write failure is reported and blocks later appends", "[translog]") {
  TempDir dir;
  auto t = open_translog(dir.path());
  REQUIRE(t->append(make_op(1)).is_ok());
  REQUIRE(t->sync_all().is_ok());

  // A file size limit makes write() fail with EFBIG, standing in for a full disk.
  struct rlimit old {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 4096;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  TranslogOp big = make_op(2);
  big.source = std::string(100 * 1024, 'b');
  auto failed = t->append(big);
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &old) == 0);
  std::signal(SIGXFSZ, old_handler);

  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.status().code() == Code::kIOError);
  auto later = t->append(make_op(3));
  REQUIRE_FALSE(later.is_ok());
  CHECK(later.status().code() == Code::kUnavailable);
  CHECK_FALSE(t->sync_all().is_ok());
  CHECK_FALSE(t->roll_generation().is_ok());
}
