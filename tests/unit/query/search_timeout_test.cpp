// `timeout`: a shard search past its deadline stops with what it has and says so, on the block
// scorers and on the evaluator; a deadline in the future changes nothing.
#include <catch2/catch.hpp>

#include "common/time_util.h"
#include "query/dsl_parser.h"
#include "query/search_request.h"
#include "query/searcher.h"
#include "query/weight.h"
#include "small_shard.h"

using namespace sift;

TEST_CASE("a shard search past its deadline times out with partial results", "[timeout]") {
  test::SmallShard f;
  auto snap = f.shard->snapshot();
  // A block-scorer shape (match) and an evaluator shape (range).
  for (const char* json : {R"({"match":{"body":"fox dog"}})", R"({"range":{"n":{"gte":2}}})"}) {
    INFO(json);
    auto q = query::parse_query(json);
    REQUIRE(q.is_ok());
    query::ShardSearchOptions opts;
    opts.top_n = 10;
    auto full = query::search_shard(*snap, f.mapping, q->get(), opts);
    REQUIRE(full.is_ok());
    CHECK_FALSE(full->timed_out);
    REQUIRE(full->total_hits > 0);

    opts.deadline_nanos = monotonic_nanos() + 60'000'000'000;  // a minute away
    auto relaxed = query::search_shard(*snap, f.mapping, q->get(), opts);
    REQUIRE(relaxed.is_ok());
    CHECK_FALSE(relaxed->timed_out);
    CHECK(relaxed->total_hits == full->total_hits);

    opts.deadline_nanos = 1;  // long past
    auto late = query::search_shard(*snap, f.mapping, q->get(), opts);
    REQUIRE(late.is_ok());
    CHECK(late->timed_out);
    CHECK(late->total_hits < full->total_hits);
  }
}

TEST_CASE("the top collector reads the clock only every so often and then stays done", "[timeout]") {
  query::TopCollector top(10, 1000);
  CHECK_FALSE(top.done());
  top.set_deadline(monotonic_nanos() + 60'000'000'000);
  for (int i = 0; i < 1000; ++i) REQUIRE_FALSE(top.done());
  CHECK_FALSE(top.timed_out());
  query::TopCollector late(10, 1000);
  late.set_deadline(1);
  bool done = false;
  for (int i = 0; i < 1000 && !done; ++i) done = late.done();
  CHECK(done);
  CHECK(late.timed_out());
  CHECK(late.done());
}
