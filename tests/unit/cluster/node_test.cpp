#include <catch2/catch.hpp>

#include <filesystem>

#include "cluster/index_names.h"
#include "cluster/node.h"
#include "cluster/settings.h"
#include "cluster/source_filter.h"
#include "test_node.h"

using namespace sift;
using namespace sift::cluster;
using sift::test::open_node;
using sift::test::TempDir;

TEST_CASE("index names follow OpenSearch's rules", "[names]") {
  CHECK(validate_index_name("logs-2026.11.23").is_ok());
  CHECK(validate_index_name("Upper").type() == "invalid_index_name_exception");
  CHECK_FALSE(validate_index_name("_hidden").is_ok());
  CHECK_FALSE(validate_index_name("a#b").is_ok());
  CHECK_FALSE(validate_index_name("..").is_ok());
  CHECK_FALSE(validate_index_name(std::string(256, 'a')).is_ok());
  CHECK(wildcard_match("log*-2026*", "logs-2026.11"));
  CHECK_FALSE(wildcard_match("log*x", "logs"));
  CHECK(random_uuid().size() == 22);
  CHECK(auto_document_id() != auto_document_id());
}

TEST_CASE("settings flatten, render nested and parse time values", "[settings]") {
  auto s = parse_settings(R"({"index":{"number_of_shards":3,"refresh_interval":"5s"},"blocks.read_only":false})", true);
  REQUIRE(s.is_ok());
  CHECK(s->at("index.number_of_shards") == "3");
  CHECK(s->at("index.blocks.read_only") == "false");
  CHECK(settings_to_json(*s, false) ==
        R"({"index":{"blocks":{"read_only":"false"},"number_of_shards":"3","refresh_interval":"5s"}})");
  CHECK(*parse_time_millis("1s", "x") == 1000);
  CHECK(*parse_time_millis("-1", "x") == -1);
  CHECK(*parse_time_millis("250ms", "x") == 250);
  CHECK_FALSE(parse_time_millis("10 parsecs", "x").is_ok());
}

TEST_CASE("the node persists indices, mappings and aliases across restarts", "[node]") {
  TempDir dir;
  std::string uuid;
  {
    auto node = open_node(dir.path);
    CreateIndexRequest req;
    req.name = "logs";
    req.settings_json = R"({"number_of_shards":2,"number_of_replicas":0,"index.custom.thing":"kept"})";
    req.mappings_json = R"({"properties":{"msg":{"type":"text"}}})";
    req.aliases_json = R"({"current":{"is_write_index":true}})";
    auto created = node->create_index(req);
    REQUIRE(created.is_ok());
    uuid = (*created)->uuid;
    CHECK(std::filesystem::exists(dir.path + "/indices/" + uuid));
    auto again = node->create_index(req);
    REQUIRE_FALSE(again.is_ok());
    CHECK(again.status().type() == "resource_already_exists_exception");
    auto target = node->write_target("current", false);
    REQUIRE(target.is_ok());
    CHECK((*target)->name() == "logs");
    DocWriteRequest w;
    w.id = "1";
    w.source = R"({"msg":"hello","n":5})";
    auto r = (*target)->write(w);
    REQUIRE(r.is_ok());
    REQUIRE((*target)->sync(*r).is_ok());
    // The dynamic field is in the published mapping before the write returned.
    CHECK(node->state()->indices.at("logs")->mapping->find("n") != nullptr);
    node->stop();
  }
  auto node = open_node(dir.path);
  auto state = node->state();
  REQUIRE(state->indices.count("logs") == 1);
  const auto& meta = *state->indices.at("logs");
  CHECK(meta.uuid == uuid);
  CHECK(meta.number_of_shards == 2);
  CHECK(meta.settings.at("index.custom.thing") == "kept");
  CHECK(meta.aliases.at("current").is_write_index == std::optional<bool>(true));
  CHECK(meta.mapping->find("n") != nullptr);
  auto doc = node->index("logs")->get("1", "");
  REQUIRE(doc.is_ok());
  REQUIRE(doc->has_value());
  CHECK((*doc)->source == R"({"msg":"hello","n":5})");
}

