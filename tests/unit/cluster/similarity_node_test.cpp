// The node binds index.similarity.* to every mapping it publishes: at creation, on PUT _mapping, on
// dynamic fields, on a settings change of a closed index, and when the state is read back at start.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cluster/node.h"
#include "test_node.h"

using namespace sift;
using namespace sift::cluster;
using sift::test::open_node;
using sift::test::TempDir;

namespace {

const index::Similarity& sim_of(Node& node, const std::string& index, const std::string& field) {
  return node.state()->indices.at(index)->mapping->similarity(field);
}

}  // namespace

TEST_CASE("the node binds similarities to the mappings it publishes", "[similarity][node]") {
  TempDir dir;
  {
    auto node = open_node(dir.path);
    CreateIndexRequest req;
    req.name = "s";
    req.settings_json = R"({"number_of_replicas":0,"index.similarity.mine":{"type":"LegacyBM25","k1":1.5},)"
                        R"("index.similarity.default.type":"boolean"})";
    req.mappings_json = R"({"properties":{"t":{"type":"text","similarity":"mine"},"u":{"type":"text"}}})";
    REQUIRE(node->create_index(req).is_ok());
    CHECK(sim_of(*node, "s", "t").kind == index::SimilarityKind::kLegacyBM25);
    CHECK(sim_of(*node, "s", "t").k1 == 1.5f);
    CHECK(sim_of(*node, "s", "u").kind == index::SimilarityKind::kBoolean);

    // PUT _mapping: new fields resolve; unknown names are refused and change nothing.
    REQUIRE(node->put_mapping({"s"}, R"({"properties":{"v":{"type":"keyword","similarity":"mine"}}})").is_ok());
    CHECK(sim_of(*node, "s", "v").kind == index::SimilarityKind::kLegacyBM25);
    Status unknown = node->put_mapping({"s"}, R"({"properties":{"w":{"type":"text","similarity":"other"}}})");
    CHECK(unknown.type() == "mapper_parsing_exception");
    CHECK(node->state()->indices.at("s")->mapping->find("w") == nullptr);

    // A dynamic field takes the index default.
    DocWriteRequest w;
    w.id = "1";
    w.source = R"({"t":"a","dyn":"b"})";
    auto svc = node->index("s");
    REQUIRE(svc != nullptr);
    auto r = svc->write(w);
    REQUIRE(r.is_ok());
    REQUIRE(svc->sync(*r).is_ok());
    CHECK(sim_of(*node, "s", "dyn").kind == index::SimilarityKind::kBoolean);

    // Static: refused while open, taken (and checked against the mapping) while closed.
    CHECK_FALSE(node->update_settings({"s"}, R"({"index.similarity.mine.k1":2})", false).is_ok());
    REQUIRE(node->close_indices({"s"}).is_ok());
    Status dangling = node->update_settings({"s"}, R"({"index.similarity.mine.type":null})", false);
    CHECK_FALSE(dangling.is_ok());  // "mine" would lose its type
    REQUIRE(node->update_settings({"s"}, R"({"index.similarity.mine.k1":2,"index.similarity.default.type":"BM25"})",
                                  false)
                .is_ok());
    CHECK(sim_of(*node, "s", "t").k1 == 2.0f);
    CHECK(sim_of(*node, "s", "u").kind == index::SimilarityKind::kBM25);
    REQUIRE(node->open_indices({"s"}).is_ok());
    node->stop();
  }
  // Read back at start.
  auto node = open_node(dir.path);
  CHECK(sim_of(*node, "s", "t").kind == index::SimilarityKind::kLegacyBM25);
  CHECK(sim_of(*node, "s", "t").k1 == 2.0f);
  CHECK(sim_of(*node, "s", "v").kind == index::SimilarityKind::kLegacyBM25);
  CHECK(sim_of(*node, "s", "u").kind == index::SimilarityKind::kBM25);
}
