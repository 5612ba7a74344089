#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "cluster/task_manager.h"

using namespace sift;
using namespace sift::cluster;

TEST_CASE("background work keeps its result under the task id", "[tasks]") {
  TaskManager tm("node1");
  auto id = tm.start("indices:data/write/delete/byquery", "delete-by-query [t]", [] { return std::string("{\"s\":1}"); },
                     [](Task&) -> Result<std::string> { return std::string("{\"deleted\":3}"); });
  REQUIRE(id.is_ok());
  CHECK(id->rfind("node1:", 0) == 0);
  auto v = tm.get(*id, true, 5000);
  REQUIRE(v.is_ok());
  CHECK(v->completed);
  REQUIRE(v->response_json);
  CHECK(*v->response_json == "{\"deleted\":3}");
  CHECK(v->status_json == "{\"s\":1}");
  CHECK(v->action == "indices:data/write/delete/byquery");
  CHECK(v->description == "delete-by-query [t]");
  // Still there when asked again.
  CHECK(tm.get(*id, false, 0).is_ok());
}

TEST_CASE("an error ending the work is stored as the task's error", "[tasks]") {
  TaskManager tm("n");
  auto id = tm.start("a", "d", nullptr, [](Task&) -> Result<std::string> { return invalid_argument("bad"); });
  REQUIRE(id.is_ok());
  auto v = tm.get(*id, true, 5000);
  REQUIRE(v.is_ok());
  CHECK(v->completed);
  REQUIRE(v->error);
  CHECK(v->error->reason() == "bad");
  CHECK_FALSE(v->response_json);
}

TEST_CASE("task ids: malformed is 400, unknown or another node's is 404", "[tasks]") {
  TaskManager tm("n");
  CHECK(tm.get("abc", false, 0).status().code() == Code::kInvalidArgument);
  CHECK(tm.get("n:x", false, 0).status().code() == Code::kInvalidArgument);
  CHECK(tm.get("n:", false, 0).status().code() == Code::kInvalidArgument);
  CHECK(tm.get("n:42", false, 0).status().type() == "resource_not_found_exception");
  CHECK(tm.get("other:1", false, 0).status().type() == "resource_not_found_exception");
}

TEST_CASE("cancel wakes a throttled task; waiting times out on a running one", "[tasks]") {
  TaskManager tm("n");
  std::atomic<bool> started{false};
  auto id = tm.start("a", "d", nullptr, [&](Task& t) -> Result<std::string> {
    started = true;
    bool cancelled = t.sleep_unless_cancelled(60000);
    return std::string(cancelled ? "\"cancelled\"" : "\"slept\"");
  });
  REQUIRE(id.is_ok());
  while (!started) std::this_thread::yield();
  auto running = tm.get(*id, true, 20);
  CHECK(running.status().code() == Code::kTimeout);
  auto listed = tm.list();
  REQUIRE(listed.size() == 1);
  CHECK_FALSE(listed[0].completed);
  REQUIRE(tm.cancel(*id, "").is_ok());
  auto v = tm.get(*id, true, 5000);
  REQUIRE(v.is_ok());
  CHECK(v->cancelled);
  CHECK(*v->response_json == "\"cancelled\"");
  CHECK(tm.cancel(*id, "").status().code() == Code::kNotFound);  // no longer running
}

TEST_CASE("tasks on the caller's thread are visible until finished, then gone", "[tasks]") {
  TaskManager tm("n");
  auto task = tm.register_task("a", "d", [] { return std::string("{}"); });
  std::string id = "n:" + std::to_string(task->id());
  auto v = tm.get(id, false, 0);
  REQUIRE(v.is_ok());
  CHECK_FALSE(v->completed);
  REQUIRE(tm.cancel(id, "stop").is_ok());
  CHECK(task->cancelled());
  CHECK(task->cancel_reason() == "stop");
  tm.finish(*task);
  CHECK(tm.get(id, false, 0).status().code() == Code::kNotFound);
}

TEST_CASE("shutdown cancels and joins background work, then refuses new work", "[tasks]") {
  TaskManager tm("n");
  auto id = tm.start("a", "d", nullptr, [](Task& t) -> Result<std::string> {
    t.sleep_unless_cancelled(60000);
    return std::string(t.cancel_reason());
  });
  REQUIRE(id.is_ok());
  auto t0 = std::chrono::steady_clock::now();
  tm.shutdown();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
  auto v = tm.get(*id, false, 0);
  REQUIRE(v.is_ok());
  CHECK(v->completed);
  CHECK(*v->response_json == "node is shutting down");
  CHECK(tm.start("a", "d", nullptr, [](Task&) -> Result<std::string> { return std::string(); }).status().code() ==
        Code::kUnavailable);
}

TEST_CASE("only the most recent results are kept", "[tasks]") {
  TaskManager tm("n");
  std::string first;
  for (size_t i = 0; i < TaskManager::kMaxStoredResults + 5; ++i) {
    auto id = tm.start("a", "d", nullptr, [](Task&) -> Result<std::string> { return std::string("1"); });
    REQUIRE(id.is_ok());
    if (i == 0) first = *id;
    REQUIRE(tm.get(*id, true, 5000).is_ok());
  }
  CHECK(tm.get(first, false, 0).status().code() == Code::kNotFound);
}