TEST_CASE("index expressions resolve lists, wildcards, exclusions and aliases", "[node]") {
  TempDir dir;
  auto node = open_node(dir.path);
  for (const char* name : {"logs-a", "logs-b", "metrics"}) {
    CreateIndexRequest req;
    req.name = name;
    REQUIRE(node->create_index(req).is_ok());
  }
  AliasAction add;
  add.indices = {"logs-*"};
  add.aliases = {"all-logs"};
  REQUIRE(node->update_aliases({add}).is_ok());
  auto r = node->resolve("logs-*,-logs-b", {});
  REQUIRE(r.is_ok());
  CHECK(*r == std::vector<std::string>{"logs-a"});
  r = node->resolve("all-logs", {});
  REQUIRE(r.is_ok());
  CHECK(r->size() == 2);
  CHECK(node->resolve("_all", {})->size() == 3);
  auto missing = node->resolve("nope", {});
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.status().type() == "index_not_found_exception");
  IndicesOptions lenient;
  lenient.ignore_unavailable = true;
  CHECK(node->resolve("nope,metrics", lenient)->size() == 1);
  // An alias over two indices without a write index cannot take writes.
  auto target = node->write_target("all-logs", false);
  REQUIRE_FALSE(target.is_ok());
  CHECK(target.status().reason().find("no write index is defined for alias [all-logs]") == 0);
  REQUIRE(node->delete_indices({"logs-a"}).is_ok());
  CHECK(node->resolve("all-logs", {})->size() == 1);
}

TEST_CASE("source filtering keeps includes minus excludes", "[source]") {
  std::string src = R"({"a":{"b":1,"c":2},"d":[{"e":1,"f":2}],"g":3})";
  CHECK(*filter_source(src, {"a.b"}, {}) == R"({"a":{"b":1}})");
  CHECK(*filter_source(src, {"a"}, {"*.c"}) == R"({"a":{"b":1}})");
  CHECK(*filter_source(src, {}, {"d", "g"}) == R"({"a":{"b":1,"c":2}})");
  CHECK(*filter_source(src, {"d.f"}, {}) == R"({"d":[{"f":2}]})");
  CHECK(extract_values(src, "d.e") == std::vector<std::string>{"1"});
  CHECK(extract_values(src, "a.c") == std::vector<std::string>{"2"});
}

TEST_CASE("source values read as JSON or as text, dotted keys and arrays included", "[source]") {
  SourceValues v(R"({"t":["x \"y\"",7,true,null,{"o":1}],"a.b":"dotted","a":{"c":"nested"}})");
  CHECK(v.json("t") == std::vector<std::string>{R"("x \"y\"")", "7", "true", R"({"o":1})"});
  CHECK(v.text("t") == std::vector<std::string>{"x \"y\"", "7", "true"});
  CHECK(v.text("a.b") == std::vector<std::string>{"dotted"});
  CHECK(v.text("a.c") == std::vector<std::string>{"nested"});
  CHECK(v.text("missing").empty());
  CHECK(SourceValues("not json").text("t").empty());
}

TEST_CASE("templates persist across restarts and shape auto-created indices", "[node]") {
  TempDir dir;
  {
    auto node = open_node(dir.path);
    REQUIRE(node->put_template(Node::TemplateKind::kComponent, "ct", R"({"template":{"settings":{"number_of_replicas":0}}})", false).is_ok());
    REQUIRE(node->put_template(Node::TemplateKind::kComposable, "logs",
                               R"({"index_patterns":["logs-*"],"composed_of":["ct"],"template":{"settings":{"number_of_shards":3}}})",
                               false).is_ok());
    REQUIRE(node->put_template(Node::TemplateKind::kLegacy, "old", R"({"index_patterns":["old-*"],"order":2})", false).is_ok());
    auto again = node->put_template(Node::TemplateKind::kComposable, "logs", R"({"index_patterns":["logs-*"]})", true);
    CHECK(again.type() == "illegal_argument_exception");
    node->stop();
  }
  auto node = open_node(dir.path);
  const auto& t = node->state()->templates;
  CHECK(t.components.count("ct") == 1);
  REQUIRE(t.composable.count("logs") == 1);
  CHECK(t.composable.at("logs").composed_of == std::vector<std::string>{"ct"});
  CHECK(t.legacy.at("old").order == 2);
  auto svc = node->write_target("logs-1", true);
  REQUIRE(svc.is_ok());
  CHECK((*svc)->num_shards() == 3);
  CHECK((*svc)->metadata()->number_of_replicas == 0);
  CHECK(node->delete_templates(Node::TemplateKind::kComponent, "ct").reason().find("still in use") != std::string::npos);
  CHECK(node->delete_templates(Node::TemplateKind::kComposable, "logs").is_ok());
  CHECK(node->delete_templates(Node::TemplateKind::kComposable, "logs").type() == "resource_not_found_exception");
}
